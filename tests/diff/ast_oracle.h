// ast_oracle.h — an independent oracle for the differential tests: runs a policy by walking its
// checked AST, one record at a time, with no IR, lowering or engine. It implements
// docs/language.md directly, reusing only the numeric kernels of runtime/core (decimal parsing,
// printing, rounding division, calendar) and the CSV reader and field quoting of runtime/io.
//
// Errors (overflow, an out-of-range month count, a non-finite number) follow one of two rules:
// - ErrorRule::Everywhere: every expression is computed for every record (both branches of an
//   `if`, every decision arm, every action of a group statement) and any error rejects the
//   record: the engines' semantics before issue 14;
// - ErrorRule::WhereUsed (issue 14): a value carries the earliest error it depends on, and the
//   error counts only where the value is used: by a condition (`where`, `check`, every rule and
//   warning, the decision arms tried up to the one taken, a group `when`), an aggregate's
//   argument, the value of an action whose `when` holds, or an output column. `if` passes on
//   its condition's and the taken branch's errors, `a ?? b` a's and, when a is missing, b's;
//   every other operator its operands' (`and`/`or` both sides). A `let` nobody uses errs for
//   nobody; a record value first used by the group pass rejects the member there.
// In both, the earliest counted error in program order names the reject (`overflow:<name>`).
//
// Where docs/language.md and the engines differ, the oracle follows the reference: `set
// decision` without `because` keeps the old reason; `x in [a, b]` is missing when a compared
// item is (tests/golden/run-pending/ has a case for each such difference found).
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
