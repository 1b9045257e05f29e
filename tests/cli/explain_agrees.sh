#!/usr/bin/env bash
# credo explain agrees with credo run: for every record of examples/sme-portfolio.csv and of
# each policy's tests/policies/NAME/input.csv, the explanation's outputs (accepted records) and
# reject reason (rejected ones) equal what `credo run` writes, with both engines.
source "$(dirname "$0")/lib.sh" "$@"

cases=("$SRC/policies/sme-credit-v1.credo:$INPUT")
for input in "$SRC"/tests/policies/*/input.csv; do
  name=$(basename "$(dirname "$input")")
  [[ -f $SRC/policies/$name.credo ]] && cases+=("$SRC/policies/$name.credo:$input")
done
((${#cases[@]} >= 7)) || fail "only ${#cases[@]} policies with data"

for c in "${cases[@]}"; do
  policy=${c%%:*} input=${c#*:} name=$(basename "$policy" .credo)
  for engine in interp jit; do
    "$CREDO" run "$policy" --engine=$engine --in "$input" --out "$name.$engine.out.csv" --rejects "$name.$engine.rejects.csv" 2> err ||
      fail "$name: credo run --engine=$engine: exit $? ($(head -c 300 err))"
    "$CREDO" explain "$policy" --engine=$engine --in "$input" --all > "$name.$engine.jsonl" 2> err ||
      fail "$name: credo explain --all --engine=$engine: exit $? ($(head -c 300 err))"
  done
  # The explanations do not depend on the engine (it is only checked against): compare once.
  cmp -s "$name.interp.jsonl" "$name.jit.jsonl" || fail "$name: the explanations differ between engines"
  python3 - "$name.interp.jsonl" "$name".{interp,jit}.out.csv "$name".{interp,jit}.rejects.csv <<'PY' || fail "$name: explanations disagree with credo run"
import csv, json, sys
jsonl, outs, rejects = sys.argv[1], sys.argv[2:4], sys.argv[4:6]
explained = [json.loads(line) for line in open(jsonl, encoding="utf-8")]
assert [e["record"]["row"] for e in explained] == list(range(1, len(explained) + 1)), "one explanation per record, in order"
accepted = [e for e in explained if e["status"] == "accepted"]
rejected = [e for e in explained if e["status"] == "rejected"]
for out, rej in zip(outs, rejects):
    rows = list(csv.reader(open(out, newline="", encoding="utf-8")))
    header, rows = rows[0], rows[1:]
    assert len(rows) == len(accepted), f"{out}: {len(rows)} rows, {len(accepted)} accepted explanations"
    for row, e in zip(rows, accepted):
        names = [o["name"] for o in e["outputs"]]
        values = [o["value"] for o in e["outputs"]]
        assert names == header, f"{out}: columns {names} != {header}"
        assert values == row, f"{out}: line {e['record']['line']}: explained {values}, run wrote {row}"
    rows = list(csv.reader(open(rej, newline="", encoding="utf-8")))[1:]
    assert len(rows) == len(rejected), f"{rej}: {len(rows)} rejects, {len(rejected)} rejected explanations"
    for (line, rid, reason), e in zip(rows, rejected):
        got = (str(e["record"]["line"]), e["record"]["id"], e["reject"]["reason"])
        assert got == (line, rid, reason), f"{rej}: explained {got}, run wrote {(line, rid, reason)}"
def kinds(elements):
    for e in elements:
        yield e["kind"] + (".hit" if e.get("hit") else "")
        yield from kinds(e.get("children", []))
seen = set()
for e in explained:
    seen.update(kinds(e["elements"] + (e["group"]["elements"] if e["group"] else [])))
open(jsonl + ".kinds", "w").write("\n".join(sorted(seen)) + "\n")
print(f"{jsonl}: {len(accepted)} accepted, {len(rejected)} rejected: all agree")
PY
  cat "$name.interp.jsonl.kinds" >> kinds
  rm -f "$name".*.jsonl
done
# Across the policies, the explanations show every construct, each met by some record.
for kind in let step rule missing_false characteristic bin scorecard reasons band band_range table table_entry \
  decision_table decision_row decision decision_arm fallback warning output group_let group_action; do
  grep -qx "$kind.hit" kinds || grep -qx "$kind" kinds || fail "no explanation shows a $kind"
  case $kind in rule | missing_false | bin | band_range | table_entry | decision_row | decision_arm | fallback | warning | group_action)
    grep -qx "$kind.hit" kinds || fail "no record met a $kind" ;;
  esac
done
finish
