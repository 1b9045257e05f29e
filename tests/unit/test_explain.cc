// credo explain's guarantees: its check against the engine's run catches a trace that differs
// from the run (so cli.explain_agrees cannot pass vacuously), and an explanation's outputs are
// the output row the run writes.
#include <string>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "compiler/explain/agreement.h"
#include "compiler/explain/explanation.h"
#include "tests/unit/repository_policies.h"

using credo::testdata::ReadText;

TEST_CASE("explain: the check against the run catches a trace that differs", "[explain]") {
  std::string root = CREDO_SOURCE_DIR;
  std::string path = root + "/policies/sme-credit-v1.credo", text = ReadText(path);
  std::string csv = ReadText(root + "/examples/sme-portfolio.csv");
  credo::Compilation probed = credo::CompileSource(path, text, credo::LowerOptions{.probes = true});
  REQUIRE(probed.ok());
  const credo::rt::PolicyInfo& info = probed.program->info;
  credo::explain::Records records;
  std::string error;
  REQUIRE(credo::explain::ReadRecords(info, csv, records, error));
  credo::Trace trace = credo::TraceBatch(*probed.program, records.batch, records.unparsed);
  auto plain = [&] { return *credo::CompileSource(path, text).program; };
  CHECK(credo::explain::CompareWithRun(plain(), credo::Engine::Interpreter, csv, records, trace).ok());

  // Record 3 (line 4) is accepted; its score changed in the trace must be reported.
  REQUIRE(trace.status[2] == 0);
  credo::explain::Context context{probed, records, trace};
  credo::explain::Explanation e = credo::explain::Explainer(context).Explain(2);
  CHECK(e.output_row == credo::explain::OutputRow(info, trace, 2));
  std::string joined;
  for (const auto& o : e.outputs) joined += (joined.empty() ? "" : ",") + o.value;
  CHECK(joined == e.output_row);  // the SME outputs need no CSV quoting

  int score = info.outputs[1].state;
  trace.state.slots[size_t(score)].values[2] += 1;
  auto why = credo::explain::CompareWithRun(plain(), credo::Engine::Interpreter, csv, records, trace);
  CHECK(why.engine_error.empty());
  CHECK(why.difference.find("record 3 (line 4)") != std::string::npos);
  trace.state.slots[size_t(score)].values[2] -= 1;

  // A record the trace rejects but the run accepts.
  trace.status[2] = credo::Trace::kUnparsed;
  why = credo::explain::CompareWithRun(plain(), credo::Engine::Interpreter, csv, records, trace);
  CHECK(!why.difference.empty());
}
