# One thread and several give the same files. With several, a batch of unquoted lines is split by
# a worker and a batch near a quote by the reading thread; small batches make the two alternate
# within one file (the golden run inputs: quoted fields, line breaks in quotes, bad quotes, wrong
# column counts, CRLF, a last line without LF), and the SME portfolio, with its group pass.
source "$(dirname "$0")/lib.sh" "$@"
cases=0
for dir in "$SRC"/tests/golden/run/*/; do
  [[ -f $dir/input.csv && -f $dir/policy.credo ]] || continue
  ls "$dir" | grep -q '^ref\|references' && continue  # reference data: cli.run_references
  name=$(basename "$dir")
  "$CREDO" run "$dir/policy.credo" --engine=interp --threads 1 --in "$dir/input.csv" --out "$name.1.csv" \
    --rejects "$name.1.rej" 2>/dev/null
  one=$?
  for batch in 1 3 4096; do
    "$CREDO" run "$dir/policy.credo" --engine=interp --threads 2 --batch $batch --in "$dir/input.csv" \
      --out "$name.2.csv" --rejects "$name.2.rej" 2>/dev/null
    [[ $? == "$one" ]] || fail "$name: exit codes differ with 2 threads, batch $batch"
    cmp -s "$name.1.csv" "$name.2.csv" || fail "$name: outputs differ with 2 threads, batch $batch"
    cmp -s "$name.1.rej" "$name.2.rej" || fail "$name: rejects differ with 2 threads, batch $batch"
  done
  cases=$((cases + 1))
done
(( cases > 20 )) || fail "only $cases golden run cases found"
expect 0 "" -- run --threads 1 --in "$INPUT" --out sme.1.csv --rejects sme.1.rej
expect 0 "" -- run --threads 2 --batch 97 --in "$INPUT" --out sme.2.csv --rejects sme.2.rej
same_content sme.1.csv sme.2.csv
same_content sme.1.rej sme.2.rej
rows=$(($(wc -l < "$INPUT") - 1))
got=$(($(wc -l < sme.2.csv) - 1 + $(wc -l < sme.2.rej) - 1))
[[ $rows == "$got" ]] || fail "SME: $rows rows in, $got out and rejected"
# A file of 8 MiB or more is mapped, not read (docs/cli.md): it gives what the same bytes through a
# pipe give, bad rows (a quoted line break, a short row, CRLF, a broken quote) and last line included.
GEN=$(dirname "$CREDO")/tools/credo-gen-sme
if [[ -x $GEN ]]; then
  "$GEN" --rows 80000 --seed 7 --out gen.csv || fail "credo-gen-sme"
  awk 'NR % 9973 == 5 { sub(/,/, ",\"a\nb\","); } NR % 9973 == 7 { sub(/,.*/, ",1"); }
       NR % 9973 == 9 { printf "%s\r\n", $0; next } NR % 9973 == 11 { sub(/,/, ",\"x\"y,"); } { print }' gen.csv > big.csv
  printf 'last,1' >> big.csv
  (( $(stat -c %s big.csv) >= 8 << 20 )) || fail "big.csv is under 8 MiB"
  for threads in 1 2; do
    expect 0 "" -- run --threads $threads --in big.csv --out mapped.csv --rejects mapped.rej
    cat big.csv | "$CREDO" run "$POLICY" --engine=interp --threads $threads --in - --out piped.csv --rejects piped.rej \
      || fail "the piped run failed"
    same_content mapped.csv piped.csv
    same_content mapped.rej piped.rej
  done
  grep -q 'column_count' piped.rej && grep -q 'bad_quote' piped.rej || fail "the bad rows were not rejected"
fi
finish
