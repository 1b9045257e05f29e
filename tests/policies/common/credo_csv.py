"""Shared helpers of the policy oracles (tests/policies/*/oracle.py): the file format every
policy document's section 2.1 describes (RFC 4180 CSV, line numbers), the cell formats of its
column tables, the calendar, and the output formats. Standard library only. Written from the
policy documents (their common "File format", "Cells" and "Output" sections), not from credo's
sources.
"""

import math
import re
from decimal import Decimal
from fractions import Fraction

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
    n = day_number(1899, 12, 31)
    for y in range(1900, 2101):
        for m in range(1, 13):
            for d in range(1, month_days(y, m) + 1):
                n += 1
                assert day_number(y, m, d) == n and from_day_number(n) == (y, m, d), (y, m, d)


def date_text(n):
    return "%04d-%02d-%02d" % from_day_number(n)


def completed_years(a, b):
    """Completed years from date a to date b (an age): a 29 February completes on 1 March."""
    ay, am, ad = from_day_number(a)
    by, bm, bd = from_day_number(b)
    years = by - ay
    if (bm, bd) < (am, ad):
        years -= 1
    return years


def completed_months(a, b):
    ay, am, ad = from_day_number(a)
    by, bm, bd = from_day_number(b)
    return (by - ay) * 12 + (bm - am) - (1 if bd < ad else 0)


def add_months(n, k):
    y, m, d = from_day_number(n)
    t = y * 12 + (m - 1) + k
    y, m = t // 12, t % 12 + 1
    return day_number(y, m, min(d, month_days(y, m)))


def end_of_month(n):
    y, m, _ = from_day_number(n)
    return day_number(y, m, month_days(y, m))


# ---- cells ---------------------------------------------------------------------------------------

WHOLE_RE = re.compile(r"-?[0-9]+")
AMOUNT_RE = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")
RATIO_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YES = {"true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"}
NO = {"false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"}


class Unreadable(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# ---- the rejects' detail (every document's "Rejected records": what the bad text was and what
# was expected, or which rule the record failed) ---------------------------------------------------

def expected(kind):
    """What a cell of `kind` must look like."""
    if isinstance(kind, list):
        return "one of: " + ", ".join(kind)
    if isinstance(kind, tuple):
        return "a number with at most %d decimals, of magnitude below 10^%d" % (kind[1], 15 - kind[1])
    return {
        "text": "text",
        "whole": "a whole number, e.g. 42, of magnitude below 1000000000",
        "amount": "a number with at most 2 decimals, of magnitude below 10^13",
        "ratio": "a number, e.g. 0.25",
        "yesno": "a truth value: true/false, yes/no, Y/N or 1/0",
        "date": "a date as YYYY-MM-DD",
    }[kind]


def shown(text):
    """A cell as a detail shows it: printable ASCII as is, other bytes as \\xNN, cut past 64 bytes."""
    raw = text.encode("utf-8")
    out = "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else ("\\\\" if b == 0x5C else "\\x%02x" % b)
                  for b in raw[:64])
    if len(raw) > 64:
        out += "... (%d bytes)" % len(raw)
    return '"' + out.replace('"', '\\"') + '"'


def value_text(kind, v):
    """A value read from a cell of `kind`, as the detail writes it."""
    if kind == "date":
        return date_text(v)
    if kind == "amount":
        return fixed(v, 2)
    if isinstance(kind, tuple):
        return fixed(v, kind[1])
    if kind == "ratio":  # the shortest digits that read back; plain unless tiny or huge
        if v != 0 and not 1e-6 <= abs(v) < 1e15:
            return repr(v)
        return format(Decimal(repr(v + 0.0)).normalize(), "f")
    if kind == "yesno":
        return "true" if v else "false"
    if kind == "text" or isinstance(kind, list):
        return shown(v)
    return str(v)


def cell_detail(name, kind, text):
    if text == "":
        return "%s: empty, but it is not optional (its type has no `?`)" % name
    return "%s: %s is not %s" % (name, shown(text), expected(kind))


def check_detail(rule):
    return "fails check " + rule


def duplicate_detail(name, value, first_line):
    return "%s: %s was already accepted on line %d" % (name, shown(value), first_line)


def read_value(name, kind, optional, text):
    """kind: "text", "date", "whole", "amount", "ratio", "yesno", ("decimal", k) or a list of
    the allowed words (a closed list, exact case)."""
    if text == "":
        if optional:
            return None
        raise Unreadable("missing:" + name)
    if kind == "text":
        return text
    if isinstance(kind, list):
        if text not in kind:
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
    if isinstance(kind, tuple) and kind[0] == "decimal":
        k = kind[1]
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]{1,%d})?" % k, text):
            raise Unreadable("unparsable:" + name)
        v = Fraction(text)
        if abs(v) * 10 ** k >= 10 ** 15:
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


def read_record(columns, valid, fields, bad):
    """The first problem of a record (the documents' "Rejected records", items 1-3) as (reason,
    detail, None), or (None, None, record). columns: (name, kind, optional); valid: name ->
    (test, reason or None, the rule as the document writes it)."""
    if bad:
        return "bad_quote", "a quoted cell must end with a quote right before the next comma or the line end", None
    if len(fields) != len(columns):
        return ("column_count:%d" % len(fields),
                "the row has %d cell%s; the header has %d" % (len(fields), "" if len(fields) == 1 else "s", len(columns)),
                None)
    record = {}
    for (name, kind, optional), text in zip(columns, fields):
        try:
            value = read_value(name, kind, optional, text)
        except Unreadable as e:
            return e.reason, cell_detail(name, kind, text), None
        record[name] = value
        if value is not None and name in valid:
            test, reason, rule = valid[name]
            if not test(value):
                return (reason or "out_of_range:" + name,
                        "%s: %s fails where %s" % (name, value_text(kind, value), rule), None)
    return None, None, record


# ---- file format ---------------------------------------------------------------------------------


def next_delim(data, i):
    a = data.find(",", i)
    b = data.find("\n", i)
    cands = [x for x in (a, b) if x >= 0]
    return min(cands) if cands else len(data)


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


def read_file(path, names):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    if data.startswith("\ufeff"):
        data = data[1:]
    records = read_records(data)
    _, header, _ = next(records)
    if header != names:
        raise SystemExit("the header does not match the policy's columns")
    return records


def write_csv(path, header, rows):
    with open(path, "w", newline="\n", encoding="utf-8") as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(csv_field(v) for v in row) + "\n")


# ---- output formats ------------------------------------------------------------------------------


def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def fixed(v, k):
    """An exact value (int, Fraction or Decimal) with exactly k fraction digits; it must be a
    multiple of 10^-k."""
    scaled = Fraction(v) * 10 ** k
    assert scaled.denominator == 1, (v, k)
    c = scaled.numerator
    sign = "-" if c < 0 else ""
    c = abs(c)
    if k == 0:
        return "%s%d" % (sign, c)
    return "%s%d.%0*d" % (sign, c // 10 ** k, k, c % 10 ** k)


def amount(v):
    return fixed(v, 2)


def opt(v, fmt):
    return "" if v is None else fmt(v)


def yesno(b):
    return "true" if b else "false"


# ---- rounding of exact values --------------------------------------------------------------------


def floor_to(x, unit):
    return math.floor(Fraction(x) / unit) * unit


def ceil_to(x, unit):
    return math.ceil(Fraction(x) / unit) * unit


def round_half_away_to(x, unit):
    q = Fraction(x) / unit
    k = math.floor(abs(q) + Fraction(1, 2))
    return (k if q >= 0 else -k) * unit


def round_half_even_int(q):
    """q (a Fraction) to the nearest integer, ties to even."""
    f = math.floor(q)
    d = q - f
    if d > Fraction(1, 2) or (d == Fraction(1, 2) and f % 2 == 1):
        return f + 1
    return f


def round_half_away_int(q):
    k = math.floor(abs(q) + Fraction(1, 2))
    return k if q >= 0 else -k
