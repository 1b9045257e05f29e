#!/usr/bin/env python3
"""Deterministic test data for the Early Warning v1 policy (docs/policies/early-warning-v1.md).

    python3 gen.py [--seed N] [--random-groups N] > input.csv

Writes random obligors in groups of one to six (and obligors in no group), plus fixed edge
cases: both sides of every signal and level edge, every override, missing values of every
optional column, contagion (one and several critical members, members on every level, rejected
critical members, members far apart in the file), groups with equal exposure (sorted by id),
month ends for the next review, and bad records of every reject kind. Standard library only;
same seed, same bytes.
"""

import argparse
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from gen_common import money, write_input  # noqa: E402

COLUMNS = ["obligor_id", "group_id", "review_date", "segment", "exposure", "days_past_due", "utilisation", "rating",
           "rating_prev", "covenant_breach", "returned_payments_3m", "sector_outlook", "insolvency_filed",
           "watch_list"]
OUTLOOKS = ["positive", "stable", "negative", "distressed"]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.next_id = 0
        self.next_group = 0

    def new_id(self):
        self.next_id += 1
        return "OB%06d" % self.next_id

    def new_group(self):
        self.next_group += 1
        return "GR%04d" % self.next_group

    def random_row(self, group):
        r = self.rng
        review = datetime.date(2025, 1, 1) + datetime.timedelta(days=r.randint(0, 729))
        segment = r.choice(["corporate", "sme"])
        exposure = r.choice([r.randint(0, 50_000_000), r.randint(10_000_000, 5_000_000_000), r.randint(1, 100) * 1_000_000_00])
        dpd = r.choices([0, r.randint(1, 29), r.randint(30, 89), r.randint(90, 300)], [80, 10, 6, 4])[0]
        if exposure == 0:
            dpd = 0
        util = "" if r.random() < 0.1 else r.choice(["%.4f" % r.uniform(0, 1.2), "%.2f" % r.uniform(0.5, 1.0),
                                                      "%.1f" % r.uniform(0, 1.5), str(r.randint(0, 1))])
        rating = r.randint(1, 10)
        prev = "" if r.random() < 0.1 else str(max(1, min(10, rating - r.choices([0, 1, 2, 3, -1, -2], [60, 15, 8, 3, 10, 4])[0])))
        cov = r.choices(["false", "true", "N", "Y"], [85, 8, 5, 2])[0]
        ret = str(r.choices([0, 1, 2, r.randint(3, 10)], [80, 10, 5, 5])[0])
        outlook = r.choices(OUTLOOKS, [20, 55, 18, 7])[0]
        insolvency = r.choices(["false", "true", "no"], [93, 2, 5])[0]
        watch = r.choices(["false", "true", "0", "1"], [85, 7, 5, 3])[0]
        return [self.new_id(), group, review.isoformat(), segment, money(exposure), str(dpd), util, str(rating), prev,
                cov, ret, outlook, insolvency, watch]

    def good(self, **changes):
        row = {"obligor_id": self.new_id(), "group_id": "", "review_date": "2025-08-31", "segment": "corporate",
               "exposure": "1000000.00", "days_past_due": "0", "utilisation": "0.5", "rating": "4",
               "rating_prev": "4", "covenant_breach": "false", "returned_payments_3m": "0",
               "sector_outlook": "stable", "insolvency_filed": "false", "watch_list": "false"}
        for k, v in changes.items():
            assert k in row, k
            row[k] = v
        return [row[c] for c in COLUMNS]

    def edge_rows(self):
        g = self.good
        rows = []
        for dpd in ["0", "1", "29", "30", "89", "90", "999", "000"]:
            rows.append(g(days_past_due=dpd))
        for u in ["", "0", "0.9", "0.90", "0.9000", "0.9001", "0.8999", "1", "5", "5.0000", "0.0001"]:
            rows.append(g(utilisation=u))
        for now, prev in [("4", ""), ("4", "4"), ("5", "4"), ("6", "4"), ("10", "1"), ("3", "4"), ("1", "10"), ("7", "5")]:
            rows.append(g(rating=now, rating_prev=prev))
        for c in ["true", "Yes", "1", "false"]:
            rows.append(g(covenant_breach=c))
        for ret in ["0", "1", "2", "3", "99"]:
            rows.append(g(returned_payments_3m=ret))
        for o in OUTLOOKS:
            rows.append(g(sector_outlook=o))
        # score edges 14/15, 29/30, 59/60 built from the weights
        for changes in [dict(rating="5", utilisation=""),                              # 10 + 5 = 15
                        dict(rating="5", sector_outlook="negative"),                    # 15
                        dict(returned_payments_3m="1"),                                 # 10
                        dict(returned_payments_3m="1", utilisation=""),                 # 15
                        dict(days_past_due="5", returned_payments_3m="1", utilisation="", sector_outlook="negative"),  # 30
                        dict(days_past_due="5", returned_payments_3m="1", utilisation=""),                            # 25
                        dict(covenant_breach="true", utilisation="", sector_outlook="negative"),                     # 35
                        dict(covenant_breach="true", rating="6", sector_outlook="negative"),                         # 55
                        dict(covenant_breach="true", rating="6", sector_outlook="distressed"),                       # 65
                        dict(covenant_breach="true", rating="6", utilisation="", sector_outlook="negative"),         # 60
                        dict(days_past_due="30", covenant_breach="true", utilisation="0.95"),                        # 70
                        dict(days_past_due="30", rating="5", returned_payments_3m="1", utilisation="", sector_outlook="negative"),  # 60
                        dict(days_past_due="30", rating="5", returned_payments_3m="1", sector_outlook="negative"),   # 55
                        dict(days_past_due="120", covenant_breach="true", rating="9", rating_prev="3",
                             returned_payments_3m="5", utilisation="1.1", sector_outlook="distressed")]:
            rows.append(g(**changes))
            rows.append(g(watch_list="true", **changes))
            rows.append(g(insolvency_filed="true", **changes))
        for w in ["true", "y", "false"]:
            rows.append(g(watch_list=w))
        # next review over month ends and leap years, for each level
        for rd in ["2025-01-31", "2025-08-31", "2025-11-30", "2025-12-31", "2026-02-28", "2025-02-28", "2026-11-15",
                   "2026-12-31", "2025-01-01"]:
            for changes in [dict(), dict(watch_list="true"), dict(covenant_breach="true", rating="6"),
                            dict(days_past_due="95")]:
                rows.append(g(review_date=rd, **changes))
        for i in ["OB,comma", 'OB"q"', "OB\nnl"]:
            rows.append(g(obligor_id=i))
        return rows

    def groups(self):
        """Hand-made groups: (rows) lists, each a group or several groups interleaved."""
        g = self.good
        out = []
        # one critical member: the others on every level
        gid = self.new_group()
        out.append([g(group_id=gid, days_past_due="95", exposure="500000.00"), g(group_id=gid),
                    g(group_id=gid, watch_list="true"), g(group_id=gid, covenant_breach="true", utilisation=""),
                    g(group_id=gid, covenant_breach="true", rating="6", sector_outlook="distressed")])
        # two critical members: each sees the other; no contagion from ALERT
        gid = self.new_group()
        out.append([g(group_id=gid, insolvency_filed="true"), g(group_id=gid, days_past_due="90"), g(group_id=gid)])
        gid = self.new_group()
        out.append([g(group_id=gid, covenant_breach="true", utilisation=""), g(group_id=gid), g(group_id=gid, watch_list="1")])
        # a critical member alone in its group: no warning
        out.append([g(group_id=self.new_group(), days_past_due="200")])
        # the critical member is rejected: no contagion
        gid = self.new_group()
        out.append([g(group_id=gid), g(group_id=gid, days_past_due="95", segment="SME")])
        # group ids: quoted, a trailing space is another group, members far apart (separate lists)
        gid = self.new_group()
        out.append([g(group_id=gid + ",x"), g(group_id=gid + ",x", days_past_due="95")])
        out.append([g(group_id=gid)])
        out.append([g(group_id=gid, insolvency_filed="1")])
        out.append([g(group_id=gid + " ")])
        # equal group exposures: ordered by group id; upper case before lower case (bytes)
        for name in ["TIE-b", "TIE-a", "TIE-B", "tie-a", "TIE-c"]:
            out.append([g(group_id=name, exposure="750000.00"), g(group_id=name, exposure="250000.00")])
        out.append([g(group_id="TIE-z", exposure="1000000.00")])
        out.append([g(group_id="ZERO", exposure="0.00"), g(group_id="ZERO", exposure="0")])
        out.append([g(group_id="BIG", exposure="1000000000.00"), g(group_id="BIG", exposure="1000000000.00", days_past_due="91"),
                    g(group_id="BIG", exposure="999999999.99")])
        return out

    def bad_rows(self):
        g = self.good
        rows = []
        for c in ["obligor_id", "review_date", "segment", "exposure", "days_past_due", "rating", "covenant_breach",
                  "returned_payments_3m", "sector_outlook", "insolvency_filed", "watch_list"]:
            rows.append(g(**{c: ""}))
        for c, vals in [("review_date", ["2025-02-29", "2025-8-31"]), ("segment", ["Corporate", "retail"]),
                        ("exposure", ["1,000.00", "1e6", "1000.001"]), ("days_past_due", ["1.5", "+3"]),
                        ("utilisation", ["0.12345", ".5", "5.", "1e-1", "50%", "+0.5"]), ("rating", ["A"]),
                        ("rating_prev", ["4.0"]), ("covenant_breach", ["maybe"]), ("returned_payments_3m", ["two"]),
                        ("sector_outlook", ["Negative", "bad"]), ("insolvency_filed", ["t"]), ("watch_list", ["?"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        for c, vals in [("review_date", ["2024-12-31", "2027-01-01"]), ("exposure", ["-0.01", "1000000000.01",
                                                                                       "10000000000000"]),
                        ("days_past_due", ["-1", "1000"]), ("utilisation", ["-0.0001", "5.0001", "6", "100000000000", "-100000000000.0000", "99999999999.9999"]),
                        ("rating", ["0", "11"]), ("rating_prev", ["0", "11"]), ("returned_payments_3m", ["-1", "100"])]:
            for v in vals:
                rows.append(g(**{c: v}))
        rows.append(g(exposure="-1.00", rating="X"))
        rows.append(g(rating="X", exposure="-1.00"))
        rows.append(g(days_past_due="1", exposure="0.00"))
        rows.append(g(days_past_due="0", exposure="0.00"))          # valid
        row = g()
        rows.append(row[:13])
        rows.append(row + ["x"])
        rows.append([""])
        rows.append(("bad_quote", '"OBbad"x,' + ",".join(row[1:])))
        first = g()
        rows.append(first)
        rows.append([first[0]] + g(days_past_due="95")[1:])
        return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20250831)
    ap.add_argument("--random-groups", type=int, default=450)
    args = ap.parse_args()
    gen = Gen(args.seed)
    chunks = []
    for _ in range(args.random_groups):
        n = gen.rng.choices([0, 1, 2, 3, 4, 6], [30, 20, 20, 14, 10, 6])[0]
        if n == 0:
            chunks.append([gen.random_row("")])
            continue
        gid = gen.new_group()
        members = [gen.random_row(gid) for _ in range(n)]
        # each member a chunk of its own: shuffled apart in the file
        chunks += [[m] for m in members]
    chunks += [[row] for row in gen.edge_rows()]
    chunks += gen.groups()
    bad = gen.bad_rows()
    chunks += [[row] for row in bad[:-2]]
    chunks.append(bad[-2:])                 # a duplicate id after its first, accepted, record
    gen.rng.shuffle(chunks)
    write_input(COLUMNS, chunks)


if __name__ == "__main__":
    main()
