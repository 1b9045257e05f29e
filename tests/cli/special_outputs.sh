# Issue 9, item 6: only a regular file (or a new path) is replaced by renaming a temporary file
# over it; a FIFO, a character device and stdout are written through, a symlink keeps being a
# symlink (its target is replaced), and a replaced file keeps its permissions.
source "$(dirname "$0")/lib.sh" "$@"
run --in "$INPUT" --out expected.csv --rejects expected-rejects.csv || fail "reference run"

# A FIFO stays a FIFO and its reader gets the whole output.
mkfifo out.fifo
timeout 60 cat out.fifo > from-fifo.csv &  # bounded: a regression never opens the FIFO
reader=$!
expect 0 "" -- run --in "$INPUT" --out out.fifo --rejects rej.csv
wait $reader
[[ -p out.fifo ]] || fail "the FIFO was replaced"
same_content from-fifo.csv expected.csv

# A device stays a device: first a copy of /dev/null made here, then, only if that one survived,
# the system's (as root a rename would delete it, as it once did on a real machine).
null=$(device null)
expect 0 "" -- run --in "$INPUT" --out "$null" --rejects rej.csv
if [[ -c $null ]]; then
  expect 0 "" -- run --in "$INPUT" --out /dev/null --rejects rej.csv
  [[ -c /dev/null ]] || fail "/dev/null is no longer a character device"
else
  fail "$null is no longer a character device"
fi

# A symlink stays a symlink; its target gets the output.
echo old > target.csv
ln -s target.csv link.csv
expect 0 "" -- run --in "$INPUT" --out link.csv --rejects rej.csv
[[ -L link.csv && $(readlink link.csv) == target.csv ]] || fail "the symlink was replaced"
same_content target.csv expected.csv

# A replaced regular file keeps its mode.
echo old > private.csv
chmod 600 private.csv
expect 0 "" -- run --in "$INPUT" --out private.csv --rejects rej.csv
[[ $(stat -c %a private.csv) == 600 ]] || fail "mode of the replaced file: $(stat -c %a private.csv)"
same_content private.csv expected.csv

# stdout: written through.
run --in "$INPUT" --out - --rejects rej.csv > stdout.csv || fail "run to stdout"
same_content stdout.csv expected.csv
same_content rej.csv expected-rejects.csv
no_partials
finish
