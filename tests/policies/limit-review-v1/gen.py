#!/usr/bin/env python3
"""Deterministic test data for the Limit Review v1 policy (docs/policies/limit-review-v1.md).

    python3 gen.py [--seed N] [--random-rows N] > input.csv

Writes random accounts plus fixed edge cases: both sides of every interval of the review table,
every line alone and with the lines that outrank it, missing values of every optional column,
the product caps, the rounding of new limits, and bad records of every reject kind. Standard
library only; same seed, same bytes.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gen_common import money, write_input  # noqa: E402

COLUMNS = ["account_id", "product", "current_limit", "balance", "days_past_due", "grade", "grade_prev",
           "bureau_score", "fraud_flag"]
PRODUCTS = ["card", "overdraft", "personal_line"]
GRADES = ["A", "B", "C", "D", "E"]
CAPS = {"card": 2_500_000, "overdraft": 1_000_000, "personal_line": 5_000_000}   # cents


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0

    def new_id(self):
        self.next_id += 1
        return "LR%06d" % self.next_id

    def random_row(self):
        r = self.rng
        product = r.choices(PRODUCTS, [55, 25, 20])[0]
        limit = r.choice([r.randint(5, 250) * 100_00, r.randint(1, 5_000_000), r.randint(1, 50) * 1000_00,
                          CAPS[product], CAPS[product] - r.randint(1, 200_000)])
        limit = max(1, min(limit, 50_000_000))
        u = r.choice([r.uniform(0, 0.5), r.uniform(0.4, 0.85), r.uniform(0.75, 1.02), r.uniform(0.95, 1.3)])
        balance = min(int(limit * u), 100_000_000)
        dpd = r.choices(["0", str(r.randint(1, 29)), str(r.randint(30, 89)), str(r.randint(90, 400)), ""],
                        [70, 12, 7, 4, 7])[0]
        if dpd not in ("", "0") and balance == 0:
            balance = 1
        grade = r.choices(GRADES, [25, 30, 25, 12, 8])[0]
        i = GRADES.index(grade)
        prev = r.choices(["", grade, GRADES[max(0, i - 1)], GRADES[max(0, i - 2)], GRADES[min(4, i + 1)],
                          r.choice(GRADES)], [10, 50, 15, 6, 12, 7])[0]
        score = "" if r.random() < 0.08 else str(r.choice([r.randint(300, 900), r.randint(600, 850),
                                                           r.randint(520, 720)]))
        fraud = r.choices(["false", "true", "N", "Y", "no", "0", "1"], [80, 3, 8, 1, 4, 3, 1])[0]
        return [self.new_id(), product, money(limit), money(balance), dpd, grade, prev, score, fraud]

    def good(self, **changes):
        row = {"account_id": self.new_id(), "product": "card", "current_limit": "10000.00", "balance": "8500.00",
               "days_past_due": "0", "grade": "B", "grade_prev": "B", "bureau_score": "720", "fraud_flag": "false"}
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return [row[c] for c in COLUMNS]

    def edge_rows(self):
        g = self.good
        rows = []
        # Days past due (L02, L04, L08, L09, L13): every edge, alone and with a high utilisation.
        for dpd in ["", "0", "00", "1", "29", "30", "89", "90", "91", "999"]:
            rows.append(g(days_past_due=dpd))
            rows.append(g(days_past_due=dpd, balance="2000.00", grade="A", bureau_score="750"))
        # Utilisation (L07, L13, L14): each edge exactly and a cent either side, for grades A and C.
        for bal in ["0.00", "4999.99", "5000.00", "5000.01", "7999.99", "8000.00", "8000.01", "9999.99",
                    "10000.00", "10000.01", "12000.00"]:
            for grade in ["A", "C"]:
                rows.append(g(balance=bal, grade=grade, grade_prev=grade, bureau_score="710"))
        for limit, bal in [("3.00", "2.40"), ("3.00", "1.50"), ("7.00", "5.60"), ("7.00", "7.00"), ("7.00", "7.01"),
                           ("0.01", "0.01"), ("0.01", "0.00"), ("123.45", "98.76"), ("123.45", "61.73")]:
            rows.append(g(current_limit=limit, balance=bal, grade="A", grade_prev="A"))
        # Grade migration (L05, L10, L13 <= 0): every pair of grades, and no previous grade.
        for grade in GRADES:
            for prev in GRADES + [""]:
                rows.append(g(grade=grade, grade_prev=prev))
        # Bureau score (L06, L11, L13, L14).
        for score in ["", "300", "549", "550", "649", "650", "699", "700", "900", "0650"]:
            rows.append(g(bureau_score=score))
            rows.append(g(bureau_score=score, grade="A", grade_prev="A", balance="6000.00"))
        # Fraud (L01) with every spelling.
        for f in ["true", "TRUE", "Yes", "y", "1", "false", "NO", "n", "0"]:
            rows.append(g(fraud_flag=f))
        rows.append(g(fraud_flag="true", days_past_due="120", grade="E", bureau_score="400"))
        # Headroom (L13, L14): at the cap, a cent either side, in each product.
        for product in PRODUCTS:
            cap = CAPS[product]
            for limit in [cap - 100_00, cap - 1, cap, cap + 1, cap * 2]:
                for bal_pct in [85, 60]:
                    rows.append(g(product=product, current_limit=money(limit), balance=money(limit * bal_pct // 100),
                                  grade="A", grade_prev="B", bureau_score="780"))
        # Increases: every grade factor, rounding down to 100.00, the cap, never below the limit.
        for grade in ["A", "B", "C"]:
            for limit in ["50.00", "99.99", "100.00", "950.00", "1234.56", "4000.00", "8799.99", "9000.00",
                          "21739.13", "22000.00", "24999.99", "40000.00"]:
                lim = int(round(float(limit) * 100))
                rows.append(g(current_limit=limit, balance=money(lim * 9 // 10), grade=grade, grade_prev=grade,
                              product="card", bureau_score="700"))
        # Cuts and freezes: floor of the cut limit versus the balance rounded up, capped at the limit.
        for code_changes in [dict(grade="E", grade_prev="E"), dict(days_past_due="45"), dict(grade="C", grade_prev="A"),
                             dict(bureau_score="500"), dict(days_past_due="95"), dict(fraud_flag="yes")]:
            for limit, bal in [("10000.00", "0.00"), ("10000.00", "1000.00"), ("10000.00", "4999.99"),
                               ("10000.00", "5000.01"), ("10000.00", "6000.00"), ("10000.00", "7450.00"),
                               ("10000.00", "9999.99"), ("10000.00", "10000.00"), ("10000.00", "10050.00"),
                               ("1234.56", "10.00"), ("1234.56", "1200.01"), ("99.99", "50.00"), ("250.00", "0.01")]:
                if bal == "0.00" and "days_past_due" in code_changes:
                    continue
                rows.append(g(current_limit=limit, balance=bal, **code_changes))
        # Several lines at once: the most severe wins, the earlier of equals; all are listed.
        rows.append(g(days_past_due="45", grade="E", grade_prev="B", bureau_score="500"))   # CUT: L03 first
        rows.append(g(days_past_due="45", grade="D", grade_prev="B", bureau_score="500"))   # L04 0.40
        rows.append(g(days_past_due="", grade="D", grade_prev="C", bureau_score=""))        # KEEP L08
        rows.append(g(days_past_due="10", balance="10500.00", grade="D", grade_prev="C", bureau_score=""))
        rows.append(g(days_past_due="", balance="10500.00", grade="C", grade_prev="A", bureau_score="540"))
        rows.append(g(days_past_due="90", fraud_flag="true", grade="E", grade_prev="A", bureau_score="300",
                      balance="12000.00"))
        # Quoted ids.
        for i in ["LR,comma", 'LR"quote"', "LR\nnewline", " LR space "]:
            rows.append(g(account_id=i))
        return rows

    def bad_rows(self):
        g = self.good
        rows = []
        for c in ["account_id", "product", "current_limit", "balance", "grade", "fraud_flag"]:
            rows.append(g(**{c: ""}))
        for c, vals in [("product", ["Card", "loan", "card "]), ("grade", ["a", "F", "A+"]), ("grade_prev", ["b", "X"]),
                        ("current_limit", ["10,000.00", "10000.001", "1e4", "+100", ".5"]),
                        ("balance", ["85.", "lots"]), ("days_past_due", ["1.0", "+1", "ten"]),
                        ("bureau_score", ["7OO", "700.0"]), ("fraud_flag", ["maybe", "t", "Y "])]:
            for v in vals:
                rows.append(g(**{c: v}))
        for c, vals in [("current_limit", ["0.00", "0", "-1.00", "500000.01", "10000000000000"]),
                        ("balance", ["-0.01", "1000000.01", "99999999999999"]),
                        ("days_past_due", ["-1", "1000", "1000000000"]),
                        ("bureau_score", ["299", "901", "-5"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        rows.append(g(current_limit="500000.00", balance="1000000.00"))          # both at their maximum: valid
        rows.append(g(current_limit="0.00", product="loan"))                      # leftmost wins
        rows.append(g(product="loan", current_limit="0.00"))
        rows.append(g(balance="-1.00", days_past_due="x"))
        rows.append(g(days_past_due="x", bureau_score="1000"))
        # consistency check
        rows.append(g(days_past_due="1", balance="0.00"))
        rows.append(g(days_past_due="0", balance="0.00"))                          # valid
        rows.append(g(days_past_due="", balance="0.00"))                           # valid
        rows.append(g(days_past_due="999", balance="0"))
        # column counts, an empty line, broken quoting
        row = g()
        rows.append(row[:8])
        rows.append(row + ["extra"])
        rows.append([""])
        rows.append(("bad_quote", '"LRbad"x,' + ",".join(row[1:])))
        rows.append(("bad_quote", row[0] + ',"card"x,' + ",".join(row[2:])))
        return rows

    def duplicate_groups(self):
        g = self.good
        first = g()
        rejected = g(product="loan")
        return [[first, [first[0]] + g()[1:]],
                [rejected, [rejected[0]] + g()[1:], [rejected[0]] + g(fraud_flag="true")[1:]]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20261001)
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
