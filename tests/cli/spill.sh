# Issue 13, item 3: a group-pass run past its --memory budget spills to temporary files and gives
# byte for byte the output, rejects and per-group outputs of the in-memory run, with either
# engine and any number of threads, from a file or stdin, over inputs not sorted by group;
# its temporary files never have a name in --temp-dir (so none survive an error or a signal);
# --memory and --temp-dir refuse unreasonable values.
# ctest-timeout: 180
source "$(dirname "$0")/lib.sh" "$@"
GEN=$(dirname "$CREDO")/tools/credo-gen-sme
[[ -x $GEN ]] || { echo "SKIP: $GEN is not built"; exit 77; }
mkdir tmp

# shuffled FILE: the header, then the data rows in a fixed pseudo-random order.
shuffled() { head -1 "$1"; tail -n +2 "$1" | shuf --random-source=<(yes 13); }

# same_runs NAME POLICY INPUT [--output ...]: the in-memory run and spilled runs (--memory 1M)
# with both engines on 1 and 2 threads give identical files; each spilled run says it spilled.
same_runs() {
  local name=$1 policy=$2 input=$3
  shift 3
  local outputs=("$@") extra=()
  for o in "${outputs[@]}"; do extra+=(--output "$o=$name.ref.$o"); done
  "$CREDO" run "$policy" --engine=interp --threads 1 --in "$input" --out "$name.ref.out" \
    --rejects "$name.ref.rej" "${extra[@]}" || fail "$name: the in-memory run"
  for engine in jit interp; do
    for threads in 1 2; do
      local tag=$name.$engine.$threads
      extra=()
      for o in "${outputs[@]}"; do extra+=(--output "$o=$tag.$o"); done
      expect 0 "spilled:" -- "$CREDO" run "$policy" --engine=$engine --threads $threads --memory 1M \
        --temp-dir tmp --summary --in "$input" --out "$tag.out" --rejects "$tag.rej" "${extra[@]}"
      cmp -s "$tag.out" "$name.ref.out" || fail "$tag: the output differs from the in-memory run"
      cmp -s "$tag.rej" "$name.ref.rej" || fail "$tag: the rejects differ from the in-memory run"
      for o in "${outputs[@]}"; do cmp -s "$tag.$o" "$name.ref.$o" || fail "$tag: output $o differs"; done
    done
  done
}

# The SME policy over 120k generated applications (groups scattered, every kind of bad row),
# shuffled once more.
"$GEN" --rows 120000 --seed 13 --out gen.csv || fail "credo-gen-sme"
shuffled gen.csv > sme.csv
same_runs sme "$POLICY" sme.csv
(( $(wc -l < sme.ref.rej) > 100 )) || fail "the SME input has too few rejects to test"

# Per-group outputs (sorted by money desc then text, by an optional int with missing last; ties
# by first appearance) and a unique key, over 60k rows of 3000 groups with duplicate ids, and one
# group (a fifth of the rows) larger than the budget: its partition is split again until the
# group is alone, then loaded whole.
CASE=$SRC/tests/golden/run/group-outputs
sed 's/^  rating:   int?$/  rating:   int?\n  unique id/' "$CASE/policy.credo" > unique.credo
grep -q "unique id" unique.credo || fail "could not add a unique key to the policy"
awk 'BEGIN { srand(13); print "id,group_id,exposure,flagged,rating";
  for (i = 1; i <= 60000; i++) {
    id = (i % 97 == 0) ? "r" int(i / 2) : "r" i;                    # some ids seen before
    g = (i % 5 == 0) ? "" : (i % 5 == 1) ? "BIG" : "G" int(rand() * 3000);
    e = (i % 211 == 0) ? "lots" : int(rand() * 4) * 100 ".00";       # ties of sums; some unparsable
    r = (rand() < 0.05) ? "" : int(rand() * 9);
    print id "," g "," e "," (rand() < 0.1 ? "true" : "false") "," r } }' > groups.csv
same_runs groups unique.credo groups.csv groups by_worst
(( $(wc -l < groups.ref.groups) > 2000 )) || fail "too few groups in the per-group output"
parts=$(sed -n 's/^spilled: .*, \([0-9]*\) partitions.*/\1/p' err)
(( ${parts:-0} > 64 )) || fail "the partition of the large group was not split: $(cat err)"

# Group-pass rejects (aggregates that overflow), interleaved with parse rejects.
awk 'BEGIN { srand(7); print "id,g,x,big";
  for (i = 1; i <= 60000; i++) {
    x = (i % 301 == 0) ? "x" : int(rand() * 7);
    print "i" i "," ((i % 7 == 0) ? "" : "g" int(rand() * 5000)) "," x "," (rand() < 0.3 ? "true" : "false") } }' > agg.csv
same_runs agg "$SRC/tests/golden/run/group-aggregate-errors/policy.credo" agg.csv
grep -q "overflow:group" agg.ref.rej || fail "no group-pass reject to test"

# From stdin (read once): the same as from the file.
expect 0 "spilled:" -- bash -c '"$@" < sme.csv' stdin "$CREDO" run "$POLICY" --memory 1M --temp-dir tmp \
  --summary --in - --out stdin.out --rejects stdin.rej
cmp -s stdin.out sme.ref.out && cmp -s stdin.rej sme.ref.rej || fail "the spilled run from stdin differs"

# While a spilled run waits for input its temporary files are open but have no name, and an
# interrupt leaves nothing behind.
mkfifo slow.fifo
set -m  # job control: a background job does not start with SIGINT ignored
"$CREDO" run "$POLICY" --engine=interp --memory 1M --temp-dir tmp --in slow.fifo --out int.out \
  --rejects int.rej &
pid=$!
exec 3> slow.fifo
head -c 12000000 sme.csv >&3
for _ in $(seq 100); do
  deleted=$(find /proc/$pid/fd -lname "$W/tmp/credo-spill-* (deleted)" 2> /dev/null | wc -l)
  (( deleted > 0 )) && break
  sleep 0.1
done
(( deleted > 0 )) || fail "the run has no spilled files open (did it spill?)"
[[ -z $(ls tmp) ]] || fail "temporary files with a name: $(ls tmp)"
kill -INT $pid
exec 3>&-
wait $pid
status=$?
set +m
[[ $status == 130 ]] || fail "SIGINT: exit $status, not 130"
[[ -z $(ls tmp) ]] || fail "temporary files left after SIGINT: $(ls tmp)"
[[ ! -e int.out && ! -e int.rej ]] || fail "an interrupted run left its outputs"
no_partials

# Bounds and bad values: usage errors (exit 2), nothing written.
for bad in 0 1023K 10 abc 1Q 1P 18446744073709551615G ""; do
  expect 2 "--memory needs a size from 1M to" -- run --in "$INPUT" --out o.csv --rejects r.csv --memory "$bad"
done
expect 2 "--temp-dir nowhere: not a directory" -- run --in "$INPUT" --out o.csv --rejects r.csv --temp-dir nowhere
expect 2 "not a directory" -- run --in "$INPUT" --out o.csv --rejects r.csv --temp-dir sme.csv
[[ ! -e o.csv && ! -e r.csv ]] || fail "a refused run created a file"
for good in 1M 1m 64MiB 1G 1gb; do
  expect 0 "" -- run --in "$INPUT" --out o.csv --rejects r.csv --memory "$good" --temp-dir tmp
done
cmp -s o.csv "$SRC/examples/sme-portfolio.expected.csv" || fail "--memory changed a run that fits"
finish
