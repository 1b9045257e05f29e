#!/usr/bin/env python3
"""Reference implementation of the Early Warning v1 policy (docs/policies/early-warning-v1.md).

Written from the policy document alone, independently of credo: standard library only, exact
amounts and decimals as fractions.Fraction. Section numbers in the comments are the document's.

    python3 oracle.py INPUT.csv OUTPUT.csv REJECTS.csv GROUPS.csv [--coverage]
"""

import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import credo_csv as C  # noqa: E402

COLUMNS = [
    ("obligor_id", "text", False),
    ("group_id", "text", True),
    ("review_date", "date", False),
    ("segment", ["corporate", "sme"], False),
    ("exposure", "amount", False),
    ("days_past_due", "whole", False),
    ("utilisation", ("decimal", 4), True),
    ("rating", "whole", False),
    ("rating_prev", "whole", True),
    ("covenant_breach", "yesno", False),
    ("returned_payments_3m", "whole", False),
    ("sector_outlook", ["positive", "stable", "negative", "distressed"], False),
    ("insolvency_filed", "yesno", False),
    ("watch_list", "yesno", False),
]
NAMES = [c[0] for c in COLUMNS]
D = C.day_number
# Each valid range with the rule the policy document states it by (the rejects' detail quotes it).
VALID = {
    "review_date": (lambda v: D(2025, 1, 1) <= v <= D(2026, 12, 31), None,
        'review_date >= date("2025-01-01") and review_date <= date("2026-12-31")'),
    "exposure": (lambda v: 0 <= v <= 1_000_000_000, None,
        "exposure >= 0 and exposure <= 1_000_000_000.00"),
    "days_past_due": (lambda v: 0 <= v <= 999, None,
        "days_past_due >= 0 and days_past_due <= 999"),
    "utilisation": (lambda v: 0 <= v <= 5, None,
        "utilisation >= 0 and utilisation <= 5"),
    "rating": (lambda v: 1 <= v <= 10, None,
        "rating >= 1 and rating <= 10"),
    "rating_prev": (lambda v: 1 <= v <= 10, None,
        "rating_prev >= 1 and rating_prev <= 10"),
    "returned_payments_3m": (lambda v: 0 <= v <= 99, None,
        "returned_payments_3m >= 0 and returned_payments_3m <= 99"),
}

coverage = {}


def cover(key):
    coverage[key] = coverage.get(key, 0) + 1


def screen(r):
    dpd, util = r["days_past_due"], r["utilisation"]
    drop = r["rating"] - r["rating_prev"] if r["rating_prev"] is not None else None
    ret, outlook = r["returned_payments_3m"], r["sector_outlook"]
    # 4. Signals
    signals = [
        ("S01", 1 <= dpd < 30, 10),
        ("S02", dpd >= 30, 30),
        ("S03", util is not None and util > F(9, 10), 15),
        ("S04", util is None, 5),
        ("S05", drop is not None and drop == 1, 10),
        ("S06", drop is not None and drop >= 2, 25),
        ("S07", r["covenant_breach"], 25),
        ("S08", 1 <= ret < 3, 10),
        ("S09", ret >= 3, 20),
        ("S10", outlook == "negative", 5),
        ("S11", outlook == "distressed", 15),
    ]
    held = [(code, w) for code, holds, w in signals if holds]
    for code, _ in held:
        cover(code)
    score = sum(w for _, w in held)
    # 5. Level
    lines = [
        ("V01", dpd >= 90, "CRITICAL"),
        ("V02", r["insolvency_filed"], "CRITICAL"),
        ("V03", score >= 60, "CRITICAL"),
        ("V04", 30 <= score < 60, "ALERT"),
        ("V05", 15 <= score < 30, "WATCH"),
        ("V06", r["watch_list"], "WATCH"),
    ]
    level, why = "NORMAL", ""
    for code, applies, lv in lines:
        if applies:
            level, why = lv, code
            break
    cover("level %s %s" % (why or "-", level))
    return {"r": r, "score": score, "signals": [c for c, _ in held], "level": level, "why": why,
            "warnings": [], "group": None}


def group_pass(results):
    groups = {}
    for m in results:
        gid = m["r"]["group_id"]
        if gid is not None:
            groups.setdefault(gid, []).append(m)
    summary = []
    for gid, members in groups.items():
        critical = [m["level"] == "CRITICAL" for m in members]
        n_critical = sum(critical)
        other = [n_critical - (1 if c else 0) > 0 for c in critical]
        for m, o in zip(members, other):                      # 6.1
            if o:
                m["warnings"].append("G01")
                cover("G01 warning")
        for m, o in zip(members, other):                      # 6.2
            if o and m["level"] in ("WATCH", "NORMAL"):
                cover("contagion from " + m["level"])
                m["level"], m["why"] = "ALERT", "G01"
        exposure = sum((m["r"]["exposure"] for m in members), F(0))
        fig = {
            "group_id": gid, "members": len(members), "exposure": exposure,
            "critical": sum(m["level"] == "CRITICAL" for m in members),
            "alert": sum(m["level"] == "ALERT" for m in members),
            "worst": max(m["score"] for m in members),
            "flagged": sum((m["r"]["exposure"] for m in members if m["level"] in ("CRITICAL", "ALERT")), F(0)),
        }
        cover("group of %s" % (len(members) if len(members) < 4 else "4+"))
        for m in members:
            m["group"] = fig
        summary.append(fig)
    summary.sort(key=lambda f: f["group_id"].encode("utf-8"))
    summary.sort(key=lambda f: f["exposure"], reverse=True)   # stable: ties stay by group_id
    return summary


MONTHS = {"CRITICAL": 1, "ALERT": 3, "WATCH": 6, "NORMAL": 12}


def row_text(m):
    r = m["r"]
    nxt = C.end_of_month(C.add_months(r["review_date"], MONTHS[m["level"]]))
    return [
        r["obligor_id"], r["group_id"] or "", C.opt(r["utilisation"], lambda v: C.fixed(v, 4)), str(m["score"]),
        ";".join(m["signals"]), str(len(m["signals"])), m["level"], m["why"], C.date_text(nxt),
        "" if m["group"] is None else C.amount(m["group"]["exposure"]), ";".join(m["warnings"]),
    ]


HEADER = "obligor_id,group_id,utilisation,score,signal_codes,signal_count,level,level_reason,next_review,group_exposure,warnings"
GROUP_HEADER = "group_id,members,exposure,critical,alert,worst_score,flagged_exposure"


def main(argv):
    if len(argv) not in (5, 6):
        sys.exit(__doc__)
    C.check_calendar()
    results, rejects, seen = [], [], {}
    for line, fields, bad in C.read_file(argv[1], NAMES):
        reason, detail, r = C.read_record(COLUMNS, VALID, fields, bad)
        if reason is None and not (r["days_past_due"] == 0 or r["exposure"] > 0):
            reason, detail = "arrears_without_exposure", C.check_detail("days_past_due == 0 or exposure > 0")
        if reason is None:
            if r["obligor_id"] in seen:
                reason = "duplicate:obligor_id"
                detail = C.duplicate_detail("obligor_id", r["obligor_id"], seen[r["obligor_id"]])
            else:
                seen[r["obligor_id"]] = line  # the line of its accepted record
        if reason is not None:
            rejects.append([str(line), fields[0], reason, detail])
            continue
        results.append(screen(r))
    summary = group_pass(results)
    for m in results:
        cover("final " + m["level"])
    C.write_csv(argv[2], HEADER, [row_text(m) for m in results])
    C.write_csv(argv[3], "line,obligor_id,reason,detail", rejects)
    C.write_csv(argv[4], GROUP_HEADER, [[f["group_id"], str(f["members"]), C.amount(f["exposure"]), str(f["critical"]),
                                         str(f["alert"]), str(f["worst"]), C.amount(f["flagged"])] for f in summary])
    if len(argv) == 6:
        for k in sorted(coverage):
            print("%-26s %d" % (k, coverage[k]))
        print("accepted %d, rejected %d, groups %d" % (len(results), len(rejects), len(summary)))


if __name__ == "__main__":
    main(sys.argv)
