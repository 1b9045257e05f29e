#!/usr/bin/env bash
# The repository's own policies are in canonical layout: `credo fmt --check policies/ tests/
# examples/` passes (the .credofmtignore files leave out the diagnostics' golden cases and the
# fuzzer's crash inputs, whose exact layout is what they test), and --check writes nothing.
# fmt_layout writes copies beside the policies it checks: the two never run together.
# ctest-lock: source-policies
source "$(dirname "$0")/lib.sh" "$@"
cd "$SRC" || exit 1
sums() { find policies tests examples -name '*.credo' -print0 | sort -z | xargs -0 cksum; }
before=$(sums)
expect 0 "" -- "$CREDO" fmt --check policies/ tests/ examples/
[[ $(sums) == "$before" ]] || fail "fmt --check changed a file"
finish
