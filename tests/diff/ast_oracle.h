// ast_oracle.h — an independent oracle for the differential tests: runs a policy by walking its
// checked AST, one record at a time, with no IR, lowering or engine. It implements
// docs/language.md directly, reusing only the numeric kernels of runtime/core (decimal parsing,
// printing, rounding division, calendar) and the CSV reader and field quoting of runtime/io.
//
// Errors (overflow, an out-of-range month count, a non-finite number) follow one of two rules:
// - ErrorRule::Everywhere: every expression is computed for every record (both branches of an
//   `if`, every decision arm, every action of a group statement) and any error rejects the
//   record: the engines' semantics before issue 14;
// - ErrorRule::WhereUsed (issue 14; docs/language.md, "Where an error counts"): a value carries
//   the earliest error it depends on, and the error counts only where the value is used. Every
//   declared value is used: each `let`, rule condition, scorecard characteristic, band, the
//   decision (the conditions tried up to the one taken) and its reason, each warning, output
//   column, `where` and `check`; in the group pass each group `let` and `when` for every member,
//   and an action's values for the members whose `when` holds. Inside an expression `if` passes
//   on its condition's and the taken branch's errors, `a ?? b` a's and, when a is missing, b's,
//   `a and b` / `a or b` a's and b's unless a decides (a present false / true), `x in [...]` that
//   of the `or` of its comparisons, bins and tables the subject's or keys' and the chosen value's;
//   every other operator its operands'. An aggregate's argument is computed for every member, and
//   the first error among the members not yet rejected (input order), else a `sum` that
//   overflows, is an error of the aggregate's value: it rejects the members that use it.
// In both, the earliest counted error in evaluation order names the reject (`overflow:<name>`).
//
// It follows the reference where it is precise about the engines' choices too: `set decision`
// without `because` clears the reason; `x in [a, b]` is missing when no item matches and a
// compared item is missing.
#pragma once

#include <string>
#include <vector>

namespace credo::oracle {

enum class ErrorRule { Everywhere, WhereUsed };

struct OracleRun {
  bool ok = false;           // the policy checked and the input's header fits it
  std::string error;         // when not
  std::string out, rejects;  // the output and rejects files, as `credo run` writes them
  std::vector<std::string> group_outputs;  // each `output NAME per group`, in declaration order
};

// Checks `policy` and runs it over the CSV text `csv`.
OracleRun RunOracle(const std::string& policy, const std::string& csv, ErrorRule rule = ErrorRule::WhereUsed);

}  // namespace credo::oracle
