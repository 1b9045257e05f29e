// agreement.h — an explanation must agree with `credo run`: the engine's own run over the same
// input must write, record for record, the output and rejects rows the trace gives.
#pragma once

#include <string>
#include <string_view>

#include "compiler/driver/compile.h"
#include "compiler/explain/records.h"

namespace credo::explain {

// Runs `program` (as `credo run` compiles it, without probes) with `engine` over `csv` and
// compares its output and rejects text with the rows of `records` in `trace`. "" when they
// agree; else what failed: the engine, or the first record whose rows differ, with both rows.
std::string CompareWithRun(ir::Program program, Engine engine, std::string_view csv, const Records& records,
                           const Trace& trace);

}  // namespace credo::explain
