#!/usr/bin/env python3
"""Reference implementation of the Retail WOE v1 policy (docs/policies/retail-woe-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction, the scorecard's doubles with the operations of section 5 in the
order the document states them (math.log and math.exp are the C library's log and exp).

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv [--coverage]
"""

import math
import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

EMPLOYMENT = ["employed", "self_employed", "retired", "student", "unemployed"]
RESIDENCE = ["owner", "renter", "with_parents", "other"]
COLUMNS = [
    ("application_id", "text", False),
    ("application_date", "date", False),
    ("date_of_birth", "date", False),
    ("employment_status", EMPLOYMENT, False),
    ("months_employed", "whole", True),
    ("residential_status", RESIDENCE, False),
    ("annual_income", "amount", False),
    ("existing_debt", "amount", True),
    ("bureau_score", "whole", True),
    ("delinquencies_24m", "whole", False),
    ("credit_utilisation", "ratio", True),
    ("bankrupt", "yesno", False),
    ("fraud_match", "yesno", True),
    ("income_verified", "yesno", True),
    ("requested_amount", "amount", False),
]
NAMES = [c[0] for c in COLUMNS]
D = C.day_number
# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "application_date": (lambda v: D(2025, 1, 1) <= v <= D(2026, 12, 31), "outside_policy_window:application_date",
        'application_date >= date("2025-01-01") and application_date <= date("2026-12-31")'),
    "date_of_birth": (lambda v: v >= D(1900, 1, 1), None,
        'date_of_birth >= date("1900-01-01")'),
    "months_employed": (lambda v: 0 <= v <= 720, None,
        "months_employed >= 0 and months_employed <= 720"),
    "annual_income": (lambda v: 0 <= v <= 10_000_000, None,
        "annual_income >= 0 and annual_income <= 10_000_000.00"),
    "existing_debt": (lambda v: v >= 0, None,
        "existing_debt >= 0"),
    "bureau_score": (lambda v: 300 <= v <= 900, None,
        "bureau_score >= 300 and bureau_score <= 900"),
    "delinquencies_24m": (lambda v: 0 <= v <= 99, None,
        "delinquencies_24m >= 0 and delinquencies_24m <= 99"),
    "credit_utilisation": (lambda v: 0 <= v <= 5, None,
        "credit_utilisation >= 0 and credit_utilisation <= 5"),
    "requested_amount": (lambda v: 500 <= v <= 50_000, None,
        "requested_amount >= 500.00 and requested_amount <= 50_000.00"),
}

# ---- 5.1 Scaling -----------------------------------------------------------------------------------

FACTOR = 20.0 / math.log(2.0)
OFFSET = 600.0 - FACTOR * math.log(50.0)
N = 7
INTERCEPT = 3.10

# 5.2: code, beta, bins [(test, woe, label)]; a test gets None for a missing value.
M = lambda v: v is None
P = lambda f: (lambda v: v is not None and f(v))
CARD = [
    ("C01", 0.80, [(P(lambda v: v < 25), -0.42), (P(lambda v: 25 <= v < 35), -0.12),
                   (P(lambda v: 35 <= v < 50), 0.14), (P(lambda v: v >= 50), 0.37)]),
    ("C02", 0.65, [(M, -0.30), (P(lambda v: v < 12), -0.51), (P(lambda v: 12 <= v < 36), -0.05),
                   (P(lambda v: 36 <= v < 120), 0.22), (P(lambda v: v >= 120), 0.48)]),
    ("C03", 0.55, [(P(lambda v: v == "owner"), 0.41), (P(lambda v: v == "with_parents"), -0.08),
                   (P(lambda v: v == "renter"), -0.19), (P(lambda v: v == "other"), -0.27)]),
    ("C04", 1.05, [(M, -0.62), (P(lambda v: v < 550), -0.95), (P(lambda v: 550 <= v < 620), -0.35),
                   (P(lambda v: 620 <= v < 700), 0.12), (P(lambda v: 700 <= v < 780), 0.58),
                   (P(lambda v: v >= 780), 0.91)]),
    ("C05", 0.90, [(P(lambda v: v == 0), 0.33), (P(lambda v: v == 1), -0.28), (P(lambda v: 2 <= v <= 3), -0.74),
                   (P(lambda v: v >= 4), -1.21)]),
    ("C06", 0.70, [(M, -0.15), (P(lambda v: v < 0.3), 0.44), (P(lambda v: 0.3 <= v < 0.6), 0.10),
                   (P(lambda v: 0.6 <= v < 0.9), -0.26), (P(lambda v: v >= 0.9), -0.63)]),
    ("C07", 0.60, [(M, -0.20), (P(lambda v: v < 0.2), 0.31), (P(lambda v: 0.2 <= v < 0.4), 0.02),
                   (P(lambda v: 0.4 <= v < 0.6), -0.33), (P(lambda v: v >= 0.6), -0.70)]),
]


def bin_points(beta, woe):
    x = (beta * woe + INTERCEPT / N) * FACTOR + OFFSET / N
    assert abs(abs(x - math.trunc(x)) - 0.5) > 1e-6, x       # never near a half (5.1)
    return C.round_half_away_int(F(x))


POINTS = {code: [bin_points(beta, woe) for _, woe in bins] for code, beta, bins in CARD}
BEST = {code: max(p) for code, p in POINTS.items()}
EXPECTED_POINTS = {"C01": [73, 80, 86, 91], "C02": [77, 73, 81, 86, 91], "C03": [89, 81, 79, 78],
                   "C04": [64, 54, 72, 86, 100, 110], "C05": [91, 75, 63, 51], "C06": [79, 91, 84, 77, 70],
                   "C07": [79, 88, 83, 77, 70]}
assert POINTS == EXPECTED_POINTS, POINTS


def pd_of(score):
    odds = math.exp((float(score) - OFFSET) / FACTOR)
    pd = 1.0 / (1.0 + odds)
    q = pd / 0.00001
    assert abs(abs(q - math.trunc(q)) - 0.5) > 1e-6, (score, q)   # never near a tie
    return C.round_half_even_int(F(q)) * F(1, 100000)


def multiple(grade, income):
    high = income >= 50_000
    return {"A": F(60, 100) if high else F(50, 100), "B": F(45, 100) if high else F(40, 100), "C": F(30, 100)}[grade]

coverage = {}


def cover(key):
    coverage[key] = coverage.get(key, 0) + 1


def decide(r):
    age = C.completed_years(r["date_of_birth"], r["application_date"])
    debt, income = r["existing_debt"], r["annual_income"]
    dti = float(debt / income) if debt is not None and income != 0 else None
    in_work = r["employment_status"] in ("employed", "self_employed")
    months, score_b, util = r["months_employed"], r["bureau_score"], r["credit_utilisation"]

    # 4. A rule that needs a missing value does not apply (None tests are false).
    knockouts = [
        ("K01", age < 18),
        ("K02", r["bankrupt"]),
        ("K03", r["fraud_match"] is True),
        ("K04", dti is not None and dti > 0.8),
        ("K05", score_b is not None and score_b < 450),
        ("K06", r["employment_status"] == "unemployed"),
    ]
    referrals = [
        ("R01", score_b is None),
        ("R02", in_work and 18 <= age < 21 and months is not None and months < 12),
        ("R03", r["employment_status"] == "self_employed" and months is not None and months < 24),
        ("R04", r["income_verified"] is False),
        ("R05", r["requested_amount"] > 25_000),
        ("R06", util is not None and util >= 0.9),
    ]
    for code, fired in knockouts + referrals:
        if fired:
            cover(code)

    # 5. Scorecard
    subjects = {"C01": age, "C02": months, "C03": r["residential_status"], "C04": score_b,
                "C05": r["delinquencies_24m"], "C06": util, "C07": dti}
    points = {}
    for code, _, bins in CARD:
        hits = [i for i, (test, _) in enumerate(bins) if test(subjects[code])]
        assert len(hits) == 1, (code, subjects[code])
        points[code] = POINTS[code][hits[0]]
        cover("%s bin %d" % (code, hits[0] + 1))
    score = sum(points.values())
    pd = pd_of(score)
    order = [code for code, _, _ in CARD]
    short = [(BEST[c] - points[c], i, c) for i, c in enumerate(order) if BEST[c] - points[c] > 0]
    short.sort(key=lambda t: (-t[0], t[1]))
    reasons = [c for _, _, c in short][:5]

    # 6. Grade
    grade = "A" if score >= 620 else "B" if score >= 600 else "C" if score >= 580 else "D" if score >= 555 else "E"

    # 7. Decision
    first_k = next((c for c, f in knockouts if f), None)
    first_r = next((c for c, f in referrals if f), None)
    if first_k:
        decision, reason = "DECLINE", first_k
    elif grade == "E":
        decision, reason = "DECLINE", "LOW_SCORE"
    elif first_r:
        decision, reason = "REFER", first_r
    elif grade == "D":
        decision, reason = "REFER", "GRADE_D"
    else:
        decision, reason = "APPROVE", ""
    cover("decision %s %s" % (decision, reason if reason in ("LOW_SCORE", "GRADE_D", "") else reason[0]))
    cover("grade " + grade)
    offered = F(0)
    if decision == "APPROVE":
        offered = min(r["requested_amount"], C.floor_to(income * multiple(grade, income), F(100)))
        cover("offer %s income %s" % (grade, "50000+" if income >= 50_000 else "<50000"))

    return [
        r["application_id"], str(age), str(score), C.fixed(pd, 5), grade, decision, reason,
        "" if decision == "APPROVE" else ";".join(reasons[:4]), str(len(reasons)), str(points["C04"]),
        C.amount(offered), ";".join(c for c, f in knockouts if f), ";".join(c for c, f in referrals if f),
    ]


HEADER = ("application_id,age,score,pd,grade,decision,reason,adverse_reasons,reason_count,bureau_points,"
          "offered_amount,knockout_codes,referral_codes")


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    C.check_calendar()
    for s in range(400, 701):
        pd_of(s)
    out, rejects, seen = [], [], {}
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, r = C.read_record(COLUMNS, VALID, fields, bad)
        if reason is None and not r["date_of_birth"] < r["application_date"]:
            reason, detail = "birth_not_before_application", C.check_detail("date_of_birth < application_date")
        if reason is None and r["months_employed"] is not None and \
                r["employment_status"] not in ("employed", "self_employed"):
            reason, detail = "months_employed_without_work", C.check_detail("months_employed is missing or employment_status in {employed, self_employed}")
        if reason is None:
            if r["application_id"] in seen:
                reason = "duplicate:application_id"
                detail = C.duplicate_detail("application_id", r["application_id"], seen[r["application_id"]])
            else:
                seen[r["application_id"]] = line  # the line of its accepted record
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        out.append(decide(r))
    C.write_csv(argv[2], HEADER, out)
    C.write_csv(argv[3], "line,application_id,reason,detail", rejects)
    if len(argv) == 5:
        for k in sorted(coverage):
            print("%-22s %d" % (k, coverage[k]))
        print("accepted %d, rejected %d" % (len(out), len(rejects)))


if __name__ == "__main__":
    main(sys.argv)
