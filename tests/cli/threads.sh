# Issue 9, item 7: --threads is bounded (0 to 1024), and a run whose threads cannot be created
# (here: an address-space limit too small for 1024 thread stacks) stops with exit 3 and a
# message instead of hanging, leaving no files behind.
source "$(dirname "$0")/lib.sh" "$@"
expect 2 "--threads needs a whole number from 0 to 1024, not '1025'" -- \
  run --in "$INPUT" --out out.csv --rejects rej.csv --threads 1025
expect 0 "" -- run --in "$INPUT" --out out.csv --rejects rej.csv --threads 1024
rm out.csv rej.csv
if [[ -n ${CREDO_SANITIZED:-} ]]; then
  # ASan's shadow memory cannot live under an address-space limit; the unit test "a pool whose
  # thread creation fails" covers the same path with an injected thread starter.
  echo "skipping the ulimit -v case: this credo is built with AddressSanitizer"
else
  expect 3 "cannot start the worker threads" -- \
    bash -c 'ulimit -v 2000000 && exec timeout 60 "$@"' limited "$CREDO" run "$POLICY" --engine=interp \
    --in "$INPUT" --out out.csv --rejects rej.csv --threads 1024
fi
[[ ! -e out.csv && ! -e rej.csv ]] || fail "a failed run created its outputs"
no_partials
finish
