#!/bin/bash
# cabi.example.installed: credo installed into a fresh prefix, examples/c-arrow configured and
# built against it as an outside C project (find_package(credo), include <credo/credo.h>), run on
# the repository's policies; its output must equal examples/c-arrow/expected-output.txt.
#   installed_example.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -u
BUILD=$1 SRC=$2 W=$3
rm -rf "$W/prefix" && mkdir -p "$W" || exit 1
cmake --install "$BUILD" --prefix "$W/prefix" > "$W/install.log" || { cat "$W/install.log"; exit 1; }
[[ -f $W/prefix/include/credo/credo.h ]] || { echo "FAIL: include/credo/credo.h not installed" >&2; exit 1; }
launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$SRC/examples/c-arrow" -B "$W/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$W/prefix" "${launcher[@]}" > "$W/configure.log" 2>&1 || { cat "$W/configure.log"; exit 1; }
cmake --build "$W/build" > "$W/build.log" 2>&1 || { cat "$W/build.log"; exit 1; }
grep -q -- "$W/prefix" "$W/build/CMakeCache.txt" || { echo "FAIL: credo was not found in the prefix" >&2; exit 1; }
"$W/build/c-arrow-example" "$SRC/policies" > "$W/out.txt" 2> "$W/err.txt" ||
  { echo "FAIL: c-arrow-example exited $?: $(head -c 500 "$W/err.txt")" >&2; exit 1; }
diff "$SRC/examples/c-arrow/expected-output.txt" "$W/out.txt" >&2 || { echo "FAIL: the output differs" >&2; exit 1; }
