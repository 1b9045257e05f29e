#!/usr/bin/env bash
# serve.sh — the `credo serve` figures of docs/performance.md: single-record requests over
# loopback at a fixed 5,000 requests/s and at max throughput, without and with the decision log.
#   bench/serve.sh [BUILD_DIR]     (default build; needs build/credo and build/credo-serve-load)
# The load generator runs on the same machine and shares its cores with the server.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
SERVER=
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2> /dev/null && wait "$SERVER" 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {  # start OPTIONS...: a server on a free port; sets PORT and SERVER
  "$BUILD/credo" serve --policies "$SRC/policies" --listen 127.0.0.1:0 --threads 4 --watch off "$@" \
    > "$WORK/out" 2> "$WORK/err" &
  SERVER=$!
  for _ in $(seq 100); do
    PORT=$(grep -o '[0-9]*$' "$WORK/out" 2> /dev/null || true)
    [[ -n $PORT ]] && return
    sleep 0.1
  done
  echo "server did not start: $(cat "$WORK/err")" >&2
  exit 1
}
stop() { kill "$SERVER" && wait "$SERVER" || true; SERVER=; }
load() { "$BUILD/credo-serve-load" --port "$PORT" --records "$SRC/bench/serve_records.jsonl" "$@"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
for log in none file; do
  if [[ $log == file ]]; then start --decision-log "$WORK/decisions.jsonl"; else start; fi
  echo "== decision log: $log"
  load --rate 5000 --connections 4 --duration 20 --warmup 3
  load --rate 0 --connections 4 --duration 10 --warmup 2
  stop
  [[ $log == file ]] && echo "decision log lines: $(wc -l < "$WORK/decisions.jsonl")"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
