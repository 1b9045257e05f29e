#!/usr/bin/env bash
# credo explain: choosing a record (--row, --line, --id, stdin), usage and lookup errors, the
# readable report of accepted and rejected records, the group pass, JSON (docs/explain.md).
source "$(dirname "$0")/lib.sh" "$@"
explain() { "$CREDO" explain "$@" --engine=interp; }
has() {  # has FILE TEXT...: every TEXT is in FILE
  local file=$1
  shift
  for text in "$@"; do grep -qF -- "$text" "$file" || fail "no '$text' in $file: $(head -c 400 "$file")"; done
}

"$CREDO" explain --help > help || fail "--help exit $?"
has help "usage: credo explain" "--row N" "--line L" "--id ID" "--all" "--json"
expect 2 "no policy file" -- "$CREDO" explain
expect 2 "--in is required" -- "$CREDO" explain "$POLICY" --row 1
expect 2 "say which record" -- "$CREDO" explain "$POLICY" --in "$INPUT"
expect 2 "give one of" -- "$CREDO" explain "$POLICY" --in "$INPUT" --row 1 --id C0000001
expect 2 "--row needs a whole number" -- "$CREDO" explain "$POLICY" --in "$INPUT" --row 0
expect 2 "the engines are jit and interp" -- "$CREDO" explain "$POLICY" --in "$INPUT" --row 1 --engine=fast
expect 2 "unknown option" -- "$CREDO" explain "$POLICY" --in "$INPUT" --row 1 --verbose
expect 3 "cannot read" -- "$CREDO" explain "$POLICY" --in "$W/nothing.csv" --row 1
expect 1 "has 5000 record(s)" -- explain "$POLICY" --in "$INPUT" --row 5001
expect 1 "line 1 is the header" -- explain "$POLICY" --in "$INPUT" --line 1
expect 1 "no record of stdin starts on that line (the last record starts on line 5001)" -- explain "$POLICY" --in - --line 9999 < "$INPUT"
expect 1 "no record of" -- explain "$POLICY" --in "$INPUT" --id C9999999X
expect 1 "did you mean 'C0000001'?" -- explain "$POLICY" --in "$INPUT" --id C000001
printf 'a,b\n1,2\n' > wrong.csv
expect 1 "" -- explain "$POLICY" --in wrong.csv --row 1

# An accepted record: every part, in the policy's order, and the row credo run writes.
explain "$POLICY" --in "$INPUT" --row 1 > one.txt 2> err || fail "--row 1: exit $? ($(head -c 300 err))"
has one.txt "record 1 (line 2), customer_id C0000001" "input (as read)" "let current_ratio = missing" \
  "rules knockouts" 'K01 "Default in the last 24 months": not fired' "when defaults_24m > 0" "defaults_24m = 0" \
  'C06 "Bureau score": 10 points (best 45, shortfall 35), bin `[650, 720) => 10`' "reasons = C01;C06;C09" \
  '1. C01 "Current ratio" shortfall 40' "(beyond the reasons kept)" "band grade = B" "table limit_factor = 0.18" \
  "floor(min(revenue * limit_factor[grade], 5_000_000.00), 1_000.00) = 343000.00" \
  "arm 5: headroom == 0 => REFER" "(not taken: its condition is false)" "arm 6: else => APPROVE  (TAKEN)" \
  'W02 "Recent delinquency": not raised' "group pass: this record takes no part (its group_id is missing)"
has one.txt "output row: $(sed -n 2p "$SRC/examples/sme-portfolio.expected.csv")"
# In policy order: inputs, lets, rules, scorecard, band, limit, decision, warnings, output.
order=$(grep -nE '^(input|let current_ratio|rules knockouts|scorecard sme|band grade|let max_limit|decision =|warnings|output$)' one.txt | sed -E 's/^[0-9]+://' | tr '\n' '|')
[[ $order == "input (as read)|let current_ratio = missing|rules knockouts|scorecard sme \"SME application scorecard\": score 590|band grade = B|let max_limit = 343000.00|decision = APPROVE|warnings|output|" ]] ||
  fail "sections out of policy order: $order"

# --line is the file line (as rejects.csv gives it); --row the data record; --id the first column.
explain "$POLICY" --in "$INPUT" --line 2 > line.txt && cmp -s one.txt line.txt || fail "--line 2 differs from --row 1"
explain "$POLICY" --in "$INPUT" --id C0000001 > id.txt && cmp -s one.txt id.txt || fail "--id differs from --row 1"
explain "$POLICY" --in - --row 1 < "$INPUT" > stdin.txt && cmp -s one.txt stdin.txt || fail "--in - differs from --in FILE"

# The group pass: contagion changed this record's decision.
explain "$POLICY" --in "$INPUT" --id C0000020 > group.txt || fail "--id C0000020: exit $?"
has group.txt "group pass: group G000089, 15 accepted member(s)" 'set decision = REFER because "G02": APPLIED to this record' \
  "let group_headroom = 19352596.93  (the group's value)" "decision = REFER  (the group pass changed it from APPROVE)" \
  "approved_amount = 0.00  (the group pass changed it from 144561.32)"

# Rejected records: the reason as rejects.csv writes it, the offending text, what was expected.
line=$(grep -m1 out_of_range:bureau_score "$SRC/examples/sme-portfolio.rejects.csv" | cut -d, -f1)
explain "$POLICY" --in "$INPUT" --line "$line" > rejected.txt || fail "rejected record: exit $?"
has rejected.txt "REJECTED: out_of_range:bureau_score" "found: \`901\`" "expected: where bureau_score >= 300 and bureau_score <= 900" \
  "rejects row: $(grep -m1 out_of_range:bureau_score "$SRC/examples/sme-portfolio.rejects.csv")"
line=$(grep -m1 unknown:industry "$SRC/examples/sme-portfolio.rejects.csv" | cut -d, -f1)
explain "$POLICY" --in "$INPUT" --line "$line" > unknown.txt
has unknown.txt "REJECTED: unknown:industry" "expected: one of: manufacturing, retail, construction" "industry               does not read:"
WOE=$SRC/policies/retail-woe-v1.credo WOE_IN=$SRC/tests/policies/retail-woe-v1/input.csv
explain "$WOE" --in "$WOE_IN" --line 511 > check.txt
has check.txt "REJECTED: birth_not_before_application" "expected: check date_of_birth < application_date"
quiet() { "$@" > /dev/null; }
expect 0 "2 records have application_id PL001294 (lines 573, 574); explaining the first" -- quiet explain "$WOE" --in "$WOE_IN" --id PL001294
explain "$WOE" --in "$WOE_IN" --line 574 > dup.txt
has dup.txt "REJECTED: duplicate:application_id" "first seen: line"
explain "$WOE" --in "$WOE_IN" --line 15 > count.txt
has count.txt "REJECTED: column_count:1" "expected: the row has 1 cell; the header has 15"
G=$SRC/tests/golden/run/int-overflow
explain "$G/policy.credo" --in "$G/input.csv" --line 3 > overflow.txt
has overflow.txt "REJECTED: overflow:product" "let product = error (overflow:product)" "a = 999999999"

# Constructs of the other policies: WOE points, missing means false, decision tables, lookups,
# functions' steps, per-group outputs.
explain "$WOE" --in "$WOE_IN" --line 4 > woe.txt
has woe.txt 'C04 "Bureau score": 54 points (best 110, shortfall 56)' "counts as false (\`missing means false\`)" \
  "round(app.pd, 0.00001, half_even) = 0.39024"
# The income multiple is looked up for an approval only: an approved record shows its entry.
explain "$WOE" --in "$WOE_IN" --line 8 > woe-approved.txt
has woe-approved.txt "table income_multiple = 0.45" "entry: (B, >= 50_000.00) => 0.45"
A=$SRC/policies/approval-authority-v1.credo
explain "$A" --in "$SRC/tests/policies/approval-authority-v1/input.csv" --row 3 > matrix.txt
has matrix.txt 'table authority "Approval authority matrix"' 'row A11 applies "Exposure above 250,000"' \
  "row X02 applies" "exceptions.steps = 2" "escalate(authority.level, exceptions.steps) = CREDIT_COMMITTEE"
E=$SRC/policies/early-warning-v1.credo
explain "$E" --in "$SRC/tests/policies/early-warning-v1/input.csv" --row 3 > ews.txt
has ews.txt "per-group output groups.members = 2" "(the group pass changed it from (empty))"

# JSON: parses, and says the same as the text.
explain "$POLICY" --in "$INPUT" --id C0000020 --json > group.json || fail "--json exit $?"
python3 -m json.tool group.json > /dev/null || fail "--json does not parse"
explain "$POLICY" --in "$INPUT" --line "$line" --json > rejected.json
python3 - group.json rejected.json <<'PY' || fail "JSON content"
import json, sys
g, r = (json.load(open(p)) for p in sys.argv[1:3])
assert g["schema"] == "credo.explain/1" and g["status"] == "accepted" and g["reject"] is None
assert g["record"] == {"row": 20, "line": 21, "id_field": "customer_id", "id": "C0000020"}, g["record"]
kinds = [e["kind"] for e in g["elements"]]
for k in ("let", "rule", "scorecard", "band", "table", "decision", "warning"):
    assert k in kinds, k
card = next(e for e in g["elements"] if e["kind"] == "scorecard")
c01 = next(c for c in card["children"] if c["name"] == "C01")
assert int(c01["max_points"]) - int(c01["points"]) == int(c01["shortfall"]), c01
reasons = next(c for c in card["children"] if c["kind"] == "reasons")
assert [x["code"] for x in reasons["ranking"] if x["rank"]] == reasons["value"].split(";"), reasons
decision = next(e for e in g["elements"] if e["kind"] == "decision")
assert [a["hit"] for a in decision["children"] if a["kind"] == "decision_arm"].count(True) == 1
out = {o["name"]: o for o in g["outputs"]}
assert out["decision"]["value"] == "REFER" and out["decision"]["before_group"] == "APPROVE", out["decision"]
assert g["group"]["key"] == "G000089" and 21 in g["group"]["member_lines"]
assert any(e["kind"] == "group_action" and e["hit"] for e in g["group"]["elements"])
assert r["status"] == "rejected" and r["reject"]["kind"] == "parse" and r["reject"]["reason"] == "unknown:industry", r["reject"]
assert r["outputs"] == [] and ",unknown:industry,\"industry: " in r["reject_row"], r["reject_row"]
PY
finish
