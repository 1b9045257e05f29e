#!/usr/bin/env bash
# Reference data at scale: policies/group-exposure-v1.credo over REQUESTS requests with a credit
# ledger of FACILITIES facilities (about 3 per customer, 6 customers per group), group limits for
# half the groups and a watch list. Prints the wall time and peak RSS of a run, and of the same
# run's load alone (an empty request file), so the lookups' share shows.
#
#   bench/reference_data.sh [CREDO] [REQUESTS] [FACILITIES] [ENGINE]     defaults: build/credo 1000000 1000000 jit
set -euo pipefail
credo=${1:-build/credo}
requests=${2:-1000000}
facilities=${3:-1000000}
engine=${4:-jit}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$requests" "$facilities" <<'PY'
import random, sys
work, requests, facilities = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(13)
customers = max(1, facilities // 3)
groups = max(1, customers // 6)
with open(work + "/ledger.csv", "w") as f:
    f.write("customer_id,group_id,limit,utilisation,days_past_due\n")
    for i in range(facilities):
        c = rng.randrange(customers)
        lim = rng.randrange(1, 200) * 1000000
        f.write("C%d,G%d,%d.00,%d.00,%d\n" % (c, c // 6, lim // 100, rng.randrange(lim) // 100, rng.choice((0, 0, 0, 5, 40))))
with open(work + "/group-limits.csv", "w") as f:
    f.write("group_id,limit\n")
    for g in range(0, groups, 2):
        f.write("G%d,%d.00\n" % (g, rng.randrange(5, 80) * 100000))
with open(work + "/watch-list.csv", "w") as f:
    f.write("customer_id,reason\n")
    for c in range(0, customers, 97):
        f.write("C%d,review\n" % c)
with open(work + "/requests.csv", "w") as f:
    f.write("request_id,customer_id,group_id,grade,amount\n")
    for i in range(requests):
        c = rng.randrange(customers * 2)  # half of them new to the bank
        f.write("R%d,C%d,G%d,%s,%d.00\n" % (i, c, c // 6, rng.choice("ABCDE"), rng.randrange(1, 500) * 1000))
with open(work + "/none.csv", "w") as f:
    f.write("request_id,customer_id,group_id,grade,amount\n")
PY
refs=(--ref facilities=$work/ledger.csv --ref group_facilities=$work/ledger.csv
      --ref group_limits=$work/group-limits.csv --ref watch_list=$work/watch-list.csv)
measure() {
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" "$credo" run "$root/policies/group-exposure-v1.credo" --engine "$engine" \
    --in "$1" --out "$work/out.csv" --rejects "$work/rej.csv" "${refs[@]}" --summary 2>&1 | grep -E "reference|rows read|time|wall"
}
echo "== load only (no requests): $facilities facilities"
measure "$work/none.csv"
echo "== $requests requests"
measure "$work/requests.csv"
