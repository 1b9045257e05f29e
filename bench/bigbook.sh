#!/usr/bin/env bash
# bigbook.sh — the larger-than-memory grouped run (issue 13, item 3): generates ROWS SME
# applications (corporate groups scattered through the file, not sorted), runs `credo run` on the
# SME policy (group pass `group by group_id`) under a memory budget, and prints rows/s and the
# run's peak RSS. With --check, also runs it all in memory and compares the files byte for byte.
# A benchmark, not a test (figures in docs/performance.md, "Larger-than-memory runs").
#
#   bench/bigbook.sh [--build DIR] [--rows N] [--memory SIZE] [--threads "1 2"] [--work DIR] [--check]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$SRC/build ROWS=10000000 MEMORY=256M THREADS="1 2" WORK=${TMPDIR:-/tmp}/credo-bigbook CHECK=0
while (($#)); do
  case $1 in
    --build) BUILD=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --memory) MEMORY=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --check) CHECK=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bigbook.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
CREDO=$BUILD/credo GEN=$BUILD/tools/credo-gen-sme POLICY=$SRC/policies/sme-credit-v1.credo
mkdir -p "$WORK"
trap 'rm -f "$WORK"/book.csv "$WORK"/out*.csv "$WORK"/rej*.csv' EXIT

# measure LABEL CMD...: runs CMD, prints its wall time, rows/s and peak RSS (getrusage of the child).
measure() {
  local label=$1
  shift
  python3 - "$label" "$ROWS" "$@" <<'PY'
import resource, subprocess, sys, time
label, rows, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
start = time.monotonic()
code = subprocess.run(cmd).returncode
wall = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
print(f"{label:<34} {wall:7.2f} s {rows / wall / 1e6:6.2f} M rows/s  peak RSS {peak:7.1f} MiB" + ("" if code == 0 else f"  FAILED (exit {code})"))
sys.exit(code)
PY
}

echo "generating $ROWS rows ..."
"$GEN" --rows "$ROWS" --out "$WORK/book.csv"
echo "input: $(du -m "$WORK/book.csv" | cut -f1) MiB, $(nproc) cores"
for t in $THREADS; do
  measure "--memory $MEMORY, $t thread(s)" "$CREDO" run "$POLICY" --in "$WORK/book.csv" --out "$WORK/out-$t.csv" \
    --rejects "$WORK/rej-$t.csv" --memory "$MEMORY" --temp-dir "$WORK" --threads "$t" --summary
done
if ((CHECK)); then
  t=${THREADS##* }
  measure "in memory, $t thread(s)" "$CREDO" run "$POLICY" --in "$WORK/book.csv" --out "$WORK/out-mem.csv" \
    --rejects "$WORK/rej-mem.csv" --threads "$t"
  for t in $THREADS; do
    cmp "$WORK/out-$t.csv" "$WORK/out-mem.csv" && cmp "$WORK/rej-$t.csv" "$WORK/rej-mem.csv" ||
      { echo "bigbook.sh: the spilled run on $t thread(s) differs from the in-memory run" >&2; exit 1; }
  done
  echo "outputs and rejects identical to the in-memory run"
fi
