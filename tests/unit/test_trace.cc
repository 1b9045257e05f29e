// A trace (compiler/interp/trace.h) evaluates as a run does: for every policy of the repository
// with data, the trace's final state and statuses give exactly `credo run`'s output and rejects.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "compiler/driver/reference_data.h"
#include "compiler/explain/records.h"
#include "compiler/interp/trace.h"
#include "runtime/exec/runner.h"
#include "tests/unit/repository_policies.h"

using credo::testdata::ReadText;

TEST_CASE("a trace gives the run's outputs and rejects, record by record", "[trace]") {
  size_t with_data = 0;
  for (const auto& [policy, input, references] : credo::testdata::RepositoryPolicies()) {
    if (input.empty()) continue;
    ++with_data;
    INFO(policy.string());
    credo::Compilation c = credo::CompileSource(policy.string(), ReadText(policy), credo::LowerOptions{.probes = true});
    REQUIRE(c.ok());
    std::string csv = ReadText(input);
    auto ev = credo::MakeEvaluator(*c.program, credo::Engine::Interpreter);
    std::shared_ptr<const credo::rt::References> refs;
    if (!references.empty()) {  // the policy's reference data, its bad rows set aside
      std::vector<credo::ReferenceLoadStats> stats;
      std::string why;
      std::FILE* discard = std::fopen("/dev/null", "wb");
      refs = credo::LoadReferences(*c.program, references, discard, stats, why);
      std::fclose(discard);
      INFO(why);
      REQUIRE(refs);
      ev->SetReferences(refs);
    }
    credo::exec::RunOptions options;
    options.reject_detail = true;  // explain's reject rows are credo run's, detail included
    credo::exec::TextRun run = credo::exec::RunCsvText(*ev, csv, options);
    credo::explain::Records records;
    std::string error;
    if (!credo::explain::ReadRecords(c.program->info, csv, records, error)) {
      CHECK(run.status == credo::exec::RunStatus::BadInput);
      continue;
    }
    REQUIRE(run.status == credo::exec::RunStatus::Ok);
    credo::Trace trace = credo::TraceBatch(*c.program, records.batch, records.unparsed, refs);
    REQUIRE(trace.rows == records.size());
    std::string out = run.out.substr(0, run.out.find('\n') + 1), rejects = "line,";
    rejects += c.program->info.inputs.empty() ? "id" : c.program->info.inputs[0].name;
    rejects += ",reason,detail\n";
    std::vector<std::string> reject_rows;
    for (size_t r = 0; r < records.size(); ++r) {
      if (trace.status[r] == 0) out += credo::explain::OutputRow(c.program->info, trace, r) + "\n";
      else reject_rows.push_back(credo::explain::RejectRow(c.program->info, records, trace, r));
    }
    for (const auto& row : reject_rows) rejects += row + "\n";
    CHECK(out == run.out);
    CHECK(rejects == run.rejects);
    // Every register the program stores is the trace's: the record state of an accepted row not
    // changed by the group pass is its register's value.
    for (size_t r = 0; r < records.size() && c.program->group_steps.empty(); ++r) {
      if (trace.status[r] != 0) continue;
      for (size_t s = 0; s < c.program->state_regs.size(); ++s)
        CHECK(trace.Value(c.program->state_regs[s], r) == trace.state.slots[s].values[r]);
    }
  }
  CHECK(with_data > 20);
}
