# Issue 9, item 11: a directory given as the input or the policy is an I/O error (exit 3) that
# says so, for `run` and `check`.
source "$(dirname "$0")/lib.sh" "$@"
mkdir dir
expect 3 "cannot read dir: it is a directory" -- run --in dir --out out.csv --rejects rej.csv
expect 3 "cannot read dir: it is a directory" -- "$CREDO" run dir --in "$INPUT" --out out.csv --rejects rej.csv
expect 3 "cannot read dir: it is a directory" -- "$CREDO" check dir
expect 3 "cannot write dir: it is a directory" -- run --in "$INPUT" --out dir --rejects rej.csv
expect 3 "cannot read missing.credo: No such file or directory" -- "$CREDO" check missing.credo
[[ ! -e out.csv && ! -e rej.csv ]] || fail "a failed run created its outputs"
no_partials
finish
