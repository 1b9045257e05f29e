#!/usr/bin/env bash
# credo fmt over every .credo file of the repository: formatting is idempotent (formatting the
# output again gives the same bytes), and it never changes the meaning: a file that checks clean
# lowers to the same program (same IR, same hash) before and after; a file with diagnostics
# reports the same codes. Files that do not parse are refused (exit 1), never rewritten.
# Four commands per file over ~260 files: about 30 s alone, longer beside other tests.
# ctest-timeout: 400
# ctest-lock: source-policies
source "$(dirname "$0")/lib.sh" "$@"
formatted=0 refused=0
while IFS= read -r -d '' file; do
  rel=${file#"$SRC"/}
  if ! "$CREDO" fmt - < "$file" > once.credo 2> fmt.err; then
    # The parser's own errors (syntax, literals) are the only reason to refuse a file.
    grep -q "error\[E0" fmt.err || fail "$rel: fmt refused it without an error: $(head -c 200 fmt.err)"
    "$CREDO" check "$file" > /dev/null 2>&1 && fail "$rel: fmt refused a file that checks clean"
    [[ ! -s once.credo ]] || fail "$rel: a refused file must print nothing"
    refused=$((refused + 1))
    continue
  fi
  formatted=$((formatted + 1))
  "$CREDO" fmt - < once.credo > twice.credo 2> /dev/null || fail "$rel: its formatted text does not format"
  cmp -s once.credo twice.credo || fail "$rel: not idempotent: $(diff once.credo twice.credo | head -5)"
  # Imports resolve beside the file: compare the two versions in the file's own directory.
  dir=$(dirname "$file")
  copy=$(mktemp "$dir/.fmt-check-XXXXXX.credo")
  cp once.credo "$copy"
  "$CREDO" check --dump=ir "$file" > before.ir 2> before.err; b=$?
  "$CREDO" check --dump=ir "$copy" > after.ir 2> after.err; a=$?
  rm -f "$copy"
  [[ $a == "$b" ]] || fail "$rel: check exits $b before formatting, $a after"
  if grep -q "E0007" before.err; then
    :  # an import cycle: the copy is not part of the cycle, so its diagnostics differ by design
  elif [[ $b == 0 ]]; then
    cmp -s before.ir after.ir || fail "$rel: formatting changed the program"
  else
    codes() { grep -o '\[[EW][0-9]*\]' "$1" | sort | tr -d '\n'; }
    [[ $(codes before.err) == "$(codes after.err)" ]] || fail "$rel: diagnostics $(codes before.err) became $(codes after.err)"
  fi
done < <(find "$SRC/policies" "$SRC/tests" "$SRC/examples" -name '*.credo' -not -path '*/build*' -print0 | sort -z)
(( formatted >= 200 )) || fail "only $formatted files formatted"
echo "formatted $formatted files, $refused refused (syntax errors)"
exit $((failures > 0))
