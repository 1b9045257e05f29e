// summary.h — what `credo run --summary` adds to the enum counts: the most frequent values of
// each string output (e.g. reasons) and the total of each money (decimal) output.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::exec {

struct TopValues {
  std::string column;
  std::vector<std::pair<std::string, uint64_t>> top;  // most frequent first, then by value
  uint64_t present = 0;     // rows with a value
  uint64_t distinct = 0;    // distinct values counted (at most kMaxDistinct)
  uint64_t uncounted = 0;   // rows whose value came after kMaxDistinct others: not in `top`
};

struct MoneyTotal {
  std::string column;
  std::string sum;          // exact, as the output writes a value of the column's scale
  uint64_t present = 0;     // rows with a value
};

// Counts the accepted rows' string values and sums their decimal values, exactly (128-bit sums
// of the scaled integers). Memory is bounded: at most kMaxDistinct values per column are told
// apart; later new values are only counted as `uncounted`.
class OutputSummary {
 public:
  static constexpr size_t kMaxDistinct = 100'000;

  OutputSummary(const rt::PolicyInfo& info, size_t top);
  void Add(const rt::StateBatch& state, size_t row);
  void Finish(std::vector<TopValues>& top, std::vector<MoneyTotal>& totals) const;

 private:
  struct Counted {
    size_t output;
    std::unordered_map<std::string, uint64_t> counts;
    uint64_t present = 0, uncounted = 0;
  };
  struct Summed {
    size_t output;
    __int128 sum = 0;
    uint64_t present = 0;
  };
  const rt::PolicyInfo& info_;
  size_t top_;
  std::vector<Counted> counted_;
  std::vector<Summed> summed_;
};

}  // namespace credo::exec
