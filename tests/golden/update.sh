#!/usr/bin/env bash
# Rewrites the .expected file of golden check cases from what credo prints now.
#
#   tests/golden/update.sh                    every case in tests/golden/check
#   tests/golden/update.sh E0401-int-gap ...  only these cases (names, or paths to .credo files)
#
# CREDO selects the binary (default: build/credo). Review the result with `git diff
# tests/golden/check` before committing: an update accepts whatever credo prints.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
credo="${CREDO:-build/credo}"
if [[ ! -x "$credo" ]]; then
  echo "update.sh: $credo is not an executable; build it (cmake --build build) or set CREDO" >&2
  exit 2
fi

cases=()
if [[ $# -eq 0 ]]; then
  cases=(tests/golden/check/*.credo)
else
  for arg in "$@"; do
    name="$(basename "$arg" .credo)"
    cases+=("tests/golden/check/$name.credo")
  done
fi

for case in "${cases[@]}"; do
  cmake -DUPDATE=ON -DCREDO="$credo" -DCASE="$case" -P tests/golden/run_check.cmake
done
