// End-to-end checks of the compile pipeline on small policies: parse → check → lower →
// interpret, through the driver, on records given as CSV text.
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "runtime/exec/runner.h"

namespace {

struct Result {
  std::string out, rejects, diagnostics;
  bool compiled = false;
};

// Compiles `policy` and runs it over `csv` with the interpreter.
Result RunPolicy(const std::string& policy, const std::string& csv) {
  Result r;
  credo::Compilation c = credo::CompileSource("test.credo", policy);
  r.diagnostics = c.diagnostics.Render(*c.source);
  if (!c.ok()) return r;
  r.compiled = true;
  auto ev = credo::MakeEvaluator(std::move(*c.program), credo::Engine::Interpreter);
  credo::exec::RunOptions options;
  options.batch_rows = 3;  // several batches even for small inputs
  credo::exec::TextRun run = credo::exec::RunCsvText(*ev, csv, options);
  r.out = run.status == credo::exec::RunStatus::Ok ? run.out : "error: " + run.error;
  r.rejects = run.rejects;
  return r;
}

const char* kHeader = R"(policy t version "1"
input In {
  id: string
  a: money?
  b: money?
  n: int where n >= 0
}
)";

}  // namespace

TEST_CASE("ratios are missing on a zero denominator and Kleene logic decides", "[pipeline]") {
  std::string policy = std::string(kHeader) + R"(
let ratio = a / b
let high = (ratio > 1.0) ?? false
let unknown = ratio is missing
output { id, ratio, high, unknown }
)";
  Result r = RunPolicy(policy, "id,a,b,n\nx,3.00,2.00,1\ny,3.00,0,1\nz,,2.00,1\n");
  INFO(r.diagnostics);
  REQUIRE(r.compiled);
  CHECK(r.out == "id,ratio,high,unknown\nx,1.5,true,false\ny,,false,true\nz,,false,true\n");
  CHECK(r.rejects == "line,id,reason\n");
}

TEST_CASE("money arithmetic is exact and rounding takes the unit's precision", "[pipeline]") {
  std::string policy = std::string(kHeader) + R"(
let limit = floor((a ?? 0.00) * 0.18, 1_000.00)
let factor: decimal(2) = b ?? 0.00  // a factor, not an amount: money × money is an error [E0214]
let share = round((a ?? 0.00) * factor / 3.00, 0.01) ?? 0.00
output { id, limit, share }
)";
  Result r = RunPolicy(policy, "id,a,b,n\nx,5555.55,1.00,0\ny,-5555.55,2.00,0\n");
  INFO(r.diagnostics);
  REQUIRE(r.compiled);
  // 5555.55 × 0.18 = 999.999 → floor to 1000s = 0; -999.999 → -1000.00; 5555.55/3 = 1851.85
  CHECK(r.out == "id,limit,share\nx,0.00,1851.85\ny,-1000.00,-3703.70\n");
}

TEST_CASE("every bad row ends in rejects with its line and reason", "[pipeline]") {
  std::string policy = std::string(kHeader) + "output { id, n }\n";
  Result r = RunPolicy(policy, "id,a,b,n\nok,1,2,3\nbad,1.234,2,3\n\nneg,1,2,-1\nshort,1\nq,x,2,3\n");
  REQUIRE(r.compiled);
  CHECK(r.out == "id,n\nok,3\n");
  CHECK(r.rejects ==
        "line,id,reason\n3,bad,unparsable:a\n4,,column_count:1\n5,neg,out_of_range:n\n6,short,column_count:2\n"
        "7,q,unparsable:a\n");
}

TEST_CASE("a header that does not match the input stops the run", "[pipeline]") {
  std::string policy = std::string(kHeader) + "output { id }\n";
  Result r = RunPolicy(policy, "id,a,n\nx,1,2\n");
  REQUIRE(r.compiled);
  CHECK(r.out.find("missing column(s): b") != std::string::npos);
}

TEST_CASE("integer overflow rejects the record, never wraps", "[pipeline]") {
  std::string policy = std::string(kHeader) + R"(
let big = n * 1_000_000_000 * 1_000_000_000 * 1_000_000_000
output { id, big }
)";
  Result r = RunPolicy(policy, "id,a,b,n\nzero,1,1,0\nbig,1,1,5\n");
  REQUIRE(r.compiled);
  CHECK(r.out == "id,big\nzero,0\n");
  CHECK(r.rejects == "line,id,reason\n3,big,overflow:big\n");
}

TEST_CASE("all errors of a policy are reported in one run", "[pipeline]") {
  std::string policy = std::string(kHeader) + R"(
let x = nn + 1
let y = a * 1.5
let z = a / b > 1
output { id, x, y, z, w }
)";
  Result r = RunPolicy(policy, "");
  CHECK_FALSE(r.compiled);
  CHECK(r.diagnostics.find("error[E0102]: unknown name 'nn'") != std::string::npos);
  CHECK(r.diagnostics.find("error[E0102]: unknown name 'w'") != std::string::npos);
  CHECK(r.diagnostics.find("test.credo:9:9:") != std::string::npos);
}

TEST_CASE("the group pass aggregates each group over many groups and long keys, on both engines", "[pipeline]") {
  // 3,000 groups (the key table grows several times); keys longer than 16 bytes that share their
  // first 16 bytes; members interleaved across groups and batches.
  std::string policy = R"(policy g version "1"
input In {
  id: string
  g:  string?
  x:  int where x >= 0
}
let total = 0
let members = 0
let low = 0
let high = 0
let others = 0
group by g {
  let t = sum(x)
  when true => set total = t, set members = count(x >= 0), set low = min_of(x), set high = max_of(x),
               set others = count_other(x > 5)
}
output { id, total, members, low, high, others }
)";
  std::string csv = "id,g,x\n", expected = "id,total,members,low,high,others\n";
  const int groups = 3000, per_group = 3;
  auto key = [](int k) { return "group-key-shared-prefix-" + std::to_string(k); };
  for (int m = 0; m < per_group; ++m)
    for (int k = 0; k < groups; ++k) csv += "r" + std::to_string(k) + "_" + std::to_string(m) + "," + key(k) + "," + std::to_string(k % 7 + m) + "\n";
  csv += "lonely,,4\n";
  for (int m = 0; m < per_group; ++m)
    for (int k = 0; k < groups; ++k) {
      int x = k % 7 + m, base = k % 7;
      int total = 3 * base + 3, others = (base > 5) + (base + 1 > 5) + (base + 2 > 5) - (x > 5);
      expected += "r" + std::to_string(k) + "_" + std::to_string(m) + "," + std::to_string(total) + ",3," +
                  std::to_string(base) + "," + std::to_string(base + 2) + "," + std::to_string(others) + "\n";
    }
  expected += "lonely,0,0,0,0,0\n";
  for (auto engine : {credo::Engine::Interpreter, credo::Engine::Jit}) {
    credo::Compilation c = credo::CompileSource("test.credo", policy);
    INFO(c.diagnostics.Render(*c.source));
    REQUIRE(c.ok());
    std::string error;
    auto ev = credo::MakeEvaluator(std::move(*c.program), engine, &error);
    REQUIRE(ev);
    for (size_t threads : {size_t(1), size_t(2)}) {
      credo::exec::RunOptions options;
      options.batch_rows = 1000;
      options.threads = threads;
      credo::exec::TextRun run = credo::exec::RunCsvText(*ev, csv, options);
      INFO("engine " << int(engine) << ", threads " << threads << ": " << run.error);
      REQUIRE(run.status == credo::exec::RunStatus::Ok);
      CHECK(run.out == expected);
    }
  }
}

// A scaled scorecard lowers to a point scorecard's shape: constant points per bin, one
// RankReason per rank over int shortfalls in declaration order (what a ranked list of reasons
// builds on), and no reference to the WOE values at run time.
TEST_CASE("a scaled scorecard lowers to the point scorecards' IR shape", "[pipeline]") {
  for (const char* rounding : {"per_bin", "total", "none"}) {
    std::string policy = std::string(kHeader) + "scorecard s {\n  scaling 600 at odds 50 pdo 20\n  rounding " + rounding +
                         "\n  reasons 2\n  Z1 n weight 1 { < 5 => -0.5, >= 5 => 0.5 }\n"
                         "  A1 a weight 2 { missing => 0, < 10.00 => -0.25, >= 10.00 => 0.25 }\n}\n"
                         "output { id, score = s.score, r1 = s.reason(1), r2 = s.reason(2) }\n";
    INFO(rounding);
    credo::Compilation c = credo::CompileSource("test.credo", policy);
    INFO(c.diagnostics.Render(*c.source));
    REQUIRE(c.ok());
    int ranks = 0;
    for (const auto& in : c.program->code)
      if (in.op == credo::ir::Op::RankReason) {
        ++ranks;
        CHECK(in.args.size() == 2);
        for (int32_t a : in.args) CHECK(c.program->code[a].type.kind == credo::rt::Kind::Int);
      }
    CHECK(ranks == 2);
    REQUIRE(c.program->reason_sets.size() == 1);
    CHECK(c.program->strings[c.program->reason_sets[0][0]] == "Z1");  // declaration order, not text order
    CHECK(c.program->strings[c.program->reason_sets[0][1]] == "A1");
    // Z1 (n < 5) and A1 (a < 10.00) fall short by the same amount: the tie goes to Z1, declared first.
    Result r = RunPolicy(policy, "id,a,b,n\nx,5.00,,1\ny,,,9\n");
    REQUIRE(r.compiled);
    CHECK(r.out.find("x,") != std::string::npos);
    CHECK(r.out.substr(r.out.find("\nx,")).find(",Z1,A1") != std::string::npos);
  }
}
