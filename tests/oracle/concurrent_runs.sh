#!/usr/bin/env bash
# Two check_files.cmake runs of one golden case at once, in one WORK directory (as when two ctest
# runs share a build tree), 40 times with staggered starts: every run passes and leaves nothing
# behind. Each run writes into a directory of its own (run_dir.cmake); when the outputs had fixed
# names in WORK, one run removed or overwrote the other's files between its `credo run` and its
# comparison, and golden.run.* failed now and then ("... was not written").
#
#   concurrent_runs.sh CMAKE CREDO SOURCE_DIR WORK
set -u
CMAKE=$1 CREDO=$2 SRC=$3 W=$4
CASE=$SRC/tests/golden/run/reuse-const-literals
rm -rf "$W" && mkdir -p "$W" || exit 1

check() {
  "$CMAKE" -DCREDO="$CREDO" -DPOLICY="$CASE/policy.credo" -DINPUT="$CASE/input.csv" \
    -DEXPECTED="$CASE/expected.csv" -DEXPECTED_REJECTS="$CASE/rejects.csv" -DWORK="$W/work" \
    -DNAME=shared -DENGINE=interp -DTHREADS=1 -P "$SRC/tests/oracle/check_files.cmake" > "$W/log.$1" 2>&1
}

failures=0
for round in $(seq 40); do
  check first & first=$!
  sleep "0.0$((RANDOM % 5))"  # 0 to 40 ms: the second run starts anywhere in the first one
  check second & second=$!
  for run in first second; do
    if ! wait "${!run}"; then
      echo "FAIL: round $round, the $run run:" >&2
      cat "$W/log.$run" >&2
      failures=$((failures + 1))
    fi
  done
done
left=$(find "$W/work" -mindepth 1 | head -5)
[[ -z $left ]] || { echo "FAIL: passing runs left files behind: $left" >&2; failures=$((failures + 1)); }
((failures == 0)) && echo "ok: 80 runs, two at a time" && exit 0
echo "$failures failure(s)" >&2
exit 1
