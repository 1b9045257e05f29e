# `credo check --dump=points` (docs/cli.md): every scorecard's points table on stdout. The
# point scorecard's lines are its written points; the scaled scorecard's numbers are those of
# docs/language.md "Scaled scorecards", worked out there from factor = 20 / ln 2 and
# offset = 600 - factor * ln 50 (shortest round-trip doubles).
source "$(dirname "$0")/lib.sh" "$@"

"$CREDO" check --dump=points "$POLICY" > sme.txt 2> err || fail "check of the SME policy: $(cat err)"
grep -qxF "scorecard sme: points, baseline 500" sme.txt || fail "no point scorecard header: $(head -2 sme.txt)"
grep -qxF "  C01 | missing | -10 |" sme.txt || fail "no C01 missing line"
grep -qxF "  C01 | >= 2.0 | 30 | best" sme.txt || fail "C01's best bin is not marked"
grep -qxF "  C02 | < 0.4 | 35 | best" sme.txt || fail "C02's best bin is not marked"
[[ $(grep -c " best$" sme.txt) -ge 6 ]] || fail "fewer best bins than characteristics"

SCALED=$SRC/tests/golden/run/scaled-scorecards/policy.credo
"$CREDO" check --dump=points "$SCALED" > scaled.txt 2> err || fail "check of the scaled policy: $(cat err)"
cat > expected-app.txt <<'TABLE'
scorecard app: scaled, 600 at odds 50 pdo 20, intercept -1.35, rounding per_bin
  factor 28.85390081777927 = pdo / ln 2, offset 487.1228762045055 = base - factor * ln(odds), n 2
  characteristic | bin | woe | points | rounded | best
  C01 | missing | -0.1 | 221.71903518319382 | 222 |
  C01 | < 25 | -0.45 | 213.43796564849117 | 213 |
  C01 | [25, 40) | 0.05 | 225.26806498378068 | 225 |
  C01 | >= 40 | 0.38 | 233.07593054507174 | 233 | best
  C02 | missing | -0.3 | 214.56326778038456 | 215 |
  C02 | < 550 | -0.85 | 197.1066577856281 | 197 |
  C02 | [550, 650) | -0.1 | 220.911125960296 | 221 |
  C02 | >= 650 | 0.55 | 241.5416650450082 | 242 | best
TABLE
head -11 scaled.txt > got-app.txt
cmp -s got-app.txt expected-app.txt || fail "the scaled table differs: $(diff expected-app.txt got-app.txt | head -5)"
grep -qxF "scorecard raw: scaled, 500 at odds 1 pdo 40, intercept 0, rounding none" scaled.txt || fail "no raw header"
# rounding none: the best bin is the one with the largest unrounded points (ties: every one)
grep -qF "  Z01 | >= 30 | -0.5 | 278.8539008177793 | 279 | best" scaled.txt || fail "raw's Z01 best: $(grep Z01 scaled.txt)"

# Several dumps: the points table first, then the IR.
"$CREDO" check --dump=ir --dump=points "$SCALED" > both.txt 2> err || fail "two dumps"
[[ $(head -1 both.txt) == "scorecard app: scaled, 600 at odds 50 pdo 20, intercept -1.35, rounding per_bin" ]] ||
  fail "the points table does not come first: $(head -1 both.txt)"
grep -q "^program scaled" both.txt || fail "no IR after the table"
# A policy with errors prints no table, and exits 1.
printf 'policy p\ninput A { id: string  x: int }\nscorecard s { scaling 600 at odds 0 pdo 20\n  C01 x weight 1 { < 0 => 0.1, >= 0 => 0.2 } }\noutput { id, score = s.score }\n' > bad.credo
"$CREDO" check --dump=points bad.credo > bad.txt 2> err
[[ $? == 1 ]] || fail "a policy with errors does not exit 1"
[[ ! -s bad.txt ]] || fail "a table was printed for a policy with errors"
grep -qF "error[E0240]" err || fail "no E0240 for odds 0"
finish
