# Shared by the tests/cli scripts: arguments, a fresh work directory, and checks that print
# what went wrong. Source it first: `source "$(dirname "$0")/lib.sh" "$@"`.
set -u
CREDO=$1
SRC=$2
W=$3
POLICY=$SRC/policies/sme-credit-v1.credo
INPUT=$SRC/examples/sme-portfolio.csv
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect CODE TEXT -- COMMAND...: runs COMMAND (stderr to $W/err), requires exit CODE and TEXT
# somewhere in stderr (TEXT may be empty).
expect() {
  local code=$1 text=$2
  shift 3
  "$@" 2> "$W/err"
  local got=$?
  [[ $got == "$code" ]] || fail "exit $got, not $code: $* ($(head -c 300 "$W/err"))"
  [[ -z $text ]] || grep -qF -- "$text" "$W/err" || fail "no '$text' in stderr of: $* ($(head -c 300 "$W/err"))"
}

# run ARGS...: `credo run` on the SME policy with the interpreter (no JIT start-up).
run() { "$CREDO" run "$POLICY" --engine=interp "$@"; }

# device NAME: prints the path of a character device like /dev/NAME made in $W with mknod (as
# root), so that a regression renaming over its output destroys only this copy, never the
# system's; without mknod, a symlink to /dev/NAME (an unprivileged run cannot replace that).
device() {
  local numbers
  numbers=$(stat -c '%t %T' "/dev/$1")  # major and minor, in hex
  mknod "$W/$1" c $((16#${numbers% *})) $((16#${numbers#* })) 2> /dev/null || ln -s "/dev/$1" "$W/$1"
  echo "$W/$1"
}

same_content() { cmp -s "$1" "$2" || fail "$1 changed"; }
no_partials() {
  local left
  left=$(find "$W" -name '*.partial')
  [[ -z $left ]] || fail "temporary files left: $left"
}

finish() {
  ((failures == 0)) && echo "ok" && exit 0
  echo "$failures failure(s)" >&2
  exit 1
}
