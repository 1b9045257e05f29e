// The portfolio figures (compiler/portfolio/): score bins, PSI, money text, role detection, and
// a champion/challenger comparison of two small policies over a handful of records.
#include <catch2/catch.hpp>

#include "compiler/portfolio/portfolio.h"
#include "compiler/portfolio/render.h"

using namespace credo;
using namespace credo::portfolio;

namespace {

std::string Policy(const char* cutoff, const char* extra_rule) {
  return std::string(R"(policy p version ")") + cutoff + R"(" "test"
enum Grade { A, B }
enum Decision { APPROVE, DECLINE }
input In {
  id:     string
  income: money where income >= 0
  age:    int
}
rules knockouts {
  K01 "Too young" when age < 18 => decline
)" + extra_rule + R"(
}
scorecard s {
  baseline 100
  C01 "Income" income { < 1000 => 0, >= 1000 => 50 }
  C02 "Age" age { < 30 => 0, >= 30 => 20 }
}
band grade: Grade = s.score {
  >= )" + cutoff + R"( => A
  else => B
}
decision: Decision {
  knockouts.fired => DECLINE because knockouts.first
  grade == B      => DECLINE because "GRADE_B"
  else            => APPROVE
}
let approved_amount = if decision == APPROVE then income else 0.00
output {
  id
  score = s.score
  grade
  decision
  why   = decision.reason
  approved_amount
}
)";
}

const char* kRecords =
    "id,income,age\n"
    "a,500.00,40\n"    // score 120
    "b,2000.00,20\n"   // 150
    "c,2000.00,40\n"   // 170
    "d,-1.00,40\n"     // rejected: income < 0
    "e,2000.00,16\n";  // K01

Run RunOf(const std::string& text, RunOptions options = {}) {
  Compilation c = CompileSource("p.credo", text, LowerOptions{.probes = true});
  REQUIRE(c.ok());
  Run run;
  std::string error;
  RunFailure failure;
  options.engine = Engine::Interpreter;
  REQUIRE(RunPortfolio(c, "p.credo", kRecords, options, run, error, failure));
  return run;
}

}  // namespace

TEST_CASE("portfolio: score bins have a nice width over both samples", "[portfolio]") {
  Bins b = ScoreBins({350, 785}, {400});
  CHECK(b.width == 50);  // 43.5 → 50
  CHECK(b.lo == 350);
  CHECK(b.count == 9);   // 350..800
  CHECK(Histogram({350, 399.9, 400, 785}, b) == std::vector<uint64_t>{2, 1, 0, 0, 0, 0, 0, 0, 1});
  Bins narrow = ScoreBins({10, 12}, {});
  CHECK(narrow.width == 1);
  CHECK(narrow.count == 3);
}

TEST_CASE("portfolio: the stability index of two distributions", "[portfolio]") {
  CHECK(StabilityIndex({10, 20, 30}, {10, 20, 30}) == 0);
  CHECK(StabilityIndex({1, 3}, {2, 6}) == 0);  // same shares
  double want = (0.75 - 0.5) * std::log(0.75 / 0.5) + (0.25 - 0.5) * std::log(0.25 / 0.5);
  CHECK(StabilityIndex({5, 5}, {3, 1}) == Approx(want));
  // An empty share counts as 0.0001, so the index stays finite.
  double empty = (1 - kEmptyShare) * std::log(1 / kEmptyShare) + (kEmptyShare - 1) * std::log(kEmptyShare / 1);
  CHECK(StabilityIndex({4, 0}, {0, 4}) == Approx(empty));
}

TEST_CASE("portfolio: money text", "[portfolio]") {
  CHECK(Money(123456, 2) == "1234.56");
  CHECK(Money(-5, 2) == "-0.05");
  CHECK(MoneyGrouped(123456789012, 2) == "1,234,567,890.12");
  CHECK(MoneyGrouped(-100000, 2) == "-1,000.00");
  CHECK(MoneyGrouped(99999, 2) == "999.99");
}

TEST_CASE("portfolio: roles are detected from the policy, and named ones checked", "[portfolio]") {
  Compilation c = CompileSource("p.credo", Policy("150", ""));
  REQUIRE(c.ok());
  Roles roles;
  std::string error;
  REQUIRE(DetectRoles(c, {}, roles, error));
  CHECK(roles.decision == 3);
  CHECK(roles.grade == 2);
  CHECK(roles.score == 1);
  CHECK(roles.decision_reason == 4);
  CHECK(roles.amount == 5);
  CHECK(roles.approve == "APPROVE");
  CHECK(roles.id_field == 0);
  CHECK_FALSE(DetectRoles(c, {.decision = "verdict"}, roles, error));
  CHECK(error.find("no such output") != std::string::npos);
  CHECK_FALSE(DetectRoles(c, {.score = "grade"}, roles, error));
  CHECK_FALSE(DetectRoles(c, {.approve = "YES"}, roles, error));
  CHECK(error.find("APPROVE, DECLINE") != std::string::npos);
}

TEST_CASE("portfolio: champion against challenger, record by record", "[portfolio]") {
  // The challenger raises the A cutoff (b, score 150, drops to B) and knocks out low incomes (a).
  Run champion = RunOf(Policy("150", ""));
  Run challenger = RunOf(Policy("160", R"(  K02 "Low income" when income < 1000 => decline)"));
  REQUIRE(champion.size() == 5);
  CHECK(champion.reject[3] == "out_of_range:income");
  Comparison c = Compare(champion, challenger);
  CHECK(c.champion.approved == 2);  // b, c
  CHECK(c.challenger.approved == 1);  // c
  CHECK(c.champion.approved_amount == 400000);
  CHECK(c.challenger.approved_amount == 200000);
  REQUIRE(c.swap.rows == std::vector<std::string>{"APPROVE", "DECLINE", "(rejected)"});
  CHECK(c.swap.cells[0][0].count == 1);  // c
  CHECK(c.swap.cells[0][1].count == 1);  // b
  CHECK(c.swap.cells[0][1].amount == 200000);
  CHECK(c.swap.cells[0][1].other_amount == 0);
  CHECK(c.swap.cells[1][1].count == 2);  // a, e
  CHECK(c.swap.cells[2][2].count == 1);  // d, rejected by both: counted, not lost
  // Changed: a (reason GRADE_B → K02), b (APPROVE → DECLINE) and e (declined by K01 both times,
  // but its grade moved from A to B); c and d are the same.
  REQUIRE(c.changes.size() == 3);
  CHECK(c.changes[2].id == "e");
  CHECK(c.changes[0].id == "a");
  CHECK(c.changes[0].reason[1] == "K02");
  CHECK(c.changes[1].id == "b");
  CHECK(c.changes[1].grade[0] == "A");
  CHECK(c.changes[1].grade[1] == "B");
  CHECK(c.psi == 0);  // same scorecard
  std::string csv = ChangedCsv(c);
  CHECK(csv.find("\n3,b,APPROVE,DECLINE,A,B,2000.00,0.00,,GRADE_B\n") != std::string::npos);
}

TEST_CASE("portfolio: the bin each record fell into comes from the probes", "[portfolio]") {
  Run run = RunOf(Policy("150", ""), RunOptions{.bins = true});
  REQUIRE(run.characteristics.size() == 2);
  const Characteristic& income = run.characteristics[0];
  CHECK(income.code == "C01");
  CHECK(income.title == "Income");
  CHECK(income.bin == std::vector<int16_t>{0, 1, 1, -1, 1});
  CHECK(income.points == std::vector<int64_t>{0, 50, 50, 0, 50});
  Summary s = Summarize(run);
  CHECK(s.characteristics[1].bins[0].count == 2);  // age < 30: b, e
  CHECK(s.characteristics[1].bins[1].count == 2);
}

TEST_CASE("portfolio: policies reading different inputs are compared with a note", "[portfolio]") {
  Run champion = RunOf(Policy("150", ""));
  Run challenger = champion;
  challenger.inputs.push_back("ledger_exposure");
  Comparison c = Compare(champion, challenger);
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].find("challenger only: ledger_exposure") != std::string::npos);
  CHECK(c.changes.empty());
}
