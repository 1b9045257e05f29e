// The AST oracle (tests/diff/ast_oracle.h) on its own: byte for byte the bundled policies'
// expected files (written by independent Python oracles), and the rule that an error counts only
// where its value is used (issue 14; docs/language.md, "Where an error counts"). Then the engines
// against it on those cases.
#include <catch2/catch.hpp>
#include <string>

#include "ast_oracle.h"
#include "oracle_diff.h"
#include "policy_gen.h"

#ifndef CREDO_SOURCE_DIR
#error "CREDO_SOURCE_DIR must name the source tree"
#endif

namespace {

using credo::oracle::ErrorRule;
using credo::oracle::RunOracle;

std::string Source(const std::string& path) {
  std::string text;
  REQUIRE(credo::diff::ReadFile(std::string(CREDO_SOURCE_DIR) + "/" + path, text));
  return text;
}

// A committed rejects file as the oracle writes it: `credo run` adds a last column, detail,
// whose wording the oracle does not model (the golden run cases compare it). A detail cell is
// the last of its line and holds no line break.
std::string WithoutDetail(const std::string& rejects) {
  if (rejects.rfind("line,", 0) != 0 || rejects.find(",reason,detail\n") > rejects.find('\n')) return rejects;
  std::string out;
  for (size_t at = 0; at < rejects.size();) {
    size_t end = rejects.find('\n', at);
    std::string line = rejects.substr(at, end - at);
    size_t cut = 0;  // the last comma outside quotes
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') quoted = !quoted;  // "" toggles twice
      else if (line[i] == ',' && !quoted) cut = i;
    }
    out += line.substr(0, cut) + "\n";
    at = end + 1;
  }
  return out;
}

void CheckPolicy(const std::string& policy, const std::string& input, const std::string& expected,
                 const std::string& rejects) {
  INFO(policy << " on " << input);
  credo::oracle::OracleRun run = RunOracle(Source(policy), Source(input));
  REQUIRE(run.ok);
  CHECK(run.out == Source(expected));
  CHECK(run.rejects == WithoutDetail(Source(rejects)));
}

// Issue 14: a group action whose `when` is false for a member, and an `if` branch not taken.
const char* kInput = "id,g,x\na,G1,1\nb,G1,2\nc,G1,3\nd,,4\n";

std::string GroupPolicy(const std::string& action) {
  return "policy t6\ninput R { id: string  g: string?  x: int }\nlet drop = 0\n"
         "group by g { " +
         action + " }\noutput { id, g, x, drop }\n";
}

}  // namespace

TEST_CASE("the AST oracle writes the bundled policies' expected files", "[diff][oracle]") {
  CheckPolicy("policies/sme-credit-v1.credo", "tests/oracle/edge/input.csv", "tests/oracle/edge/expected.csv",
              "tests/oracle/edge/rejects.csv");
  CheckPolicy("policies/sme-credit-v1.credo", "examples/sme-portfolio.csv", "examples/sme-portfolio.expected.csv",
              "examples/sme-portfolio.rejects.csv");
  for (std::string name : {"retail-card-v1", "account-review-v1"})
    CheckPolicy("policies/" + name + ".credo", "tests/policies/" + name + "/input.csv",
                "tests/policies/" + name + "/expected.csv", "tests/policies/" + name + "/rejects.csv");
}

// Issue 10, item 12: the four policies from practice, whose expected files come from their own
// Python oracles (tests/policies/<name>/oracle.py) — the AST oracle is a third, independent party.
TEST_CASE("the AST oracle writes the expected files of the policies from practice", "[diff][oracle]") {
  for (std::string name : {"limit-review-v1", "early-warning-v1", "retail-woe-v1", "approval-authority-v1"}) {
    std::string dir = "tests/policies/" + name + "/";
    CheckPolicy("policies/" + name + ".credo", dir + "input.csv", dir + "expected.csv", dir + "rejects.csv");
  }
  credo::oracle::OracleRun run = RunOracle(Source("policies/early-warning-v1.credo"),
                                           Source("tests/policies/early-warning-v1/input.csv"));
  REQUIRE(run.group_outputs.size() == 1);
  CHECK(run.group_outputs[0] == Source("tests/policies/early-warning-v1/expected-groups.csv"));
}

// Issue 10, section 5: sets and ranges, the calendar functions, decimal(N) and percent cells,
// `missing means false`; the expected files were worked out by hand.
TEST_CASE("the AST oracle writes the hand-checked cases of sets, ranges, dates, decimals and missing means false",
          "[diff][oracle]") {
  for (std::string name : {"exprs-sets-ranges", "exprs-dates", "exprs-decimal-percent", "exprs-missing-false"}) {
    std::string dir = "tests/golden/run/" + name + "/";
    CheckPolicy(dir + "policy.credo", dir + "input.csv", dir + "expected.csv", dir + "rejects.csv");
  }
}

TEST_CASE("the AST oracle counts an error only where its value is used (issue 14)", "[diff][oracle]") {
  // 2 × 5e18 overflows, 3 × 5e18 would too: only b's action applies.
  const std::string when = GroupPolicy("when x == 2 => set drop = x * 5_000_000_000_000_000_000");
  const std::string branch = GroupPolicy("when true => set drop = if x == 2 then x * 5_000_000_000_000_000_000 else 0");
  const std::string out = "id,g,x,drop\na,G1,1,0\nc,G1,3,0\nd,,4,0\n";
  const std::string rejects = "line,id,reason\n3,b,overflow:group\n";
  for (const std::string& policy : {when, branch}) {
    INFO(policy);
    auto run = RunOracle(policy, kInput);
    REQUIRE(run.ok);
    CHECK(run.out == out);
    CHECK(run.rejects == rejects);
    // The rule before issue 14: every member computes the action, so c fails first... and b too.
    auto everywhere = RunOracle(policy, kInput, ErrorRule::Everywhere);
    REQUIRE(everywhere.ok);
    CHECK(everywhere.rejects == "line,id,reason\n3,b,overflow:group\n4,c,overflow:group\n");
  }
  // The issue's own factor: 2 × 4e18 fits in 64 bits, so only c's (unapplied) product overflows.
  auto run = RunOracle(GroupPolicy("when x == 2 => set drop = x * 4_000_000_000_000_000_000"), kInput);
  REQUIRE(run.ok);
  CHECK(run.out == "id,g,x,drop\na,G1,1,0\nb,G1,2,8000000000000000000\nc,G1,3,0\nd,,4,0\n");
  CHECK(run.rejects == "line,id,reason\n");
  // Record level: an untaken branch and an unused `??` alternative do not count.
  auto record = RunOracle(
      "policy r\ninput R { id: string  x: int }\n"
      "let y = if x == 2 then x * 5_000_000_000_000_000_000 else 0\n"
      "let z = 1 ?? x * 5_000_000_000_000_000_000\noutput { id, y, z }\n",
      "id,x\na,1\nb,2\n");
  REQUIRE(record.ok);
  CHECK(record.out == "id,y,z\na,0,1\n");
  CHECK(record.rejects == "line,id,reason\n3,b,overflow:y\n");
}

TEST_CASE("the AST oracle counts every declared value as used and follows the documented and/or/in/set decision",
          "[diff][oracle]") {
  const std::string input = "id,x\na,1\nb,2\n";
  // The oracle's files for `body`, after checking that both engines write the same.
  auto run = [&](const std::string& body) {
    std::string policy = "policy r\ninput R { id: string  x: int }\n" + body;
    credo::diff::DiffOutcome o = credo::diff::RunDifferential(policy, input, {1, 4096}, {2});
    credo::diff::CompareWithOracle(policy, input, o);
    INFO(policy << o.detail);
    CHECK(o.agree);
    auto r = RunOracle(policy, input);
    REQUIRE(r.ok);
    return r;
  };
  // A `let` nothing uses is still computed and used: its overflow rejects (W0001 only warns).
  const std::string huge = "(x + 1) * 5_000_000_000_000_000_000";  // overflows for both records
  auto unused = run("let huge = " + huge + "\noutput { id }\n");
  CHECK(unused.rejects == "line,id,reason\n2,a,overflow:huge\n3,b,overflow:huge\n");
  // `and`: the right side's error counts unless the left side is false; `or`: unless it is true.
  auto conj = run("let c = x == 1 and " + huge + " > 0\noutput { id, c }\n");
  CHECK(conj.out == "id,c\nb,false\n");
  CHECK(conj.rejects == "line,id,reason\n2,a,overflow:c\n");
  auto disj = run("let d = x == 2 or " + huge + " > 0\noutput { id, d }\n");
  CHECK(disj.out == "id,d\nb,true\n");
  CHECK(disj.rejects == "line,id,reason\n2,a,overflow:d\n");
  // The first error in evaluation order names the reject: the left operand's overflow before the
  // right operand's date out of range.
  auto order = run("let c = " + huge + " > days_between(date(\"2000-01-01\"), add_months(date(\"2000-01-01\"), -12_000_001))\n"
                   "output { id, c }\n");
  CHECK(order.rejects == "line,id,reason\n2,a,overflow:c\n3,b,overflow:c\n");
  // `in` is `x == 1 or x == ...`: an item's error counts unless an earlier item matched.
  auto in = run("let m = x in [1, " + huge + "]\noutput { id, m }\n");
  CHECK(in.out == "id,m\na,true\n");
  CHECK(in.rejects == "line,id,reason\n3,b,overflow:m\n");
  // `set decision` without `because` clears the reason, even to the same outcome.
  auto reason = RunOracle(
      "policy d\nenum D { OK, NO }\ninput R { id: string  g: string?  x: int }\n"
      "decision: D { x == 1 => NO because \"ONE\"  else => OK because \"FINE\" }\n"
      "group by g { when true => set decision = NO }\noutput { id, decision, why = decision.reason }\n",
      "id,g,x\na,G,1\nb,G,2\nc,,2\n");
  REQUIRE(reason.ok);
  CHECK(reason.out == "id,decision,why\na,NO,\nb,NO,\nc,OK,FINE\n");
}

// Issue 14's cases through the engines: interp ≡ JIT ≡ oracle at batch sizes 1, 7 and 4096 on one
// thread, and on two.
TEST_CASE("the engines agree with the AST oracle on issue 14's cases", "[diff][oracle]") {
  for (const std::string& action :
       {std::string("when x == 2 => set drop = x * 5_000_000_000_000_000_000"),
        std::string("when x == 2 => set drop = x * 4_000_000_000_000_000_000"),
        std::string("when true => set drop = if x == 2 then x * 5_000_000_000_000_000_000 else 0")}) {
    std::string policy = GroupPolicy(action);
    credo::diff::DiffOutcome o = credo::diff::RunDifferential(policy, kInput, {1, 7, 4096}, {2});
    credo::diff::CompareWithOracle(policy, kInput, o);
    INFO(policy << o.detail);
    CHECK(o.compiled);
    CHECK(o.agree);
  }
}

// Issue 10, items 7 and 8: the oracle on the hand-verified golden cases of per-group outputs,
// group values in the record output and reject texts (the engines are held to the same files
// by golden.run.*).
TEST_CASE("oracle: per-group outputs, group values in the record output, reject texts") {
  const std::string dir = "tests/golden/run/group-outputs/";
  credo::oracle::OracleRun run = RunOracle(Source(dir + "policy.credo"), Source(dir + "input.csv"));
  REQUIRE(run.ok);
  CHECK(run.out == Source(dir + "expected.csv"));
  CHECK(run.rejects == WithoutDetail(Source(dir + "rejects.csv")));
  REQUIRE(run.group_outputs.size() == 2);
  CHECK(run.group_outputs[0] == Source(dir + "expected-groups.csv"));
  CHECK(run.group_outputs[1] == Source(dir + "expected-by_worst.csv"));
  CheckPolicy("tests/golden/run/reject-texts/policy.credo", "tests/golden/run/reject-texts/input.csv",
              "tests/golden/run/reject-texts/expected.csv", "tests/golden/run/reject-texts/rejects.csv");
}

// Consts and user functions (docs/language.md, "Constants", "Functions"): the oracle evaluates a
// call by binding the arguments itself; the engines inline it. Both must give these values.
TEST_CASE("oracle: user functions and consts", "[oracle][reuse]") {
  const std::string policy =
      "policy t\ninput A { id: string  x: int  m: money? }\n"
      "const LIMIT = 100.00\nconst FLAG: bool = 5 > 3\n"
      "function twice(p: money): money = p * 2\n"
      "function pick(p: number, q: money?): bool = FLAG and (q ?? LIMIT) > twice(1.00)\n"
      "function fill(q: money?): money = if q is present then q + LIMIT else 0.00\n"
      "let a = twice(x)\nlet b = pick(number(x), m)\nlet c = fill(m)\nlet d = twice(m ?? 0.50)\n"
      "output { id, a, b, c, d }\n";
  const std::string csv = "id,x,m\nr1,3,\nr2,-1,1.50\nr3,0,2.00\n";
  const std::string out = "id,a,b,c,d\nr1,6.00,true,0.00,1.00\nr2,-2.00,false,101.50,3.00\nr3,0.00,false,102.00,4.00\n";
  credo::oracle::OracleRun run = RunOracle(policy, csv);
  INFO(run.error);
  REQUIRE(run.ok);
  CHECK(run.rejects == "line,id,reason\n");
  CHECK(run.out == out);
  credo::diff::DiffOutcome engines = credo::diff::RunDifferential(policy, csv, {1, 7});
  REQUIRE(engines.compiled);
  CHECK(engines.agree);
  CHECK(engines.runs.at(0).out == out);
}

// An argument's error ranks where the body reads its parameter (as if written there), not in
// argument order: here q (overflow) is read before p (date range).
TEST_CASE("oracle: a function's argument errors rank where the body reads them", "[oracle][reuse]") {
  const std::string policy =
      "policy t\ninput A { id: string  d: date  n: int  x: int }\n"
      "function pick(p: int, q: int?): int = if q is missing then 0 else p\n"
      "let v = pick(days_between(d, add_months(d, n)), x * 4_000_000_000_000_000_000)\n"
      "output { id, v }\n";
  const std::string csv = "id,d,n,x\nr1,2024-01-31,1,1\nr2,2024-01-31,99999999,3\nr3,2024-01-31,99999999,1\n";
  credo::oracle::OracleRun run = RunOracle(policy, csv);
  INFO(run.error);
  REQUIRE(run.ok);
  CHECK(run.out == "id,v\nr1,29\n");
  CHECK(run.rejects == "line,id,reason\n3,r2,overflow:v\n4,r3,date_range:v\n");
  credo::diff::DiffOutcome engines = credo::diff::RunDifferential(policy, csv, {1, 7});
  REQUIRE(engines.compiled);
  CHECK(engines.agree);
  CHECK(engines.runs.at(0).rejects == run.rejects);
}

TEST_CASE("the AST oracle writes the hand-worked expected files of lists, text and post-decision rules",
          "[diff][oracle]") {
  for (std::string name : {"lists", "text", "post-decision-rules", "group-lists-text", "group-warn-lists"}) {
    std::string dir = "tests/golden/run/" + name + "/";
    CheckPolicy(dir + "policy.credo", dir + "input.csv", dir + "expected.csv", dir + "rejects.csv");
  }
}
