#!/usr/bin/env python3
"""Cross-checks an oracle against credo as it was before issue 10: runs
tests/policies/<name>/crosscheck.credo (the same policy written with the older constructs only)
on the committed input.csv and compares the result with the committed expected files, as far as
the older language can express the policy.

    python3 crosscheck.py CREDO NAME          (from any directory; CREDO: a credo binary)

limit-review-v1, approval-authority-v1: output and rejects byte for byte.
retail-woe-v1: rejects byte for byte; every output column except `pd` (no exp() before issue 10),
    the adverse-action reasons rebuilt from reason(1..5).
early-warning-v1: utilisation is read as a number (no decimal(4) before issue 10), so the records
    with a utilisation of more than 4 fraction digits or an exponent are skipped; the record
    output column by column; the per-group file rebuilt from group values copied into records.
"""

import csv
import os
import subprocess
import sys
import tempfile
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def main():
    credo, name = sys.argv[1], sys.argv[2]
    d = os.path.join(HERE, "..", name)
    tmp = tempfile.mkdtemp()
    out, rej = os.path.join(tmp, "out.csv"), os.path.join(tmp, "rej.csv")
    subprocess.run([credo, "run", os.path.join(d, "crosscheck.credo"), "--in", os.path.join(d, "input.csv"),
                    "--out", out, "--rejects", rej], check=True)
    exp, exp_rej = rows(os.path.join(d, "expected.csv")), rows(os.path.join(d, "rejects.csv"))
    got, got_rej = rows(out), rows(rej)
    problems = 0
    if name == "early-warning-v1":
        skipped = {r[1] for r in exp_rej[1:] if r[2] == "unparsable:utilisation"} - {r[1] for r in got_rej[1:]}
        got = [r for r in got if r[0] not in skipped]
        got_rej = [r for r in got_rej if r[1] not in skipped]
        exp_rej = [r for r in exp_rej if r[1] not in skipped]
        groups = {}
        for r in got[1:]:
            if r[1]:
                groups[r[1]] = [r[1], r[11], r[9], r[12], r[13], r[14], r[15]]
        g = sorted(groups.values(), key=lambda x: x[0].encode("utf-8"))
        g.sort(key=lambda x: Decimal(x[2]), reverse=True)
        if [exp for exp in rows(os.path.join(d, "expected-groups.csv"))[1:]] != g:
            print("groups differ")
            problems += 1
        got = [r[:11] for r in got]
    if name == "retail-woe-v1":
        rebuilt = [exp[0]]
        for r in got[1:]:
            reasons = [c for c in r[6:11] if c]
            adverse = "" if r[4] == "APPROVE" else ";".join(reasons[:4])
            rebuilt.append(r[0:3] + [None] + r[3:6] + [adverse, str(len(reasons))] + r[11:])
        got = rebuilt
        exp = [r[:3] + [None] + r[4:] for r in exp]
        exp[0] = got[0]
    if got_rej[1:] != exp_rej[1:]:
        print("rejects differ")
        problems += 1
    if len(got) != len(exp):
        print("%d output rows, expected %d" % (len(got), len(exp)))
        problems += 1
    for a, b in list(zip(got, exp))[1:]:
        if a != b:
            problems += 1
            if problems < 6:
                print("got     ", a)
                print("expected", b)
    print("%s: %s (%d records compared)" % (name, "agree" if problems == 0 else "%d DIFFERENCES" % problems, len(got) - 1))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
