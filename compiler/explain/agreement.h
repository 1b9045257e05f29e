// agreement.h — an explanation must agree with `credo run`: the engine's own run over the same
// input must write, record for record, the output and rejects rows the trace gives.
#pragma once

#include <string>
#include <string_view>

#include "compiler/driver/compile.h"
#include "compiler/explain/records.h"

namespace credo::explain {

struct Agreement {
  std::string engine_error;  // the engine could not be made or the run failed (then nothing compared)
  std::string difference;    // the first record whose rows differ, with both rows; "" when they agree
  bool ok() const { return engine_error.empty() && difference.empty(); }
};

// Runs `program` (as `credo run` compiles it, without probes) with `engine` over `text`, read as
// `records` were (their format and columns: Records::how), and compares its output and rejects
// text with the rows of `records` in `trace`.
// `references`: the reference data the program looks up (null when it declares none).
Agreement CompareWithRun(ir::Program program, Engine engine, std::string_view text, const Records& records,
                         const Trace& trace, std::shared_ptr<const rt::References> references = nullptr);

}  // namespace credo::explain
