#!/usr/bin/env bash
# credo compare and credo report read the portfolio as `credo run` reads its input: the SME
# portfolio as CSV, the same CSV with its columns reversed and an extra column first, JSON Lines
# (by name, by --format on stdin, gzip'd), and gzip'd CSV (by magic bytes, whatever its name) give
# the same --json, --changed and HTML page; record lines are those of each file; --strict keeps
# the exact header; an unknown format, a missing outcome column and a corrupt gzip are clear errors.
# ctest-timeout: 180
source "$(dirname "$0")/lib.sh" "$@"
V1=$POLICY
V2=$SRC/examples/sme-credit-v2.credo

# The portfolio without its one row of the wrong width (a JSON Lines record cannot have one),
# and the same records written the other ways. JSON Lines starts with a blank line (skipped), so
# that each record is on the line it has in the CSV and --json, which gives lines, is the same.
python3 - "$INPUT" <<'PY' || fail "cannot make the inputs"
import csv, gzip, json, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
header, records = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
assert len(records) == len(rows) - 2, "expected exactly one row of the wrong width"
def write_csv(path, head, recs, first=2001):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(recs)
write_csv("base.csv", header, records)
write_csv("baseline.csv", header, records[:2000])
order = list(reversed(range(len(header))))
def reordered(recs, note):
    return [[note(k)] + [r[c] for c in order] for k, r in enumerate(recs)]
note = lambda k: f'note {k}, with "quotes"'
write_csv("reordered.csv", ["note"] + [header[c] for c in order], reordered(records, note))
write_csv("baseline-reordered.csv", ["note"] + [header[c] for c in order], reordered(records[:2000], note))
def jsonl(path, recs):
    with open(path, "w") as f:
        f.write("\n")
        for k, r in enumerate(recs):
            o = {}
            for name, cell in zip(header, r):
                if cell == "" and k % 2:  # an empty cell: null in some records, no key in others
                    continue
                o[name] = None if cell == "" else cell
            o["comment"] = {"nested": [1, 2]}  # a key no policy reads, of any kind
            f.write(json.dumps(dict(reversed(list(o.items())))) + "\n")
jsonl("base.jsonl", records)
jsonl("baseline.jsonl", records[:2000])
PY
gzip -nc base.csv > base.csv.gz
gzip -nc base.csv > base-csv.data  # gzip whatever the name
gzip -nc base.jsonl > base.jsonl.gz
gzip -nc baseline.csv > baseline.csv.gz

expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in base.csv --json --changed changed.csv > compare.json
[[ $(wc -l < changed.csv) -gt 100 ]] || fail "too few changed records for the check to mean anything"
check_compare() {  # FILE OPTIONS...: the same figures and changed records as from base.csv
  local f=$1 name
  name=$(basename "$f")
  shift
  expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$f" --json --changed "changed-$name.csv" "$@" > "compare-$name.json"
  cmp -s compare.json "compare-$name.json" || fail "compare --in $f $*: other --json than the CSV's"
  cmp -s changed.csv "changed-$name.csv" || fail "compare --in $f $*: other --changed than the CSV's"
}
check_compare reordered.csv
check_compare base.jsonl
check_compare base.csv.gz
check_compare base-csv.data
check_compare base.jsonl.gz
check_compare base.csv --engine interp
check_compare base.csv --strict
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in - --format jsonl --json < base.jsonl > compare-stdin.json
cmp -s compare.json compare-stdin.json || fail "compare --in - --format jsonl: other --json than the CSV's"
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in - --json < base.csv.gz > compare-stdin-gz.json
cmp -s compare.json compare-stdin-gz.json || fail "compare --in - (gzip): other --json than the CSV's"

# The lines of --changed are those of the file: in the JSON Lines file, the line of the record.
python3 - base.jsonl changed.csv <<'PY' || fail "--changed lines are not the JSON Lines file's"
import csv, json, sys
lines = open(sys.argv[1]).read().split("\n")
changed = list(csv.DictReader(open(sys.argv[2], newline="")))
for r in changed:
    record = json.loads(lines[int(r["line"]) - 1])
    assert record["customer_id"] == r["id"], (r["line"], r["id"], record["customer_id"])
PY

# The HTML page of compare --report, whatever the input's format.
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in base.csv --report page.html > /dev/null
for f in reordered.csv base.jsonl base.csv.gz; do
  expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$f" --report "page-$f.html" > /dev/null
  cmp -s page.html "page-$f.html" || fail "compare --report from $f differs from the CSV's"
done

# report: the same figures and page, with an outcome column found by name and a baseline in the
# same format (the page names the baseline: its name is taken out before comparing).
report() {  # IN BASELINE: the figures and the page, the baseline's name replaced
  local in=$1 base=$2
  expect 0 "" -- "$CREDO" report "$V1" --in "$in" --baseline "$base" --outcome defaults_24m --json \
    --out "report-$in.html" > "report-$in.json"
  sed -i "s#$base#BASELINE#g" "report-$in.json" "report-$in.html"
}
report base.csv baseline.csv
grep -q BASELINE report-base.csv.html || fail "the page does not name the baseline"
python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
assert s["records"] == 4999 and any(b["bads"] for ch in s["characteristics"] for b in ch["bins"])' report-base.csv.json \
  || fail "report from the CSV: no bads counted from --outcome"
for pair in "reordered.csv baseline-reordered.csv" "base.jsonl baseline.jsonl" "base.csv.gz baseline.csv.gz" \
  "base.jsonl.gz baseline.jsonl"; do
  read -r in base <<< "$pair"
  report "$in" "$base"
  cmp -s report-base.csv.json "report-$in.json" || fail "report --in $in: other --json than the CSV's"
  cmp -s report-base.csv.html "report-$in.html" || fail "report --in $in: another page than the CSV's"
done

# --strict: the exact header, in the policy's order; the reordered file does not fit it.
expect 1 "does not fit" -- "$CREDO" compare "$V1" "$V2" --in reordered.csv --strict --json
expect 1 "does not fit" -- "$CREDO" report "$V1" --in reordered.csv --strict --out strict.html
[[ ! -e strict.html ]] || fail "a page written although the input did not fit"

# Errors: each says what was wrong and what is expected.
expect 2 "--format needs csv or jsonl, not 'xml'" -- "$CREDO" compare "$V1" "$V2" --in base.csv --format xml
expect 2 "--format needs csv or jsonl, not ''" -- "$CREDO" report "$V1" --in base.csv --out x.html --format
expect 2 "unknown option '--outcome'" -- "$CREDO" compare "$V1" "$V2" --in base.csv --outcome defaults_24m
expect 1 "--outcome defaulted: the input has no such column" -- \
  "$CREDO" report "$V1" --in reordered.csv --out x.html --outcome defaulted
expect 1 "--outcome defaulted: no record of the input has the key 'defaulted'" -- \
  "$CREDO" report "$V1" --in base.jsonl --out x.html --outcome defaulted
# A CSV read as JSON Lines: every line is a bad record, not an error (as credo run).
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in base.csv --format jsonl --json > as-jsonl.json
python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["champion"]
assert c["accepted"] == 0 and c["rejected"] == 5000, c' as-jsonl.json || fail "a CSV read as JSON Lines"
head -c 20000 base.csv.gz > truncated.csv.gz
expect 3 "cannot read truncated.csv.gz" -- "$CREDO" compare "$V1" "$V2" --in truncated.csv.gz --json
expect 3 "cannot read none.csv" -- "$CREDO" report "$V1" --in none.csv --out x.html
expect 1 "the input is empty" -- "$CREDO" report "$V1" --in /dev/null --format jsonl --out x.html
[[ ! -e x.html ]] || fail "a page written although the run failed"
no_partials
finish
