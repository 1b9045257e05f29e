# Issue 9, item 14: numeric options are parsed whole and range-checked, exit 2 with a message
# naming the option and its range.
source "$(dirname "$0")/lib.sh" "$@"
for bad in 10x "" -1 0 1048577 99999999999999999999 " 8" 1e3; do
  expect 2 "--batch needs a whole number from 1 to 1048576, not '$bad'" -- \
    run --in "$INPUT" --out out.csv --rejects rej.csv --batch "$bad"
done
for bad in 10x "" -1 1025 99999999999999999999 4.0; do
  expect 2 "--threads needs a whole number from 0 to 1024, not '$bad'" -- \
    run --in "$INPUT" --out out.csv --rejects rej.csv --threads "$bad"
done
expect 2 "--batch needs a whole number" -- run --in "$INPUT" --out out.csv --rejects rej.csv --batch
[[ ! -e out.csv && ! -e rej.csv ]] || fail "a refused run created its outputs"
expect 0 "" -- run --in "$INPUT" --out out.csv --rejects rej.csv --batch 1048576 --threads 0
# --engine takes its value as the next argument or after `=`, like every other option.
expect 2 "--engine fast: the engines are jit and interp" -- "$CREDO" run "$POLICY" --in "$INPUT" --out o.csv --rejects r.csv --engine fast
expect 2 "--engine needs jit or interp" -- "$CREDO" run "$POLICY" --in "$INPUT" --out o.csv --rejects r.csv --engine
expect 0 "" -- "$CREDO" run "$POLICY" --in "$INPUT" --out spaced.csv --rejects spaced-rej.csv --engine interp
cmp -s out.csv spaced.csv || fail "--engine interp gave other output than --engine=interp"
finish
