// Issue 10, items 7 and 8: reject texts (rt::RejectTexts) and per-group outputs through the
// runner, on both engines: errors in a per-group column, groups whose members were all rejected.
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "runtime/core/reject_text.h"
#include "runtime/exec/runner.h"

namespace {

using credo::rt::RejectKind;
using credo::rt::RejectTexts;

credo::exec::TextRun RunOn(credo::Engine engine, const std::string& policy, const std::string& csv, size_t batch) {
  credo::Compilation c = credo::CompileSource("test.credo", policy);
  INFO(c.diagnostics.Render(*c.source));
  REQUIRE(c.ok());
  std::string error;
  auto ev = credo::MakeEvaluator(std::move(*c.program), engine, &error);
  INFO(error);
  REQUIRE(ev);
  credo::exec::RunOptions options;
  options.batch_rows = batch;
  options.threads = batch == 1 ? 2 : 1;
  return credo::exec::RunCsvText(*ev, csv, options);
}

}  // namespace

TEST_CASE("reject texts: defaults are today's words, placeholders are replaced everywhere") {
  RejectTexts texts;
  CHECK(texts.Format(RejectKind::Missing, "income") == "missing:income");
  CHECK(texts.Format(RejectKind::FieldCount, "3") == "column_count:3");
  CHECK(texts.Format(RejectKind::NotInList, "grade") == "unknown:grade");
  CHECK(texts.Format(RejectKind::Inconsistent, "debt_vs_income") == "debt_vs_income");
  CHECK(texts.Format(RejectKind::BadQuote, "") == "bad_quote");
  texts.text[size_t(RejectKind::Missing)] = "{field} and {field}: {fi} {field";
  CHECK(texts.Format(RejectKind::Missing, "a") == "a and a: {fi} {field");
  texts.text[size_t(RejectKind::Overflow)] = "R09";
  CHECK(texts.Format(RejectKind::Overflow, "limit") == "R09");
}

TEST_CASE("per-group output: an error in a column rejects the group's members, which then have no row") {
  const std::string policy = R"(policy t version "1"
input In { id: string  g: string?  n: int }
let big = n * 1_000_000_000
group by g {
  let total = sum(big)
}
output { id, total }
output sums per group order by id_count desc {
  g
  id_count = count(true)
  squared = sum(big) * sum(big)
}
)";
  // Group A squares 6e9 (overflow: every member rejected as overflow:squared); B squares 1e9.
  const std::string csv = "id,g,n\na1,A,3\nb1,B,1\na2,A,3\nc1,,5\n";
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit})
    for (size_t batch : {1, 4096}) {
      auto run = RunOn(engine, policy, csv, batch);
      REQUIRE(run.status == credo::exec::RunStatus::Ok);
      CHECK(run.out == "id,total\nb1,1000000000\nc1,\n");
      CHECK(run.rejects == "line,id,reason\n2,a1,overflow:squared\n4,a2,overflow:squared\n");
      REQUIRE(run.group_outputs.size() == 1);
      CHECK(run.group_outputs[0] == "g,id_count,squared\nB,1,1000000000000000000\n");
    }
}

TEST_CASE("per-group output: the row comes from the group's first accepted member; rejected members do not count") {
  const std::string policy = R"(policy t version "1"
input In { id: string  g: string  amount: money where amount >= 0 }
group by g {
  let total = sum(amount)
}
output { id, total, share = number(amount) / number(total) }
output groups per group { g, total, members = count(true), largest = max_of(amount) }
)";
  const std::string csv = "id,g,amount\nx0,X,-1.00\ny1,Y,2.00\nx1,X,3.00\nx2,X,1.00\n";
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit})
    for (size_t batch : {1, 4096}) {
      auto run = RunOn(engine, policy, csv, batch);
      REQUIRE(run.status == credo::exec::RunStatus::Ok);
      CHECK(run.out == "id,total,share\ny1,2.00,1\nx1,4.00,0.75\nx2,4.00,0.25\n");
      CHECK(run.rejects == "line,id,reason\n2,x0,out_of_range:amount\n");
      REQUIRE(run.group_outputs.size() == 1);
      // X's first row was rejected: groups are in the order of their first accepted member.
      CHECK(run.group_outputs[0] == "g,total,members,largest\nY,2.00,1,2.00\nX,4.00,2,3.00\n");
    }
}
