// csv_equal.h — the C ABI against `credo run`: a policy's CSV input turned into Arrow arrays
// (all text, or typed wherever every cell of a column has a typed form), evaluated through
// credo_evaluate_arrow, and the results written back as credo run's two CSV files, which must
// equal the committed expected files byte for byte (the rejects' detail column too, for text
// columns, when the expected file has one).
#pragma once

#include <string>

#include <credo/credo.h>

#include "tests/cabi/csv_to_arrow.h"

namespace cabi_test {

// Returns "" when the outputs and rejects equal the expected files, else what differs.
// Rows the CSV reader finds malformed (bad quotes, a wrong field count) have no Arrow form: they
// are left out of the batch and of the expected rejects.
std::string CompareWithRun(const credo_policy* policy, const std::string& input_csv, const std::string& expected_csv,
                           const std::string& expected_rejects, const Variant& variant);

}  // namespace cabi_test
