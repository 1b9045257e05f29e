#!/usr/bin/env python3
"""Reference implementation of the Retail Card v1 policy (docs/policies/retail-card-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv
"""

import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

# ---- 2.2 Columns -------------------------------------------------------------------------------

RESIDENCE = ["homeowner", "renter", "with_parents", "council_tenant", "other"]

# (name, type, may be empty)
COLUMNS = [
    ("application_id", "text", False),
    ("application_date", "date", False),
    ("date_of_birth", "date", False),
    ("residential_status", RESIDENCE, False),
    ("has_mortgage", "yesno", True),
    ("months_at_address", "whole", True),
    ("employment_type", "text", False),
    ("months_in_employment", "whole", True),
    ("annual_income", "amount", False),
    ("monthly_housing_cost", "amount", True),
    ("debt_to_income", "ratio", True),
    ("bureau_score", "whole", True),
    ("delinquencies_24m", "whole", False),
    ("worst_arrears_12m", "whole", True),
    ("bankrupt", "yesno", False),
    ("existing_card_limits", "amount", True),
    ("requested_limit", "amount", True),
]
NAMES = [c[0] for c in COLUMNS]


# ---- 2.2 valid values: column -> test on a present value (and its reason) -------------------------

D = C.day_number

# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "application_date": (lambda v: D(2024, 1, 1) <= v <= D(2026, 12, 31),
                         "outside_policy_window:application_date",
                         'application_date >= date("2024-01-01") and application_date <= date("2026-12-31")'),
    "date_of_birth": (lambda v: v >= D(1900, 1, 1), None, 'date_of_birth >= date("1900-01-01")'),
    "months_at_address": (lambda v: 0 <= v <= 1200, None, "months_at_address >= 0 and months_at_address <= 1200"),
    "months_in_employment": (lambda v: 0 <= v <= 720, None,
                             "months_in_employment >= 0 and months_in_employment <= 720"),
    "annual_income": (lambda v: v >= 0, None, "annual_income >= 0"),
    "monthly_housing_cost": (lambda v: v >= 0, None, "monthly_housing_cost >= 0"),
    "debt_to_income": (lambda v: 0 <= v <= 10, None, "debt_to_income >= 0 and debt_to_income <= 10"),
    "bureau_score": (lambda v: 0 <= v <= 999, None, "bureau_score >= 0 and bureau_score <= 999"),
    "delinquencies_24m": (lambda v: v >= 0, None, "delinquencies_24m >= 0"),
    "worst_arrears_12m": (lambda v: 0 <= v <= 6, None, "worst_arrears_12m >= 0 and worst_arrears_12m <= 6"),
    "existing_card_limits": (lambda v: v >= 0, None, "existing_card_limits >= 0"),
    "requested_limit": (lambda v: Fraction(250) <= v <= Fraction(100_000), None,
                        "requested_limit >= 250.00 and requested_limit <= 100_000.00"),
}


# ---- 3-10. Assessment --------------------------------------------------------------------------------

def first_fired(rules):
    for code, fired in rules:
        if fired:
            return code
    return ""


def points(value, bins):
    """bins: list of (test, points); the first test that holds."""
    for test, pts in bins:
        if test(value):
            return pts
    raise AssertionError("no bin for %r" % (value,))


F = Fraction


def assess(r):
    app, dob = r["application_date"], r["date_of_birth"]
    income = r["annual_income"]
    employment = r["employment_type"]
    dti = r["debt_to_income"]
    bureau = r["bureau_score"]
    mortgage = r["has_mortgage"]
    address = r["months_at_address"]
    requested = r["requested_limit"]
    existing = r["existing_card_limits"]
    housing = r["monthly_housing_cost"]

    # 3. Derived values
    age = ((app - dob) * 100) // 36525  # floor(days / 365.25)
    employed = employment in ("employed", "self_employed")
    housing_ratio = None
    if housing is not None and income != 0:
        housing_ratio = float(12 * housing / income)

    # 4. Rules
    knockouts = [
        ("K01", age < 18),
        ("K02", r["bankrupt"]),
        ("K03", r["worst_arrears_12m"] is not None and r["worst_arrears_12m"] >= 3),
        ("K04", income < F(12000)),
        ("K05", dti is not None and dti > 0.60),
        ("K06", employment == "unemployed"),
    ]
    referrals = [
        ("R01", bureau is None),
        ("R02", r["delinquencies_24m"] >= 2),
        ("R03", housing_ratio is not None and housing_ratio > 0.40),
        ("R04", employed and (r["months_in_employment"] or 0) < 6),
        ("R05", age < 21 and (address is None or address < 12)),
        ("R06", requested is not None and requested > F(15000)),
    ]
    flags = [
        ("F01", employment == "student"),
        ("F02", dti is None),
        ("F03", r["residential_status"] == "homeowner" and mortgage is None),
    ]

    # 5. Scorecard
    card = []  # (code, points, best)
    card.append(("S01", points(age, [
        (lambda v: v < 25, -20), (lambda v: 25 <= v < 35, 0), (lambda v: 35 <= v < 50, 15),
        (lambda v: 50 <= v < 65, 25), (lambda v: v >= 65, 10)]), 25))
    card.append(("S02", -15 if bureau is None else points(bureau, [
        (lambda v: 300 <= v < 500, -60), (lambda v: 500 <= v < 600, -25), (lambda v: 600 <= v < 700, 0),
        (lambda v: 700 <= v < 800, 25), (lambda v: 800 <= v <= 999, 45), (lambda v: True, -40)]), 45))
    card.append(("S03", -10 if dti is None else points(dti, [
        (lambda v: v < 0.20, 30), (lambda v: 0.20 <= v < 0.35, 15), (lambda v: 0.35 <= v < 0.50, -5),
        (lambda v: v >= 0.50, -35)]), 30))
    card.append(("S04", {"homeowner": 25, "renter": -5, "with_parents": 5}.get(r["residential_status"], -10), 25))
    card.append(("S05", {"employed": 20, "self_employed": 5, "retired": 10}.get(employment, -20), 20))
    card.append(("S06", 0 if mortgage is None else (15 if mortgage else 0), 15))
    card.append(("S07", -10 if address is None else points(address, [
        (lambda v: v < 12, -15), (lambda v: 12 <= v < 36, 0), (lambda v: 36 <= v < 120, 10),
        (lambda v: v >= 120, 20)]), 20))
    card.append(("S08", points(income, [
        (lambda v: v < F(20000), -20), (lambda v: F(20000) <= v < F(40000), 0),
        (lambda v: F(40000) <= v < F(80000), 15), (lambda v: v >= F(80000), 30)]), 30))
    score = 600 + sum(p for _, p, _ in card)
    short = sorted(((best - p, code) for code, p, best in card if best - p > 0), key=lambda t: (-t[0], t[1]))
    reasons = [code for _, code in short[:4]] + [""] * 4
    reasons = reasons[:4]

    # 6. Grade
    grade = "A" if score >= 700 else "B" if score >= 650 else "C" if score >= 600 else "D" if score >= 550 else "E"

    # 7. Limit
    multiple = {"A": F(35, 100), "B": F(25, 100), "C": F(15, 100), "D": F(10, 100), "E": F(0)}[grade]
    cap = {"A": F(20000), "B": F(12000), "C": F(6000)}.get(grade, F(2000))
    before_caps = income * multiple - F(1, 4) * (existing if existing is not None else F(0))
    assigned = max(F(0), C.floor_to(min(before_caps, cap), F(50)))

    # 8. Decision
    if any(f for _, f in knockouts):
        decision, why = "DECLINE", first_fired(knockouts)
    elif grade == "E":
        decision, why = "DECLINE", "GRADE_E"
    elif assigned < F(500):
        decision, why = "DECLINE", "L01"
    elif any(f for _, f in referrals):
        decision, why = "REFER", first_fired(referrals)
    elif grade == "D":
        decision, why = "REFER", "GRADE_D"
    else:
        decision, why = "APPROVE", ""

    # 9. Offer
    approved = decision == "APPROVE"
    offered = C.floor_to(min(requested if requested is not None else assigned, assigned), F(50)) if approved else F(0)
    payment = max(F(25), C.round_half_away_to(offered * F(25, 1000), F(1))) if offered > 0 else F(0)
    review = C.date_text(app + 180) if approved else ""

    # 10. Warnings
    warnings = [
        ("W01", approved and requested is not None and requested > offered),
        ("W02", existing is not None and existing > income * F(1, 2)),
        ("W03", 63 <= age < 67 and employed),
    ]

    # 11. Output
    return [
        r["application_id"], str(age), str(score), grade, decision, why, *reasons,
        C.amount(assigned), C.amount(offered), C.amount(payment), review,
        ";".join(c for c, f in flags if f), ";".join(c for c, f in warnings if f),
    ]


# ---- 2.3 Rejection, then assessment --------------------------------------------------------------------

CHECKS = [
    (lambda r: r["date_of_birth"] < r["application_date"], "date_of_birth_not_before_application",
     "date_of_birth < application_date"),
    (lambda r: r["has_mortgage"] is not True or r["residential_status"] == "homeowner", "mortgage_requires_homeowner",
     "has_mortgage is missing or not has_mortgage or residential_status == homeowner"),
    (lambda r: r["monthly_housing_cost"] is None or 12 * r["monthly_housing_cost"] <= r["annual_income"],
     "housing_cost_exceeds_income", "monthly_housing_cost is missing or 12 * monthly_housing_cost <= annual_income"),
    (lambda r: r["months_in_employment"] is None or r["employment_type"] in ("employed", "self_employed"),
     "employment_months_without_employment",
     'months_in_employment is missing or employment_type in ["employed", "self_employed"]'),
]


def rejection(fields, bad):
    """(reason, detail, record): why the record is rejected (None if not) and its values."""
    reason, detail, record = C.read_record(COLUMNS, VALID, fields, bad)
    if reason is not None:
        return reason, detail, None
    for test, reason, rule in CHECKS:
        if not test(record):
            return reason, C.check_detail(rule), None
    return None, None, record


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    C.check_calendar()
    out, rejects = [], []
    seen = {}  # application_id -> the line of its accepted record
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, record = rejection(fields, bad)
        if reason is None:
            first = seen.get(record["application_id"])
            if first is not None:
                reason = "duplicate:application_id"
                detail = C.duplicate_detail("application_id", record["application_id"], first)
            else:
                seen[record["application_id"]] = line
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        out.append(assess(record))
    C.write_csv(argv[2], ",".join(["application_id", "age", "score", "grade", "decision", "decision_reason",
                              "reason_1", "reason_2", "reason_3", "reason_4", "assigned_limit", "offered_limit",
                              "minimum_payment", "review_date", "flags", "warnings"]), out)
    C.write_csv(argv[3], "line,application_id,reason,detail", rejects)


if __name__ == "__main__":
    main(sys.argv)
