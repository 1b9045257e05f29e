# Issue 9, items 12 and 13: a failed write (here /dev/full: no space left) is exit 3 with a
# message naming the file written, whether it is stdout or an output file.
source "$(dirname "$0")/lib.sh" "$@"
full=$(device full)
expect 3 "credo: cannot write to stdout: No space left on device" -- \
  bash -c '"$0" check --dump=ir "$1" > /dev/full' "$CREDO" "$POLICY"
expect 3 "credo: cannot write to stdout: No space left on device" -- \
  bash -c '"$0" check --dump=llvm "$1" > /dev/full' "$CREDO" "$POLICY"
expect 3 "credo: cannot write to stdout" -- bash -c '"$0" --help > /dev/full' "$CREDO"
expect 3 "credo: cannot write to stdout" -- bash -c '"$0" run --help > /dev/full' "$CREDO"
expect 3 "credo: stdout: cannot write the output: No space left on device" -- \
  bash -c '"$0" run "$1" --in "$2" --out - --rejects rej.csv > /dev/full' "$CREDO" "$POLICY" "$INPUT"
expect 3 "credo: $full: cannot write the output: No space left on device" -- \
  run --in "$INPUT" --out "$full" --rejects rej.csv
expect 3 "credo: $full: cannot write the rejects: No space left on device" -- \
  run --in "$INPUT" --out out.csv --rejects "$full"
[[ -c $full || -L $full ]] || fail "$full was replaced"
grep -qF "$INPUT" err && fail "the message names the input: $(cat err)"
[[ ! -e out.csv && ! -e rej.csv ]] || fail "a failed run created its outputs"
no_partials
finish
