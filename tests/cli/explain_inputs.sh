#!/usr/bin/env bash
# credo explain reads its input as `credo run`, compare and report read theirs: the SME portfolio
# as CSV, the same CSV with its columns reversed and an extra column first, JSON Lines (by name,
# by --format on stdin) and gzip of either (by magic bytes, whatever the name) give the same
# explanations; record lines are those of each file; --strict keeps the exact header; a bad
# --format, a missing column, a reordered file under --strict and a corrupt gzip are clear errors.
# ctest-timeout: 180
source "$(dirname "$0")/lib.sh" "$@"
explain() { "$CREDO" explain "$POLICY" --engine=interp "$@"; }

# The portfolio without its one row of the wrong width (a JSON Lines record cannot have one),
# and the same records written the other ways. The JSON Lines file starts with a blank line
# (skipped), so that each record is on the line it has in the CSV and the explanations, which
# give lines, are the same.
python3 - "$INPUT" <<'PY' || fail "cannot make the inputs"
import csv, json, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
header, records = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
assert len(records) == len(rows) - 2, "expected exactly one row of the wrong width"
def write_csv(path, head, recs):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(recs)
write_csv("base.csv", header, records)
order = list(reversed(range(len(header))))
write_csv("reordered.csv", ["note"] + [header[c] for c in order],
          [[f'note {k}, with "quotes"'] + [r[c] for c in order] for k, r in enumerate(records)])
# A note of two lines in the first record: every later record starts a line further down.
write_csv("multiline.csv", ["note"] + header, [["two\nlines" if k == 0 else ""] + r for k, r in enumerate(records)])
with open("base.jsonl", "w") as f:
    f.write("\n")
    for k, r in enumerate(records):
        o = {}
        for name, cell in zip(header, r):
            if cell == "" and k % 2:  # an empty cell: null in some records, no key in others
                continue
            o[name] = None if cell == "" else cell
        o["comment"] = {"nested": [1, 2]}  # a key the policy does not read, of any kind
        f.write(json.dumps(dict(reversed(list(o.items())))) + "\n")
# Blank lines between records: each record's line is its own line of this file.
with open("spaced.jsonl", "w") as f:
    for k, line in enumerate(open("base.jsonl").read().split("\n")[1:]):
        f.write(line + "\n" + ("\n" if k % 100 == 0 else ""))
PY
gzip -nc base.csv > base.csv.gz
gzip -nc base.csv > base-csv.data  # gzip whatever the name
gzip -nc base.jsonl > base.jsonl.gz

# The same explanations from every way of writing the records: an accepted record the group
# pass changed, a rejected one (its rejects row, detail included, the run's for that file), and
# every record as JSON Lines (--all).
rejected=$(grep -m1 out_of_range:bureau_score "$SRC/examples/sme-portfolio.rejects.csv" | cut -d, -f1)
((rejected < 2380)) || fail "the rejected record is after the row taken out; its line would differ"
explain --in base.csv --id C0000020 > group.txt || fail "explain base.csv: exit $?"
grep -qF "group pass: group G000089, 15 accepted member(s)" group.txt || fail "no group pass in $(head -c 300 group.txt)"
explain --in base.csv --line "$rejected" --json > rejected.json
grep -qF '"reason": "out_of_range:bureau_score"' rejected.json || fail "record $rejected is not the rejected one"
explain --in base.csv --all | md5sum > all.md5
same() {  # NAME STDIN OPTIONS...: the explanations of base.csv, from the input the options name
  local name=$1 stdin=$2
  shift 2
  expect 0 "" -- explain "$@" --id C0000020 < "$stdin" > "group-$name.txt"
  cmp -s group.txt "group-$name.txt" || fail "explain $*: another explanation than the CSV's: $(diff group.txt "group-$name.txt" | head -5)"
  expect 0 "" -- explain "$@" --line "$rejected" --json < "$stdin" > "rejected-$name.json"
  cmp -s rejected.json "rejected-$name.json" || fail "explain $* --line $rejected: another explanation than the CSV's"
  explain "$@" --all < "$stdin" 2> err | md5sum > "all-$name.md5"
  cmp -s all.md5 "all-$name.md5" || fail "explain $* --all: other explanations than the CSV's ($(head -c 300 err))"
}
same reordered /dev/null --in reordered.csv
same jsonl /dev/null --in base.jsonl
same csv-gz /dev/null --in base.csv.gz
same data /dev/null --in base-csv.data
same jsonl-gz /dev/null --in base.jsonl.gz
same strict /dev/null --in base.csv --strict
same format-jsonl /dev/null --in base.jsonl.gz --format jsonl
same stdin-jsonl base.jsonl --in - --format jsonl
same stdin-gz base.csv.gz --in -
expect 0 "" -- "$CREDO" explain "$POLICY" --in reordered.csv --id C0000020 > group-jit.txt
cmp -s group.txt group-jit.txt || fail "explain --engine jit (the default) differs from interp"

# Lines are the user's file's: after a CSV record of two lines, and in JSON Lines with blank
# lines between records; --line finds the record there, and says why a line holds none.
explain --in multiline.csv --id C0000003 > multi.txt
grep -qF "record 3 (line 5), customer_id C0000003" multi.txt || fail "multiline.csv: $(head -1 multi.txt)"
explain --in multiline.csv --line 5 | cmp -s multi.txt - || fail "multiline.csv --line 5 is not record 3"
expect 1 "no record of multiline.csv starts on that line (the record on line 2 spans it)" -- explain --in multiline.csv --line 3
explain --in spaced.jsonl --all > spaced.jsonl.out
python3 - spaced.jsonl spaced.jsonl.out <<'PY' || fail "the lines of spaced.jsonl's explanations are not the file's"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
explained = [json.loads(l) for l in open(sys.argv[2])]
assert len(explained) == 4999, len(explained)
for e in explained:
    assert json.loads(lines[e["record"]["line"] - 1])["customer_id"] == e["record"]["id"], e["record"]
assert explained[1]["record"]["line"] == 3, explained[1]["record"]  # after a blank line 2
PY
explain --in spaced.jsonl --line 3 > spaced3.txt
grep -qF "record 2 (line 3), customer_id C0000002" spaced3.txt || fail "spaced.jsonl --line 3: $(head -1 spaced3.txt)"
expect 1 "no record of spaced.jsonl starts on that line (it is blank; the records around it are on lines 1 and 3)" -- \
  explain --in spaced.jsonl --line 2
expect 1 "(it is blank; the first record is on line 2)" -- explain --in base.jsonl --line 1
expect 1 "(line 1 is the header; the first record starts on line 2)" -- explain --in base.csv.gz --line 1

# A line that is not a JSON object is explained as the run rejects it.
{ head -3 base.jsonl; echo '{"customer_id": "C9", oops}'; } > bad.jsonl
explain --in bad.jsonl --line 4 > bad.txt
grep -qF "REJECTED: bad_json" bad.txt && grep -qF "expected: one JSON object per line: " bad.txt ||
  fail "a bad JSON line: $(head -c 300 bad.txt)"

# Reference data with a JSON Lines input, gzip'd: the same explanation as from the CSV.
P=$SRC/policies/group-exposure-v1.credo
D=$SRC/tests/policies/group-exposure-v1
refs=(--ref facilities=$D/ledger.csv --ref group_facilities=$D/ledger.csv --ref group_limits=$D/group-limits.csv
  --ref watch_list=$D/watch-list.csv)
python3 - "$D/input.csv" <<'PY' || fail "cannot write the reference policy's input as JSON Lines"
import csv, gzip, json, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
with gzip.open("exposure.jsonl.gz", "wt") as f:
    f.write("\n")
    for r in rows[1:]:
        f.write(json.dumps(dict(zip(rows[0], r))) + "\n")
PY
"$CREDO" explain "$P" --engine=interp --in "$D/input.csv" --id RQ00003 "${refs[@]}" > ref.txt 2> err ||
  fail "explain with --ref: $(head -c 300 err)"
expect 0 "reference facilities: 7 of 323 rows set aside" -- \
  "$CREDO" explain "$P" --engine=interp --in exposure.jsonl.gz --format jsonl --id RQ00003 "${refs[@]}" > ref-jsonl.txt
cmp -s ref.txt ref-jsonl.txt || fail "explain --ref from JSON Lines differs from the CSV's"
grep -qF "group_limits[group_id].limit = 2200000.00" ref-jsonl.txt || fail "no lookup in the explanation"

# Errors: each says what was wrong and what is expected, with the exit codes of compare/report.
expect 2 "--format needs csv or jsonl, not 'xml'" -- explain --in base.csv --row 1 --format xml
expect 2 "--format needs csv or jsonl, not ''" -- explain --in base.csv --row 1 --format
expect 2 "--in needs a file (or - for stdin)" -- explain --row 1 --in
expect 2 "unknown option '--decision'" -- explain --in base.csv --row 1 --decision decision
cut -d, -f1-5,7- base.csv > missing.csv
expect 1 "missing.csv: line 1: the header does not fit the policy's input; missing column(s): net_income" -- \
  explain --in missing.csv --row 1
grep -qF "(the input does not fit $POLICY)" err || fail "no 'does not fit' for missing.csv: $(head -c 300 err)"
expect 1 "reordered.csv: line 1: the header does not match the policy's input" -- explain --in reordered.csv --strict --row 1
grep -qF "(the input does not fit $POLICY)" err || fail "no 'does not fit' for --strict: $(head -c 300 err)"
expect 1 "the input is empty: it has no records" -- explain --in /dev/null --format jsonl --row 1
expect 1 "the input is empty: it needs a header line" -- explain --in /dev/null --row 1
head -c 20000 base.csv.gz > truncated.csv.gz
expect 3 "cannot read truncated.csv.gz" -- explain --in truncated.csv.gz --row 1
expect 3 "cannot read none.jsonl" -- explain --in none.jsonl --row 1
expect 3 "cannot read $W: it is a directory" -- explain --in "$W" --row 1
finish
