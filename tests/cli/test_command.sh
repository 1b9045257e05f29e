#!/usr/bin/env bash
# credo test: passing, failing, malformed and misnamed test files; exit codes, the report, JSON
# and JUnit XML (docs/testing.md).
source "$(dirname "$0")/lib.sh" "$@"
T=$SRC/tests/testing

"$CREDO" test --engine both "$T/loans.tests" "$T/groups.tests" > out 2> err || fail "passing files: exit $?: $(head -c 300 err)"
grep -q "15 passed, 0 failed" out || fail "summary: $(tail -1 out)"

"$CREDO" test "$T/bad/failing.tests" > out 2>&1
[[ $? == 1 ]] || fail "a failing case must exit 1"
grep -qF 'failing.tests:17: case "wrong decision and limit"' out || fail "no failing case location: $(head -3 out)"
grep -qF "expected decision = DECLINE, got APPROVE" out || fail "no expected/got line"
grep -qF -- "- limit = 2500.00" out || fail "no diff line"

expect 1 "error: the policy's input has no field 'chanel'" -- "$CREDO" test "$T/bad/names.tests"
grep -qF "did you mean 'channel'?" err || fail "no hint for a misspelt field"
expect 1 "error:" -- "$CREDO" test "$T/bad/malformed.tests"
[[ $(grep -c "error:" err) -ge 5 ]] || fail "malformed file: every error reported ($(grep -c error: err))"
"$CREDO" test "$T/bad/groups-failing.tests" > out 2>&1
[[ $? == 1 ]] || fail "a failing group expectation must exit 1"
grep -q "1 passed, 2 failed" out || fail "group summary: $(tail -1 out)"

"$CREDO" test --json "$T/loans.tests" > report.json || fail "--json exit $?"
python3 - report.json <<'PY' || fail "--json report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["failed"] == 0 and d["passed"] > 0, d
PY
"$CREDO" test --junit junit.xml "$T/bad/failing.tests" > /dev/null 2>&1
python3 - junit.xml <<'PY' || fail "--junit report"
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and int(root.attrib["failures"]) >= 1, root.attrib
assert any(c.find("failure") is not None for c in root.iter("testcase"))
PY

expect 2 "" -- "$CREDO" test --engine fast "$T/loans.tests"
"$CREDO" test --help > help || fail "--help exit $?"
grep -q "usage: credo test" help || fail "--help text: $(head -1 help)"
exit $((failures > 0))
