#!/usr/bin/env bash
# Sets up and builds (tools/setup.sh), then runs every test; exits with ctest's exit code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup.sh
rc=0
ctest --test-dir build --output-on-failure -j"$(nproc)" || rc=$?
exit "$rc"
