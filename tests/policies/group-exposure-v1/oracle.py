#!/usr/bin/env python3
"""Reference implementation of the Group Exposure v1 policy (docs/policies/group-exposure-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py DIR
reads DIR/input.csv, DIR/ledger.csv, DIR/group-limits.csv and DIR/watch-list.csv, and writes
DIR/expected.csv, DIR/rejects.csv and DIR/ref-rejects.csv.
"""

import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

# ---- 2.2 The request columns ---------------------------------------------------------------------

GRADES = ["A", "B", "C", "D", "E"]
COLUMNS = [
    ("request_id", "text", False),
    ("customer_id", "text", False),
    ("group_id", "text", False),
    ("grade", GRADES, False),
    ("amount", "amount", False),
]
VALID = {"amount": (lambda v: 0 < v <= 100_000_000, None)}

# ---- 3. The reference files: (reading, file, key, columns, checks) ------------------------------------

LEDGER = [
    ("customer_id", "text", False),
    ("group_id", "text", False),
    ("limit", "amount", False),
    ("utilisation", "amount", False),
    ("days_past_due", "whole", False),
]
LEDGER_VALID = {
    "limit": (lambda v: v >= 0, None),
    "utilisation": (lambda v: v >= 0, None),
    "days_past_due": (lambda v: v >= 0, None),
}
READINGS = [
    ("facilities", "ledger.csv", "customer_id", LEDGER, LEDGER_VALID, False),
    ("group_facilities", "ledger.csv", "group_id", LEDGER, LEDGER_VALID, False),
    ("group_limits", "group-limits.csv", "group_id", [("group_id", "text", False), ("limit", "amount", False)],
     {"limit": (lambda v: v > 0, None)}, True),
    ("watch_list", "watch-list.csv", "customer_id", [("customer_id", "text", False), ("reason", "text", False)], {}, True),
]

DEFAULT_GROUP_LIMIT = {"A": 5_000_000, "B": 3_000_000, "C": 1_500_000, "D": 500_000, "E": 0}


def read_text(path):
    with open(path, "rb") as f:
        data = f.read().decode("utf-8")
    return data[1:] if data.startswith("\ufeff") else data


def read_reading(directory, name, file, key, columns, valid, one_per_key, ref_rejects):
    """3: the rows kept, by key (a list of records per key), in file order."""
    records = C.read_records(read_text(os.path.join(directory, file)))
    _, header, _ = next(records)
    names = [c[0] for c in columns]
    for n in names:
        if header.count(n) != 1:
            raise SystemExit("%s has no single column %s" % (file, n))
    at = [header.index(n) for n in names]
    by_key = {}
    for line, fields, bad in records:
        ordered = [fields[i] for i in at] if len(fields) == len(header) else fields
        if not bad and len(fields) != len(header):
            reason, record = "column_count:%d" % len(fields), None
        else:
            reason, record = C.read_record(columns, valid, ordered if len(fields) == len(header) else fields, bad)
        key_text = ordered[names.index(key)] if len(fields) == len(header) else ""
        if reason is None and one_per_key and record[key] in by_key:
            reason = "duplicate:" + key
        if reason is not None:
            ref_rejects.append([name, str(line), key_text, reason])
            continue
        by_key.setdefault(record[key], []).append(record)
    return by_key


def main(directory):
    ref_rejects = []
    refs = {}
    for name, file, key, columns, valid, one in READINGS:
        refs[name] = read_reading(directory, name, file, key, columns, valid, one, ref_rejects)

    # 2. The requests
    records = C.read_file(os.path.join(directory, "input.csv"), [c[0] for c in COLUMNS])
    accepted, rejects, seen = [], [], set()
    for line, fields, bad in records:
        reason, r = C.read_record(COLUMNS, VALID, fields, bad)
        if reason is None and r["request_id"] in seen:
            reason = "duplicate:request_id"
        if reason is not None:
            rejects.append([str(line), fields[0] if fields else "", reason])
            continue
        seen.add(r["request_id"])
        accepted.append(r)

    # 3.4, 4, 5: per request
    for r in accepted:
        rows = refs["facilities"].get(r["customer_id"], [])
        r["facilities_held"] = len(rows)
        r["customer_limits"] = sum((x["limit"] for x in rows), Fraction(0))
        r["customer_utilised"] = sum((x["utilisation"] for x in rows), Fraction(0))
        worst = max((x["days_past_due"] for x in rows), default=0)
        group_rows = refs["group_facilities"].get(r["group_id"], [])
        r["group_existing"] = sum((x["limit"] for x in group_rows), Fraction(0))
        listed = refs["group_limits"].get(r["group_id"])
        r["has_group_limit"] = listed is not None
        r["group_limit"] = listed[0]["limit"] if listed else Fraction(DEFAULT_GROUP_LIMIT[r["grade"]])
        watched = r["customer_id"] in refs["watch_list"]
        if worst > 30:
            r["decision"], r["reason"] = "DECLINE", "D01"
        elif r["grade"] == "E":
            r["decision"], r["reason"] = "DECLINE", "D02"
        elif watched:
            r["decision"], r["reason"] = "REFER", "R01"
        elif worst > 0:
            r["decision"], r["reason"] = "REFER", "R02"
        elif r["customer_limits"] + r["amount"] > r["group_limit"]:
            r["decision"], r["reason"] = "REFER", "G03"
        else:
            r["decision"], r["reason"] = "APPROVE", ""

    # 6. The group pass
    requested = {}
    for r in accepted:
        if r["decision"] != "DECLINE":
            requested[r["group_id"]] = requested.get(r["group_id"], Fraction(0)) + r["amount"]
    for r in accepted:
        r["requested_in_group"] = requested.get(r["group_id"], Fraction(0))
        r["exposure_after"] = r["group_existing"] + r["requested_in_group"]
        if r["decision"] == "APPROVE" and r["exposure_after"] > r["group_limit"]:
            r["decision"], r["reason"] = "REFER", "G01" if r["has_group_limit"] else "G02"

    # 7. Output
    a = C.amount
    rows = [[r["request_id"], r["customer_id"], r["group_id"], r["decision"], r["reason"], str(r["facilities_held"]),
             a(r["customer_limits"]), a(r["customer_utilised"]), a(r["group_existing"]), a(r["group_limit"]),
             a(r["requested_in_group"]), a(r["exposure_after"]), a(r["group_limit"] - r["exposure_after"])]
            for r in accepted]
    C.write_csv(os.path.join(directory, "expected.csv"),
                "request_id,customer_id,group_id,decision,reason,facilities_held,customer_limits,customer_utilised,"
                "group_existing,group_limit,requested_in_group,exposure_after,headroom", rows)
    C.write_csv(os.path.join(directory, "rejects.csv"), "line,request_id,reason", rejects)
    C.write_csv(os.path.join(directory, "ref-rejects.csv"), "reference,line,key,reason", ref_rejects)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
