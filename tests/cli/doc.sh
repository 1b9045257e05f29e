#!/usr/bin/env bash
# credo doc: --help and usage errors; the Markdown of every policy in policies/ shows each rule,
# warning, characteristic and decision-table row code, each input field and its content hash;
# the HTML is one well-formed, self-contained page saying the same; a policy with errors is
# refused with its diagnostics; --out writes the file and never the policy itself.
source "$(dirname "$0")/lib.sh" "$@"

expect 0 "" -- "$CREDO" doc --help
"$CREDO" doc --help | grep -q "usage: credo doc POLICY" || fail "--help shows no synopsis"
"$CREDO" --help | grep -q "doc POLICY" || fail "credo --help does not list doc"
expect 2 "no policy file" -- "$CREDO" doc
expect 2 "unknown option '--pdf'" -- "$CREDO" doc "$POLICY" --pdf
expect 2 "--out needs a file" -- "$CREDO" doc "$POLICY" --out
expect 2 "unexpected argument" -- "$CREDO" doc "$POLICY" "$POLICY"
expect 3 "cannot read" -- "$CREDO" doc "$W/no-such.credo"

# Codes a policy's text declares: rules and warnings (CODE "title" when), characteristics
# (CODE "title" SUBJECT ... {), decision-table rows (CODE "title" |).
codes() { grep -oE '^\s*[A-Z][A-Z0-9_]*[0-9]\s+"[^"]*"\s+(when\b|\||[^{]+\{\s*$)' "$1" | awk '{print $1}'; }
fields() { sed -n '/^input /,/^}/p' "$1" | grep -oE '^\s+[a-z_0-9]+:' | tr -d ' :'; }

for policy in "$SRC"/policies/*.credo; do
  name=$(basename "$policy" .credo)
  "$CREDO" doc "$policy" > "$name.md" 2> "$name.err" || { fail "$name: exit $? ($(head -c 300 "$name.err"))"; continue; }
  n=0
  for code in $(codes "$policy"); do
    grep -qF "\`$code\`" "$name.md" || fail "$name: code $code not in the document"
    n=$((n + 1))
  done
  ((n >= 5)) || fail "$name: only $n codes found in the policy (the test's pattern is broken)"
  for field in $(fields "$policy"); do
    grep -qE "^\| [0-9]+ \| \`$field\` \|" "$name.md" || fail "$name: input field $field not in the input table"
  done
  hash=$(grep -oE 'Content hash:\*\* `[0-9a-f]{16}`' "$name.md" | grep -oE '[0-9a-f]{16}')
  [[ -n $hash ]] || fail "$name: no content hash"
  grep -q "^# Policy \`" "$name.md" || fail "$name: no title"
  grep -q "^## Sign-off" "$name.md" || fail "$name: no sign-off section"

  "$CREDO" doc "$policy" --html > "$name.html" 2> "$name.err" || { fail "$name: --html exit $?"; continue; }
  python3 - "$name.html" "$hash" <<'PY' || fail "$name: HTML is not a well-formed self-contained page"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tables, self.text = [], [], 0, []
    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(k in ("src", "href") and v and "://" in v for k, v in attrs):
            self.errors.append(f"external or scripted: <{tag} {attrs}>")
        self.tables += tag == "table"
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)
text = open(sys.argv[1], encoding="utf-8").read()
c = Check()
c.feed(text)
c.close()
problems = c.errors + ([f"unclosed {c.stack}"] if c.stack else [])
if not text.startswith("<!DOCTYPE html>"): problems.append("no doctype")
if c.tables < 4: problems.append(f"only {c.tables} tables")
if sys.argv[2] not in "".join(c.text): problems.append("the hash differs from the Markdown's")
for p in problems: print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
done

# The document shows expressions as written, and the author's comments.
grep -qF '`(debt_ratio > 1.0) ?? false`' sme-credit-v1.md || fail "sme: a condition is not shown as written"
grep -qF 'Contagion: another member defaulted' sme-credit-v1.md || fail "sme: the group pass's comment is missing"
grep -qF 'corporate group; empty = not in a group' sme-credit-v1.md || fail "sme: a field's trailing comment is missing"
grep -qF 'outside_policy_window:application_date' retail-woe-v1.md || fail "woe: a where's own reject reason is missing"
grep -qE 'a score of 600 stands for good:bad odds of 50 to 1; every 20 points double' retail-woe-v1.md ||
  fail "woe: the scaling is not described"
grep -qF 'priority by level' approval-authority-v1.md || fail "authority: the hit policy is not shown"

# The sample in the documentation is the current document of the SME policy.
(cd "$SRC" && "$CREDO" doc policies/sme-credit-v1.credo) > example.md
cmp -s example.md "$SRC/docs/doc-example.md" ||
  fail "docs/doc-example.md is out of date: run 'credo doc policies/sme-credit-v1.credo --out docs/doc-example.md' in the repository"

# The hash is the compiled policy's: a comment does not change it, a changed number does.
cp "$POLICY" sme.credo
"$CREDO" doc sme.credo > a.md
echo "// a comment changes nothing" >> sme.credo
"$CREDO" doc sme.credo > b.md
sed -i 's/baseline 500/baseline 501/' sme.credo
"$CREDO" doc sme.credo > c.md
hash_of() { grep -oE 'Content hash:\*\* `[0-9a-f]{16}`' "$1" | grep -oE '[0-9a-f]{16}'; }
[[ $(hash_of a.md) == "$(hash_of b.md)" ]] || fail "a comment changed the hash"
[[ $(hash_of a.md) != "$(hash_of c.md)" ]] || fail "a changed baseline kept the hash"
[[ $(hash_of a.md) == "$(hash_of sme-credit-v1.md)" ]] || fail "the hash depends on the file's path"

# A policy with errors: diagnostics on stderr, nothing on stdout, no --out file.
printf 'policy bad version "1"\ninput I { x: int }\nlet y = x + "a"\noutput { y }\n' > bad.credo
expect 1 "error[E" -- "$CREDO" doc bad.credo --out bad.md
grep -q "no document written" err || fail "a refused policy does not say no document was written"
[[ ! -e bad.md ]] || fail "a refused policy wrote its --out file"
"$CREDO" doc bad.credo > bad.out 2> /dev/null
[[ ! -s bad.out ]] || fail "a refused policy printed a document"

# --out writes the same document as stdout, replacing an old file; never the policy itself.
echo old > out.md
expect 0 "" -- "$CREDO" doc "$POLICY" --out out.md
cmp -s out.md sme-credit-v1.md || fail "--out differs from stdout"
expect 0 "" -- "$CREDO" doc "$POLICY" --html --out=out.html
cmp -s out.html sme-credit-v1.html || fail "--out=FILE --html differs from stdout"
cp "$POLICY" mine.credo
ln -s mine.credo link.credo
ln mine.credo hard.credo
for target in mine.credo link.credo hard.credo ./mine.credo; do
  expect 2 "" -- "$CREDO" doc mine.credo --out "$target"
  same_content mine.credo "$POLICY"
done
# Nor over a library the policy imports.
cp -r "$SRC/tests/golden/run/reuse-library" lib
cp lib/limits.credo limits.before
expect 2 "" -- "$CREDO" doc lib/policy.credo --out lib/limits.credo
same_content lib/limits.credo limits.before
expect 3 "cannot write" -- "$CREDO" doc "$POLICY" --out "$W/no-dir/out.md"
no_partials
finish
