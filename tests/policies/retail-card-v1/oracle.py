#!/usr/bin/env python3
"""Reference implementation of the Retail Card v1 policy (docs/policies/retail-card-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv
"""

import math
import re
import sys
from decimal import Decimal
from fractions import Fraction

# ---- 2.2 Columns -------------------------------------------------------------------------------

RESIDENCE = ["homeowner", "renter", "with_parents", "council_tenant", "other"]

# (name, type, may be empty)
COLUMNS = [
    ("application_id", "text", False),
    ("application_date", "date", False),
    ("date_of_birth", "date", False),
    ("residential_status", "residence", False),
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
    "residence": "one of: " + ", ".join(RESIDENCE),
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
    if kind == "residence":
        if text not in RESIDENCE:
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


# ---- 2.2 valid values: column -> test on a present value (and its reason) -------------------------

D = lambda y, m, d: day_number(y, m, d)

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

KIND = {name: kind for name, kind, _ in COLUMNS}


def value_text(name, v):
    """A read value as the detail writes it."""
    kind = KIND[name]
    if kind == "date":
        return date_text(v)
    if kind == "amount":
        return amount_text(v)
    if kind == "ratio":  # the shortest digits that read back; plain unless tiny or huge
        if v != 0 and not 1e-6 <= abs(v) < 1e15:
            return repr(v)
        return format(Decimal(repr(v + 0.0)).normalize(), "f")
    return str(v)


def out_of_range(name, value):
    """(reason, detail) if a present value is outside its valid range, else None."""
    if name not in VALID or value is None:
        return None
    test, reason, rule = VALID[name]
    if test(value):
        return None
    return reason or "out_of_range:" + name, "%s: %s fails where %s" % (name, value_text(name, value), rule)


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


# ---- 11. Output formatting --------------------------------------------------------------------------

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


def date_text(n):
    y, m, d = from_day_number(n)
    return "%04d-%02d-%02d" % (y, m, d)


def floor_to(x, unit):
    return math.floor(x / unit) * unit


def round_half_up_to(x, unit):
    q = x / unit
    k = math.floor(abs(q) + Fraction(1, 2))
    return (k if q >= 0 else -k) * unit


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
    assigned = max(F(0), floor_to(min(before_caps, cap), F(50)))

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
    offered = floor_to(min(requested if requested is not None else assigned, assigned), F(50)) if approved else F(0)
    payment = max(F(25), round_half_up_to(offered * F(25, 1000), F(1))) if offered > 0 else F(0)
    review = date_text(app + 180) if approved else ""

    # 10. Warnings
    warnings = [
        ("W01", approved and requested is not None and requested > offered),
        ("W02", existing is not None and existing > income * F(1, 2)),
        ("W03", 63 <= age < 67 and employed),
    ]

    # 11. Output
    return [
        r["application_id"], str(age), str(score), grade, decision, why, *reasons,
        amount_text(assigned), amount_text(offered), amount_text(payment), review,
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
    # Valid ranges, left to right, over the columns read before any unreadable one.
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
    out = [",".join(["application_id", "age", "score", "grade", "decision", "decision_reason",
                     "reason_1", "reason_2", "reason_3", "reason_4", "assigned_limit", "offered_limit",
                     "minimum_payment", "review_date", "flags", "warnings"])]
    rejects = ["line,application_id,reason,detail"]
    seen = {}  # application_id -> the line of its accepted record
    for line, fields, bad in records:
        reason, detail, record = rejection(fields, bad)
        if reason is None:
            first = seen.get(record["application_id"])
            if first is not None:
                reason = "duplicate:application_id"
                detail = "application_id: %s was already accepted on line %d" % (shown(record["application_id"]), first)
            else:
                seen[record["application_id"]] = line
        if reason is not None:
            rejects.append("%d,%s,%s,%s" % (line, csv_field(fields[0]), csv_field(reason), csv_field(detail)))
            continue
        out.append(",".join(csv_field(v) for v in assess(record)))
    with open(argv[2], "w", newline="\n", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    with open(argv[3], "w", newline="\n", encoding="utf-8") as f:
        f.write("\n".join(rejects) + "\n")


if __name__ == "__main__":
    main(sys.argv)
