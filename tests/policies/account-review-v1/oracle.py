#!/usr/bin/env python3
"""Reference implementation of the Account Review v1 policy (docs/policies/account-review-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv
"""

import math
import re
import sys
from fractions import Fraction

F = Fraction

# ---- 2.2 Columns -------------------------------------------------------------------------------

SEGMENTS = ["consumer", "small_business", "premium"]

# (name, type, may be empty)
COLUMNS = [
    ("account_id", "text", False),
    ("customer_id", "text", False),
    ("review_date", "date", False),
    ("opened_date", "date", False),
    ("segment", "segment", False),
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


# ---- calendar (proleptic Gregorian) --------------------------------------------------------------

def is_leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def month_days(y, m):
    return [31, 29 if is_leap(y) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]


def day_number(y, m, d):
    """Days since 0000-03-01, counting every calendar day in between."""
    if m <= 2:
        y -= 1
        m += 12
    # months March..February (m = 3..14), years starting on March 1
    return 365 * y + y // 4 - y // 100 + y // 400 + (153 * (m - 3) + 2) // 5 + d - 1


def from_day_number(n):
    y = n * 400 // 146097
    while day_number(y + 1, 1, 1) <= n:
        y += 1
    while day_number(y, 1, 1) > n:
        y -= 1
    m = 1
    while m < 12 and day_number(y, m + 1, 1) <= n:
        m += 1
    return y, m, n - day_number(y, m, 1) + 1


def check_calendar():
    # A self-test of the two conversions over the years the data can hold.
    n = day_number(1899, 12, 31)
    for y in range(1900, 2101):
        for m in range(1, 13):
            for d in range(1, month_days(y, m) + 1):
                n += 1
                assert day_number(y, m, d) == n and from_day_number(n) == (y, m, d), (y, m, d)


# ---- 2.2 reading values ---------------------------------------------------------------------------

WHOLE_RE = re.compile(r"-?[0-9]+")
AMOUNT_RE = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")
RATIO_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
YES = {"true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"}
NO = {"false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"}
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# ---- the rejects' detail: what the bad text was and what each cell type expects --------------------

EXPECTED = {
    "text": "text",
    "whole": "a whole number, e.g. 42, of magnitude below 1000000000",
    "amount": "a number with at most 2 decimals, of magnitude below 10^13",
    "ratio": "a number, e.g. 0.25",
    "yesno": "a truth value: true/false, yes/no, Y/N or 1/0",
    "date": "a date as YYYY-MM-DD",
    "segment": "one of: " + ", ".join(SEGMENTS),
}


def shown(text):
    """A cell as a detail shows it: printable ASCII as is, other bytes as \\xNN, cut past 64 bytes."""
    raw = text.encode("utf-8")
    out = "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else ("\\\\" if b == 0x5C else "\\x%02x" % b)
                  for b in raw[:64])
    if len(raw) > 64:
        out += "... (%d bytes)" % len(raw)
    return '"' + out.replace('"', '\\"') + '"'


class Unreadable(Exception):
    def __init__(self, reason, name=None, kind=None, text=""):
        super().__init__(reason)
        self.reason = reason
        if text == "":
            self.detail = "%s: empty, but it is not optional (its type has no `?`)" % name
        else:
            self.detail = "%s: %s is not %s" % (name, shown(text), EXPECTED[kind])


def read_value(name, kind, optional, text):
    try:
        return read_cell(name, kind, optional, text)
    except Unreadable as e:
        raise Unreadable(e.reason, name, kind, text)


def read_cell(name, kind, optional, text):
    if text == "":
        if optional:
            return None
        raise Unreadable("missing:" + name)
    if kind == "text":
        return text
    if kind == "segment":
        if text not in SEGMENTS:
            raise Unreadable("unknown:" + name)
        return text
    if kind == "yesno":
        if text in YES:
            return True
        if text in NO:
            return False
        raise Unreadable("unparsable:" + name)
    if kind == "date":
        if not DATE_RE.fullmatch(text):
            raise Unreadable("unparsable:" + name)
        y, m, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
        if not (1 <= m <= 12 and 1 <= d <= month_days(y, m)):
            raise Unreadable("unparsable:" + name)
        return day_number(y, m, d)
    if kind == "whole":
        if not WHOLE_RE.fullmatch(text):
            raise Unreadable("unparsable:" + name)
        v = int(text)
        if abs(v) >= 1_000_000_000:
            raise Unreadable("out_of_range:" + name)
        return v
    if kind == "amount":
        if not AMOUNT_RE.fullmatch(text):
            raise Unreadable("unparsable:" + name)
        v = Fraction(text)
        if abs(v) >= 10_000_000_000_000:
            raise Unreadable("out_of_range:" + name)
        return v
    if kind == "ratio":
        if not RATIO_RE.fullmatch(text):
            raise Unreadable("unparsable:" + name)
        v = float(text)
        if math.isinf(v):
            raise Unreadable("unparsable:" + name)
        return v
    raise AssertionError(kind)


# ---- 2.1 CSV reading --------------------------------------------------------------------------------

def read_records(data):
    """Yields (line, fields, broken_quoting) for each record of the file's text."""
    i, n, line = 0, len(data), 1
    while i < n:
        fields, newlines, bad = [], 0, False
        while True:
            if i < n and data[i] == '"':
                j = i + 1
                value = []
                closed = False
                while j < n:
                    if data[j] == '"':
                        if j + 1 < n and data[j + 1] == '"':
                            value.append('"')
                            j += 2
                            continue
                        closed = True
                        j += 1
                        break
                    value.append(data[j])
                    j += 1
                after = j
                if closed and after < n and data[after] == "\r" and (after + 1 == n or data[after + 1] == "\n"):
                    after += 1
                if closed and (after == n or data[after] in ",\n"):
                    text = "".join(value)
                    fields.append(text)
                    newlines += text.count("\n")
                    delim = after
                else:
                    # broken quoting: the raw text up to the first ',' or line end; reading
                    # resumes at the first ',' or LF after the closing quote (or at the end)
                    bad = True
                    resume = j if closed else n
                    delim = next_delim(data, resume)
                    end = next_delim(data, i)
                    raw = data[i:end]
                    if raw.endswith("\r") and (end == n or data[end] == "\n"):
                        raw = raw[:-1]
                    fields.append(raw)
                    newlines += data.count("\n", i, delim)
            else:
                delim = next_delim(data, i)
                raw = data[i:delim]
                if (delim == n or data[delim] == "\n") and raw.endswith("\r"):
                    raw = raw[:-1]
                fields.append(raw)
            if delim < n and data[delim] == ",":
                i = delim + 1
                continue
            i = delim + 1
            break
        yield line, fields, bad
        line += 1 + newlines


def next_delim(data, i):
    a = data.find(",", i)
    b = data.find("\n", i)
    cands = [x for x in (a, b) if x >= 0]
    return min(cands) if cands else len(data)


# ---- 2.2 valid values ----------------------------------------------------------------------------

D = lambda y, m, d: day_number(y, m, d)

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

KIND = {name: kind for name, kind, _ in COLUMNS}


def value_text(name, v):
    """A read value as the detail writes it."""
    kind = KIND[name]
    if kind == "date":
        return "%04d-%02d-%02d" % from_day_number(v)
    if kind == "amount":
        return amount_text(v)
    return str(v)


def out_of_range(name, value):
    """(reason, detail) if a present value is outside its valid range, else None."""
    if name not in VALID or value is None:
        return None
    test, reason, rule = VALID[name]
    if test(value):
        return None
    return reason or "out_of_range:" + name, "%s: %s fails where %s" % (name, value_text(name, value), rule)


# ---- 11. Output formatting ------------------------------------------------------------------------

def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def amount_text(v):
    cents = v * 100
    assert cents.denominator == 1, v
    c = cents.numerator
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%02d" % (sign, c // 100, c % 100)


def tenths_text(v):
    t = v * 10
    assert t.denominator == 1, v
    c = t.numerator
    sign = "-" if c < 0 else ""
    c = abs(c)
    return "%s%d.%d" % (sign, c // 10, c % 10)


def floor_to(x, unit):
    return math.floor(x / unit) * unit


def ceil_to(x, unit):
    return math.ceil(x / unit) * unit


def round_half_up_to(x, unit):
    q = x / unit
    k = math.floor(abs(q) + Fraction(1, 2))
    return (k if q >= 0 else -k) * unit


# ---- 3-9. Review of one account -------------------------------------------------------------------

def months_on_book(opened, review):
    oy, om, od = from_day_number(opened)
    ry, rm, rd = from_day_number(review)
    return (ry - oy) * 12 + (rm - om) - (1 if rd < od else 0)


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
    util_pct = round_half_up_to(100 * balance / limit, F(1, 10)) if limit != 0 else None
    mob = months_on_book(r["opened_date"], r["review_date"])
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
    proposed = floor_to(min(limit * factor, limit * F(3, 2), CAP[r["segment"]]), F(100))
    reduced = min(limit, max(ceil_to(balance, F(100)), floor_to(limit / 2, F(1, 100))))

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
        "" if m["util_pct"] is None else tenths_text(m["util_pct"]),
        str(m["score"]), m["grade"], m["action"], m["reason"], *m["reasons"],
        amount_text(m["new_limit"]), amount_text(m["new_limit"] - m["limit"]),
        ";".join(m["rule_codes"]), ";".join(m["warnings"]),
    ]


# ---- 2.3 Rejection, then review ------------------------------------------------------------------

CHECKS = [
    (lambda r: r["opened_date"] <= r["review_date"], "opened_after_review", "opened_date <= review_date"),
    (lambda r: r["current_limit"] > 0 or r["balance"] == 0, "balance_without_limit", "current_limit > 0 or balance == 0"),
]


def rejection(fields, bad):
    """(reason, detail, record): why the record is rejected (None if not) and its values."""
    if bad:
        return "bad_quote", "a quoted cell must end with a quote right before the next comma or the line end", None
    if len(fields) != len(COLUMNS):
        return ("column_count:%d" % len(fields),
                "the row has %d cell%s; the header has %d" % (len(fields), "" if len(fields) == 1 else "s", len(COLUMNS)),
                None)
    record = {}
    unreadable = None
    for (name, kind, optional), text in zip(COLUMNS, fields):
        try:
            record[name] = read_value(name, kind, optional, text)
        except Unreadable as e:
            unreadable = e
            break
    for name, value in record.items():
        failed = out_of_range(name, value)
        if failed:
            return failed[0], failed[1], None
    if unreadable:
        return unreadable.reason, unreadable.detail, None
    for test, reason, rule in CHECKS:
        if not test(record):
            return reason, "fails check " + rule, None
    return None, None, record


HEADER = ("account_id,customer_id,months_on_book,utilisation_pct,score,grade,action,reason,"
          "reason_1,reason_2,reason_3,new_limit,change,rule_codes,warnings")


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    check_calendar()
    with open(argv[1], "rb") as f:
        data = f.read().decode("utf-8")
    records = read_records(data)
    _, header, _ = next(records)
    if header != NAMES:
        sys.exit("the header does not match the policy's columns")
    results = []
    rejects = ["line,account_id,reason,detail"]
    seen = {}  # account_id -> the line of its accepted record
    for line, fields, bad in records:
        reason, detail, record = rejection(fields, bad)
        if reason is None:
            first = seen.get(record["account_id"])
            if first is not None:
                reason = "duplicate:account_id"
                detail = "account_id: %s was already accepted on line %d" % (shown(record["account_id"]), first)
            else:
                seen[record["account_id"]] = line
        if reason is not None:
            rejects.append("%d,%s,%s,%s" % (line, csv_field(fields[0]), csv_field(reason), csv_field(detail)))
            continue
        results.append(review(record))
    customer_pass(results)
    out = [HEADER] + [",".join(csv_field(v) for v in row_text(m)) for m in results]
    with open(argv[2], "w", newline="\n", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    with open(argv[3], "w", newline="\n", encoding="utf-8") as f:
        f.write("\n".join(rejects) + "\n")


if __name__ == "__main__":
    main(sys.argv)
