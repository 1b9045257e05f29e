// ast_oracle.h — an independent oracle for the differential tests: runs a policy by walking its
// checked AST, one record at a time, with no IR, lowering or engine. It implements
// docs/language.md directly, reusing only the numeric kernels of runtime/core (decimal parsing,
// printing, rounding division, calendar) and the CSV reader and field quoting of runtime/io.
//
// Errors (overflow, an out-of-range month count, a non-finite number) follow one of two rules:
// - ErrorRule::Everywhere: every expression is computed for every record and any error rejects
//   the record (the engines' semantics before issue 14);
// - ErrorRule::WhereUsed (issue 14): an error counts only where its value is used: in a taken
//   `if` branch, the chosen side of `??`, a decision arm tried or taken, an action whose `when`
//   holds for the member, and in a value that reaches a condition (where, check, rule, warning,
//   decision arm, `if`, group `when`), an aggregate or an output column.
// In both, the first error in program order names the reject (`overflow:<name>`).
#pragma once

#include <string>

namespace credo::oracle {

enum class ErrorRule { Everywhere, WhereUsed };

struct OracleRun {
  bool ok = false;           // the policy checked and the input's header fits it
  std::string error;         // when not
  std::string out, rejects;  // the output and rejects files, as `credo run` writes them
};

// Checks `policy` and runs it over the CSV text `csv`.
OracleRun RunOracle(const std::string& policy, const std::string& csv, ErrorRule rule = ErrorRule::WhereUsed);

}  // namespace credo::oracle
