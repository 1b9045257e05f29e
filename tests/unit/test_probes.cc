// Probes (LowerOptions::probes) only point into the program: for every policy of the repository,
// the program lowered with probes has the same hash, the same code before the probes' own pure
// instructions, and the same run output as the program lowered without them.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/driver/compile.h"
#include "compiler/interp/trace.h"
#include "runtime/exec/runner.h"
#include "tests/unit/repository_policies.h"

using credo::testdata::ReadText;

namespace {

credo::exec::TextRun RunWith(credo::ir::Program program, const std::string& csv) {
  auto ev = credo::MakeEvaluator(std::move(program), credo::Engine::Interpreter);
  return credo::exec::RunCsvText(*ev, csv, {});
}

bool SameInstr(const credo::ir::Instr& a, const credo::ir::Instr& b) {
  return a.op == b.op && a.args == b.args && a.imm == b.imm && a.imm2 == b.imm2 && a.imm3 == b.imm3 &&
         a.site == b.site && a.type.kind == b.type.kind && a.type.optional == b.type.optional;
}

}  // namespace

TEST_CASE("a program lowered with probes has the same hash, code and output", "[probes]") {
  auto cases = credo::testdata::RepositoryPolicies();
  REQUIRE(cases.size() > 20);
  for (const auto& c : cases) {
    INFO(c.policy.string());
    std::string text = ReadText(c.policy);
    credo::Compilation plain = credo::CompileSource(c.policy.string(), text);
    credo::Compilation probed = credo::CompileSource(c.policy.string(), text, credo::LowerOptions{.probes = true});
    REQUIRE(plain.ok());
    REQUIRE(probed.ok());
    const credo::ir::Program& a = *plain.program;
    const credo::ir::Program& b = *probed.program;
    CHECK(a.probes.empty());
    CHECK(!b.probes.empty());
    CHECK(a.hash == b.hash);
    CHECK(a.hash == credo::ir::Hash(a));
    // The probes' instructions come after the program's own, which are unchanged.
    REQUIRE(b.code.size() >= a.code.size());
    REQUIRE(b.group_code.size() >= a.group_code.size());
    for (size_t i = 0; i < a.code.size(); ++i) CHECK(SameInstr(a.code[i], b.code[i]));
    for (size_t i = 0; i < a.group_code.size(); ++i) CHECK(SameInstr(a.group_code[i], b.group_code[i]));
    for (size_t i = a.code.size(); i < b.code.size(); ++i) {
      CHECK(b.code[i].op != credo::ir::Op::Use);
      CHECK(b.code[i].op != credo::ir::Op::Fail);
    }
    CHECK(a.state_regs == b.state_regs);
    // Every probe points at registers of its program; a hit is a Bool.
    for (const auto& p : b.probes) {
      const auto& code = p.group ? b.group_code : b.code;
      INFO(p.name);
      CHECK(p.value < int32_t(code.size()));
      CHECK(p.hit < int32_t(code.size()));
      if (p.hit >= 0) CHECK(code[size_t(p.hit)].type.kind == credo::rt::Kind::Bool);
      CHECK(p.parent < int32_t(b.probes.size()));
    }
    if (c.input.empty()) continue;
    std::string csv = ReadText(c.input);
    credo::exec::TextRun x = RunWith(a, csv), y = RunWith(b, csv);
    CHECK(x.status == y.status);
    CHECK(x.out == y.out);
    CHECK(x.rejects == y.rejects);
    CHECK(x.group_outputs == y.group_outputs);
  }
}

TEST_CASE("a probe's text is its source on one line, without the author's comments", "[probes]") {
  const std::string text = R"(policy p version "1"
enum D { APPROVE, DECLINE }
input A { id: string  income: money  debt: money }
let ratio = min(debt        // what is owed
                / income,   /* over what comes in */ 2.0)
let label = if (ratio > 0.5) ?? true then "high  //  not a comment" else "low"
decision: D {
  (ratio > 0.5) ?? true => DECLINE because "DTI"
  else                  => APPROVE
}
output { id, decision, label }
)";
  credo::Compilation c = credo::CompileSource("p.credo", text, credo::LowerOptions{.probes = true});
  REQUIRE(c.ok());
  std::vector<std::string> texts;
  for (const auto& p : c.program->probes) texts.push_back(p.text);
  auto has = [&](const std::string& t) { return std::find(texts.begin(), texts.end(), t) != texts.end(); };
  INFO(fmt::format("{}", fmt::join(texts, " | ")));
  CHECK(has("min(debt / income, 2.0)"));
  CHECK(has(R"(if (ratio > 0.5) ?? true then "high  //  not a comment" else "low")"));
}
