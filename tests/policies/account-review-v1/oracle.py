#!/usr/bin/env python3
"""Reference implementation of the Account Review v1 policy (docs/policies/account-review-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv
"""

import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

F = Fraction

# ---- 2.2 Columns -------------------------------------------------------------------------------

SEGMENTS = ["consumer", "small_business", "premium"]

# (name, type, may be empty)
COLUMNS = [
    ("account_id", "text", False),
    ("customer_id", "text", False),
    ("review_date", "date", False),
    ("opened_date", "date", False),
    ("segment", SEGMENTS, False),
    ("current_limit", "amount", False),
    ("balance", "amount", False),
    ("balance_3m_ago", "amount", True),
    ("payments_3m", "amount", False),
    ("days_past_due", "whole", False),
    ("max_dpd_12m", "whole", False),
    ("missed_payments_12m", "whole", False),
    ("bureau_score", "whole", True),
    ("bureau_score_prev", "whole", True),
    ("income", "amount", True),
    ("watch_list", "yesno", False),
]
NAMES = [c[0] for c in COLUMNS]


# ---- 2.2 valid values ----------------------------------------------------------------------------

D = C.day_number

# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "review_date": (lambda v: D(2024, 1, 1) <= v <= D(2026, 12, 31), "outside_review_window:review_date",
                    'review_date >= date("2024-01-01") and review_date <= date("2026-12-31")'),
    "opened_date": (lambda v: v >= D(1990, 1, 1), None, 'opened_date >= date("1990-01-01")'),
    "current_limit": (lambda v: 0 <= v <= F(1_000_000), None, "current_limit >= 0 and current_limit <= 1_000_000.00"),
    "balance": (lambda v: v >= 0, None, "balance >= 0"),
    "balance_3m_ago": (lambda v: v >= 0, None, "balance_3m_ago >= 0"),
    "payments_3m": (lambda v: v >= 0, None, "payments_3m >= 0"),
    "days_past_due": (lambda v: 0 <= v <= 999, None, "days_past_due >= 0 and days_past_due <= 999"),
    "max_dpd_12m": (lambda v: 0 <= v <= 999, None, "max_dpd_12m >= 0 and max_dpd_12m <= 999"),
    "missed_payments_12m": (lambda v: 0 <= v <= 12, None, "missed_payments_12m >= 0 and missed_payments_12m <= 12"),
    "bureau_score": (lambda v: 300 <= v <= 900, None, "bureau_score >= 300 and bureau_score <= 900"),
    "bureau_score_prev": (lambda v: 300 <= v <= 900, None, "bureau_score_prev >= 300 and bureau_score_prev <= 900"),
    "income": (lambda v: v >= 0, None, "income >= 0"),
}


# ---- 3-9. Review of one account -------------------------------------------------------------------

def first_fired(rules):
    for code, fired in rules:
        if fired:
            return code
    return ""


def points(value, bins):
    for test, pts in bins:
        if test(value):
            return pts
    raise AssertionError("no bin for %r" % (value,))


FACTOR = {
    "A": {"consumer": F(130, 100), "small_business": F(125, 100), "premium": F(160, 100)},
    "B": {"consumer": F(120, 100), "small_business": F(120, 100), "premium": F(130, 100)},
    "C": {"consumer": F(110, 100), "small_business": F(110, 100), "premium": F(110, 100)},
}
CAP = {"consumer": F(15_000), "small_business": F(50_000), "premium": F(100_000)}


def review(r):
    limit, balance, prior = r["current_limit"], r["balance"], r["balance_3m_ago"]
    dpd, worst, missed = r["days_past_due"], r["max_dpd_12m"], r["missed_payments_12m"]
    score_now, score_prev = r["bureau_score"], r["bureau_score_prev"]

    # 3. Derived values
    util = float(balance / limit) if limit != 0 else None
    util_pct = C.round_half_away_to(100 * balance / limit, F(1, 10)) if limit != 0 else None
    mob = C.completed_months(r["opened_date"], r["review_date"])
    change = score_now - score_prev if score_now is not None and score_prev is not None else None
    surge = prior is not None and balance > F(3, 2) * prior

    # 4. Rules
    stops = [
        ("H01", dpd >= 60),
        ("H02", balance > limit),
        ("H03", missed >= 3),
        ("H04", score_now is not None and score_now < 500),
    ]
    referrals = [
        ("R01", r["watch_list"]),
        ("R02", dpd > 0),
        ("R03", change is not None and change <= -40),
        ("R04", score_now is None),
        ("R05", r["payments_3m"] == 0 and balance > 0),
        ("R06", mob < 6),
    ]
    flags = [
        ("F01", r["income"] is None),
        ("F02", prior is None),
    ]
    rules = stops + referrals + flags

    # 5. Scorecard
    card = []
    card.append(("B01", -10 if util is None else points(util, [
        (lambda v: v < 0.3, 40), (lambda v: 0.3 <= v < 0.5, 25), (lambda v: 0.5 <= v < 0.75, 10),
        (lambda v: 0.75 <= v < 0.9, -5), (lambda v: v >= 0.9, -25)]), 40))
    card.append(("B02", points(worst, [
        (lambda v: v == 0, 35), (lambda v: 1 <= v <= 29, 5), (lambda v: 30 <= v <= 59, -20),
        (lambda v: v >= 60, -45)]), 35))
    card.append(("B03", points(missed, [
        (lambda v: v == 0, 20), (lambda v: v == 1, 0), (lambda v: 2 <= v <= 3, -15),
        (lambda v: v >= 4, -35)]), 20))
    card.append(("B04", points(mob, [
        (lambda v: v < 12, -10), (lambda v: 12 <= v < 36, 5), (lambda v: 36 <= v < 84, 15),
        (lambda v: v >= 84, 25)]), 25))
    card.append(("B05", -5 if change is None else points(change, [
        (lambda v: v <= -40, -30), (lambda v: -40 < v < 0, -10), (lambda v: 0 <= v < 20, 5),
        (lambda v: v >= 20, 15)]), 15))
    card.append(("B06", -15 if score_now is None else points(score_now, [
        (lambda v: v < 550, -30), (lambda v: 550 <= v < 650, 0), (lambda v: 650 <= v < 750, 15),
        (lambda v: v >= 750, 30)]), 30))
    score = 500 + sum(p for _, p, _ in card)
    short = sorted(((best - p, code) for code, p, best in card if best - p > 0), key=lambda t: (-t[0], t[1]))
    reasons = ([code for _, code in short[:3]] + [""] * 3)[:3]

    # 6. Grade
    grade = "A" if score >= 620 else "B" if score >= 580 else "C" if score >= 540 else "D" if score >= 500 else "E"

    # 7. Limits
    factor = FACTOR.get(grade, {}).get(r["segment"], F(1))
    proposed = C.floor_to(min(limit * factor, limit * F(3, 2), CAP[r["segment"]]), F(100))
    reduced = min(limit, max(C.ceil_to(balance, F(100)), C.floor_to(limit / 2, F(1, 100))))

    # 8. Action
    if any(f for _, f in stops):
        action, why = "FREEZE", first_fired(rules)
    elif grade == "E":
        action, why = "DECREASE", "GRADE_E"
    elif any(f for _, f in referrals):
        action, why = "REFER", first_fired(rules)
    elif grade == "D":
        action, why = "KEEP", "GRADE_D"
    elif any(f for _, f in flags):
        action, why = "KEEP", first_fired(rules)
    elif mob < 12:
        action, why = "KEEP", "MOB_UNDER_12"
    elif util is None or util < 0.3:
        action, why = "KEEP", "LOW_UTILISATION"
    elif proposed <= limit:
        action, why = "KEEP", "AT_CAP"
    else:
        action, why = "INCREASE", ""
    new_limit = proposed if action == "INCREASE" else reduced if action == "DECREASE" else limit

    # 9. Early warnings
    warnings = [
        ("EW1", util is not None and util >= 0.9),
        ("EW2", dpd > 0 and worst == 0),
        ("EW3", change is not None and change <= -40),
        ("EW4", surge),
        ("EW5", r["watch_list"]),
    ]
    return {
        "account_id": r["account_id"], "customer_id": r["customer_id"], "mob": mob,
        "util_pct": util_pct, "score": score, "grade": grade, "action": action, "reason": why,
        "reasons": reasons, "limit": limit, "new_limit": new_limit,
        "rule_codes": [c for c, f in rules if f], "warnings": [c for c, f in warnings if f],
    }


# ---- 10. Customer pass ----------------------------------------------------------------------------

def customer_pass(results):
    by_customer = {}
    for res in results:
        by_customer.setdefault(res["customer_id"], []).append(res)
    for members in by_customer.values():
        frozen = [m["action"] == "FREEZE" for m in members]
        n_frozen = sum(frozen)
        other_frozen = [n_frozen - (1 if f else 0) > 0 for f in frozen]
        for m, other in zip(members, other_frozen):
            if other and m["action"] == "INCREASE":
                m["action"], m["reason"], m["new_limit"] = "KEEP", "CUSTOMER_FROZEN", m["limit"]
        for m, other in zip(members, other_frozen):
            if other:
                m["warnings"].append("EW6")


def row_text(m):
    return [
        m["account_id"], m["customer_id"], str(m["mob"]),
        "" if m["util_pct"] is None else C.fixed(m["util_pct"], 1),
        str(m["score"]), m["grade"], m["action"], m["reason"], *m["reasons"],
        C.amount(m["new_limit"]), C.amount(m["new_limit"] - m["limit"]),
        ";".join(m["rule_codes"]), ";".join(m["warnings"]),
    ]


# ---- 2.3 Rejection, then review ------------------------------------------------------------------

CHECKS = [
    (lambda r: r["opened_date"] <= r["review_date"], "opened_after_review", "opened_date <= review_date"),
    (lambda r: r["current_limit"] > 0 or r["balance"] == 0, "balance_without_limit", "current_limit > 0 or balance == 0"),
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


HEADER = ("account_id,customer_id,months_on_book,utilisation_pct,score,grade,action,reason,"
          "reason_1,reason_2,reason_3,new_limit,change,rule_codes,warnings")


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    C.check_calendar()
    results, rejects = [], []
    seen = {}  # account_id -> the line of its accepted record
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, record = rejection(fields, bad)
        if reason is None:
            first = seen.get(record["account_id"])
            if first is not None:
                reason = "duplicate:account_id"
                detail = C.duplicate_detail("account_id", record["account_id"], first)
            else:
                seen[record["account_id"]] = line
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        results.append(review(record))
    customer_pass(results)
    C.write_csv(argv[2], HEADER, [row_text(m) for m in results])
    C.write_csv(argv[3], "line,account_id,reason,detail", rejects)


if __name__ == "__main__":
    main(sys.argv)
