// spelling.h — how far apart two names are, for "did you mean" hints (the checker's and those
// of test files).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace credo {

// The Levenshtein distance: single-byte insertions, deletions and substitutions.
size_t EditDistance(std::string_view a, std::string_view b);

// The index of the candidate nearest to `word`, the first of equals, when its distance is below
// `below`; else -1. Each caller sets how far a typo may go.
int Closest(std::string_view word, const std::vector<std::string>& candidates, size_t below);

}  // namespace credo
