#!/usr/bin/env python3
"""cli.compare's independent check: the figures of `credo compare --json` and its --changed file,
recomputed here from the two policies' own `credo run` outputs and rejects over the same input.

usage: check_compare.py INPUT OUT1 REJECTS1 OUT2 REJECTS2 COMPARE.json CHANGED.csv
Prints what differs and exits 1, or prints a one-line summary and exits 0.
"""
import csv
import json
import math
import sys
from collections import Counter
from decimal import Decimal

REJECTED = "(rejected)"


def record_lines(path):
    """The line each data record starts on (header = line 1), as credo counts them."""
    lines = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        previous = reader.line_num
        for _ in reader:
            lines.append(previous + 1)
            previous = reader.line_num
    return lines


def joined(lines, out_path, rejects_path):
    """Per record: its output row (a dict) or None, and the reject reason."""
    with open(out_path, newline="", encoding="utf-8") as f:
        outputs = list(csv.DictReader(f))
    with open(rejects_path, newline="", encoding="utf-8") as f:
        rejects = {int(r["line"]): r["reason"] for r in csv.DictReader(f)}
    rows, k = [], 0
    for line in lines:
        if line in rejects:
            rows.append((None, rejects[line]))
        else:
            rows.append((outputs[k], ""))
            k += 1
    assert k == len(outputs), "output rows left over"
    return rows


def money(text):
    return Decimal(text or "0")


def score_bins(a, b):
    """The documented rule: a width of 1, 2 or 5 x 10^n giving about ten bins over both samples."""
    values = a + b
    lo, hi = min(values), max(values)
    raw = (hi - lo) / 10
    width = 1.0
    if raw > 1:
        power = 10.0 ** math.floor(math.log10(raw))
        width = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)
    start = math.floor(lo / width) * width
    return start, width, int(math.floor((hi - start) / width)) + 1


def histogram(scores, start, width, count):
    h = [0] * count
    for s in scores:
        h[min(max(int(math.floor((s - start) / width)), 0), count - 1)] += 1
    return h


def psi(expected, actual):
    te, ta = sum(expected), sum(actual)
    total = 0.0
    for e, a in zip(expected, actual):
        e, a = max(1e-4, e / te), max(1e-4, a / ta)
        total += (a - e) * math.log(a / e)
    return total


def main():
    inp, out1, rej1, out2, rej2, report_path, changed_path = sys.argv[1:]
    lines = record_lines(inp)
    champion, challenger = joined(lines, out1, rej1), joined(lines, out2, rej2)
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    problems = []

    def check(what, got, want):
        if got != want:
            problems.append(f"{what}: credo says {got!r}, the runs say {want!r}")

    def decision(row):
        return row[0]["decision"] if row[0] else REJECTED

    # Swap set: records and both amounts per (champion decision, challenger decision).
    swap = Counter()
    swap_amounts = {}
    for a, b in zip(champion, challenger):
        key = (decision(a), decision(b))
        swap[key] += 1
        s0, s1 = swap_amounts.get(key, (Decimal(0), Decimal(0)))
        swap_amounts[key] = (s0 + (money(a[0]["approved_amount"]) if a[0] else 0),
                             s1 + (money(b[0]["approved_amount"]) if b[0] else 0))
    got = {(c["from"], c["to"]): c for c in report["swap_set"]["cells"]}
    for key in set(swap) | {k for k, c in got.items() if c["count"]}:
        cell = got.get(key, {"count": 0, "amount_before": "0.00", "amount_after": "0.00"})
        check(f"swap {key} count", cell["count"], swap[key])
        if swap[key]:
            check(f"swap {key} amounts", (Decimal(cell["amount_before"]), Decimal(cell["amount_after"])),
                  swap_amounts[key])

    # Grade migration over the records both accepted.
    migration = Counter((a[0]["grade"], b[0]["grade"]) for a, b in zip(champion, challenger) if a[0] and b[0])
    got = {(c["from"], c["to"]): c["count"] for c in report["grade_migration"]["cells"]}
    for key in set(migration) | {k for k, n in got.items() if n}:
        check(f"migration {key}", got.get(key, 0), migration[key])

    # Approval rate and amount, limits by grade, reasons, per side.
    for side, rows in (("champion", champion), ("challenger", challenger)):
        s = report[side]
        accepted = [r[0] for r in rows if r[0]]
        approved = [r for r in accepted if r["decision"] == "APPROVE"]
        check(f"{side} records", s["records"], len(rows))
        check(f"{side} rejected", s["rejected"], len(rows) - len(accepted))
        check(f"{side} approved", s["approved"], len(approved))
        if abs(s["approval_rate"] - len(approved) / len(accepted)) > 1e-12:
            problems.append(f"{side} approval rate {s['approval_rate']} != {len(approved) / len(accepted)}")
        check(f"{side} approved amount", Decimal(s["approved_amount"]), sum(money(r["approved_amount"]) for r in approved))
        for limit in s["limits_by_grade"]:
            grade = [r for r in accepted if r["grade"] == limit["grade"]]
            check(f"{side} grade {limit['grade']} records", limit["records"], len(grade))
            check(f"{side} grade {limit['grade']} max_limit", Decimal(limit["totals"]["max_limit"]),
                  sum(money(r["max_limit"]) for r in grade))
        reasons = Counter(r["decision_reason"] for r in accepted if r["decision_reason"])
        check(f"{side} decision reasons", {c["code"]: c["count"] for c in s["decision_reasons"]}, dict(reasons))
        codes = Counter(r[k] for r in accepted for k in ("reason_1", "reason_2", "reason_3") if r[k])
        check(f"{side} score reasons", {c["code"]: c["count"] for c in s["score_reasons"]}, dict(codes))

    # Reject reasons, both sides.
    want_rejects = {}
    for k, rows in enumerate((champion, challenger)):
        for row in rows:
            if not row[0]:
                want_rejects.setdefault(row[1], [0, 0])[k] += 1
    check("reject shift", {c["code"]: [c["before"], c["after"]] for c in report["reject_shift"]}, want_rejects)

    # Score distributions and their PSI.
    scores = [[float(r[0]["score"]) for r in rows if r[0]] for rows in (champion, challenger)]
    start, width, count = score_bins(*scores)
    bins = report["score_bins"]
    check("score bins", (bins["lo"], bins["width"], bins["count"]), (start, width, count))
    h0, h1 = histogram(scores[0], start, width, count), histogram(scores[1], start, width, count)
    check("champion histogram", report["score_histogram"]["champion"], h0)
    check("challenger histogram", report["score_histogram"]["challenger"], h1)
    if abs(report["psi"] - psi(h0, h1)) > 1e-12:
        problems.append(f"psi {report['psi']} != {psi(h0, h1)}")

    # The changed records: exactly those whose acceptance, decision, grade, amount or reason differ.
    def outcome(row):
        if not row[0]:
            return (REJECTED, "", "", row[1])
        r = row[0]
        return (r["decision"], r["grade"], str(money(r["approved_amount"])), r["decision_reason"])

    want = {}
    for line, a, b in zip(lines, champion, challenger):
        if outcome(a) != outcome(b):
            want[line] = (outcome(a), outcome(b))
    with open(changed_path, newline="", encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    got = {}
    for r in listed:
        side = lambda who: (r[who + "_decision"], r[who + "_grade"],
                            str(money(r[who + "_amount"])) if r[who + "_decision"] != REJECTED else "",
                            r[who + "_reason"])
        got[int(r["line"])] = (side("champion"), side("challenger"))
    check("changed records listed once", len(listed), len(got))
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if missing or extra:
        problems.append(f"--changed misses lines {missing[:10]} and lists unchanged lines {extra[:10]}")
    for line in set(want) & set(got):
        check(f"changed line {line}", got[line], want[line])
    check("changed count", report["changed"], len(want))

    for p in problems[:40]:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"ok: {len(lines)} records, {len(want)} changed, PSI {report['psi']:.4f}, "
          f"approval {report['champion']['approval_rate']:.4f} -> {report['challenger']['approval_rate']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
