# Issue 9, item 16: without a group pass, rejects are written as their batches complete (not held
# to the end of the input), still in line order. A run is fed ~20 MB of rows that all reject
# through a FIFO held open: the rejects file must already hold most of them before the input
# ends, and the finished file must equal that of an ordinary run.
source "$(dirname "$0")/lib.sh" "$@"
RETAIL=$SRC/policies/retail-card-v1.credo
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next }
         { for (i = 0; i < 100; ++i) { $1 = sprintf("RC%07d", n++); $12 = "x"; print } }' \
  "$SRC/tests/policies/retail-card-v1/input.csv" > bad.csv
"$CREDO" run "$RETAIL" --engine=interp --in bad.csv --out expected.csv --rejects expected-rejects.csv ||
  fail "reference run"
rows=$(($(wc -l < bad.csv) - 1))

mkfifo in.fifo
"$CREDO" run "$RETAIL" --engine=interp --threads 2 --in in.fifo --out out.csv --rejects rej.csv &
pid=$!
exec 3> in.fifo
cat bad.csv >&3
streamed=0
for _ in $(seq 100); do
  partial=$(find . -name 'rej.csv.*.partial')
  streamed=$( [[ -n $partial ]] && wc -l < "$partial" || echo 0)
  ((streamed > rows / 2)) && break
  sleep 0.1
done
((streamed > rows / 2)) || fail "only $streamed of $rows rejects written before the input ended"
exec 3>&-
wait $pid || fail "the streamed run failed"
same_content rej.csv expected-rejects.csv
same_content out.csv expected.csv
finish
