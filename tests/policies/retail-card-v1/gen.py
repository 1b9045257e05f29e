#!/usr/bin/env python3
"""Deterministic test data for the Retail Card v1 policy (docs/policies/retail-card-v1.md).

    python3 gen.py [--seed N] [--random-rows N] > input.csv

Writes random applications plus fixed edge cases: every boundary of every scorecard bin, rule,
grade, limit and warning, missing values of every optional column, and bad records of every
reject kind. Same seed, same bytes. The committed files were made with

    python3 gen.py > input.csv
    python3 oracle.py input.csv expected.csv rejects.csv
"""

import argparse
import datetime
import math
import random
import sys

COLUMNS = [
    "application_id", "application_date", "date_of_birth", "residential_status", "has_mortgage",
    "months_at_address", "employment_type", "months_in_employment", "annual_income",
    "monthly_housing_cost", "debt_to_income", "bureau_score", "delinquencies_24m",
    "worst_arrears_12m", "bankrupt", "existing_card_limits", "requested_limit",
]

FIRST_DAY = datetime.date(2024, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)


def csv_field(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


def birth_for_age(app, age, offset=0):
    """A date of birth giving `age` (floor(days / 365.25)) on `app`: the first such day's
    distance plus `offset` days (offset -1: one day short of that age)."""
    days = math.ceil(age * 365.25) + offset
    return (app - datetime.timedelta(days=days)).isoformat()


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0

    def new_id(self):
        self.next_id += 1
        return "RC%06d" % self.next_id

    def random_date(self):
        span = (LAST_DAY - FIRST_DAY).days
        return FIRST_DAY + datetime.timedelta(days=self.rng.randint(0, span))

    # ---- a random, mostly valid application ------------------------------------------------

    def random_row(self):
        r = self.rng
        app = self.random_date()
        age = r.choice([r.randint(18, 30), r.randint(25, 60), r.randint(30, 70), r.randint(16, 90)])
        dob = (app - datetime.timedelta(days=int(age * 365.25) + r.randint(0, 364))).isoformat()
        residence = r.choices(["homeowner", "renter", "with_parents", "council_tenant", "other"],
                              [40, 30, 12, 10, 8])[0]
        if residence == "homeowner":
            mortgage = r.choices(["true", "false", ""], [55, 35, 10])[0]
        else:
            mortgage = r.choices(["false", ""], [80, 20])[0]
        employment = r.choices(
            ["employed", "self_employed", "retired", "student", "unemployed", "contractor", "Employed"],
            [55, 15, 10, 8, 5, 5, 2])[0]
        employed = employment in ("employed", "self_employed")
        months_emp = ""
        if employed and r.random() < 0.9:
            months_emp = str(r.choice([r.randint(0, 12), r.randint(6, 240)]))
        income = r.choice([r.randint(800_000, 2_500_000), r.randint(1_500_000, 6_000_000),
                           r.randint(3_000_000, 15_000_000), r.randint(0, 30_000_000)])
        if r.random() < 0.3:
            income -= income % 100_000  # whole thousands
        housing = ""
        if r.random() < 0.85:
            housing = money(int(income * r.choice([r.uniform(0, 0.3), r.uniform(0.2, 0.55)]) / 12))
        dti = ""
        if r.random() < 0.9:
            v = r.choice([r.uniform(0, 0.4), r.uniform(0.1, 0.8)])
            dti = r.choice(["%.2f" % v, "%.3f" % v, "%.4f" % v, "%de-2" % round(v * 100)])
        bureau = ""
        if r.random() < 0.92:
            bureau = str(r.choice([r.randint(450, 900), r.randint(550, 950), r.randint(0, 999)]))
        delinquencies = str(r.choices([0, 1, 2, 3, 5], [75, 12, 7, 4, 2])[0])
        arrears = r.choices(["", "0", "1", "2", "3", "6"], [10, 70, 8, 5, 4, 3])[0]
        bankrupt = r.choices(["false", "true"], [97, 3])[0]
        existing = ""
        if r.random() < 0.7:
            existing = money(r.choice([0, r.randint(0, 10_000) * 50_00, r.randint(0, 5_000_000)]))
        requested = ""
        if r.random() < 0.75:
            requested = r.choice([money(r.randint(5, 400) * 50_00), money(r.randint(25_000, 2_500_000))])
        return {
            "application_id": self.new_id(), "application_date": app.isoformat(), "date_of_birth": dob,
            "residential_status": residence, "has_mortgage": mortgage,
            "months_at_address": r.choice(["", str(r.randint(0, 60)), str(r.randint(0, 400))]),
            "employment_type": employment, "months_in_employment": months_emp,
            "annual_income": money(income), "monthly_housing_cost": housing, "debt_to_income": dti,
            "bureau_score": bureau, "delinquencies_24m": delinquencies, "worst_arrears_12m": arrears,
            "bankrupt": bankrupt, "existing_card_limits": existing, "requested_limit": requested,
        }

    # ---- a strong application: approved unless an edge below changes that ------------------------

    def good_row(self, **changes):
        row = {
            "application_id": self.new_id(), "application_date": "2025-06-15", "date_of_birth": "1980-01-10",
            "residential_status": "homeowner", "has_mortgage": "true", "months_at_address": "60",
            "employment_type": "employed", "months_in_employment": "48", "annual_income": "55000.00",
            "monthly_housing_cost": "900.00", "debt_to_income": "0.25", "bureau_score": "720",
            "delinquencies_24m": "0", "worst_arrears_12m": "0", "bankrupt": "false",
            "existing_card_limits": "5000.00", "requested_limit": "8000.00",
        }
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return row

    def edge_rows(self):
        g = self.good_row
        rows = []
        app = datetime.date(2025, 6, 15)
        # Age (S01, K01, R05, W03): each boundary, one day short and on the day.
        for age in [16, 17, 18, 19, 20, 21, 22, 24, 25, 34, 35, 49, 50, 62, 63, 64, 65, 66, 67, 80, 100]:
            for offset in (-1, 0, 1):
                rows.append(g(date_of_birth=birth_for_age(app, age, offset)))
                rows.append(g(date_of_birth=birth_for_age(app, age, offset), months_at_address="",
                              requested_limit=""))
        # Leap days and the ends of the policy window.
        rows.append(g(application_date="2024-02-29", date_of_birth="2000-02-29"))
        rows.append(g(application_date="2024-01-01", date_of_birth="1900-01-01"))
        rows.append(g(application_date="2026-12-31"))  # review date in 2027
        rows.append(g(application_date="2026-09-01", date_of_birth="2008-09-01"))
        # Bureau score (S02, R01), each bin edge.
        for b in ["", "0", "1", "299", "300", "499", "500", "599", "600", "699", "700", "799", "800", "999", "0700"]:
            rows.append(g(bureau_score=b))
        # Debt to income (S03, K05, F02): edges as decimals, exponents and the doubles either side.
        for d in ["", "0", "0.0", "-0", "1e-400", "0.19999999999999998", "0.2", "0.20", "2e-1", "20E-2",
                  "0.34999999999999997", "0.35", "0.49999999999999994", "0.5", "0.5000", "0.6",
                  "0.6000000000000001", "0.60", "0.61", "10", "1E1", "9.99"]:
            rows.append(g(debt_to_income=d))
        # Months at address (S07, R05).
        for m in ["", "0", "11", "12", "35", "36", "119", "120", "1200", "007"]:
            rows.append(g(months_at_address=m))
        # Annual income (S08, K04) with housing cost 0 so the consistency check holds.
        for inc in ["0", "0.00", "11999.99", "12000", "12000.0", "12000.00", "19999.99", "20000.00",
                    "39999.99", "40000", "79999.99", "80000.00", "9999999999999.99", "250000.5"]:
            rows.append(g(annual_income=inc, monthly_housing_cost="0.00"))
            rows.append(g(annual_income=inc, monthly_housing_cost="", existing_card_limits=""))
        # Housing ratio (R03): exactly 0.40 is not above it; income 0 makes the ratio missing.
        for inc, cost in [("30000.00", "1000.00"), ("30000.00", "1000.01"), ("30000.00", "999.99"),
                          ("12000.00", "400.00"), ("12000.00", "400.01"), ("100000.00", "3333.33"),
                          ("100000.00", "3333.34"), ("0.00", "0.00"), ("0.00", ""), ("55000.00", "")]:
            rows.append(g(annual_income=inc, monthly_housing_cost=cost))
        # Residential status (S04), mortgage (S06, F03) and their consistency.
        for res in ["homeowner", "renter", "with_parents", "council_tenant", "other"]:
            for mort in ["true", "false", ""]:
                if mort == "true" and res != "homeowner":
                    continue
                rows.append(g(residential_status=res, has_mortgage=mort))
        # Employment type (S05, K06, R04, F01): text compared exactly.
        for emp, months in [("employed", "0"), ("employed", "5"), ("employed", "6"), ("employed", ""),
                            ("self_employed", "5"), ("self_employed", "6"), ("self_employed", ""),
                            ("retired", ""), ("student", ""), ("unemployed", ""), ("Employed", ""),
                            ("employed ", ""), ("contractor", ""), ("part-time, zero hours", ""),
                            ('said "retired"', ""), ("night\nshift", "")]:
            rows.append(g(employment_type=emp, months_in_employment=months))
        # Delinquencies (R02), arrears (K03), bankruptcy (K02).
        for d in ["0", "1", "2", "3"]:
            rows.append(g(delinquencies_24m=d))
        for a in ["", "0", "2", "3", "6"]:
            rows.append(g(worst_arrears_12m=a))
        rows.append(g(bankrupt="true"))
        rows.append(g(bankrupt="true", worst_arrears_12m="4", employment_type="unemployed"))
        # Requested limit (R06, W01, offer rounding).
        for req in ["", "250", "250.00", "1234.56", "7999.99", "8000.00", "15000.00", "15000.01",
                    "17999.99", "100000.00"]:
            rows.append(g(requested_limit=req))
            rows.append(g(requested_limit=req, annual_income="80000.00", existing_card_limits=""))
        # Existing card limits (W02 and the limit formula), including a negative limit before caps.
        for ex in ["", "0", "27499.99", "27500.00", "27500.01", "60000.00", "76999.99", "77000.00"]:
            rows.append(g(existing_card_limits=ex))
        # Limits and minimum payments: grade C (score 600-649) incomes around the 500.00 line,
        # and offers whose 2.5% ends in .50 (rounds up) or below 25.00.
        for inc in ["3333.33", "3333.34", "3666.66", "3666.67", "3700.00", "4000.00"]:
            rows.append(g(annual_income=inc, monthly_housing_cost="0", employment_type="retired",
                          months_in_employment="", existing_card_limits="", debt_to_income="0.3"))
        for req in ["500.00", "950.00", "1000.00", "1050.00", "1100.00", "1300.00", "1349.99", "2500.00", "3300.00"]:
            rows.append(g(requested_limit=req))
        # Grades: scores around each band edge (700, 650, 600, 550).
        for bureau, dti, addr, inc in [
                ("720", "0.25", "60", "55000.00"), ("700", "0.25", "36", "55000.00"),
                ("699", "0.25", "36", "55000.00"), ("650", "0.25", "36", "39999.99"),
                ("650", "0.3", "12", "39999.99"), ("600", "0.36", "12", "39999.99"),
                ("600", "0.5", "12", "39999.99"), ("550", "0.5", "12", "19999.99"),
                ("450", "0.55", "5", "19999.99"), ("100", "0.55", "5", "19999.99")]:
            rows.append(g(bureau_score=bureau, debt_to_income=dti, months_at_address=addr, annual_income=inc,
                          monthly_housing_cost=""))
        # Quoted ids in the output.
        for i in ["RC,comma", 'RC"quote"', "RC\nnewline", " RC space "]:
            rows.append(g(application_id=i))
        return rows

    # ---- bad records, grouped so that their order matters ----------------------------------------------

    def bad_groups(self):
        g = self.good_row
        groups = []

        def one(**changes):
            groups.append([g(**changes)])

        # missing:<column> for every column that may not be empty
        for c in ["application_id", "application_date", "date_of_birth", "residential_status",
                  "employment_type", "annual_income", "delinquencies_24m", "bankrupt"]:
            one(**{c: ""})
        # unparsable:<column>
        for c, vals in [
                ("application_date", ["2025-02-29", "2025-3-01", "20250301", "2025-13-01", "2025-00-10",
                                      "2025-06-31", "2025-06-15 ", "15/06/2025"]),
                ("date_of_birth", ["1980-02-30", "1980/01/10", "1980-01-1"]),
                ("has_mortgage", ["TRUE", "yes", "1"]),
                ("months_at_address", ["1.5", "+3", " 3", "3 ", "3e1"]),
                ("months_in_employment", ["four", "-", "4.0"]),
                ("annual_income", ["12,000.00", "12000.001", ".5", "5.", "1e4", "£12000", "+12000.00", "- 5"]),
                ("monthly_housing_cost", ["9OO.00", "900.0.0"]),
                ("debt_to_income", [".5", "5.", "inf", "nan", "1e400", "0,3", "1e", "0.3.1", "+0.3", "0x1p-2"]),
                ("bureau_score", ["7OO", "720.0"]),
                ("delinquencies_24m", ["none", "0.0"]),
                ("worst_arrears_12m", ["x"]),
                ("bankrupt", ["False", "no", "0"]),
                ("existing_card_limits", ["5 000.00"]),
                ("requested_limit", ["8000.00 GBP", "8e3"])]:
            for v in vals:
                one(**{c: v})
        # unknown:residential_status
        for v in ["Homeowner", "owner", "homeowner ", "renting"]:
            one(residential_status=v)
        # out_of_range:<column> while reading (too large for the type)
        for c, v in [("months_at_address", "1000000000"), ("months_in_employment", "-1000000000"),
                     ("bureau_score", "99999999999999999999"), ("delinquencies_24m", "1000000000"),
                     ("annual_income", "10000000000000.00"), ("monthly_housing_cost", "-10000000000000"),
                     ("existing_card_limits", "123456789012345.67"), ("requested_limit", "1000000000000")]:
            one(**{c: v})
        # valid ranges: each side of each range
        for c, vals in [
                ("application_date", ["2023-12-31", "2027-01-01", "0000-01-01"]),
                ("date_of_birth", ["1899-12-31", "0001-01-01"]),
                ("months_at_address", ["-1", "1201"]),
                ("months_in_employment", ["-1", "721"]),
                ("annual_income", ["-0.01", "-5"]),
                ("monthly_housing_cost", ["-1.00"]),
                ("debt_to_income", ["-0.1", "-1e-300", "10.000000000000002", "11"]),
                ("bureau_score", ["-1", "1000"]),
                ("delinquencies_24m", ["-1"]),
                ("worst_arrears_12m", ["-1", "7"]),
                ("existing_card_limits", ["-0.01"]),
                ("requested_limit", ["249.99", "0", "100000.01"])]:
            for v in vals:
                one(**{c: v})
        # an out-of-range column before an unreadable one wins; after it, the unreadable one wins
        one(application_date="2023-12-31", annual_income="lots")
        one(bureau_score="1000", requested_limit="8e3")
        one(months_at_address="-1", bankrupt="maybe")
        one(date_of_birth="1899-12-31", residential_status="castle")
        one(annual_income="lots", bureau_score="1000")
        one(application_date="2025-02-30", date_of_birth="1899-12-31")
        one(months_at_address="1201", worst_arrears_12m="7")  # two out of range: the leftmost
        one(bankrupt="", requested_limit="1")
        one(application_date="2023-12-31", date_of_birth="2030-01-01")  # range before consistency
        # consistency checks, alone and together (the first listed wins)
        one(date_of_birth="2025-06-15")
        one(date_of_birth="2025-06-16")
        one(residential_status="renter", has_mortgage="true")
        one(annual_income="12000.00", monthly_housing_cost="1000.01")
        one(annual_income="0", monthly_housing_cost="0.01")
        one(employment_type="retired", months_in_employment="12")
        one(employment_type="unemployed", months_in_employment="0")
        one(date_of_birth="2026-01-01", residential_status="renter", has_mortgage="true")
        one(residential_status="other", has_mortgage="true", annual_income="1000.00")
        one(annual_income="1000.00", employment_type="student", months_in_employment="3")
        # column counts: too few, too many, an empty line, a lone field
        row = g()
        groups.append([list(row.values())[:16]])
        groups.append([list(row.values()) + ["extra"]])
        groups.append([[""]])
        groups.append([["just one field"]])
        groups.append([list(g().values())[:16] + [""] * 3])
        # broken quoting (the first field's raw text names the record)
        row = g()
        groups.append([("bad_quote", csv_field(row["application_id"]) + ',"2025-06-15"x,' +
                        ",".join(csv_field(v) for v in list(row.values())[2:]))])
        groups.append([("bad_quote", '"RCbad"x,' + ",".join(csv_field(v) for v in list(row.values())[1:]))])
        # duplicates: a later copy of an accepted id; a rejected record does not claim its id
        first = g()
        groups.append([first, g(application_id=first["application_id"], annual_income="70000.00")])
        rejected = g(bankrupt="perhaps")
        groups.append([rejected, g(application_id=rejected["application_id"]),
                       g(application_id=rejected["application_id"], bureau_score="1000"),
                       g(application_id=rejected["application_id"])])
        third = g(application_id="RC,dup")
        groups.append([third, g(application_id="RC,dup"), g(application_id="RC,dup ")])
        # a declined record still claims its id
        declined = g(bankrupt="true")
        groups.append([declined, g(application_id=declined["application_id"])])
        return groups


def line_of(row):
    if isinstance(row, tuple):  # a hand-written raw line
        return row[1]
    values = row.values() if isinstance(row, dict) else row
    return ",".join(csv_field(v) for v in values)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20251123)
    ap.add_argument("--random-rows", type=int, default=1560)
    args = ap.parse_args()
    gen = Gen(args.seed)
    groups = [[gen.random_row()] for _ in range(args.random_rows)]
    groups += [[row] for row in gen.edge_rows()]
    groups += gen.bad_groups()
    gen.rng.shuffle(groups)
    out = sys.stdout
    out.write(",".join(COLUMNS) + "\n")
    for group in groups:
        for row in group:
            out.write(line_of(row) + "\n")


if __name__ == "__main__":
    main()
