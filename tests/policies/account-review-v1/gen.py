#!/usr/bin/env python3
"""Deterministic test data for the Account Review v1 policy (docs/policies/account-review-v1.md).

    python3 gen.py [--seed N] [--random-rows N] > input.csv

Writes random accounts (several per customer, so the customer pass of section 10 acts) plus
fixed edge cases: every boundary of every scorecard bin, rule, grade, limit cap and warning,
month-end months-on-book cases, missing values of every optional column, and bad records of
every reject kind. Same seed, same bytes. The committed files were made with

    python3 gen.py > input.csv
    python3 oracle.py input.csv expected.csv rejects.csv
"""

import argparse
import datetime
import random
import sys

COLUMNS = [
    "account_id", "customer_id", "review_date", "opened_date", "segment", "current_limit",
    "balance", "balance_3m_ago", "payments_3m", "days_past_due", "max_dpd_12m",
    "missed_payments_12m", "bureau_score", "bureau_score_prev", "income", "watch_list",
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


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0
        self.next_customer = 0

    def new_id(self):
        self.next_id += 1
        return "AC%06d" % self.next_id

    def new_customer(self):
        self.next_customer += 1
        return "CU%05d" % self.next_customer

    def random_date(self, lo, hi):
        return lo + datetime.timedelta(days=self.rng.randint(0, (hi - lo).days))

    # ---- a random, mostly valid account ----------------------------------------------------

    def random_row(self, customer):
        r = self.rng
        review = self.random_date(FIRST_DAY, LAST_DAY)
        opened = self.random_date(max(datetime.date(1990, 1, 1), review - datetime.timedelta(days=r.choice([200, 800, 4000, 12000]))), review)
        segment = r.choices(["consumer", "small_business", "premium"], [60, 25, 15])[0]
        limit = r.choice([0, r.randint(5, 150) * 100_00, r.randint(1, 600) * 100_00, r.randint(0, 20_000_000)])
        if segment == "consumer" and r.random() < 0.8:
            limit = min(limit, 2_000_000)
        if limit == 0 and r.random() < 0.5:
            limit = 100_000
        u = r.choice([r.uniform(0, 0.3), r.uniform(0.2, 0.95), r.uniform(0.8, 1.05), r.uniform(0, 1)])
        balance = int(limit * u)
        if limit == 0:
            balance = 0
        prior = ""
        if r.random() < 0.88:
            prior = money(max(0, int(balance * r.choice([r.uniform(0.3, 1.2), r.uniform(0.6, 1.0), 0]))))
        payments = money(0 if r.random() < 0.06 else r.randint(0, max(1, balance // 2 + 5000)))
        dpd = r.choices([0, r.randint(1, 29), r.randint(30, 59), r.randint(60, 200)], [82, 10, 5, 3])[0]
        worst = r.choices([0, r.randint(1, 29), r.randint(30, 59), r.randint(60, 200)], [70, 15, 10, 5])[0]
        missed = r.choices([0, 1, 2, 3, 4, 7], [70, 12, 8, 4, 4, 2])[0]
        score = ""
        prev = ""
        if r.random() < 0.92:
            s = r.choice([r.randint(550, 850), r.randint(480, 900), r.randint(300, 900)])
            score = str(s)
            if r.random() < 0.85:
                prev = str(min(900, max(300, s + r.choice([r.randint(-20, 20), r.randint(-80, 60)]))))
        elif r.random() < 0.5:
            prev = str(r.randint(300, 900))
        income = "" if r.random() < 0.1 else money(r.randint(1_000_000, 20_000_000))
        watch = r.choices(["false", "true", "N", "Y", "0", "1"], [85, 5, 4, 2, 2, 2])[0]
        return {
            "account_id": self.new_id(), "customer_id": customer, "review_date": review.isoformat(),
            "opened_date": opened.isoformat(), "segment": segment, "current_limit": money(limit),
            "balance": money(balance), "balance_3m_ago": prior, "payments_3m": payments,
            "days_past_due": str(dpd), "max_dpd_12m": str(worst), "missed_payments_12m": str(missed),
            "bureau_score": score, "bureau_score_prev": prev, "income": income, "watch_list": watch,
        }

    # ---- a strong account: INCREASE unless an edge below changes that -----------------------------

    def good_row(self, **changes):
        row = {
            "account_id": self.new_id(), "customer_id": self.new_customer(), "review_date": "2025-06-30",
            "opened_date": "2019-03-15", "segment": "consumer", "current_limit": "5000.00",
            "balance": "2000.00", "balance_3m_ago": "1900.00", "payments_3m": "600.00",
            "days_past_due": "0", "max_dpd_12m": "0", "missed_payments_12m": "0", "bureau_score": "760",
            "bureau_score_prev": "750", "income": "42000.00", "watch_list": "false",
        }
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return row

    def edge_rows(self):
        g = self.good_row
        rows = []
        # Utilisation (B01, EW1, action line 7, H02) at each bin edge, exact and a cent either side.
        for limit, bal in [("1000.00", "0.00"), ("1000.00", "299.99"), ("1000.00", "300.00"), ("1000.00", "300.01"),
                           ("1000.00", "499.99"), ("1000.00", "500.00"), ("1000.00", "749.99"), ("1000.00", "750.00"),
                           ("1000.00", "899.99"), ("1000.00", "900.00"), ("1000.00", "900.01"), ("1000.00", "1000.00"),
                           ("1000.00", "1000.01"), ("3000.00", "900.00"), ("3000.00", "2700.00"), ("7000.00", "2100.00"),
                           ("7000.00", "6300.00"), ("0.00", "0.00"), ("0", "0"), ("1000000.00", "999999.99"),
                           ("1000000.00", "0.01"), ("3.00", "1.00"), ("6.00", "4.50")]:
            rows.append(g(current_limit=limit, balance=bal, balance_3m_ago=bal))
            rows.append(g(current_limit=limit, balance=bal, balance_3m_ago=bal, segment="premium",
                          bureau_score="800", bureau_score_prev="770"))
        # Utilisation % rounding: halves away from zero.
        for limit, bal in [("2000.00", "1000.01"), ("8000.00", "4004.00"), ("8000.00", "3996.00"), ("3.00", "2.00"),
                           ("7.00", "5.00"), ("1600.00", "1000.00"), ("1600.00", "1000.80")]:
            rows.append(g(current_limit=limit, balance=bal, balance_3m_ago=bal))
        # Days past due (H01, R02, EW2) and worst in 12 months (B02).
        for dpd, worst in [("0", "0"), ("1", "0"), ("1", "1"), ("29", "0"), ("30", "29"), ("59", "30"), ("59", "59"),
                           ("60", "0"), ("60", "60"), ("999", "999"), ("0", "1"), ("0", "29"), ("0", "30"), ("0", "59"),
                           ("0", "60"), ("0", "999"), ("00", "000")]:
            rows.append(g(days_past_due=dpd, max_dpd_12m=worst))
        # Missed payments (B03, H03).
        for m in ["0", "1", "2", "3", "4", "12"]:
            rows.append(g(missed_payments_12m=m))
        # Months on book (B04, R06, action line 6), with month ends and leap days.
        for opened, review in [("2025-06-30", "2025-06-30"), ("2025-01-01", "2025-06-30"), ("2025-01-01", "2025-07-01"),
                               ("2024-12-31", "2025-06-30"), ("2025-01-31", "2025-06-30"), ("2024-06-30", "2025-06-30"),
                               ("2024-07-01", "2025-06-30"), ("2024-01-31", "2024-02-29"), ("2024-01-31", "2024-03-31"),
                               ("2024-01-31", "2024-03-30"), ("2023-02-28", "2024-02-29"), ("2020-02-29", "2025-02-28"),
                               ("2020-02-29", "2025-03-01"), ("2022-06-30", "2025-06-30"), ("2022-07-01", "2025-06-30"),
                               ("2018-06-30", "2025-06-30"), ("2018-07-01", "2025-06-30"), ("1990-01-01", "2026-12-31"),
                               ("2025-12-31", "2026-06-30"), ("2025-12-30", "2026-06-30"), ("2025-12-31", "2026-07-01"),
                               ("2024-03-31", "2024-04-30"), ("2023-12-31", "2024-12-30"), ("2023-12-31", "2024-12-31")]:
            rows.append(g(opened_date=opened, review_date=review))
        # Bureau score and its change (B05, B06, H04, R03, R04, EW3).
        for now, prev in [("", ""), ("", "700"), ("700", ""), ("300", "300"), ("499", "520"), ("500", "540"),
                          ("500", "539"), ("549", "549"), ("550", "589"), ("550", "590"), ("550", "591"), ("649", "650"),
                          ("650", "650"), ("700", "681"), ("700", "680"), ("700", "679"), ("749", "729"), ("750", "731"),
                          ("750", "730"), ("900", "300"), ("300", "900"), ("760", "761"), ("0760", "0750")]:
            rows.append(g(bureau_score=now, bureau_score_prev=prev))
        # Balance surge (EW4) and missing prior balance (F02).
        for bal, prior in [("2000.00", ""), ("1500.00", "1000.00"), ("1500.01", "1000.00"), ("1500.00", "999.99"),
                           ("0.00", "0.00"), ("0.01", "0.00"), ("3000.01", "2000.00"), ("3000.00", "2000.00")]:
            rows.append(g(balance=bal, balance_3m_ago=prior))
        # Payments (R05), income (F01), watch list (R01, EW5).
        for pay, bal in [("0.00", "2000.00"), ("0", "0.00"), ("0.01", "2000.00")]:
            rows.append(g(payments_3m=pay, balance=bal, balance_3m_ago=bal))
        rows.append(g(income=""))
        rows.append(g(income="0"))
        for w in ["true", "TRUE", "Yes", "y", "1", "false", "no", "N", "0"]:
            rows.append(g(watch_list=w))
        # Grade edges: scores 620/619, 580/579, 540/539, 500/499 built from the characteristics.
        # good_row scores 500 + 25+35+20+25+5+30 = 640 (A); each line below moves it across an edge.
        for changes in [
                dict(bureau_score="700", bureau_score_prev="690"),                      # 625 A
                dict(bureau_score="700", bureau_score_prev="680", opened_date="2023-01-01"),
                dict(bureau_score="700", bureau_score_prev="710", opened_date="2023-01-01"),
                dict(balance="3000.00", balance_3m_ago="3000.00", bureau_score="700", bureau_score_prev="710"),
                dict(balance="3000.00", balance_3m_ago="3000.00", bureau_score="600", bureau_score_prev="590"),
                dict(balance="3000.00", balance_3m_ago="3000.00", bureau_score="600", bureau_score_prev="610"),
                dict(balance="4000.00", balance_3m_ago="4000.00", bureau_score="600", bureau_score_prev="610"),
                dict(balance="4000.00", balance_3m_ago="4000.00", bureau_score="600", bureau_score_prev="610",
                     max_dpd_12m="5"),
                dict(balance="4000.00", balance_3m_ago="4000.00", bureau_score="600", bureau_score_prev="610",
                     max_dpd_12m="5", missed_payments_12m="1"),
                dict(balance="4000.00", balance_3m_ago="4000.00", bureau_score="600", bureau_score_prev="610",
                     max_dpd_12m="30", missed_payments_12m="1"),
                dict(balance="4000.00", balance_3m_ago="4000.00", bureau_score="600", bureau_score_prev="610",
                     max_dpd_12m="30", missed_payments_12m="2"),
                dict(balance="4600.00", balance_3m_ago="4600.00", bureau_score="560", bureau_score_prev="610",
                     max_dpd_12m="30", missed_payments_12m="2", opened_date="2024-09-01"),
                dict(balance="4600.00", balance_3m_ago="4600.00", bureau_score="560", bureau_score_prev="610",
                     max_dpd_12m="60", missed_payments_12m="2", opened_date="2024-09-01"),
                dict(balance="4600.00", balance_3m_ago="4600.00", bureau_score="530", bureau_score_prev="610",
                     max_dpd_12m="60", missed_payments_12m="2", opened_date="2024-09-01"),
                dict(balance="4600.00", balance_3m_ago="4600.00", bureau_score="520", bureau_score_prev="510",
                     max_dpd_12m="60", missed_payments_12m="1", opened_date="2024-09-01"),
                dict(balance="3600.00", balance_3m_ago="3600.00", bureau_score="640", bureau_score_prev="650",
                     max_dpd_12m="10", missed_payments_12m="1"),
                dict(balance="3600.00", balance_3m_ago="3600.00", bureau_score="640", bureau_score_prev="650",
                     max_dpd_12m="10", missed_payments_12m="2"),
                dict(balance="3600.00", balance_3m_ago="3600.00", bureau_score="640", bureau_score_prev="",
                     max_dpd_12m="10", missed_payments_12m="2")]:
            for seg in ["consumer", "small_business", "premium"]:
                rows.append(g(segment=seg, **changes))
        # Limits: every grade x segment factor, the +50% cap, the segment caps, rounding to 100.00.
        for seg in ["consumer", "small_business", "premium"]:
            for limit in ["1000.00", "1234.56", "9999.99", "11538.00", "11539.00", "11600.00", "12500.00", "15000.00",
                          "15000.01", "20000.00", "38461.54", "40000.00", "62500.00", "66666.67", "66700.00",
                          "99999.99", "100000.00", "250000.00", "1000000.00", "90.00", "99.99", "100.00", "150.00"]:
                rows.append(g(segment=seg, current_limit=limit,
                              balance=money(int(round(float(limit) * 40))), balance_3m_ago=""))
                rows[-1]["balance_3m_ago"] = rows[-1]["balance"]
            for score, prev in [("760", "750"), ("700", "710"), ("650", "640")]:
                for limit in ["5000.00", "5050.00", "13636.37", "14000.00"]:
                    rows.append(g(segment=seg, current_limit=limit, balance="2000.00", bureau_score=score,
                                  bureau_score_prev=prev))
        # Decreases (grade E): balance rounded up versus half the limit, and the limit itself.
        for limit, bal in [("5000.00", "2000.00"), ("5000.00", "2000.01"), ("5000.00", "2400.00"), ("5000.00", "2400.01"),
                           ("5000.00", "2499.99"), ("5000.00", "2500.00"), ("5000.00", "2600.00"), ("5000.00", "0.00"),
                           ("1234.57", "0.00"), ("1234.57", "617.28"), ("1234.57", "1200.01"), ("1234.57", "1234.57"),
                           ("150.00", "120.00"), ("0.01", "0.00"), ("0.03", "0.01"), ("0.00", "0.00")]:
            rows.append(g(current_limit=limit, balance=bal, balance_3m_ago=bal, bureau_score="520",
                          bureau_score_prev="510", max_dpd_12m="60", missed_payments_12m="2",
                          opened_date="2025-01-01"))
        # Action order: each line, and combinations where the earlier line wins.
        rows.append(g(days_past_due="75", balance="6000.00", missed_payments_12m="5", bureau_score="450",
                      watch_list="true", income="", balance_3m_ago=""))
        rows.append(g(balance="5000.01", watch_list="true"))
        rows.append(g(watch_list="true", income=""))
        rows.append(g(income="", balance_3m_ago="", opened_date="2025-01-01"))
        rows.append(g(opened_date="2025-01-01", balance="200.00", balance_3m_ago="200.00"))
        rows.append(g(opened_date="2025-01-01"))
        rows.append(g(balance="1000.00", balance_3m_ago="1000.00"))
        # Quoted ids in the output.
        for i in ["AC,comma", 'AC"quote"', "AC\nnewline", " AC space "]:
            rows.append(g(account_id=i))
        rows.append(g(customer_id="CU,quoted"))
        return rows

    # ---- customers: accounts whose action the customer pass changes -----------------------------

    def customer_groups(self):
        g = self.good_row
        groups = []
        for frozen_changes in [dict(days_past_due="60"), dict(balance="5000.01"), dict(missed_payments_12m="3")]:
            c = self.new_customer()
            groups.append([g(customer_id=c), g(customer_id=c, **frozen_changes), g(customer_id=c, opened_date="2025-01-01")])
        c = self.new_customer()  # two frozen accounts: each sees the other
        groups.append([g(customer_id=c, days_past_due="90"), g(customer_id=c, bureau_score="400")])
        c = self.new_customer()  # one frozen account alone in its customer: no EW6
        groups.append([g(customer_id=c, days_past_due="90")])
        c = self.new_customer()  # the frozen account is rejected: takes no part
        groups.append([g(customer_id=c), g(customer_id=c, days_past_due="90", segment="Consumer")])
        c = self.new_customer()  # same customer, rows far apart
        groups.append([g(customer_id=c)])
        groups.append([g(customer_id=c, days_past_due="61", watch_list="true")])
        groups.append([g(customer_id=c + " ")])  # a different customer (exact text)
        return groups

    # ---- bad records ----------------------------------------------------------------------------

    def bad_groups(self):
        g = self.good_row
        groups = []

        def one(**changes):
            groups.append([g(**changes)])

        for c in ["account_id", "customer_id", "review_date", "opened_date", "segment", "current_limit", "balance",
                  "payments_3m", "days_past_due", "max_dpd_12m", "missed_payments_12m", "watch_list"]:
            one(**{c: ""})
        for c, vals in [
                ("review_date", ["2025-02-29", "2025-6-30", "30/06/2025", "2025-06-31"]),
                ("opened_date", ["2019-02-29", "2019-03-15T00:00"]),
                ("current_limit", ["5,000.00", "5000.001", "5e3", "+5000", ".5"]),
                ("balance", ["2000.", "two"]),
                ("balance_3m_ago", ["1 900.00"]),
                ("payments_3m", ["600.00 "]),
                ("days_past_due", ["1.0", "+1"]),
                ("max_dpd_12m", ["x"]),
                ("missed_payments_12m", ["2.5"]),
                ("bureau_score", ["7OO", "700.0"]),
                ("bureau_score_prev", ["high"]),
                ("income", ["42k"]),
                ("watch_list", ["maybe", "t", "Y "])]:
            for v in vals:
                one(**{c: v})
        for v in ["Consumer", "retail", "premium "]:
            one(segment=v)
        for c, v in [("current_limit", "10000000000000.00"), ("balance", "99999999999999"),
                     ("days_past_due", "1000000000"), ("bureau_score", "-1000000000"), ("income", "10000000000000")]:
            one(**{c: v})
        for c, vals in [
                ("review_date", ["2023-12-31", "2027-01-01"]),
                ("opened_date", ["1989-12-31"]),
                ("current_limit", ["-0.01", "1000000.01"]),
                ("balance", ["-1.00"]),
                ("balance_3m_ago", ["-0.01"]),
                ("payments_3m", ["-5"]),
                ("days_past_due", ["-1", "1000"]),
                ("max_dpd_12m", ["-1", "1000"]),
                ("missed_payments_12m", ["-1", "13"]),
                ("bureau_score", ["299", "901"]),
                ("bureau_score_prev", ["0", "999"]),
                ("income", ["-0.01"])]:
            for v in vals:
                one(**{c: v})
        # leftmost wins: a range failure before an unreadable column, and the reverse
        one(review_date="2023-12-31", balance="lots")
        one(current_limit="lots", bureau_score="1000")
        one(missed_payments_12m="13", watch_list="perhaps")
        one(opened_date="1989-12-31", segment="gold")
        one(days_past_due="1000", max_dpd_12m="1000")
        one(review_date="2023-12-31", opened_date="2024-06-01")  # range before consistency
        # consistency checks
        one(opened_date="2025-07-01")
        one(opened_date="2025-06-30", review_date="2025-06-30", current_limit="0.00", balance="0.00")
        one(current_limit="0.00", balance="0.01")
        one(opened_date="2026-01-01", current_limit="0", balance="5.00")
        # column counts, an empty line
        row = g()
        groups.append([list(row.values())[:15]])
        groups.append([list(row.values()) + [""]])
        groups.append([[""]])
        # broken quoting
        row = g()
        groups.append([("bad_quote", csv_field(row["account_id"]) + ',"CU"x,' +
                        ",".join(csv_field(v) for v in list(row.values())[2:]))])
        groups.append([("bad_quote", '"ACbad"x,' + ",".join(csv_field(v) for v in list(row.values())[1:]))])
        # duplicates: later copy of an accepted id; a rejected record does not claim its id
        first = g()
        groups.append([first, g(account_id=first["account_id"], balance="100.00")])
        rejected = g(watch_list="perhaps")
        groups.append([rejected, g(account_id=rejected["account_id"]), g(account_id=rejected["account_id"])])
        frozen = g(days_past_due="90")
        groups.append([frozen, g(account_id=frozen["account_id"])])
        return groups


def line_of(row):
    if isinstance(row, tuple):
        return row[1]
    values = row.values() if isinstance(row, dict) else row
    return ",".join(csv_field(v) for v in values)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20250630)
    ap.add_argument("--random-rows", type=int, default=560)
    args = ap.parse_args()
    gen = Gen(args.seed)
    groups = []
    customers = []
    while sum(len(g) for g in groups) < args.random_rows:
        c = gen.new_customer()
        n = gen.rng.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]
        for _ in range(n):
            groups.append([gen.random_row(c)])
    groups += [[row] for row in gen.edge_rows()]
    groups += gen.customer_groups()
    groups += gen.bad_groups()
    gen.rng.shuffle(groups)
    out = sys.stdout
    out.write(",".join(COLUMNS) + "\n")
    for group in groups:
        for row in group:
            out.write(line_of(row) + "\n")


if __name__ == "__main__":
    main()
