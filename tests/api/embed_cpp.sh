#!/bin/bash
# api.embed_cpp: credo installed into a fresh prefix (cmake --install), examples/embed-cpp
# configured and built against it with find_package(credo) as another project builds it, then
# run on the SME policy: describe, a record built in code, JSON, a batch.
#   embed_cpp.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -u
BUILD=$1 SRC=$2 W=$3
rm -rf "$W/prefix" "$W/out.txt" && mkdir -p "$W" || exit 1
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

cmake --install "$BUILD" --prefix "$W/prefix" > "$W/install.log" || { cat "$W/install.log"; exit 1; }
[[ -f $W/prefix/include/credo/credo.hpp ]] || fail "include/credo/credo.hpp not installed"
# Only the public headers: nothing of compiler/ or runtime/.
internal=$(find "$W/prefix/include" -type f ! -name 'credo.hpp' ! -name 'credo.h')
[[ -z $internal ]] || fail "internal headers installed: $internal"
[[ -n $(find "$W/prefix" -name credoConfig.cmake) && -n $(find "$W/prefix" -name credoConfigVersion.cmake) ]] ||
  fail "no package config installed"

# The example's own build directory (kept between runs: ccache and Ninja make a rebuild cheap).
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$SRC/examples/embed-cpp" -B "$W/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$W/prefix" "${launcher[@]}" > "$W/configure.log" 2>&1 ||
  { cat "$W/configure.log"; exit 1; }
cmake --build "$W/build" > "$W/build.log" 2>&1 || { cat "$W/build.log"; exit 1; }
grep -q -- "$W/prefix" "$W/build/CMakeCache.txt" || fail "the example did not find credo in the prefix"

"$W/build/embed-cpp" "$SRC/policies/sme-credit-v1.credo" > "$W/out.txt" 2> "$W/err.txt" ||
  fail "embed-cpp exited $? ($(head -c 300 "$W/err.txt"))"
hash=$("$W/prefix/bin/credo" doc "$SRC/policies/sme-credit-v1.credo" | grep -o '[0-9a-f]\{16\}' | head -1)
expect_line() { grep -qF -- "$1" "$W/out.txt" || fail "no '$1' in the output: $(head -c 600 "$W/out.txt")"; }
expect_line "policy sme_credit 1.0 hash $hash (credo 0.1.0 jit"
expect_line "  input revenue: money where revenue >= 0"
expect_line "  input group_id: string?"
expect_line "  group by group_id"
expect_line '"decision":"APPROVE"'
expect_line "  decision APPROVE, limit 350000.00"
expect_line '"reason":"out_of_range:revenue"'
expect_line "unknown field 'revenu' (did you mean 'revenue'?)"
expect_line "batch: 2 accepted, 1 rejected"
expect_line "  reject row 2 B3: unknown:industry"
exit $((failures > 0))
