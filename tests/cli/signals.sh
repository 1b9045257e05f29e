# Issue 9, item 8: a run ended by SIGTERM, SIGINT or SIGHUP, by a closed output pipe (EPIPE) or
# by a failed rename leaves no *.partial file and the earlier output untouched.
source "$(dirname "$0")/lib.sh" "$@"
set -m  # job control: background jobs do not start with SIGINT ignored
HEADER=$(head -1 "$INPUT")

# Starts a run reading FIFO in.fifo (fd 3 writes it), and waits until its temporary files exist.
# (credo itself, not the `run` function: $pid must be credo's.)
start_held_run() {
  rm -f in.fifo && mkfifo in.fifo
  "$CREDO" run "$POLICY" --engine=interp --in in.fifo --out out.csv --rejects rej.csv 2> err &
  pid=$!
  exec 3> in.fifo
  echo "$HEADER" >&3
  for _ in $(seq 100); do
    [[ $(find . -name 'out.csv.*.partial' | wc -l) == 1 ]] && return 0
    sleep 0.1
  done
  fail "no temporary output file appeared"
}

echo "earlier result" > out.csv
cp out.csv out.before
for signal in TERM INT HUP; do
  start_held_run
  kill -s $signal $pid
  wait $pid
  status=$?
  exec 3>&-
  [[ $status == $((128 + $(kill -l $signal))) ]] || fail "SIG$signal: exit $status"
  no_partials
  same_content out.csv out.before
  [[ ! -e rej.csv ]] || fail "SIG$signal: rejects file created"
done

# A failed rename (out.csv became a directory meanwhile) removes the temporary file.
start_held_run
rm out.csv && mkdir -p out.csv/keep
tail -n +2 "$INPUT" >&3
exec 3>&-
wait $pid
status=$?
[[ $status == 3 ]] || fail "failed rename: exit $status"
grep -qF "cannot write out.csv" err || fail "failed rename: $(cat err)"
[[ -d out.csv/keep ]] || fail "failed rename: the directory was touched"
no_partials
rm -r out.csv

# The reader of stdout goes away: EPIPE is a write error (exit 3), and the rejects file's
# temporary is removed.
run --in "$INPUT" --out - --rejects rej.csv 2> err | head -c 10 > /dev/null
status=${PIPESTATUS[0]}
[[ $status == 3 ]] || fail "closed pipe: exit $status"
grep -qF "stdout" err || fail "closed pipe: $(cat err)"
[[ ! -e rej.csv ]] || fail "closed pipe: rejects file created"
no_partials
finish
