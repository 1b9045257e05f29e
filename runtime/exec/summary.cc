#include "runtime/exec/summary.h"

#include <algorithm>

namespace credo::exec {
namespace {

// A 128-bit scaled integer as decimal text with `scale` decimals: -1234 at scale 2 → "-12.34".
std::string DecimalText(__int128 v, int scale) {
  bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string digits;
  do {
    digits += char('0' + int(u % 10));
    u /= 10;
  } while (u);
  while (digits.size() <= size_t(scale)) digits += '0';
  std::reverse(digits.begin(), digits.end());
  if (scale > 0) digits.insert(digits.size() - size_t(scale), ".");
  if (negative) digits.insert(digits.begin(), '-');
  return digits;
}

}  // namespace

OutputSummary::OutputSummary(const rt::PolicyInfo& info, size_t top) : info_(info), top_(top) {
  for (size_t c = 0; c < info.outputs.size(); ++c) {
    rt::Kind kind = info.state[size_t(info.outputs[c].state)].kind;
    if (kind == rt::Kind::String) counted_.push_back({c, {}});
    if (kind == rt::Kind::Decimal) summed_.push_back({c});
  }
}

void OutputSummary::Add(const rt::StateBatch& state, size_t r) {
  for (auto& c : counted_) {
    int slot = info_.outputs[c.output].state;
    const rt::Column& col = state.slots[size_t(slot)];
    if (info_.state[size_t(slot)].optional && !col.valid[r]) continue;
    std::string_view value = col.values[r] ? rt::StrOf(col.values[r])->view() : std::string_view();
    if (value.empty()) continue;  // an empty text is written as a missing cell
    ++c.present;
    auto it = c.counts.find(std::string(value));
    if (it != c.counts.end()) ++it->second;
    else if (c.counts.size() < kMaxDistinct) c.counts.emplace(value, 1);
    else ++c.uncounted;
  }
  for (auto& s : summed_) {
    int slot = info_.outputs[s.output].state;
    const rt::Column& col = state.slots[size_t(slot)];
    if (info_.state[size_t(slot)].optional && !col.valid[r]) continue;
    s.sum += col.values[r];
    ++s.present;
  }
}

void OutputSummary::Finish(std::vector<TopValues>& top, std::vector<MoneyTotal>& totals) const {
  for (const auto& c : counted_) {
    TopValues t{info_.outputs[c.output].name, {}, c.present, c.counts.size(), c.uncounted};
    t.top.assign(c.counts.begin(), c.counts.end());
    auto more = [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; };
    size_t n = std::min(top_, t.top.size());
    std::partial_sort(t.top.begin(), t.top.begin() + long(n), t.top.end(), more);
    t.top.resize(n);
    top.push_back(std::move(t));
  }
  for (const auto& s : summed_) {
    int scale = info_.state[size_t(info_.outputs[s.output].state)].scale;
    totals.push_back({info_.outputs[s.output].name, DecimalText(s.sum, scale), s.present});
  }
}

}  // namespace credo::exec
