#!/usr/bin/env bash
# credo explain agrees with credo run: for every record of examples/sme-portfolio.csv, of each
# policy's tests/policies/NAME/input.csv and of each tests/golden/run case, the explanation's
# outputs (accepted records) and reject reason (rejected ones) equal what `credo run` writes,
# with both engines. Across them, the explanations show every construct of the language.
source "$(dirname "$0")/lib.sh" "$@"

cases=("$SRC/policies/sme-credit-v1.credo:$INPUT")
for input in "$SRC"/tests/policies/*/input.csv; do
  name=$(basename "$(dirname "$input")")
  [[ -f $SRC/policies/$name.credo ]] && cases+=("$SRC/policies/$name.credo:$input")
done
((${#cases[@]} >= 7)) || fail "only ${#cases[@]} policies with data"
for dir in "$SRC"/tests/golden/run/*/; do
  [[ -f $dir/policy.credo && -f $dir/input.csv ]] && cases+=("$dir/policy.credo:$dir/input.csv")
done

: > compared
for c in "${cases[@]}"; do
  policy=${c%%:*} input=${c#*:} name=$(basename "$policy" .credo)
  [[ $name == policy ]] && name=$(basename "$(dirname "$policy")")
  # Reference data (references.txt beside the input: NAME=FILE lines), its bad rows set aside.
  refs=() set_aside=()
  if [[ -f $(dirname "$input")/references.txt ]]; then
    while IFS='=' read -r ref file; do
      [[ -z $ref || $ref == \#* ]] || refs+=(--ref "$ref=$(dirname "$input")/$file")
    done < "$(dirname "$input")/references.txt"
    set_aside=(--ref-rejects "$name.ref-rejects.csv")
  fi
  for engine in interp jit; do
    "$CREDO" run "$policy" --engine=$engine --in "$input" --out "$name.$engine.out.csv" --rejects "$name.$engine.rejects.csv" \
      "${refs[@]}" "${set_aside[@]}" 2> err
    run_exit=$?
    "$CREDO" explain "$policy" --engine=$engine --in "$input" --all "${refs[@]}" > "$name.$engine.jsonl" 2> err
    explain_exit=$?
    # An input the run refuses (a wrong header), explain refuses too.
    [[ $run_exit == "$explain_exit" ]] || fail "$name --engine=$engine: run exit $run_exit, explain exit $explain_exit ($(head -c 300 err))"
  done
  ((run_exit == 0)) || continue
  # The explanations do not depend on the engine (it is only checked against): compare once.
  cmp -s "$name.interp.jsonl" "$name.jit.jsonl" || fail "$name: the explanations differ between engines"
  rm -f "$name.jit.jsonl"
  echo "$name" >> compared
done

python3 - compared <<'PY' || fail "explanations disagree with credo run, or a construct is never shown"
import csv, json, sys

def kinds(elements):
    for e in elements:
        yield e["kind"] + (".hit" if e.get("hit") else "")
        yield from kinds(e.get("children", []))

seen, problems = set(), []
for name in open(sys.argv[1]).read().split():
    explained = [json.loads(line) for line in open(f"{name}.interp.jsonl", encoding="utf-8")]
    if [e["record"]["row"] for e in explained] != list(range(1, len(explained) + 1)):
        problems.append(f"{name}: not one explanation per record, in order")
    accepted = [e for e in explained if e["status"] == "accepted"]
    rejected = [e for e in explained if e["status"] == "rejected"]
    for engine in ("interp", "jit"):
        rows = list(csv.reader(open(f"{name}.{engine}.out.csv", newline="", encoding="utf-8")))
        header, rows = rows[0], rows[1:]
        if len(rows) != len(accepted):
            problems.append(f"{name} {engine}: {len(rows)} output rows, {len(accepted)} accepted explanations")
        for row, e in zip(rows, accepted):
            names, values = [o["name"] for o in e["outputs"]], [o["value"] for o in e["outputs"]]
            if names != header or values != row:
                problems.append(f"{name} {engine}: line {e['record']['line']}: explained {values}, run wrote {row}")
        rows = list(csv.reader(open(f"{name}.{engine}.rejects.csv", newline="", encoding="utf-8")))[1:]
        if len(rows) != len(rejected):
            problems.append(f"{name} {engine}: {len(rows)} rejects, {len(rejected)} rejected explanations")
        for row, e in zip(rows, rejected):
            got = [str(e["record"]["line"]), e["record"]["id"], e["reject"]["reason"]]
            # The whole rejects row explain gives, detail included, is the run's row.
            if got != row[:3] or next(csv.reader([e["reject_row"]])) != row:
                problems.append(f"{name} {engine}: explained reject {got}, run wrote {row}")
    for e in explained:
        seen.update(kinds(e["elements"] + (e["group"]["elements"] if e["group"] else [])))
    print(f"{name}: {len(accepted)} accepted, {len(rejected)} rejected: {'all agree' if not problems else 'DISAGREE'}")

# Every construct is shown, and each that a record can meet or not is met by some record.
shown = "let step scorecard characteristic reasons band table decision_table decision group_let output".split()
met = "rule missing_false bin band_range table_entry decision_row decision_arm fallback warning group_action".split()
for k in shown:
    if k not in seen and k + ".hit" not in seen:
        problems.append(f"no explanation shows a {k}")
for k in met:
    if k + ".hit" not in seen:
        problems.append(f"no record met a {k}")
for p in problems[:20]:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
finish
