#include "compiler/lower/scaled.h"

#include <algorithm>

namespace credo::lower {

std::vector<std::vector<int64_t>> ShortfallKeys(const std::vector<check::Characteristic>& table) {
  std::vector<double> values;
  for (const auto& ch : table)
    for (double p : ch.points)
      if (ch.best - p > 0) values.push_back(ch.best - p);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<std::vector<int64_t>> keys;
  for (const auto& ch : table) {
    keys.emplace_back();
    for (double p : ch.points) {
      double shortfall = ch.best - p;
      keys.back().push_back(shortfall > 0 ? int64_t(std::lower_bound(values.begin(), values.end(), shortfall) - values.begin()) + 1 : 0);
    }
  }
  return keys;
}

}  // namespace credo::lower
