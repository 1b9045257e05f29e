#!/usr/bin/env bash
# credo compare: SME v1 (champion) against examples/sme-credit-v2 (challenger) over the example
# portfolio. Every figure of --json and every line of --changed is recomputed independently
# (tests/portfolio/check_compare.py) from the two policies' own `credo run` outputs; both engines
# give the same JSON; usage, role and input errors are clear and lose nothing.
# ctest-timeout: 90
source "$(dirname "$0")/lib.sh" "$@"
V1=$POLICY
V2=$SRC/examples/sme-credit-v2.credo

"$CREDO" run "$V1" --in "$INPUT" --out v1.csv --rejects v1.rejects.csv || fail "run v1"
"$CREDO" run "$V2" --in "$INPUT" --out v2.csv --rejects v2.rejects.csv || fail "run v2"
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --json --changed changed.csv > compare.json
python3 "$SRC/tests/portfolio/check_compare.py" "$INPUT" v1.csv v1.rejects.csv v2.csv v2.rejects.csv compare.json \
  changed.csv || fail "the figures differ from the runs'"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["schema"]=="credo.compare/1"' compare.json \
  || fail "--json does not parse as credo.compare/1"

# The interpreter gives the same figures as the JIT.
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --json --engine interp > interp.json
cmp -s compare.json interp.json || fail "--engine interp gives other figures than jit"

# Text: the tables a terminal shows; a record rejected by either side is counted, not dropped.
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" > compare.txt
for heading in "Overview" "Swap set" "Grade migration" "Limits by grade" "Decision reasons" "Scorecard reasons" \
  "Score distribution (PSI"; do
  grep -qF "$heading" compare.txt || fail "no '$heading' in the text"
done
grep -qE '^  \(rejected\) .* 9 ' compare.txt || fail "the 9 rejected records are not in the swap set"
# A policy against itself changes nothing.
expect 0 "" -- "$CREDO" compare "$V1" "$V1" --in "$INPUT" --json --changed same.csv > same.json
[[ $(wc -l < same.csv) == 1 ]] || fail "v1 against itself lists changed records"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["psi"]==0 and j["changed"]==0' same.json \
  || fail "v1 against itself: PSI or changed not 0"
# Stdin works as the portfolio.
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in - --json < "$INPUT" > stdin.json
[[ $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changed"])' stdin.json) == \
   $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["changed"])' compare.json) ]] \
  || fail "stdin gives other figures"

# A file on stdout takes the place of the figures there.
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --report - > page.html
[[ $(head -c 15 page.html) == "<!DOCTYPE html>" ]] && ! grep -q "^Overview" page.html || fail "--report - is not the page alone"
expect 0 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --changed - > changed-stdout.csv
cmp -s changed.csv changed-stdout.csv || fail "--changed - differs from --changed FILE"
expect 2 "cannot both be stdout" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --changed - --report -

# Usage errors (exit 2) and role / input errors (exit 1), each saying what to do.
expect 0 "" -- "$CREDO" compare --help > help.txt
grep -qF -- "--changed FILE" help.txt || fail "--help does not list --changed"
expect 2 "give two policies" -- "$CREDO" compare "$V1" --in "$INPUT"
expect 2 "--in is required" -- "$CREDO" compare "$V1" "$V2"
expect 2 "unknown option '--bogus'" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --bogus
expect 2 "--engine" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --engine fast
cp "$INPUT" portfolio.csv
expect 2 "" -- "$CREDO" compare "$V1" "$V2" --in portfolio.csv --changed portfolio.csv
same_content "$INPUT" portfolio.csv
expect 2 "" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --report "$V2"
expect 1 "--decision verdict: sme_credit has no such output" -- "$CREDO" compare "$V1" "$V2" --in "$INPUT" --decision verdict
expect 1 "--approve YES: the decision's values are APPROVE, REFER, DECLINE" -- \
  "$CREDO" compare "$V1" "$V2" --in "$INPUT" --approve YES
# Detection that cannot tell names the option that settles it.
expect 1 "name it with --amount COLUMN" -- "$CREDO" compare "$SRC/policies/retail-card-v1.credo" \
  "$SRC/policies/retail-card-v1.credo" --in "$SRC/tests/policies/retail-card-v1/input.csv"
expect 1 "name it with --decision COLUMN" -- "$CREDO" compare "$SRC/policies/early-warning-v1.credo" \
  "$SRC/policies/early-warning-v1.credo" --in "$SRC/tests/policies/early-warning-v1/input.csv"
# Named roles settle it.
expect 0 "" -- "$CREDO" compare "$SRC/policies/early-warning-v1.credo" "$SRC/policies/early-warning-v1.credo" \
  --in "$SRC/tests/policies/early-warning-v1/input.csv" --decision level --approve NORMAL --json > ew.json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["changed"]==0 and j["champion"]["records"]>0' \
  ew.json || fail "early-warning with --decision level"
# An input that does not fit one of the policies: which one, and nothing written.
expect 1 "does not fit" -- "$CREDO" compare "$V1" "$SRC/policies/retail-woe-v1.credo" --in "$INPUT" \
  --changed nothing.csv
[[ ! -e nothing.csv ]] || fail "--changed written although the challenger could not run"
no_partials
finish
