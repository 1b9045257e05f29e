#!/usr/bin/env python3
"""Reference implementation of the Approval Authority v1 policy
(docs/policies/approval-authority-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction, weekdays from the datetime module. Section numbers in the
comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv [--coverage]
"""

import datetime
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

FACILITIES = ["overdraft", "term_loan", "mortgage", "guarantee", "leasing"]
COLUMNS = [
    ("request_id", "text", False),
    ("received_date", "date", False),
    ("facility_type", FACILITIES, False),
    ("grade", ["A", "B", "C", "D", "E"], False),
    ("amount", "amount", False),
    ("existing_exposure", "amount", False),
    ("group_exposure", "amount", True),
    ("collateral_value", "amount", True),
    ("tenor_months", "whole", False),
    ("dscr", "ratio", True),
    ("related_party", "yesno", False),
    ("restructured", "yesno", False),
    ("pricing_exception", "yesno", False),
]
NAMES = [c[0] for c in COLUMNS]
D = C.day_number
# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "received_date": (lambda v: D(2025, 1, 1) <= v <= D(2026, 12, 31), None,
        'received_date >= date("2025-01-01") and received_date <= date("2026-12-31")'),
    "amount": (lambda v: 0 < v <= 100_000_000, None,
        "amount > 0 and amount <= 100_000_000.00"),
    "existing_exposure": (lambda v: 0 <= v <= 1_000_000_000, None,
        "existing_exposure >= 0 and existing_exposure <= 1_000_000_000.00"),
    "group_exposure": (lambda v: 0 <= v <= 1_000_000_000, None,
        "group_exposure >= 0 and group_exposure <= 1_000_000_000.00"),
    "collateral_value": (lambda v: v >= 0, None,
        "collateral_value >= 0"),
    "tenor_months": (lambda v: 1 <= v <= 480, None,
        "tenor_months >= 1 and tenor_months <= 480"),
    "dscr": (lambda v: 0 <= v <= 100, None,
        "dscr >= 0 and dscr <= 100"),
}

LEVELS = ["BRANCH", "REGIONAL", "HEAD_OFFICE", "CREDIT_COMMITTEE"]    # lowest first
K = 1000
coverage = {}


def cover(key):
    coverage[key] = coverage.get(key, 0) + 1


def decide(r):
    amount, existing = r["amount"], r["existing_exposure"]
    # 3. Exposure and collateral
    total = existing + amount
    group = (r["group_exposure"] if r["group_exposure"] is not None else existing) + amount
    coll = r["collateral_value"]
    ltv = float(amount / coll) if coll is not None and coll != 0 else None
    large_unsecured = (coll is None or coll == 0) and amount > 500 * K
    grade = r["grade"]

    # 4. Matrix: (code, applies, level)
    matrix = [
        ("A01", r["related_party"], "CREDIT_COMMITTEE"),
        ("A02", r["restructured"], "CREDIT_COMMITTEE"),
        ("A03", total > 5000 * K, "CREDIT_COMMITTEE"),
        ("A04", group > 10000 * K, "CREDIT_COMMITTEE"),
        ("A05", grade == "D" and total > 1000 * K, "CREDIT_COMMITTEE"),
        ("A06", grade == "E" and total > 250 * K, "CREDIT_COMMITTEE"),
        ("A07", 1000 * K < total <= 5000 * K, "HEAD_OFFICE"),
        ("A08", 2500 * K < group <= 10000 * K, "HEAD_OFFICE"),
        ("A09", grade == "D" and 250 * K < total <= 1000 * K, "HEAD_OFFICE"),
        ("A10", grade == "E" and total <= 250 * K, "HEAD_OFFICE"),
        ("A11", 250 * K < total <= 1000 * K, "REGIONAL"),
        ("A12", grade == "D" and total <= 250 * K, "REGIONAL"),
    ]
    lines = [(code, lv) for code, applies, lv in matrix if applies]
    if lines:
        top = max(LEVELS.index(lv) for _, lv in lines)
        reason = next(code for code, lv in lines if LEVELS.index(lv) == top)   # the earliest of the highest
        matrix_level = LEVELS[top]
        cover("decides " + reason)
    else:
        reason, matrix_level = "", "BRANCH"
        cover("decides else")
    for code, _ in lines:
        cover(code)

    # 5. Exceptions
    dscr = r["dscr"]
    exceptions = [
        ("X01", ltv is not None and ltv > 0.8, 1),
        ("X02", ltv is not None and ltv > 1.0, 2),
        ("X03", r["tenor_months"] > 120 and r["facility_type"] != "mortgage", 1),
        ("X04", dscr is not None and dscr < 1.2, 1),
        ("X05", dscr is not None and dscr < 1.0, 2),
        ("X06", dscr is None and r["facility_type"] in ("term_loan", "mortgage", "leasing"), 1),
        ("X07", large_unsecured, 1),
        ("X08", r["pricing_exception"], 1),
    ]
    held = [(code, steps) for code, holds, steps in exceptions if holds]
    for code, _ in held:
        cover(code)
    escalation = max((s for _, s in held), default=0)
    level = LEVELS[min(LEVELS.index(matrix_level) + escalation, 3)]
    cover("final %s from %s +%d" % (level, matrix_level, escalation))

    # 6. Deadline
    days = {"BRANCH": 2, "REGIONAL": 5, "HEAD_OFFICE": 10, "CREDIT_COMMITTEE": 15}[level]
    due = r["received_date"] + days
    weekday = datetime.date(*C.from_day_number(due)).isoweekday()
    if weekday == 6:
        due += 2
    elif weekday == 7:
        due += 1
    cover("due on weekday %d" % weekday)

    return [
        r["request_id"], C.amount(total), C.amount(group), matrix_level, reason, ";".join(c for c, _ in lines),
        ";".join(c for c, _ in held), str(len(held)), str(escalation), level, C.date_text(due),
    ]


HEADER = ("request_id,total_exposure,group_total,matrix_level,matrix_reason,matrix_lines,exception_codes,"
          "exception_count,escalation,level,due_date")


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    C.check_calendar()
    out, rejects, seen = [], [], {}
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, r = C.read_record(COLUMNS, VALID, fields, bad)
        if reason is None and r["group_exposure"] is not None and r["group_exposure"] < r["existing_exposure"]:
            reason, detail = "group_exposure_below_customer", C.check_detail("group_exposure is missing or group_exposure >= existing_exposure")
        if reason is None and r["facility_type"] == "mortgage" and r["collateral_value"] is None:
            reason, detail = "mortgage_without_collateral", C.check_detail("facility_type != mortgage or collateral_value is present")
        if reason is None:
            if r["request_id"] in seen:
                reason = "duplicate:request_id"
                detail = C.duplicate_detail("request_id", r["request_id"], seen[r["request_id"]])
            else:
                seen[r["request_id"]] = line  # the line of its accepted record
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        out.append(decide(r))
    C.write_csv(argv[2], HEADER, out)
    C.write_csv(argv[3], "line,request_id,reason,detail", rejects)
    if len(argv) == 5:
        for k in sorted(coverage):
            print("%-40s %d" % (k, coverage[k]))
        print("accepted %d, rejected %d" % (len(out), len(rejects)))


if __name__ == "__main__":
    main(sys.argv)
