#!/usr/bin/env bash
# `credo run --ref`: reference data given on the command line (docs/language.md, "Reference
# data"). Every declared reference is required and named in the error; a --ref the policy does
# not declare is refused; a file without a declared column, or unreadable, is refused before
# anything is written; a bad reference row stops the run unless --ref-rejects sets it aside
# (`reference,line,key,reason`); a duplicate key of a one-row-per-key reference is such a row;
# both engines give the same files, lookups in the group pass included; a reference file cannot be
# overwritten by an output; credo explain takes --ref too.
source "$(dirname "$0")/lib.sh" "$@"
P=$SRC/policies/group-exposure-v1.credo
D=$SRC/tests/policies/group-exposure-v1
refs=(--ref facilities=$D/ledger.csv --ref group_facilities=$D/ledger.csv --ref group_limits=$D/group-limits.csv)
go() { "$CREDO" run "$P" --engine=interp --in "$D/input.csv" --out "$W/out.csv" --rejects "$W/rej.csv" "$@"; }

expect 2 "the policy reads reference data 'watch_list': give it with --ref watch_list=FILE" -- go "${refs[@]}"
expect 2 "the policy has no reference 'ledger'; its references are: facilities, group_facilities, group_limits, watch_list" -- \
  go "${refs[@]}" --ref watch_list=$D/watch-list.csv --ref ledger=$D/ledger.csv
expect 2 "--ref facilities is given twice" -- go "${refs[@]}" --ref facilities=$D/ledger.csv
expect 2 "give the reference's name and a file" -- go "${refs[@]}" --ref watch_list
expect 2 "--out" -- "$CREDO" run "$P" --in "$D/input.csv" --out "$D/watch-list.csv" --rejects "$W/rej.csv" "${refs[@]}" \
  --ref watch_list=$D/watch-list.csv

# A bad row stops the run without --ref-rejects, naming the reference, the file and the line.
expect 1 "reference facilities ($D/ledger.csv) line " -- go "${refs[@]}" --ref watch_list=$D/watch-list.csv
[[ ! -e $W/out.csv ]] || fail "an output was written although the reference data was refused"

# A missing column and an unreadable file.
printf 'customer_id\nC1\n' > "$W/watch.csv"
expect 1 "reference watch_list ($W/watch.csv) has no column 'reason'" -- go "${refs[@]}" --ref watch_list=$W/watch.csv \
  --ref-rejects "$W/refrej.csv"
expect 3 "cannot read $W/none.csv" -- go "${refs[@]}" --ref watch_list=$W/none.csv --ref-rejects "$W/refrej.csv"
# A file that opens but cannot be read to its end is a read failure too (exit 3), not bad data: a
# gzip stream cut short in its first line or part way through, and a directory.
{ echo customer_id,reason; for i in $(seq 100000); do echo "X$i,review $i"; done; } | gzip -c > "$W/long.csv.gz"
for bytes in 40 200000; do
  head -c $bytes "$W/long.csv.gz" > "$W/cut.csv.gz"
  expect 3 "reference watch_list ($W/cut.csv.gz) could not be read" -- go "${refs[@]}" --ref watch_list=$W/cut.csv.gz \
    --ref-rejects "$W/refrej.csv"
done
mkdir -p "$W/adir"
expect 3 "reference watch_list ($W/adir) could not be read" -- go "${refs[@]}" --ref watch_list=$W/adir \
  --ref-rejects "$W/refrej.csv"
[[ ! -e $W/out.csv ]] || fail "an output was written although a reference could not be read"

# With --ref-rejects: the run goes on, both engines write the committed files.
for engine in interp jit; do
  expect 0 "" -- "$CREDO" run "$P" --engine=$engine --in "$D/input.csv" --out "$W/out.$engine.csv" --rejects "$W/rej.csv" \
    "${refs[@]}" --ref watch_list=$D/watch-list.csv --ref-rejects "$W/refrej.$engine.csv"
  same_content "$D/expected.csv" "$W/out.$engine.csv"
  same_content "$D/ref-rejects.csv" "$W/refrej.$engine.csv"
done
grep -qxF "group_limits,42,GE7,duplicate:group_id" "$W/refrej.interp.csv" || fail "no duplicate group limit reject"

# credo explain takes the same --ref options, shows the lookups' values and agrees with the run.
expect 2 "the policy reads reference data 'facilities'" -- "$CREDO" explain "$P" --in "$D/input.csv" --row 1
"$CREDO" explain "$P" --engine=interp --in "$D/input.csv" --id RQ00003 "${refs[@]}" --ref watch_list=$D/watch-list.csv \
  > "$W/explain.txt" 2> "$W/err" || fail "explain failed: $(head -c 300 "$W/err")"
grep -qF "group_limits[group_id].limit = 2200000.00" "$W/explain.txt" || fail "explain does not show the lookup"
grep -qF "reference facilities: 7 of 323 rows set aside" "$W/err" || fail "explain does not count the rows set aside"

# Lookups inside the group pass (RefFind / RefGet in the group program), in both engines.
cat > "$W/g.credo" <<'POLICY'
policy group_lookups version "1"
input A {
  id:       string
  group_id: string
  amount:   money
}
reference ledger keyed by group_id many {
  group_id: string
  limit:    money
}
reference caps keyed by group_id {
  group_id: string
  limit:    money
}
group by group_id {
  let existing = sum(ledger[group_id].limit)
  let total    = sum(amount) + existing
  let cap      = caps[group_id].limit ?? 0.00
  let over     = if group_id in caps then total > cap else false
}
output { id, existing, total, cap, over }
POLICY
printf 'id,group_id,amount\n1,G1,5.00\n2,G1,6.00\n3,G2,1.00\n' > "$W/g.csv"
printf 'group_id,limit\nG1,10.00\nG1,2.50\nG3,1.00\n' > "$W/ledger.csv"
printf 'limit,group_id\n12.00,G1\n' > "$W/caps.csv"
printf 'id,existing,total,cap,over\n1,12.50,23.50,12.00,true\n2,12.50,23.50,12.00,true\n3,0.00,1.00,0.00,false\n' > "$W/g.expected"
for engine in interp jit; do
  expect 0 "" -- "$CREDO" run "$W/g.credo" --engine=$engine --in "$W/g.csv" --out "$W/g.$engine.csv" --rejects "$W/g.rej" \
    --ref ledger=$W/ledger.csv --ref caps=$W/caps.csv
  same_content "$W/g.expected" "$W/g.$engine.csv"
done

# A policy without references takes no --ref.
expect 2 "the policy declares no reference data" -- run --in "$INPUT" --out "$W/o.csv" --rejects "$W/r.csv" --ref x=$W/watch.csv
# JSON Lines and gzip reference files (by name and by magic bytes) give the CSV files' outputs,
# rejects and reference rejects, line numbers included.
to_jsonl() {
  python3 - "$1" "$2" <<'PY'
import csv, json, re, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    for row in csv.DictReader(f):
        cells = []
        for k, v in row.items():
            text = "null" if v == "" else v if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v) else json.dumps(v)
            cells.append(json.dumps(k) + ":" + text)
        out.write("{" + ",".join(cells) + "}\n")
PY
}
for f in ledger group-limits watch-list; do to_jsonl "$D/$f.csv" "$W/$f.jsonl"; done
gzip -c "$W/ledger.jsonl" > "$W/ledger.jsonl.gz"
gzip -c "$D/group-limits.csv" > "$W/group-limits.csv.gz"
go --ref facilities=$D/ledger.csv --ref group_facilities=$D/ledger.csv --ref group_limits=$D/group-limits.csv \
  --ref watch_list=$D/watch-list.csv --ref-rejects "$W/refrej.csv" 2>/dev/null || fail "CSV references"
cp "$W/out.csv" "$W/out.from-csv"; cp "$W/rej.csv" "$W/rej.from-csv"
# (less the row with an extra column, which a JSON object cannot have; a JSON Lines file has no
# header line, so its lines are the CSV's less one; group_limits stays CSV, gzip-compressed)
tail -n +2 "$W/refrej.csv" | grep -v column_count | awk -F, -v OFS=, '$1 != "group_limits" {$2 = $2 - 1} {print}' > "$W/refrej.from-csv"
for engine in interp jit; do
  "$CREDO" run "$P" --engine=$engine --in "$D/input.csv" --out "$W/out.csv" --rejects "$W/rej.csv" \
    --ref facilities=$W/ledger.jsonl.gz --ref group_facilities=$W/ledger.jsonl --ref group_limits=$W/group-limits.csv.gz \
    --ref watch_list=$W/watch-list.jsonl --ref-rejects "$W/refrej.csv" 2>/dev/null || fail "JSON Lines references ($engine)"
  same_content "$W/out.from-csv" "$W/out.csv"
  same_content "$W/rej.from-csv" "$W/rej.csv"
  tail -n +2 "$W/refrej.csv" > "$W/refrej.from-jsonl"
  same_content "$W/refrej.from-csv" "$W/refrej.from-jsonl"
done

finish
