#!/usr/bin/env bash
# credo report: SME v1 over the example portfolio, with a baseline and an outcome column. The
# figures are checked against the run's own output (decision mix, approvals, per-characteristic
# records adding up to the accepted records, bad counts from the input's outcome column); a
# portfolio against itself is perfectly stable; usage errors; the page is written safely.
source "$(dirname "$0")/lib.sh" "$@"

"$CREDO" run "$POLICY" --in "$INPUT" --out out.csv --rejects rejects.csv || fail "run"
head -2001 "$INPUT" > baseline.csv
expect 0 "" -- "$CREDO" report "$POLICY" --in "$INPUT" --baseline baseline.csv --outcome defaults_24m --json \
  --out report.html > report.json
grep -q '<svg class="chart"' report.html || fail "no chart in the page"
! grep -qiE '<script|https?://[a-z]' <(sed 's#xmlns="http://www.w3.org/2000/svg"##g' report.html) \
  || fail "the page has a script or an outside address"
python3 - "$INPUT" out.csv report.json <<'PY' || fail "the report's figures differ from the run's"
import csv, json, sys
from collections import Counter
inputs = list(csv.DictReader(open(sys.argv[1], newline="")))
out = list(csv.DictReader(open(sys.argv[2], newline="")))
r = json.load(open(sys.argv[3]))
s = r["summary"]
assert r["schema"] == "credo.report/1"
assert s["records"] == len(inputs) and s["accepted"] == len(out), (s["records"], s["accepted"])
mix = {d["value"]: d["count"] for d in s["decisions"]}
want = Counter(o["decision"] for o in out)
want["(rejected)"] = len(inputs) - len(out)
assert mix == dict(want), (mix, want)
assert s["approved"] == want["APPROVE"]
assert {g["value"]: g["count"] for g in s["grades"]} == dict(Counter(o["grade"] for o in out))
# Every characteristic's bins hold every accepted record once; bads are the accepted records
# whose outcome column (defaults_24m) reads 1, records with an outcome those reading 0 or 1.
ids = {o["customer_id"] for o in out}
accepted_inputs = [i for i in inputs if i["customer_id"] in ids]
bads = sum(1 for i in accepted_inputs if i["defaults_24m"] == "1")
known = sum(1 for i in accepted_inputs if i["defaults_24m"] in ("0", "1"))
assert len(s["characteristics"]) == 10
for ch in s["characteristics"]:
    assert sum(b["count"] for b in ch["bins"]) == len(out), ch["code"]
    assert sum(b["bads"] for b in ch["bins"]) == bads, (ch["code"], bads)
    assert sum(b["outcomes"] for b in ch["bins"]) == known, ch["code"]
    assert abs(sum(b["share"] for b in ch["bins"]) - 1) < 1e-9
st = r["stability"]
assert sum(st["score_histogram"]["current"]) == len(out)
assert len(st["characteristics"]) == 10 and all(c["csi"] >= 0 for c in st["characteristics"])
PY

# The same portfolio as its own baseline: PSI and every CSI are 0.
expect 0 "" -- "$CREDO" report "$POLICY" --in "$INPUT" --baseline "$INPUT" --json --out same.html > same.json
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["stability"]
assert r["psi"] == 0 and all(c["csi"] == 0 for c in r["characteristics"]), r["psi"]' same.json \
  || fail "a portfolio against itself is not stable"
# Text on stdout: the tables.
expect 0 "" -- "$CREDO" report "$POLICY" --in "$INPUT" --out text.html > report.txt
grep -qF "Limits by grade" report.txt && grep -qF "sme.C06 Bureau score" report.txt || fail "text tables missing"

expect 0 "" -- "$CREDO" report --help > help.txt
grep -qF -- "--baseline FILE" help.txt || fail "--help does not list --baseline"
expect 2 "--out is required" -- "$CREDO" report "$POLICY" --in "$INPUT"
expect 2 "--in is required" -- "$CREDO" report "$POLICY" --out x.html
expect 2 "no policy file" -- "$CREDO" report --in "$INPUT" --out x.html
expect 2 "--outcome needs a column name" -- "$CREDO" report "$POLICY" --in "$INPUT" --out x.html --outcome
cp "$INPUT" portfolio.csv
expect 2 "" -- "$CREDO" report "$POLICY" --in portfolio.csv --out portfolio.csv
expect 2 "" -- "$CREDO" report "$POLICY" --in "$INPUT" --baseline portfolio.csv --out portfolio.csv
same_content "$INPUT" portfolio.csv
expect 1 "--outcome defaulted: the input has no such column" -- \
  "$CREDO" report "$POLICY" --in "$INPUT" --out x.html --outcome defaulted
[[ ! -e x.html ]] || fail "a page written although the run failed"
# Through a device, not renamed over it.
expect 0 "" -- "$CREDO" report "$POLICY" --in "$INPUT" --out "$(device null)" > /dev/null
[[ -c $W/null || -L $W/null ]] || fail "the device was replaced"
no_partials
finish
