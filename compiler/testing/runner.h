// runner.h — runs the cases of a bound test file through the same CSV reading and evaluator as
// `credo run` (exec::RunCsvText over a CSV built from the cases' cells), and compares what
// came out with what the cases expect.
#pragma once

#include <string>
#include <vector>

#include "compiler/testing/bind.h"
#include "compiler/testing/results.h"
#include "runtime/core/evaluator.h"

namespace credo::testing {

// What a run made of one record.
struct Outcome {
  bool rejected = false;
  std::string reason;            // rejected: the reason, as in rejects.csv
  std::vector<std::string> row;  // accepted: the output cells, as in the output CSV (unquoted)
  bool operator==(const Outcome&) const = default;
};

// What a run made of a unit (a case, or a group's cases).
struct UnitOutcome {
  std::vector<Outcome> records;  // one per case of the unit, in its order
  // Per PolicyInfo::group_outputs entry: its rows (cells), without the header.
  std::vector<std::vector<std::vector<std::string>>> group_rows;
  std::string error;  // the run itself failed (not expected: the header is the policy's own)
  bool operator==(const UnitOutcome&) const = default;
};

// The CSV input of a unit: the policy's header, then one row per case.
std::string UnitCsv(const rt::PolicyInfo& info, const BoundFile& file, const RunUnit& unit);

UnitOutcome RunUnitCsv(rt::Evaluator& evaluator, const BoundFile& file, const RunUnit& unit);

struct EngineOutcome {
  std::string engine;  // "interp" or "jit"
  UnitOutcome outcome;
};

// The results of a unit's cases (and of the group block's own expectations), given its
// outcome on each engine that ran it.
std::vector<CaseResult> CheckUnit(const rt::PolicyInfo& info, const TestFile& tests, const BoundFile& file,
                                  const RunUnit& unit, const std::vector<EngineOutcome>& outcomes);

}  // namespace credo::testing
