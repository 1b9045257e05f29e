#!/usr/bin/env python3
"""Reference implementation of the Limit Review v1 policy (docs/policies/limit-review-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv [--coverage]
"""

import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

GRADES = ["A", "B", "C", "D", "E"]
COLUMNS = [
    ("account_id", "text", False),
    ("product", ["card", "overdraft", "personal_line"], False),
    ("current_limit", "amount", False),
    ("balance", "amount", False),
    ("days_past_due", "whole", True),
    ("grade", GRADES, False),
    ("grade_prev", GRADES, True),
    ("bureau_score", "whole", True),
    ("fraud_flag", "yesno", False),
]
NAMES = [c[0] for c in COLUMNS]
# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "current_limit": (lambda v: 0 < v <= 500_000, None,
        "current_limit > 0 and current_limit <= 500_000.00"),
    "balance": (lambda v: 0 <= v <= 1_000_000, None,
        "balance >= 0 and balance <= 1_000_000.00"),
    "days_past_due": (lambda v: 0 <= v <= 999, None,
        "days_past_due >= 0 and days_past_due <= 999"),
    "bureau_score": (lambda v: 300 <= v <= 900, None,
        "bureau_score >= 300 and bureau_score <= 900"),
}

RANK = {g: i + 1 for i, g in enumerate(GRADES)}
CAP = {"card": F(25_000), "overdraft": F(10_000), "personal_line": F(50_000)}
INCREASE = {"A": F(25, 100), "B": F(15, 100), "C": F(10, 100), "D": F(0), "E": F(0)}
SEVERITY = ["FREEZE", "CUT", "KEEP", "INCREASE"]


# 4.2, one predicate per line. None is a missing value: only "-" and "missing" accept it.
def present(f):
    return lambda v: v is not None and f(v)


ANY = lambda v: True
MISSING = lambda v: v is None

# columns: dpd, util, down, grade, score, fraud, headroom
TABLE = [
    ("L01", [ANY, ANY, ANY, ANY, ANY, present(lambda v: v is True), ANY], "FREEZE", F(1)),
    ("L02", [present(lambda v: v >= 90), ANY, ANY, ANY, ANY, ANY, ANY], "FREEZE", F(1)),
    ("L03", [ANY, ANY, ANY, present(lambda v: v == "E"), ANY, ANY, ANY], "CUT", F(50, 100)),
    ("L04", [present(lambda v: 30 <= v < 90), ANY, ANY, ANY, ANY, ANY, ANY], "CUT", F(40, 100)),
    ("L05", [ANY, ANY, present(lambda v: v >= 2), ANY, ANY, ANY, ANY], "CUT", F(25, 100)),
    ("L06", [ANY, ANY, ANY, ANY, present(lambda v: v < 550), ANY, ANY], "CUT", F(20, 100)),
    ("L07", [ANY, present(lambda v: v > 1.0), ANY, ANY, ANY, ANY, ANY], "KEEP", F(0)),
    ("L08", [MISSING, ANY, ANY, ANY, ANY, ANY, ANY], "KEEP", F(0)),
    ("L09", [present(lambda v: 1 <= v < 30), ANY, ANY, ANY, ANY, ANY, ANY], "KEEP", F(0)),
    ("L10", [ANY, ANY, present(lambda v: v == 1), ANY, ANY, ANY, ANY], "KEEP", F(0)),
    ("L11", [ANY, ANY, ANY, ANY, MISSING, ANY, ANY], "KEEP", F(0)),
    ("L12", [ANY, ANY, ANY, present(lambda v: v == "D"), ANY, ANY, ANY], "KEEP", F(0)),
    ("L13", [present(lambda v: v == 0), present(lambda v: 0.8 <= v <= 1.0), present(lambda v: v <= 0),
             present(lambda v: v in ("A", "B", "C")), present(lambda v: v >= 650), present(lambda v: v is False),
             present(lambda v: v > 0)], "INCREASE", F(0)),
    ("L14", [present(lambda v: v == 0), present(lambda v: 0.5 <= v < 0.8), present(lambda v: v <= 0),
             present(lambda v: v == "A"), present(lambda v: v >= 700), present(lambda v: v is False),
             present(lambda v: v > 0)], "INCREASE", F(0)),
]

coverage = {code: 0 for code, _, _, _ in TABLE}
coverage.update({"deciding:" + code: 0 for code, _, _, _ in TABLE})
coverage.update({"else": 0})
coverage.update({"action:" + a: 0 for a in SEVERITY})


def review(r):
    limit, balance = r["current_limit"], r["balance"]
    # 3. Derived values
    util = float(balance / limit)                        # the exact quotient to the nearest double
    util_pct = C.round_half_away_to(100 * balance / limit, F(1, 10))
    down = RANK[r["grade"]] - RANK[r["grade_prev"]] if r["grade_prev"] is not None else None
    headroom = CAP[r["product"]] - limit

    # 4. The review table
    values = [r["days_past_due"], util, down, r["grade"], r["bureau_score"], r["fraud_flag"], headroom]
    applying = [line for line in TABLE if all(test(v) for test, v in zip(line[1], values))]
    if applying:
        # most severe action; equal severity: the earlier line (sorted is stable)
        code, _, action, cut = sorted(applying, key=lambda line: SEVERITY.index(line[2]))[0]
        coverage["deciding:" + code] += 1
    else:
        code, action, cut = "", "KEEP", F(0)
        coverage["else"] += 1
    for line in applying:
        coverage[line[0]] += 1
    coverage["action:" + action] += 1

    # 5. The new limit
    if action == "INCREASE":
        new = max(limit, min(C.floor_to(limit * (1 + INCREASE[r["grade"]]), F(100)), CAP[r["product"]]))
    elif action in ("FREEZE", "CUT"):
        new = min(limit, max(C.floor_to(limit * (1 - cut), F(100)), C.ceil_to(balance, F(100))))
    else:
        new = limit

    return [
        r["account_id"], r["product"], C.fixed(util_pct, 1), C.opt(down, str), action, C.fixed(cut, 2),
        code, ";".join(line[0] for line in applying), str(len(applying)), C.amount(new), C.amount(new - limit),
    ]


HEADER = "account_id,product,utilisation_pct,downgrade,action,cut,reason,reasons,reason_count,new_limit,change"


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    C.check_calendar()
    out, rejects, seen = [], [], {}
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, r = C.read_record(COLUMNS, VALID, fields, bad)
        if reason is None and r["days_past_due"] is not None and r["days_past_due"] > 0 and r["balance"] == 0:
            reason, detail = "arrears_without_balance", C.check_detail("days_past_due is missing or days_past_due == 0 or balance > 0")
        if reason is None:
            if r["account_id"] in seen:
                reason = "duplicate:account_id"
                detail = C.duplicate_detail("account_id", r["account_id"], seen[r["account_id"]])
            else:
                seen[r["account_id"]] = line  # the line of its accepted record
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        out.append(review(r))
    C.write_csv(argv[2], HEADER, out)
    C.write_csv(argv[3], "line,account_id,reason,detail", rejects)
    if len(argv) == 5:
        for k, v in coverage.items():
            print("%-22s %d" % (k, v))
        print("accepted %d, rejected %d" % (len(out), len(rejects)))


if __name__ == "__main__":
    main(sys.argv)
