# Issue 9, items 4 and 5: outputs that are the same file as each other or as the input are
# refused (exit 2) before anything is opened; sameness is by device and inode.
source "$(dirname "$0")/lib.sh" "$@"
cp "$INPUT" in.csv
echo "earlier result" > out.csv
cp out.csv out.before
ln in.csv hardlink.csv
ln -s in.csv symlink.csv
ln -s out.csv out-link.csv

expect 2 "are the same file" -- run --in in.csv --out out.csv --rejects out.csv
expect 2 "are the same file" -- run --in in.csv --out out.csv --rejects ./out.csv
expect 2 "are the same file" -- run --in in.csv --out out-link.csv --rejects out.csv
expect 2 "are the same file" -- run --in in.csv --out new.csv --rejects "$W/new.csv"
expect 2 "is the input file" -- run --in in.csv --out in.csv --rejects rej.csv
expect 2 "is the input file" -- run --in in.csv --out rej.csv --rejects hardlink.csv
expect 2 "is the input file" -- run --in symlink.csv --out out.csv --rejects in.csv
expect 2 "is the input file" -- run --in - --out out.csv --rejects rej.csv < out.csv
expect 2 "cannot both be stdout" -- run --in in.csv --out - --rejects -
expect 2 "are the same file" -- run --in in.csv --out - --rejects out.csv >> out.csv
same_content out.csv out.before
same_content in.csv "$INPUT"
[[ ! -e rej.csv && ! -e new.csv ]] || fail "a refused run created a file"

# Character devices may coincide: nothing is mixed in /dev/null.
null=$(device null)
expect 0 "" -- run --in in.csv --out "$null" --rejects "$null"
[[ -c $null ]] || fail "$null is no longer a character device"
no_partials
finish
