#!/usr/bin/env bash
# credo test --coverage: the exact items loans.tests leaves uncovered, excuses (by name and by
# line) reaching 100%, --min-coverage pass and fail, excuses that do not hold, JSON and JUnit
# (docs/testing.md, "Structural coverage").
source "$(dirname "$0")/lib.sh" "$@"
T=$SRC/tests/testing

"$CREDO" test --coverage "$T/loans.tests" > out 2> err || fail "--coverage of passing cases: exit $?: $(head -c 300 err)"
sed "s|$T/||g" out > report
cat > expected <<'TXT'
coverage: loans.credo: 75.0% (18 of 24 items covered)
loans.credo:23:3: not covered: missing branch of rule K01: K01 "Debt above income" when dti > 1.0 => decline
loans.credo:24:3: not covered: rule K02: K02 "Very low score" when score < 400 => decline
loans.credo:30:46: not covered: bin 2 of S01: < 600 => -20
loans.credo:40:36: not covered: table entry 1 of factor: branch => 0.5
loans.credo:47:3: not covered: decision arm 3: years == 0 => REFER because "NEW_BUSINESS"
loans.credo:52:24: not covered: fallback in warning W01: (dti > 0.5) ?? false

6 passed, 0 failed
TXT
diff expected report > diff.txt || fail "loans.tests coverage report: $(cat diff.txt)"

# A `??` in an `if` branch not taken, in a decision arm after an earlier arm is taken, or in a
# group action's value where its `when` does not hold is not covered by that record.
"$CREDO" test --coverage "$T/coverage/guards.tests" > out 2> err || fail "guards.tests: exit $?: $(head -c 300 err)"
sed "s|$T/coverage/||g" out > report
cat > expected <<'TXT'
coverage: guards.credo: 28.5% (2 of 7 items covered)
guards.credo:16:38: not covered: fallback in extra: bonus ?? 0.00
guards.credo:20:3: not covered: decision arm 2: (score < 500) ?? true => DECLINE because "SCORE"
guards.credo:20:3: not covered: fallback in decision arm 2: (score < 500) ?? true
guards.credo:26:27: not covered: group action set extra: set extra = bonus ?? 1.00
guards.credo:26:39: not covered: fallback in group action set extra: bonus ?? 1.00

2 passed, 0 failed
TXT
diff expected report > diff.txt || fail "guards.tests coverage report: $(cat diff.txt)"

# A collect table of 66 rows: rows past the 64th are items like the others.
"$CREDO" test --coverage "$T/coverage/wide.tests" > out 2> err || fail "wide.tests: exit $?: $(head -c 300 err)"
grep -qF "wide.credo: 5.9% (4 of 67 items covered)" out || fail "wide.tests coverage: $(head -1 out)"
grep -qF "not covered: decision row N64 of numbers" out || fail "row N64 not listed"
! grep -qE "decision row (N01|N65|N66|else) of" out || fail "a matched row is listed: $(grep -E 'N01|N65|N66|else' out)"

# --min-coverage: 75% passes 75 and fails 76, naming the policy.
expect 0 "" -- "$CREDO" test --min-coverage 75 "$T/loans.tests"
"$CREDO" test --min-coverage 76 "$T/loans.tests" > out 2>&1
[[ $? == 1 ]] || fail "75% below --min-coverage 76 must exit 1"
grep -qF "loans.credo is 75.0%, below --min-coverage 76" out || fail "no below-minimum line: $(tail -1 out)"

# Items add up over a policy's test files; the excused ones count neither way.
"$CREDO" test --min-coverage 100 "$T/loans.tests" "$T/coverage/loans-complete.tests" > out 2> err ||
  fail "loans.tests + loans-complete.tests at --min-coverage 100: exit $?: $(head -c 400 out)"
grep -qF "loans.credo: 100.0% (22 of 22 items covered, 2 excused)" out || fail "complete coverage line: $(head -1 out)"
grep -qF "loans.credo:23:3: excused: missing branch of rule K01:" out || fail "excused by name not listed"
grep -qF "loans.credo:52:24: excused: fallback in warning W01:" out || fail "excused by line not listed"
grep -qF "because dti is never missing, so dti > 0.5 always has a value (" out || fail "no reason for an excuse"
! grep -q "not covered" out || fail "items left uncovered: $(grep 'not covered' out)"

# Excuses that do not hold are errors of their test file, each with a hint.
"$CREDO" test --coverage "$T/bad/excuses.tests" > out 2> err
[[ $? == 1 ]] || fail "wrong excuses must exit 1"
grep -qF "1 test file with errors" out || fail "wrong excuses: summary $(tail -1 out)"
grep -qF 'excuses.tests:4:11: error: ' err && grep -qF 'has no coverage item named "rule K03"' err || fail "unknown item: $(head -3 err)"
grep -qF 'did you mean "rule K01"?' err || fail "no hint for an unknown item"
grep -qF '"rule K01" is covered: case "debt above income knocks out"' err || fail "covered item excused"
grep -qF 'line 24 has 2 items not covered' err || fail "a line with two uncovered items"
grep -qF 'excuse each by its name: "rule K02", "missing branch of rule K02"' err || fail "no names for a line's items"
grep -qF 'line 5 of' err || fail "a line without items"
expect 1 'expected `because "WHY"`' -- "$CREDO" test "$T/bad/excuse-syntax.tests"

# JSON: counts, the uncovered items with kind and name, the excused ones with their reason.
"$CREDO" test --json --min-coverage 100 "$T/loans.tests" > report.json
[[ $? == 1 ]] || fail "--json below --min-coverage must exit 1"
"$CREDO" test --json --coverage "$T/loans.tests" "$T/coverage/loans-complete.tests" > complete.json || fail "--json complete: exit $?"
python3 - report.json complete.json <<'PY' || fail "--json coverage"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["min_coverage"] == 100, d
[p] = d["coverage"]
assert p["policy"].endswith("loans.credo") and (p["covered"], p["countable"], p["total"]) == (18, 24, 24), p
assert p["percent"] == 75 and p["excused"] == [], p
kinds = [(u["kind"], u["name"], u["line"], u["column"]) for u in p["uncovered"]]
assert kinds == [("missing branch", "missing branch of rule K01", 23, 3), ("rule", "rule K02", 24, 3),
                 ("bin", "bin 2 of S01", 30, 46), ("table entry", "table entry 1 of factor", 40, 36),
                 ("decision arm", "decision arm 3", 47, 3), ("fallback", "fallback in warning W01", 52, 24)], kinds
assert p["uncovered"][4]["text"] == 'years == 0 => REFER because "NEW_BUSINESS"', p["uncovered"][4]
c = json.load(open(sys.argv[2]))
[p] = c["coverage"]
assert c["ok"] is True and (p["covered"], p["countable"], p["total"], p["percent"]) == (22, 22, 24, 100), p
assert [e["name"] for e in p["excused"]] == ["missing branch of rule K01", "fallback in warning W01"], p["excused"]
assert p["excused"][0]["because"].startswith("dti is never missing") and "loans-complete.tests:6" in p["excused"][0]["excused_at"]
PY

# JUnit: a coverage suite whose policy test case fails below --min-coverage, listing the items.
"$CREDO" test --min-coverage 90 --junit junit.xml "$T/loans.tests" > /dev/null 2>&1
"$CREDO" test --min-coverage 100 --junit complete.xml "$T/loans.tests" "$T/coverage/loans-complete.tests" > /dev/null 2>&1 ||
  fail "complete coverage with --junit: exit $?"
python3 - junit.xml complete.xml <<'PY' || fail "--junit coverage"
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
[suite] = [s for s in root.iter("testsuite") if s.attrib["name"] == "coverage"]
assert suite.attrib["failures"] == "1", suite.attrib
[case] = suite.iter("testcase")
failure = case.find("failure")
assert failure is not None and "18 of 24 items covered" in failure.attrib["message"], failure.attrib
assert "not covered: decision arm 3: years == 0" in failure.text, failure.text
root = E.parse(sys.argv[2]).getroot()
[suite] = [s for s in root.iter("testsuite") if s.attrib["name"] == "coverage"]
assert suite.attrib["failures"] == "0" and "2 excused" in suite.find("testcase").find("system-out").text
PY
finish
