// spelling.h — how far apart two names are, for "did you mean" hints (the checker's and those
// of test files).
#pragma once

#include <cstddef>
#include <string_view>

namespace credo {

// The Levenshtein distance: single-byte insertions, deletions and substitutions.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace credo
