// run_summary.h — `credo run --summary`: the figures of a run as text (stderr) and as JSON
// (--summary-json FILE).
#pragma once

#include <string>

#include "runtime/exec/runner.h"

namespace credo::cli {

// Rows read, accepted and rejected; counts by enum output value; the top values of string
// outputs; totals of money outputs; the time.
std::string SummaryText(const exec::RunStats& stats);

// The same figures as one JSON object (docs/cli.md lists its keys).
std::string SummaryJson(const exec::RunStats& stats);

}  // namespace credo::cli
