#include "runtime/core/dtable.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string_view>

#include "runtime/core/batch.h"

namespace credo::rt {

int32_t TableColumn::Segment(int64_t bits, bool present) const {
  if (!present) return segments;
  switch (kind) {
    case Ordered: {
      size_t i = std::lower_bound(points.begin(), points.end(), bits) - points.begin();
      return int32_t(2 * i + (i < points.size() && points[i] == bits));
    }
    case Float: {
      double x = std::bit_cast<double>(bits);
      if (x == 0) x = 0;  // -0.0 is 0
      size_t i = std::lower_bound(fpoints.begin(), fpoints.end(), x) - fpoints.begin();
      return int32_t(2 * i + (i < fpoints.size() && fpoints[i] == x));
    }
    case Strings: {
      std::string_view s = StrOf(bits)->view();
      auto it = std::lower_bound(strings.begin(), strings.end(), s, [](const std::string& a, std::string_view b) { return a < b; });
      return it != strings.end() && *it == s ? int32_t(it - strings.begin()) : int32_t(strings.size());
    }
    case Direct: return bits >= 0 && bits < segments ? int32_t(bits) : segments;
  }
  return segments;
}

void CompiledTable::Match(const int64_t* values, const uint8_t* present, uint64_t* mask) const {
  std::fill(mask, mask + words, ~uint64_t(0));
  for (size_t c = 0; c < columns.size(); ++c) {
    const TableColumn& col = columns[c];
    const uint64_t* m = col.masks.data() + size_t(col.Segment(values[c], present[c])) * words;
    for (int32_t w = 0; w < words; ++w) mask[w] &= m[w];
  }
}

int32_t CompiledTable::Chosen(const uint64_t* mask) const {
  for (int32_t w = 0; w < words; ++w)
    if (mask[w]) return order[w * 64 + std::countr_zero(mask[w])];
  return -1;
}

int32_t CompiledTable::Count(const uint64_t* mask) const {
  int32_t n = 0;
  for (int32_t w = 0; w < words; ++w) n += std::popcount(mask[w]);
  return n;
}

uint64_t CompiledTable::Rows(const uint64_t* mask) const {
  uint64_t out = 0;
  for (int32_t w = 0; w < words; ++w)
    for (uint64_t m = mask[w]; m; m &= m - 1) {
      int32_t row = order[w * 64 + std::countr_zero(m)];
      if (row < 64) out |= uint64_t(1) << row;
    }
  return out;
}

namespace {
constexpr int kStackWords = 16;  // tables of up to 1024 rows match without allocating

// The rows of `t` that one record matches, as a bit set (on the stack for up to 1024 rows).
class RowMask {
 public:
  RowMask(const CompiledTable& t, const int64_t* values, const uint8_t* present) {
    if (t.words > kStackWords) {
      heap_.resize(size_t(t.words));
      bits_ = heap_.data();
    }
    t.Match(values, present, bits_);
  }
  const uint64_t* bits() const { return bits_; }

 private:
  uint64_t stack_[kStackWords];
  std::vector<uint64_t> heap_;
  uint64_t* bits_ = stack_;
};
}  // namespace

int64_t TableRow(const CompiledTable& t, TableMode mode, const int64_t* values, const uint8_t* present) {
  RowMask matched(t, values, present);
  const uint64_t* mask = matched.bits();
  switch (mode) {
    case TableMode::Row: {
      int32_t row = t.Chosen(mask);
      return row >= 0 ? row : t.has_else ? t.rows : -1;
    }
    case TableMode::Count: return t.Count(mask);
    case TableMode::Rows: return int64_t(t.Rows(mask));
    case TableMode::Matched: return t.Chosen(mask) >= 0;
  }
  return 0;
}

AggResult TableAgg(const CompiledTable& t, TableAggKind kind, bool kind_number, const int64_t* values,
                   const uint8_t* present, const int64_t* vals, const uint8_t* vals_ok, const int32_t* vals_err) {
  RowMask matched(t, values, present);
  const uint64_t* mask = matched.bits();
  // the matching rows in row order (bit order may be a priority order)
  std::vector<int32_t> rows;
  for (int32_t w = 0; w < t.words; ++w)
    for (uint64_t m = mask[w]; m; m &= m - 1) rows.push_back(t.order[w * 64 + std::countr_zero(m)]);
  std::sort(rows.begin(), rows.end());
  AggResult r;
  if (rows.empty()) {
    if (t.has_else) {
      r.value = vals[t.rows];
      r.present = vals_ok[t.rows];
      r.error = vals_err[t.rows];
    } else {
      r.value = kind == TableAggKind::Sum && kind_number ? std::bit_cast<int64_t>(0.0) : 0;
      r.present = kind == TableAggKind::Sum;
    }
    return r;
  }
  for (int32_t row : rows)
    if (vals_err[row]) {
      r.error = vals_err[row];
      break;
    }
  bool first = true;
  double facc = 0;
  int64_t acc = 0;
  for (int32_t row : rows) {
    if (!vals_ok[row]) {
      r.present = false;
      continue;
    }
    int64_t v = vals[row];
    if (kind_number) {
      double x = std::bit_cast<double>(v);
      if (kind == TableAggKind::Sum) facc += x;
      else if (first || (kind == TableAggKind::Min ? x < facc : x > facc)) facc = x;
    } else if (kind == TableAggKind::Sum) {
      if (__builtin_add_overflow(acc, v, &acc)) r.overflow = true;
    } else if (first || (kind == TableAggKind::Min ? v < acc : v > acc)) {
      acc = v;
    }
    first = false;
  }
  if (kind_number && !std::isfinite(facc)) r.overflow = true;
  if (kind_number && facc == 0) facc = 0;
  r.value = kind_number ? std::bit_cast<int64_t>(facc) : acc;
  if (!r.present || r.overflow) r.value = 0;
  if (r.overflow && !r.present) r.overflow = false;  // a missing result cannot overflow
  return r;
}

}  // namespace credo::rt
