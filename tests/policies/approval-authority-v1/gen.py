#!/usr/bin/env python3
"""Deterministic test data for the Approval Authority v1 policy
(docs/policies/approval-authority-v1.md).

    python3 gen.py [--seed N] [--random-rows N] > input.csv

Writes random requests plus fixed edge cases: both sides of every exposure and group-exposure
edge of the matrix for every grade, each line with the lines that outrank it, every exception
with escalations of one and two levels from every matrix level (the committee cannot go
higher), missing optional cells, deadlines on every weekday, and bad records of every reject
kind. Standard library only; same seed, same bytes.
"""

import argparse
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gen_common import money, write_input  # noqa: E402

COLUMNS = ["request_id", "received_date", "facility_type", "grade", "amount", "existing_exposure", "group_exposure",
           "collateral_value", "tenor_months", "dscr", "related_party", "restructured", "pricing_exception"]
FACILITIES = ["overdraft", "term_loan", "mortgage", "guarantee", "leasing"]
GRADES = ["A", "B", "C", "D", "E"]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0

    def new_id(self):
        self.next_id += 1
        return "CR%06d" % self.next_id

    def random_row(self):
        r = self.rng
        received = datetime.date(2025, 1, 1) + datetime.timedelta(days=r.randint(0, 729))
        facility = r.choices(FACILITIES, [30, 30, 15, 10, 15])[0]
        grade = r.choices(GRADES, [15, 30, 30, 15, 10])[0]
        scale = r.choice([100_000_00, 1_000_000_00, 5_000_000_00, 20_000_000_00])
        amount = max(1, int(scale * r.uniform(0.01, 1.2)) // 100 * 100)
        existing = r.choice([0, int(scale * r.uniform(0, 1.5))])
        group = "" if r.random() < 0.45 else money(existing + r.choice([0, int(scale * r.uniform(0, 4))]))
        coll = ""
        if facility == "mortgage" or r.random() < 0.55:
            coll = money(r.choice([0, int(amount * r.uniform(0.6, 2.5)), int(amount * r.uniform(0.9, 1.4))]))
        tenor = str(r.choice([r.randint(1, 60), r.randint(12, 180), r.randint(120, 360)]))
        dscr = "" if r.random() < 0.15 else str(round(r.uniform(0.6, 3.5), r.choice([1, 2, 3])))
        related = r.choices(["false", "true", "N"], [90, 3, 7])[0]
        restructured = r.choices(["false", "true", "no"], [88, 4, 8])[0]
        pricing = r.choices(["false", "true", "0", "1"], [80, 8, 8, 4])[0]
        return [self.new_id(), received.isoformat(), facility, grade, money(amount), money(existing), group, coll,
                tenor, dscr, related, restructured, pricing]

    def good(self, **changes):
        row = {"request_id": self.new_id(), "received_date": "2025-06-02", "facility_type": "overdraft", "grade": "B",
               "amount": "100000.00", "existing_exposure": "50000.00", "group_exposure": "", "collateral_value": "",
               "tenor_months": "12", "dscr": "1.8", "related_party": "false", "restructured": "false",
               "pricing_exception": "false"}
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return [row[c] for c in COLUMNS]

    def edge_rows(self):
        g = self.good
        rows = []
        # Total exposure edges for every grade (A03, A05-A07, A09-A12), split between existing and amount.
        for grade in GRADES:
            for total in [25_000_000, 24_999_999, 25_000_001, 100_000_000, 100_000_001, 500_000_000, 500_000_001,
                          1_000_000_000]:
                rows.append(g(grade=grade, existing_exposure=money(total - 10_000_000), amount="100000.00"))
            rows.append(g(grade=grade, existing_exposure="0.00", amount="0.01"))
        # Group totals (A04, A08): edges, and no group (the customer's own total counts).
        for grp in [249_990_000, 250_000_000, 250_000_001, 999_990_000, 1_000_000_000, 1_000_000_001]:
            rows.append(g(group_exposure=money(grp - 10_000_000), existing_exposure="50000.00"))
            rows.append(g(group_exposure=money(grp - 10_000_000), existing_exposure="50000.00", grade="E"))
        for existing in ["2400000.00", "2400000.01", "9900000.00", "9900000.01"]:
            rows.append(g(existing_exposure=existing, group_exposure=""))
            rows.append(g(existing_exposure=existing, group_exposure=existing))
        # Straight to the committee.
        for rel, res in [("true", "false"), ("false", "true"), ("true", "true"), ("Y", "N"), ("no", "YES")]:
            rows.append(g(related_party=rel, restructured=res))
            rows.append(g(related_party=rel, restructured=res, pricing_exception="true"))
        # Exceptions from every matrix level: BRANCH (default), REGIONAL, HEAD_OFFICE, COMMITTEE.
        for base in [dict(), dict(amount="500000.00"), dict(amount="2000000.00"), dict(related_party="true"),
                     dict(grade="D", amount="150000.00")]:
            for exc in [dict(), dict(collateral_value="125000.00"), dict(collateral_value="124999.99"),
                        dict(collateral_value="100000.00"), dict(collateral_value="99999.99"),
                        dict(collateral_value="0.00"), dict(tenor_months="120"), dict(tenor_months="121"),
                        dict(tenor_months="480", facility_type="mortgage", collateral_value="9999999.00"),
                        dict(dscr="1.2"), dict(dscr="1.19"), dict(dscr="1.0"), dict(dscr="0.999"), dict(dscr="12e-1"),
                        dict(dscr="", facility_type="term_loan"), dict(dscr="", facility_type="leasing"),
                        dict(dscr="", facility_type="guarantee"), dict(dscr="", facility_type="overdraft"),
                        dict(pricing_exception="true"), dict(pricing_exception="1", dscr="0.8", tenor_months="200")]:
                changes = dict(base)
                changes.update(exc)
                rows.append(g(**changes))
        # Unsecured above 500,000 (X07): edges, collateral missing or zero.
        for amount, coll in [("500000.00", ""), ("500000.01", ""), ("500000.01", "0.00"), ("500000.01", "0.01"),
                             ("600000.00", "0"), ("600000.00", "1000000.00")]:
            rows.append(g(amount=amount, existing_exposure="0.00", collateral_value=coll))
        # Loan to value exact quotient edges.
        for amount, coll in [("4.00", "5.00"), ("4.01", "5.00"), ("8.00", "10.00"), ("1.00", "1.00"), ("1.01", "1.00"),
                             ("2.00", "3.00"), ("0.01", "0.01")]:
            rows.append(g(amount=amount, collateral_value=coll))
        # Deadlines: received on every weekday, for each final level.
        for day in range(7):
            rd = (datetime.date(2025, 6, 2) + datetime.timedelta(days=day)).isoformat()
            for base in [dict(), dict(amount="500000.00"), dict(amount="2000000.00"), dict(related_party="true")]:
                rows.append(g(received_date=rd, **base))
        for rd in ["2025-01-01", "2025-12-31", "2026-02-20", "2026-12-31", "2026-12-27"]:
            rows.append(g(received_date=rd, related_party="true"))
            rows.append(g(received_date=rd))
        for i in ["CR,comma", 'CR"q"', "CR\nnl"]:
            rows.append(g(request_id=i))
        return rows

    def bad_rows(self):
        g = self.good
        rows = []
        for c in ["request_id", "received_date", "facility_type", "grade", "amount", "existing_exposure",
                  "tenor_months", "related_party", "restructured", "pricing_exception"]:
            rows.append(g(**{c: ""}))
        for c, vals in [("received_date", ["2025-02-29", "2025-6-2"]), ("facility_type", ["Overdraft", "loan"]),
                        ("grade", ["a", "F"]), ("amount", ["100,000.00", "1e5", "100000.001"]),
                        ("existing_exposure", ["n/a"]), ("group_exposure", ["-"]), ("collateral_value", ["1.2.3"]),
                        ("tenor_months", ["12.0", "+12"]), ("dscr", [".5", "1.", "inf", "1e400", "1,5"]),
                        ("related_party", ["maybe"]), ("restructured", ["t"]), ("pricing_exception", ["x"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        for c, vals in [("received_date", ["2024-12-31", "2027-01-01"]),
                        ("amount", ["0.00", "0", "-1.00", "100000000.01", "10000000000000"]),
                        ("existing_exposure", ["-0.01", "1000000000.01"]), ("group_exposure", ["-1.00", "1000000000.01"]),
                        ("collateral_value", ["-0.01"]), ("tenor_months", ["0", "481", "-1"]),
                        ("dscr", ["-0.1", "100.0001", "1e3"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        rows.append(g(amount="0.00", grade="Z"))
        rows.append(g(grade="Z", amount="0.00"))
        rows.append(g(group_exposure="49999.99"))
        rows.append(g(group_exposure="50000.00"))                                   # valid
        rows.append(g(group_exposure="49999.99", facility_type="mortgage"))
        rows.append(g(facility_type="mortgage"))
        rows.append(g(facility_type="mortgage", collateral_value="0.00"))          # valid
        row = g()
        rows.append(row[:12])
        rows.append(row + [""])
        rows.append([""])
        rows.append(("bad_quote", '"CRbad"x,' + ",".join(row[1:])))
        return rows

    def duplicate_groups(self):
        g = self.good
        first = g()
        rejected = g(grade="Z")
        return [[first, [first[0]] + g(related_party="true")[1:]],
                [rejected, [rejected[0]] + g()[1:], [rejected[0]] + g()[1:]]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20250602)
    ap.add_argument("--random-rows", type=int, default=900)
    args = ap.parse_args()
    gen = Gen(args.seed)
    groups = [[gen.random_row()] for _ in range(args.random_rows)]
    groups += [[row] for row in gen.edge_rows()]
    groups += [[row] for row in gen.bad_rows()]
    groups += gen.duplicate_groups()
    gen.rng.shuffle(groups)
    write_input(COLUMNS, groups)


if __name__ == "__main__":
    main()
