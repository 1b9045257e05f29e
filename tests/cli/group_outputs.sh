# Issue 10, item 8: `--output NAME=FILE` writes a per-group output; an unknown or repeated NAME
# or a malformed value is a usage error listing the declared outputs; the per-group files obey
# every file rule of the other outputs (never over the input or another output, FIFO written
# through, no partial files on failure or signal); an output not asked for is not written.
source "$(dirname "$0")/lib.sh" "$@"
CASE=$SRC/tests/golden/run/group-outputs
GP=$CASE/policy.credo
cp "$CASE/input.csv" in.csv
grun() { "$CREDO" run "$GP" --engine=interp --in in.csv "$@"; }

# Both outputs, and only the one asked for.
expect 0 "" -- grun --out out.csv --rejects rej.csv --output groups=groups.csv --output by_worst=worst.csv
same_content groups.csv "$CASE/expected-groups.csv"
same_content worst.csv "$CASE/expected-by_worst.csv"
same_content out.csv "$CASE/expected.csv"
rm -f groups.csv worst.csv
expect 0 "" -- grun --out out.csv --rejects rej.csv --output=by_worst=worst.csv
same_content worst.csv "$CASE/expected-by_worst.csv"
[[ ! -e groups.csv ]] || fail "an output not asked for was written"

# Usage errors (exit 2), nothing written.
expect 2 "its per-group outputs are: groups, by_worst" -- grun --out o2.csv --rejects r2.csv --output grops=g.csv
expect 2 "is given twice" -- grun --out o2.csv --rejects r2.csv --output groups=g.csv --output groups=h.csv
expect 2 "--output needs NAME=FILE" -- grun --out o2.csv --rejects r2.csv --output
expect 2 "give the output's name and a file" -- grun --out o2.csv --rejects r2.csv --output groups
expect 2 "give the output's name and a file" -- grun --out o2.csv --rejects r2.csv --output =g.csv
expect 2 "give the output's name and a file" -- grun --out o2.csv --rejects r2.csv --output groups=
expect 2 "declares no per-group output" -- run --in "$INPUT" --out o2.csv --rejects r2.csv --output groups=g.csv
[[ ! -e o2.csv && ! -e r2.csv && ! -e g.csv && ! -e h.csv ]] || fail "a refused run created a file"

# Same-file refusals: over the input, over --out, over --rejects, over another --output.
echo "earlier result" > keep.csv
cp keep.csv keep.before
ln -s keep.csv keep-link.csv
expect 2 "is the input file" -- grun --out o2.csv --rejects r2.csv --output groups=in.csv
expect 2 "are the same file" -- grun --out keep.csv --rejects r2.csv --output groups=keep-link.csv
expect 2 "are the same file" -- grun --out o2.csv --rejects keep.csv --output groups=./keep.csv
expect 2 "are the same file" -- grun --out o2.csv --rejects r2.csv --output groups=keep.csv --output by_worst=keep-link.csv
expect 2 "cannot both be stdout" -- grun --out - --rejects r2.csv --output groups=-
same_content keep.csv keep.before
same_content in.csv "$CASE/input.csv"
[[ ! -e o2.csv && ! -e r2.csv ]] || fail "a refused run created a file"

# stdout and a FIFO are written through.
grun --out out.csv --rejects rej.csv --output groups=- > stdout.csv || fail "run to stdout"
same_content stdout.csv "$CASE/expected-groups.csv"
mkfifo groups.fifo
timeout 60 cat groups.fifo > from-fifo.csv &  # bounded: a regression never opens the FIFO
reader=$!
expect 0 "" -- grun --out out.csv --rejects rej.csv --output groups=groups.fifo
wait $reader
[[ -p groups.fifo ]] || fail "the FIFO was replaced"
same_content from-fifo.csv "$CASE/expected-groups.csv"

# A failed run (wrong header) leaves the earlier per-group file as it was, and no partial file.
echo "earlier groups" > old-groups.csv
cp old-groups.csv old-groups.before
printf 'nope\n1\n' > bad.csv
expect 1 "" -- "$CREDO" run "$GP" --engine=interp --in bad.csv --out out.csv --rejects rej.csv --output groups=old-groups.csv
same_content old-groups.csv old-groups.before

# A signal during the run removes the per-group temporary file too.
set -m
mkfifo in.fifo
"$CREDO" run "$GP" --engine=interp --in in.fifo --out out.csv --rejects rej.csv --output groups=old-groups.csv 2> err &
pid=$!
exec 3> in.fifo
head -1 "$CASE/input.csv" >&3
for _ in $(seq 100); do
  [[ $(find . -name 'old-groups.csv.*.partial' | wc -l) == 1 ]] && break
  sleep 0.1
done
[[ $(find . -name 'old-groups.csv.*.partial' | wc -l) == 1 ]] || fail "no temporary per-group file appeared"
kill -s TERM $pid
wait $pid
status=$?
exec 3>&-
[[ $status == $((128 + $(kill -l TERM))) ]] || fail "SIGTERM: exit $status"
same_content old-groups.csv old-groups.before
no_partials
finish
