// bins.h — coverage analysis of numeric bins: gaps, overlaps, unreachable and empty bins, each
// reported with a counterexample value.
#pragma once

#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"

namespace credo::check {

struct NumericDomain {
  int scale = 0;            // values are multiples of 10^-scale (Int: 0)
  bool continuous = false;  // Number: any real value
  // Bounds the input declaration guarantees (a field's `where`), as an Interval test.
  bool bounded_below = false, bounded_above = false;
  ast::BinTest bounds;
  std::string type_name = "int";  // the subject's type, for messages ("money", "number", ...)
};

// Scorecard bins must be disjoint; band bins are tried in order (first match wins), so an
// overlap is fine there but a bin that earlier bins cover completely is unreachable.
enum class BinOrder { Disjoint, FirstMatch };

// Checks the Interval/Compare/Value tests of `bins` (Missing and Else tests are skipped, an Else
// is taken as covering whatever remains). Reports to `diags`.
void CheckNumericBins(const std::vector<ast::Bin>& bins, NumericDomain domain, BinOrder order,
                      Span subject, Diagnostics& diags);

}  // namespace credo::check
