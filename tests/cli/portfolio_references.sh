#!/usr/bin/env bash
# credo compare and credo report with reference data (--ref NAME=FILE, as credo run takes it):
# group exposure v1 (four references) against a v2 that no longer reads the watch list. Each
# policy is given the references it declares: a --ref only the champion declares is fine, one
# neither declares is a usage error, as is a reference a policy reads and no --ref gives. The
# figures are those of the two policies' own `credo run` (with --ref-rejects: compare and
# report set bad reference rows aside and say so); JSON Lines input and gzip'd references give
# the same figures; a reference file that does not fit, or cannot be read, is a clear error.
# ctest-timeout: 120
source "$(dirname "$0")/lib.sh" "$@"
V1=$SRC/policies/group-exposure-v1.credo
V2=$SRC/tests/portfolio/group-exposure-v2.credo
D=$SRC/tests/policies/group-exposure-v1
IN=$D/input.csv
common=(--ref facilities=$D/ledger.csv --ref group_facilities=$D/ledger.csv --ref group_limits=$D/group-limits.csv)
watch=(--ref watch_list=$D/watch-list.csv)
roles=(--amount exposure_after)

"$CREDO" run "$V1" --in "$IN" --out v1.csv --rejects v1.rejects.csv "${common[@]}" "${watch[@]}" \
  --ref-rejects v1.refrej.csv 2> /dev/null || fail "run v1"
"$CREDO" run "$V2" --in "$IN" --out v2.csv --rejects v2.rejects.csv "${common[@]}" --ref-rejects v2.refrej.csv \
  2> /dev/null || fail "run v2"
expect 0 "$V1: reference rows set aside: facilities 7 of 323, group_facilities 7 of 323, group_limits 3 of 43, watch_list 2 of 11" -- "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" "${watch[@]}" \
  "${roles[@]}" --json --changed changed.csv > compare.json
grep -qF "$V2: reference rows set aside: facilities 7 of 323, group_facilities 7 of 323, group_limits 3 of 43 (" err || fail "the rows set aside for v2 are not counted"

# The swap set and the changed records, from the runs' own outputs joined by line.
python3 - "$IN" v1.csv v1.rejects.csv v2.csv v2.rejects.csv compare.json changed.csv <<'PY' || fail "figures differ from the runs'"
import csv, json, sys
from collections import Counter
inp, o1, r1, o2, r2, report, changed = sys.argv[1:]
lines = [k + 2 for k in range(sum(1 for _ in open(inp)) - 1)]  # no quoted line ends in this input
def joined(out, rej):
    outs = list(csv.DictReader(open(out, newline="")))
    rejs = {int(r["line"]): r["reason"] for r in csv.DictReader(open(rej, newline=""))}
    rows, k = [], 0
    for line in lines:
        if line in rejs:
            rows.append(None)
        else:
            rows.append(outs[k]); k += 1
    assert k == len(outs)
    return rows
a, b = joined(o1, r1), joined(o2, r2)
j = json.load(open(report))
dec = lambda r: r["decision"] if r else "(rejected)"
want = Counter((dec(x), dec(y)) for x, y in zip(a, b))
got = {(c["from"], c["to"]): c["count"] for c in j["swap_set"]["cells"] if c["count"]}
assert got == dict(want), (got, want)
assert j["champion"]["version"] == "1.0" and j["challenger"]["version"] == "2.0"
outcome = lambda r: (r["decision"], r["exposure_after"], r["reason"]) if r else None
want_lines = [l for l, x, y in zip(lines, a, b) if outcome(x) != outcome(y)]
listed = [int(r["line"]) for r in csv.DictReader(open(changed, newline=""))]
assert listed == want_lines and j["changed"] == len(want_lines) > 10, (listed[:10], want_lines[:10])
PY

# The same from JSON Lines, and from gzip'd reference files: the input without its bad quote and
# its row of one cell (JSON Lines has neither), read both ways.
sed '173,174d' "$IN" > clean.csv
grep -q '^RQ90007\|^,' clean.csv && fail "clean.csv still has the bad rows"
python3 - clean.csv <<'PY' || fail "cannot write the JSON Lines input"
import csv, json, sys
with open("input.jsonl", "w") as f:
    f.write("\n")  # each record on its CSV line
    for r in csv.DictReader(open(sys.argv[1], newline="")):
        f.write(json.dumps(r) + "\n")
PY
gzip -nc "$D/ledger.csv" > ledger.csv.gz
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in clean.csv "${common[@]}" "${watch[@]}" "${roles[@]}" --json \
  --changed changed-clean.csv > compare-clean.json
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in input.jsonl --ref facilities=ledger.csv.gz \
  --ref group_facilities=ledger.csv.gz --ref group_limits=$D/group-limits.csv "${watch[@]}" "${roles[@]}" --json \
  --changed changed-jsonl.csv > compare-jsonl.json
cmp -s compare-clean.json compare-jsonl.json || fail "JSON Lines and gzip'd references give other figures"
cmp -s changed-clean.csv changed-jsonl.csv || fail "JSON Lines and gzip'd references give other changed records"
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" "${watch[@]}" "${roles[@]}" --engine interp \
  --json > compare-interp.json
cmp -s compare.json compare-interp.json || fail "--engine interp gives other figures"

# report with --ref: the decision mix is the run's.
expect 0 "" -- "$CREDO" report "$V1" --in "$IN" "${common[@]}" "${watch[@]}" "${roles[@]}" --baseline input.jsonl \
  --json --out report.html > report.json
python3 - v1.csv report.json <<'PY' || fail "the report's decisions differ from the run's"
import csv, json, sys
from collections import Counter
out = list(csv.DictReader(open(sys.argv[1], newline="")))
s = json.load(open(sys.argv[2]))["summary"]
want = Counter(o["decision"] for o in out)
want["(rejected)"] = s["records"] - len(out)
assert {d["value"]: d["count"] for d in s["decisions"]} == dict(want), (s["decisions"], want)
PY
grep -qF "group_exposure" report.html || fail "the page does not name the policy"

# A scorecard on the ledger: each record's bins come from the interpreter's trace, which must
# look up the same reference data as the engine's run. The bins' points add up to the run's
# scores, and JSON Lines with a gzip'd ledger gives the same page.
L=$SRC/tests/portfolio/ledger-score.credo
"$CREDO" run "$L" --in "$IN" --out ledger.csv --rejects ledger.rejects.csv --ref facilities=$D/ledger.csv \
  --ref-rejects ledger.refrej.csv 2> /dev/null || fail "run ledger-score"
expect 0 "facilities 5 of 323" -- "$CREDO" report "$L" --in "$IN" --ref facilities=$D/ledger.csv --json \
  --out ledger.html > ledger.json
python3 - ledger.csv ledger.json <<'PY' || fail "the ledger scorecard's bins differ from the run's scores"
import csv, json, sys
out = list(csv.DictReader(open(sys.argv[1], newline="")))
s = json.load(open(sys.argv[2]))["summary"]
assert s["accepted"] == len(out) and len(s["characteristics"]) == 3
points = sum(b["count"] * b["average_points"] for ch in s["characteristics"] for b in ch["bins"])
assert round(points + 500 * len(out)) == sum(int(o["score"]) for o in out), points
held = {b["bin"]: b["count"] for b in s["characteristics"][0]["bins"]}
assert held["[1, 2] => 20"] > 0 and held[">= 3 => 10"] > 0, held  # lookups found facilities
PY
expect 0 "" -- "$CREDO" report "$L" --in clean.csv --ref facilities=$D/ledger.csv --json --out ledger-clean.html \
  > ledger-clean.json
expect 0 "" -- "$CREDO" report "$L" --in input.jsonl --ref facilities=ledger.csv.gz --json --out ledger-jsonl.html \
  > ledger-jsonl.json
cmp -s ledger-clean.json ledger-jsonl.json || fail "the ledger report from JSON Lines differs from the CSV's"
cmp -s ledger-clean.html ledger-jsonl.html || fail "the ledger page from JSON Lines differs from the CSV's"

# Which --ref is wrong, and which policy lacks one.
expect 2 "$V1 reads reference data 'watch_list': give it with --ref watch_list=FILE" -- \
  "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" "${roles[@]}"
expect 2 "$V2 reads reference data 'group_limits': give it with --ref group_limits=FILE" -- \
  "$CREDO" compare "$V2" "$V2" --in "$IN" --ref facilities=$D/ledger.csv --ref group_facilities=$D/ledger.csv
expect 2 "--ref ledger: neither policy has a reference 'ledger'; their references are: facilities, group_facilities, group_limits, watch_list" -- \
  "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" "${watch[@]}" --ref ledger=$D/ledger.csv
expect 2 "--ref ledger: neither policy declares reference data" -- \
  "$CREDO" compare "$POLICY" "$POLICY" --in "$INPUT" --ref ledger=$D/ledger.csv
expect 2 "the policy reads reference data 'facilities': give it with --ref facilities=FILE" -- \
  "$CREDO" report "$V1" --in "$IN" --out x.html
expect 2 "--ref watch_list: the policy has no reference 'watch_list'" -- \
  "$CREDO" report "$V2" --in "$IN" "${common[@]}" "${watch[@]}" --out x.html
expect 2 "--ref facilities is given twice" -- "$CREDO" report "$V1" --in "$IN" "${common[@]}" \
  --ref facilities=$D/ledger.csv --out x.html
expect 2 "give the reference's name and a file" -- "$CREDO" report "$V1" --in "$IN" --ref watch_list --out x.html
cp "$D/watch-list.csv" watch.csv
expect 2 "" -- "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" --ref watch_list=watch.csv --changed watch.csv
same_content "$D/watch-list.csv" watch.csv
printf 'customer_id\nC1\n' > short-watch.csv
expect 1 "reference watch_list (short-watch.csv) has no column 'reason'" -- \
  "$CREDO" report "$V1" --in "$IN" "${common[@]}" --ref watch_list=short-watch.csv "${roles[@]}" --out x.html
expect 3 "cannot read none.csv" -- \
  "$CREDO" compare "$V1" "$V2" --in "$IN" "${common[@]}" --ref watch_list=none.csv "${roles[@]}" --changed x.csv
[[ ! -e x.html && ! -e x.csv ]] || fail "a file written although the references could not be loaded"
no_partials
finish
