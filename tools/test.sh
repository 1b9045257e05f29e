#!/usr/bin/env bash
# Sets up and builds (tools/setup.sh), then runs every test; then configures and builds the fuzz
# build (build-fuzz/, clang-19, -DCREDO_FUZZ=ON) and runs its short fuzz runs and kept crash
# inputs (ctest -L fuzz). Exits non-zero when either ctest fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup.sh
rc=0
ctest --test-dir build --output-on-failure -j"$(nproc)" || rc=$?

CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCREDO_FUZZ=ON
cmake --build build-fuzz -j"$(nproc)"
fuzz_rc=0
ctest --test-dir build-fuzz -L fuzz --output-on-failure -j"$(nproc)" || fuzz_rc=$?
if ((rc == 0)); then rc=$fuzz_rc; fi
exit "$rc"
