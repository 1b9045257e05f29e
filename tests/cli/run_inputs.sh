# Issue 13, item 1: real-world inputs. The same outputs from a CSV, the CSV with its columns
# shuffled and extra columns, JSON Lines and gzip'd CSV (file and stdin), on both engines, for
# the SME portfolio and every tests/policies input; bad rows anywhere go to rejects with line,
# reason and detail; rows in = outputs + rejects; --strict and --keep; --summary figures
# against a Python computation of the same file.
# ctest-timeout: 240
source "$(dirname "$0")/lib.sh" "$@"
command -v python3 > /dev/null || { echo "SKIP: python3 is needed to make the variants"; exit 77; }
command -v gzip > /dev/null || { echo "SKIP: gzip is needed"; exit 77; }

# variants IN PREFIX REJECTS: PREFIX.shuffled.csv (columns reversed, two extra columns),
# PREFIX.jsonl (numbers as JSON numbers written as in the CSV, text as strings, empty as null),
# PREFIX.csv.gz. A record credo found malformed (REJECTS: column_count, bad_quote) stays
# malformed: a row of one cell, a broken JSON line (Python's reader would mend some).
variants() {
  python3 - "$1" "$2" "$3" <<'PY'
import csv, json, re, sys
src, prefix, rejects = sys.argv[1:4]
malformed = {int(r[0]) for r in list(csv.reader(open(rejects, newline="", encoding="utf-8")))[1:]
             if r[2].startswith(("column_count", "bad_quote"))}
reader = csv.reader(open(src, newline="", encoding="utf-8"))
header, body, start = next(reader), [], 2
for r in reader:
    body.append(["broken"] if start in malformed else r)
    start = reader.line_num + 1
order = list(reversed(range(len(header))))
with open(prefix + ".shuffled.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["branch"] + [header[i] for i in order] + ["note"])
    for k, r in enumerate(body):
        if len(r) != len(header):
            w.writerow(["broken"])  # still the wrong width
        else:
            w.writerow(["B%d" % k] + [r[i] for i in order] + ["n,o\"te"])
number = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
with open(prefix + ".jsonl", "w", encoding="utf-8") as f:
    for r in body:
        if len(r) != len(header):
            f.write("{\"broken\": " + ",".join(r) + "\n")
            continue
        cells = []
        for name, cell in zip(header, r):
            value = "null" if cell == "" else cell if number.match(cell) else json.dumps(cell)
            cells.append(json.dumps(name) + ":" + value)
        f.write("{" + ",".join(reversed(cells)) + ",\"extra\":{\"a\":[1,2]}}\n")
PY
  gzip -c "$1" > "$2.csv.gz"
}

# same_outputs POLICY IN NAME: every variant of IN gives the CSV's output, on both engines; the
# rejects name the same records with the same reasons (JSON Lines lines are one less: no header).
same_outputs() {
  local policy=$1 in=$2 name=$3 engine
  for engine in interp jit; do
    "$CREDO" run "$policy" --engine=$engine --in "$in" --out "$name.$engine.csv" --rejects "$name.$engine.rej.csv" ||
      { fail "$name $engine: CSV run"; continue; }
    [[ $engine == interp ]] && variants "$in" "$name" "$name.$engine.rej.csv"
    "$CREDO" run "$policy" --engine=$engine --in "$name.shuffled.csv" --out s.csv --rejects s.rej.csv ||
      fail "$name $engine: shuffled run"
    cmp -s s.csv "$name.$engine.csv" || fail "$name $engine: the shuffled CSV's output differs"
    same_rejects "$name.$engine.rej.csv" s.rej.csv || fail "$name $engine: the shuffled CSV's rejects differ"
    "$CREDO" run "$policy" --engine=$engine --in "$name.csv.gz" --out g.csv --rejects g.rej.csv || fail "$name $engine: gzip run"
    cmp -s g.csv "$name.$engine.csv" && cmp -s g.rej.csv "$name.$engine.rej.csv" || fail "$name $engine: gzip differs"
    "$CREDO" run "$policy" --engine=$engine --in - --out g2.csv --rejects g2.rej.csv < "$name.csv.gz" ||
      fail "$name $engine: gzip on stdin"
    cmp -s g2.csv "$name.$engine.csv" || fail "$name $engine: gzip on stdin differs"
    "$CREDO" run "$policy" --engine=$engine --threads 2 --batch 7 --in "$name.jsonl" --out j.csv --rejects j.rej.csv ||
      fail "$name $engine: JSON Lines run"
    cmp -s j.csv "$name.$engine.csv" || fail "$name $engine: the JSON Lines output differs"
    same_rejects "$name.$engine.rej.csv" j.rej.csv json || fail "$name $engine: JSON Lines rejects"
  done
}

# same_rejects CSV_REJECTS OTHER [json]: the same records rejected for the same reasons with the
# same detail; a malformed record only as malformed (its cells cannot be compared). JSON Lines
# lines count records (there is no header), so only their order is compared.
same_rejects() {
  python3 - "$@" <<'PY'
import csv, re, sys
a = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
b = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
json = len(sys.argv) > 3
assert a[0] == b[0] and len(a) == len(b), (a[0], b[0], len(a), len(b))
lines = [int(y[0]) for y in b[1:]]
assert lines == sorted(lines)
for x, y in zip(a[1:], b[1:]):
    if x[2].startswith(("column_count", "bad_quote")):
        assert y[2] in ("bad_json", "column_count:1"), (x, y)
        continue
    if json:  # a duplicate's detail names the line of the first one
        x, y = [[re.sub(r" on line \d+$", "", c) for c in r[1:]] for r in (x, y)]
    assert x == y, (x, y)
PY
}

same_outputs "$POLICY" "$INPUT" sme
for dir in "$SRC"/tests/policies/*/; do
  [[ -f $dir/input.csv ]] || continue
  name=$(basename "$dir")
  grep -q '^reference ' "$SRC/policies/$name.credo" && continue  # needs --ref (cli.run_references covers it)
  same_outputs "$SRC/policies/$name.credo" "$dir/input.csv" "$name"
done

# Bad rows at the start, in the middle and on the last line, inside a gzip stream, and a bad
# JSON line: each in rejects with its line, reason and detail; rows in = outputs + rejects.
python3 - "$INPUT" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]
bad = {1: ("revenue", "12,3x"), 2500: ("bureau_score", "950"), len(rows) - 1: ("industry", "banking")}
with open("bad.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(h)
    for k, r in enumerate(rows[1:], 1):
        if k in bad:
            r = list(r)
            r[h.index(bad[k][0])] = bad[k][1]
        w.writerow(r)
PY
gzip -c bad.csv > bad.csv.gz
run --in bad.csv.gz --out bad.out.csv --rejects bad.rej.csv || fail "bad rows in gzip"
grep -qF '2,C0000001,unparsable:revenue,"revenue: ""12,3x"" is not a number with at most 2 decimals' bad.rej.csv ||
  fail "first-line reject detail: $(head -3 bad.rej.csv)"
grep -qF '2501,C0002500,out_of_range:bureau_score,bureau_score: 950 fails where bureau_score >= 300 and bureau_score <= 900' bad.rej.csv ||
  fail "middle reject detail"
grep -qF '5001,C0005000,unknown:industry,"industry: ""banking"" is not one of: manufacturing' bad.rej.csv ||
  fail "last-line reject detail"
[[ $(head -1 bad.rej.csv) == "line,customer_id,reason,detail" ]] || fail "rejects header: $(head -1 bad.rej.csv)"
rows_in=$(($(wc -l < bad.csv) - 1)) out=$(($(wc -l < bad.out.csv) - 1)) rej=$(($(wc -l < bad.rej.csv) - 1))
((rows_in == out + rej)) || fail "rows in $rows_in != $out outputs + $rej rejects"
# A truncated gzip stream is an I/O error, never a short output.
head -c 20000 bad.csv.gz > cut.csv.gz
expect 3 "gzip stream is truncated" -- run --in cut.csv.gz --out c.csv --rejects c.rej.csv
[[ ! -e c.csv ]] || fail "a truncated input left an output"

printf '%s\n' '{"customer_id":"X1","industry":"retail"' 'not json' '[1,2]' '' \
  '{"customer_id":"X4","revenue":{"a":1}}' '{"customer_id":"X5","revenue":1e3}' > bad.jsonl
run --in bad.jsonl --out bj.csv --rejects bj.rej.jsonl || fail "bad JSON lines"
python3 - bj.rej.jsonl <<'PY' || fail "bad JSON rejects: $(cat bj.rej.jsonl)"
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
assert [x["line"] for x in r] == [1, 2, 3, 5, 6], r
assert [x["reason"] for x in r[:4]] == ["bad_json"] * 4, r
assert r[0]["customer_id"] == "X1" and "expected ',' or '}'" in r[0]["detail"], r[0]
assert "an object or an array" in r[3]["detail"] and r[3]["customer_id"] == "X4", r[3]
assert r[4]["reason"] == "missing:industry" and r[4]["detail"].startswith("industry: empty, but"), r[4]
PY

# JSON Lines out: the CSV's values, money as JSON numbers from their exact text, missing as null.
run --in "$INPUT" --out out.jsonl --rejects r.csv || fail "JSON Lines output"
python3 - out.jsonl sme.interp.csv <<'PY' || fail "JSON Lines output differs from CSV"
import csv, json, sys
from decimal import Decimal
rows = list(csv.reader(open(sys.argv[2], newline="")))
objs = [json.loads(l, parse_float=Decimal) for l in open(sys.argv[1])]
assert len(objs) == len(rows) - 1
for o, r in zip(objs, rows[1:]):
    assert list(o) == rows[0], list(o)
    for k, cell in zip(rows[0], r):
        v = o[k]
        got = "" if v is None else ("true" if v is True else "false" if v is False else str(v))
        assert got == cell, (k, v, cell)
assert '"max_limit":' in open(sys.argv[1]).readline()
PY

# credo explain reads the shuffled file as the run does: the rejects' line is explained, and its
# reject row is the run's.
line=$(sed -n 2p sme.interp.rej.csv | cut -d, -f1)
"$CREDO" explain "$POLICY" --in sme.shuffled.csv --line "$line" --json > explained.json || fail "explain on the shuffled CSV"
python3 - explained.json sme.interp.rej.csv <<'PY' || fail "explain of a shuffled CSV's reject"
import csv, json, sys
e = json.load(open(sys.argv[1]))
row = list(csv.reader(open(sys.argv[2], newline="")))[1]
assert e["status"] == "rejected" and next(csv.reader([e["reject_row"]])) == row, (e["reject_row"], row)
PY

# --strict: today's exact header; by name otherwise, with a did-you-mean for a near miss.
expect 1 "the header does not match" -- run --strict --in sme.shuffled.csv --out x.csv --rejects xr.csv
sed '1s/revenue/Revenue/; 1s/,bureau_score,/,bureau_scor,/' "$INPUT" > typo.csv
expect 1 "missing column(s): revenue (did you mean 'Revenue'?), bureau_score (did you mean 'bureau_scor'?)" -- \
  run --in typo.csv --out x.csv --rejects xr.csv
[[ ! -e x.csv ]] || fail "a refused header left an output"

# --keep: named input columns first, in the order given; a name not in the input or already an
# output column is refused.
run --keep note,branch --in sme.shuffled.csv --out k.csv --rejects kr.csv || fail "--keep run"
[[ $(head -1 k.csv) == "note,branch,$(head -1 sme.interp.csv)" ]] || fail "--keep header: $(head -1 k.csv)"
[[ $(sed -n 2p k.csv) == "\"n,o\"\"te\",B0,$(sed -n 2p sme.interp.csv)" ]] || fail "--keep row: $(sed -n 2p k.csv)"
expect 1 "--keep brnch: the input has no column 'brnch' (did you mean 'branch'?)" -- \
  run --keep brnch --in sme.shuffled.csv --out x.csv --rejects xr.csv
expect 2 "--keep decision: the policy's output has a column 'decision' already" -- \
  run --keep decision --in sme.shuffled.csv --out x.csv --rejects xr.csv
expect 2 "named twice" -- run --keep branch,branch --in sme.shuffled.csv --out x.csv --rejects xr.csv
expect 2 "--format needs csv or jsonl" -- run --format xml --in "$INPUT" --out x.csv --rejects xr.csv
expect 2 "--top needs a whole number from 1 to 1000" -- run --top 0 --in "$INPUT" --out x.csv --rejects xr.csv

# --summary: the figures against Python's count of the same output file.
run --summary --top 3 --summary-json s.json --in "$INPUT" --out so.csv --rejects sr.csv 2> summary.txt ||
  fail "--summary run"
grep -q "^decision_reason (top 3 of" summary.txt || fail "no top values in the summary: $(cat summary.txt)"
python3 - s.json so.csv sr.csv "$INPUT" <<'PY' || fail "--summary figures"
import csv, json, sys
from collections import Counter
from decimal import Decimal
s = json.load(open(sys.argv[1]), parse_float=Decimal)
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
rejects = list(csv.reader(open(sys.argv[3], newline="")))[1:]
assert s["rows"] == sum(1 for _ in open(sys.argv[4])) - 1 == len(rows) + len(rejects)
assert s["accepted"] == len(rows) and s["rejected"] == len(rejects)
reasons = Counter(r["decision_reason"] for r in rows if r["decision_reason"])
top = s["top"]["decision_reason"]
assert top["present"] == sum(reasons.values()) and top["distinct"] == len(reasons)
want = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
assert [(v["value"], v["count"]) for v in top["values"]] == want, (top, want)
for col in ("max_limit", "approved_amount"):
    cells = [Decimal(r[col]) for r in rows if r[col] != ""]
    assert s["totals"][col]["sum"] == sum(cells) and s["totals"][col]["present"] == len(cells), col
assert s["counts"]["decision"]["APPROVE"] == sum(r["decision"] == "APPROVE" for r in rows)
PY
finish
