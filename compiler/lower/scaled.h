// scaled.h — what lowering needs of a scaled (WOE) scorecard beyond the checker's points table.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/check/checker.h"

namespace credo::lower {

// For a scaled scorecard with unrounded points (`rounding total` or `none`): per characteristic,
// per bin, an int key that orders the bins' shortfalls (best − points, in doubles) exactly as the
// doubles do: 0 for no shortfall, else the rank of its value among the scorecard's distinct
// positive shortfalls (1 = smallest). RankReason ranks ints, so a scaled scorecard's reasons take
// the same IR shape as a point scorecard's; equal shortfalls get equal keys (ties stay ties, and
// go to the characteristic declared first).
std::vector<std::vector<int64_t>> ShortfallKeys(const std::vector<check::Characteristic>& table);

}  // namespace credo::lower
