#!/usr/bin/env python3
"""Deterministic test data for the Retail WOE v1 policy (docs/policies/retail-woe-v1.md).

    python3 gen.py [--seed N] [--random-rows N] > input.csv

Writes random applications plus fixed edge cases: both sides of every scorecard bin, rule and
grade edge, 29 February birthdays, ratios written with exponents, missing values of every
optional column (rules that need them must not apply), and bad records of every reject kind.
Standard library only; same seed, same bytes.
"""

import argparse
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gen_common import money, write_input  # noqa: E402

COLUMNS = ["application_id", "application_date", "date_of_birth", "employment_status", "months_employed",
           "residential_status", "annual_income", "existing_debt", "bureau_score", "delinquencies_24m",
           "credit_utilisation", "bankrupt", "fraud_match", "income_verified", "requested_amount"]
EMPLOYMENT = ["employed", "self_employed", "retired", "student", "unemployed"]
RESIDENCE = ["owner", "renter", "with_parents", "other"]


def years_before(d, years, days=0):
    y = d.year - years
    day = d.day
    if d.month == 2 and d.day == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        day = 28
    return datetime.date(y, d.month, day) + datetime.timedelta(days=days)


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0

    def new_id(self):
        self.next_id += 1
        return "PL%06d" % self.next_id

    def random_row(self):
        r = self.rng
        app = datetime.date(2025, 1, 1) + datetime.timedelta(days=r.randint(0, 729))
        age_days = r.choice([r.randint(17 * 365, 26 * 365), r.randint(18 * 365, 80 * 365), r.randint(25 * 365, 60 * 365)])
        dob = app - datetime.timedelta(days=age_days)
        emp = r.choices(EMPLOYMENT, [60, 15, 12, 8, 5])[0]
        months = ""
        if emp in ("employed", "self_employed") and r.random() < 0.9:
            months = str(r.choice([r.randint(0, 40), r.randint(0, 200), r.randint(24, 400)]))
        res = r.choices(RESIDENCE, [40, 35, 15, 10])[0]
        income = r.choice([r.randint(0, 2_000_000), r.randint(1_500_000, 9_000_000), r.randint(2_000_000, 30_000_000)])
        if emp == "unemployed" and r.random() < 0.7:
            income = r.randint(0, 800_000)
        debt = "" if r.random() < 0.15 else money(int(income * r.choice([r.uniform(0, 0.3), r.uniform(0, 0.9),
                                                                          r.uniform(0.1, 1.2)])))
        score = "" if r.random() < 0.07 else str(r.choice([r.randint(300, 900), r.randint(540, 800), r.randint(600, 850)]))
        delinq = str(r.choices([0, 1, 2, 3, r.randint(4, 12)], [70, 12, 8, 5, 5])[0])
        util = "" if r.random() < 0.12 else repr(round(r.choice([r.uniform(0, 0.4), r.uniform(0, 1.1), r.uniform(0.5, 2.5)]), r.choice([2, 4, 6])))
        bankrupt = r.choices(["false", "true", "N", "no"], [85, 2, 8, 5])[0]
        fraud = r.choices(["", "false", "true", "0"], [15, 78, 1, 6])[0]
        verified = r.choices(["", "true", "false", "Y", "N"], [12, 70, 6, 8, 4])[0]
        req = r.choice([r.randint(500, 15_000), r.randint(500, 50_000), r.randint(10_000, 40_000)]) * 100
        return [self.new_id(), app.isoformat(), dob.isoformat(), emp, months, res, money(income), debt, score, delinq,
                util, bankrupt, fraud, verified, money(req)]

    def good(self, **changes):
        row = {"application_id": self.new_id(), "application_date": "2025-09-15", "date_of_birth": "1980-05-20",
               "employment_status": "employed", "months_employed": "130", "residential_status": "owner",
               "annual_income": "60000.00", "existing_debt": "6000.00", "bureau_score": "790",
               "delinquencies_24m": "0", "credit_utilisation": "0.15", "bankrupt": "false", "fraud_match": "false",
               "income_verified": "true", "requested_amount": "12000.00"}
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return [row[c] for c in COLUMNS]

    def edge_rows(self):
        g = self.good
        rows = []
        app = datetime.date(2025, 9, 15)
        # Age (C01, K01, R02): each edge, the day before and the day itself.
        for years in [17, 18, 20, 21, 24, 25, 34, 35, 49, 50, 90]:
            for days in [0, 1]:
                dob = years_before(app, years, days)
                rows.append(g(date_of_birth=dob.isoformat(), months_employed="6"))
                rows.append(g(date_of_birth=dob.isoformat(), months_employed="30", residential_status="renter",
                              bureau_score="640", credit_utilisation="0.5"))
        # 29 February birthdays and application dates.
        for dob, ad in [("2004-02-29", "2025-02-28"), ("2004-02-29", "2025-03-01"), ("2007-03-01", "2025-02-28"), ("2007-03-01", "2025-03-01"),
                        ("2008-02-29", "2026-02-28"), ("2008-02-29", "2026-03-01"), ("2000-02-29", "2025-02-28"),
                        ("2000-02-29", "2025-03-01"), ("1975-12-31", "2025-01-01"), ("1976-01-01", "2025-12-31")]:
            rows.append(g(date_of_birth=dob, application_date=ad))
        # Months employed (C02, R02, R03) for each working status, and missing.
        for m in ["", "0", "11", "12", "23", "24", "35", "36", "119", "120", "720", "007"]:
            for emp in ["employed", "self_employed"]:
                rows.append(g(months_employed=m, employment_status=emp))
            rows.append(g(months_employed=m, employment_status="employed", date_of_birth="2005-01-10"))
        for emp in ["retired", "student", "unemployed"]:
            rows.append(g(employment_status=emp, months_employed=""))
        # Residence (C03).
        for res in RESIDENCE:
            rows.append(g(residential_status=res))
            rows.append(g(residential_status=res, bureau_score="600", delinquencies_24m="1"))
        # Bureau score (C04, K05, R01).
        for s in ["", "300", "449", "450", "549", "550", "619", "620", "699", "700", "779", "780", "900"]:
            rows.append(g(bureau_score=s))
            rows.append(g(bureau_score=s, months_employed="20", residential_status="renter"))
        # Delinquencies (C05).
        for d in ["0", "1", "2", "3", "4", "99", "00"]:
            rows.append(g(delinquencies_24m=d))
        # Utilisation (C06, R06): edges as written, with exponents.
        for u in ["", "0", "0.29999", "0.3", "3e-1", "0.59999999", "0.6", "0.89999", "0.9", "9E-1", "0.90001",
                  "1", "5", "5.0", "0.0e0", "1e-320"]:
            rows.append(g(credit_utilisation=u))
        # Debt to income (C07, K04): exact quotient edges, no debt, no income.
        for debt, income in [("", "60000.00"), ("0.00", "60000.00"), ("11999.99", "60000.00"), ("12000.00", "60000.00"),
                             ("23999.99", "60000.00"), ("24000.00", "60000.00"), ("35999.99", "60000.00"),
                             ("36000.00", "60000.00"), ("48000.00", "60000.00"), ("48000.01", "60000.00"),
                             ("1.00", "0.00"), ("0.00", "0"), ("2.00", "10.00"), ("0.60", "1.00"), ("1.00", "3.00"),
                             ("2.00", "3.00"), ("7.00", "35.00"), ("8.00", "10.00"), ("8.01", "10.00")]:
            rows.append(g(existing_debt=debt, annual_income=income))
        # Flags (K02, K03, R04) with missing values, and the request (R05), and the window.
        for b in ["true", "Yes", "1", "false"]:
            rows.append(g(bankrupt=b))
        for f in ["", "true", "Y", "false", "n"]:
            rows.append(g(fraud_match=f))
            rows.append(g(income_verified=f))
        for req in ["500.00", "500", "25000.00", "25000.01", "50000.00", "24999.99"]:
            rows.append(g(requested_amount=req))
        for ad in ["2025-01-01", "2026-12-31"]:
            rows.append(g(application_date=ad))
        # Offers: rounding down to 100.00 by grade, capped by the request.
        for income in ["0.00", "199.99", "20000.00", "23456.78", "40000.01", "49999.99", "50000.00", "50000", "99999.99"]:
            for changes in [dict(), dict(bureau_score="720", months_employed="40"),
                            dict(bureau_score="650", residential_status="renter", months_employed="40"),
                            dict(bureau_score="630", residential_status="renter", months_employed="20",
                                 credit_utilisation="0.7")]:
                rows.append(g(annual_income=income, existing_debt="", requested_amount="30000.00", **changes))
        # Unemployed with months employed is inconsistent; knockouts together; a quoted id.
        rows.append(g(bankrupt="true", fraud_match="true", employment_status="unemployed", months_employed="",
                      bureau_score="400", existing_debt="59000.00", date_of_birth="2008-01-01"))
        for i in ["PL,comma", 'PL"q"', "PL\nnl"]:
            rows.append(g(application_id=i))
        return rows

    def bad_rows(self):
        g = self.good
        rows = []
        for c in ["application_id", "application_date", "date_of_birth", "employment_status", "residential_status",
                  "annual_income", "delinquencies_24m", "bankrupt", "requested_amount"]:
            rows.append(g(**{c: ""}))
        for c, vals in [("application_date", ["2025-02-29", "2025-9-15", "15/09/2025"]),
                        ("date_of_birth", ["1980-13-01"]), ("employment_status", ["Employed", "contractor"]),
                        ("residential_status", ["tenant"]), ("months_employed", ["1.5", "x"]),
                        ("annual_income", ["60,000.00", "6e4", "60000.000"]), ("existing_debt", ["none"]),
                        ("bureau_score", ["79O"]), ("delinquencies_24m", ["+1"]),
                        ("credit_utilisation", [".5", "5.", "+0.5", "inf", "nan", "1e999", "0,5"]),
                        ("bankrupt", ["maybe"]), ("fraud_match", ["unknown"]), ("income_verified", ["t"]),
                        ("requested_amount", ["12000.5.0"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        for c, vals in [("application_date", ["2024-12-31", "2027-01-01"]), ("date_of_birth", ["1899-12-31"]),
                        ("months_employed", ["-1", "721"]), ("annual_income", ["-0.01", "10000000.01"]),
                        ("existing_debt", ["-5.00", "10000000000000"]), ("bureau_score", ["299", "901"]),
                        ("delinquencies_24m", ["-1", "100", "1000000000"]),
                        ("credit_utilisation", ["-0.01", "5.0000001", "1e10"]),
                        ("requested_amount", ["499.99", "50000.01"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        rows.append(g(application_date="2024-12-31", employment_status="gig"))   # leftmost wins
        rows.append(g(employment_status="gig", application_date="2024-12-31"))
        # consistency checks, in order
        rows.append(g(date_of_birth="2025-09-15"))
        rows.append(g(date_of_birth="2025-09-16", employment_status="retired"))
        rows.append(g(employment_status="retired"))
        rows.append(g(employment_status="student", months_employed="0"))
        rows.append(g(employment_status="unemployed", months_employed="3"))
        row = g()
        rows.append(row[:14])
        rows.append(row + [""])
        rows.append([""])
        rows.append(("bad_quote", '"PLbad"x,' + ",".join(row[1:])))
        rows.append(("bad_quote", ",".join(row[:14]) + ',"12000.00'))   # a quote never closed: at the end
        return rows

    def duplicate_groups(self):
        g = self.good
        first = g()
        rejected = g(bankrupt="maybe")
        return [[first, [first[0]] + g(bureau_score="")[1:]],
                [rejected, [rejected[0]] + g()[1:], [rejected[0]] + g()[1:]]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20250915)
    ap.add_argument("--random-rows", type=int, default=1000)
    args = ap.parse_args()
    gen = Gen(args.seed)
    groups = [[gen.random_row()] for _ in range(args.random_rows)]
    groups += [[row] for row in gen.edge_rows()]
    groups += [[row] for row in gen.bad_rows()]
    groups += gen.duplicate_groups()
    unclosed = [g for g in groups if isinstance(g[0], tuple) and g[0][1].endswith('"12000.00')]
    groups = [g for g in groups if g not in unclosed]
    gen.rng.shuffle(groups)
    groups += unclosed                      # an open quote swallows the rest of the file: last
    write_input(COLUMNS, groups)


if __name__ == "__main__":
    main()
