#include "compiler/base/spelling.h"

#include <algorithm>
#include <vector>

namespace credo {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

int Closest(std::string_view word, const std::vector<std::string>& candidates, size_t below) {
  int best = -1;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& c = candidates[i];
    // The length difference is a lower bound of the distance: skip what cannot win.
    if ((c.size() > word.size() ? c.size() - word.size() : word.size() - c.size()) >= below) continue;
    if (size_t d = EditDistance(word, c); d < below) below = d, best = int(i);
  }
  return best;
}

}  // namespace credo
