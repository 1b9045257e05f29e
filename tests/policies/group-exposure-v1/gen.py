#!/usr/bin/env python3
"""Deterministic test data for the Group Exposure v1 policy (docs/policies/group-exposure-v1.md).

    python3 gen.py [--seed N] DIR

Writes DIR/input.csv (the requests), DIR/ledger.csv, DIR/group-limits.csv and DIR/watch-list.csv:
random groups of one to six customers with zero to four facilities each, then fixed edge cases
(days past due 0, 30 and 31, grade E, the watch list, a customer alone above the group limit,
groups just at and just above their approved or default limit, declined requests left out of
the group's sum, several requests of one customer, a ledger whose columns are in another order
with an extra column) and bad rows of every kind in every file. Standard library only; same
seed, same bytes.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gen_common import line_of, money  # noqa: E402

GRADES = ["A", "B", "C", "D", "E"]
DEFAULT = {"A": 5_000_000_00, "B": 3_000_000_00, "C": 1_500_000_00, "D": 500_000_00, "E": 0}


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.requests, self.ledger, self.limits, self.watch = [], [], [], []
        self.n_req = self.n_fac = 0

    def request(self, customer, group, grade, cents):
        self.n_req += 1
        self.requests.append(["RQ%05d" % self.n_req, customer, group, grade, money(cents)])

    def facility(self, customer, group, limit, utilisation, dpd):
        self.n_fac += 1
        # the ledger's columns: another order than the policy lists them, and an extra one
        self.ledger.append([group, "F%05d" % self.n_fac, money(utilisation), customer, str(dpd), money(limit)])

    def random_groups(self, groups):
        r = self.rng
        for g in range(groups):
            group = "G%03d" % g
            approved = r.random() < 0.6
            limit = r.randint(5, 80) * 100_000_00
            if approved:
                self.limits.append([group, money(limit)])
            for c in range(r.randint(1, 6)):
                customer = "C%03d-%d" % (g, c)
                for _ in range(r.choice([0, 0, 1, 1, 2, 3, 4])):
                    lim = r.randint(1, 200) * 10_000_00
                    self.facility(customer, group, lim, r.randint(0, lim), r.choice([0] * 8 + [5, 15, 30, 31, 60, 90]))
                if r.random() < 0.05:
                    self.watch.append([customer, r.choice(["fraud review", "covenant breach", "sector watch"])])
                if r.random() < 0.7:
                    self.request(customer, group, r.choice(GRADES[:4] * 4 + ["E"]), r.randint(1, 500) * 5_000_00)

    def edges(self):
        # days past due: 30 refers (R02), 31 declines (D01); grade E declines (D02)
        self.facility("CE-1", "GE1", 100_000_00, 0, 30)
        self.request("CE-1", "GE1", "A", 1_00)
        self.facility("CE-2", "GE2", 100_000_00, 0, 31)
        self.request("CE-2", "GE2", "A", 1_00)
        self.request("CE-3", "GE3", "E", 1_00)
        # the watch list (R01), before the limits
        self.watch.append(["CE-4", "fraud review"])
        self.request("CE-4", "GE4", "A", 10_000_000_00)
        # a customer alone above the group limit (G03): default B is 3,000,000.00
        self.facility("CE-5", "GE5", 2_999_999_00, 0, 0)
        self.request("CE-5", "GE5", "B", 1_00)           # exactly at: approve
        self.facility("CE-6", "GE6", 2_999_999_00, 0, 0)
        self.request("CE-6", "GE6", "B", 1_01)           # one cent above: G03
        # approved limit 1,000,000.00: two members together at, then above it (G01)
        self.limits.append(["GE7", money(1_000_000_00)])
        self.facility("CE-7a", "GE7", 400_000_00, 100_00, 0)
        self.request("CE-7a", "GE7", "A", 300_000_00)
        self.request("CE-7b", "GE7", "C", 300_000_00)    # sum 1,000,000.00: approve both
        self.limits.append(["GE8", money(1_000_000_00)])
        self.facility("CE-8a", "GE8", 400_000_00, 0, 0)
        self.request("CE-8a", "GE8", "A", 300_000_00)
        self.request("CE-8b", "GE8", "A", 300_000_01)    # one cent over: both G01
        # no approved limit: default by grade, members of different grades (G02 for some)
        self.facility("CE-9a", "GE9", 1_000_000_00, 0, 0)
        self.request("CE-9a", "GE9", "A", 500_000_00)    # after 2,000,000 <= 5,000,000: approve
        self.request("CE-9b", "GE9", "C", 500_000_00)    # after 2,000,000 > 1,500,000: G02
        # a declined member's request is not in the group's sum
        self.limits.append(["GE10", money(1_000_000_00)])
        self.facility("CE-10a", "GE10", 500_000_00, 0, 45)
        self.request("CE-10a", "GE10", "A", 600_000_00)  # D01: not counted
        self.request("CE-10b", "GE10", "A", 500_000_00)  # after 1,000,000.00: approve
        # one customer asking twice; a customer with no facilities in a listed group
        self.limits.append(["GE11", money(2_000_000_00)])
        self.request("CE-11", "GE11", "D", 200_000_00)
        self.request("CE-11", "GE11", "D", 200_000_00)
        # a group of one with nothing in the ledger, grade D default 500,000.00
        self.request("CE-12", "GE12", "D", 500_000_00)
        self.request("CE-13", "GE13", "D", 500_000_01)   # G03 (customer limits 0 + amount)

    def bad_rows(self):
        # requests
        self.requests += [
            ["RQ90001", "CX-1", "GX", "A", "0.00"],                # out_of_range:amount
            ["RQ90002", "CX-1", "GX", "A", "100000000.01"],        # out_of_range:amount
            ["RQ90003", "CX-1", "GX", "F", "1.00"],                # unknown:grade
            ["RQ90004", "", "GX", "A", "1.00"],                    # missing:customer_id
            ["RQ90005", "CX-1", "GX", "A", "1,000.00"],            # column_count:6
            ["RQ90006", "CX-1", "GX", "A", "12.345"],              # unparsable:amount
            ["RQ00001", "CX-1", "GX", "A", "1.00"],                # duplicate:request_id
            ("raw", 'RQ90007,"CX-1"x,GX,A,1.00'),                  # bad_quote
            ("raw", ""),                                           # column_count:1
            ["RQ90008", "CX-1", "", "A", "1.00"],                  # missing:group_id
        ]
        # the ledger: bad rows are set aside from both readings
        self.ledger += [
            ["GX", "F90001", "0.00", "CX-2", "0", "-1.00"],        # out_of_range:limit
            ["GX", "F90002", "-0.01", "CX-2", "0", "1.00"],        # out_of_range:utilisation
            ["GX", "F90003", "0.00", "CX-2", "-1", "1.00"],        # out_of_range:days_past_due
            ["GX", "F90004", "0.00", "", "0", "1.00"],             # missing:customer_id
            ["", "F90005", "0.00", "CX-2", "0", "1.00"],           # missing:group_id
            ["GX", "F90006", "0.00", "CX-2", "1.5", "1.00"],       # unparsable:days_past_due
            ["GX", "F90007", "0.00", "CX-2", "0"],                 # column_count:5
        ]
        self.limits += [
            ["GE7", "5000000.00"],                                 # duplicate:group_id (the first stands)
            ["GX1", "0.00"],                                       # out_of_range:limit
            ["GX2", "abc"],                                        # unparsable:limit
        ]
        self.watch += [
            ["CE-4", "again"],                                     # duplicate:customer_id
            ["CX-3", ""],                                          # missing:reason
        ]

    def write(self, directory):
        files = [
            ("input.csv", ["request_id", "customer_id", "group_id", "grade", "amount"], self.requests),
            ("ledger.csv", ["group_id", "facility_id", "utilisation", "customer_id", "days_past_due", "limit"], self.ledger),
            ("group-limits.csv", ["group_id", "limit"], self.limits),
            ("watch-list.csv", ["customer_id", "reason"], self.watch),
        ]
        for name, header, rows in files:
            with open(os.path.join(directory, name), "w", newline="\n", encoding="utf-8") as f:
                f.write(",".join(header) + "\n")
                for row in rows:
                    f.write(line_of(row) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("directory", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    g = Gen(args.seed)
    g.random_groups(60)
    g.edges()
    g.bad_rows()
    g.write(args.directory)


if __name__ == "__main__":
    main()
