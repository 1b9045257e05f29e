// gen_exprs.cc — see gen_exprs.h.
#include "gen_exprs.h"

#include <fmt/format.h>

namespace credo::diff::gen_exprs {

namespace {

std::string Fixed(int64_t raw, int scale) {
  bool neg = raw < 0;
  uint64_t v = neg ? 0 - uint64_t(raw) : uint64_t(raw);
  uint64_t p = 1;
  for (int i = 0; i < scale; ++i) p *= 10;
  std::string s = std::to_string(v / p);
  if (scale > 0) {
    std::string frac = std::to_string(v % p);
    s += "." + std::string(size_t(scale) - frac.size(), '0') + frac;
  }
  return (neg ? "-" : "") + s;
}

// `12.500` → `12.5` or `12`, now and then: fewer fraction digits read as the same value.
std::string Trimmed(Rng& r, std::string s) {
  if (s.find('.') == std::string::npos || !r.Chance(50)) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string InTest(Rng& r, const std::string& subject, const std::vector<std::string>& items, bool ordered) {
  bool negated = r.Chance(30);
  std::string in = negated ? " not in " : " in ";
  if (ordered && items.size() >= 2 && r.Chance(45)) {
    static const char* kShapes[][2] = {{"[", ")"}, {"(", "]"}, {"(", ")"}};
    const auto& shape = kShapes[r.Index(3)];
    return subject + in + shape[0] + items[0] + ", " + items[1] + shape[1];
  }
  bool set = r.Chance(50);
  std::string s = subject + in + (set ? "{" : "[");
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s + (set ? "}" : "]");
}

std::string DateCall(Rng& r, const std::string& date, const std::string& n) {
  switch (r.Range(0, 2)) {
    case 0: return "add_days(" + date + ", " + n + ")";
    case 1: return "add_years(" + date + ", " + n + ")";
    default: return "end_of_month(" + date + ")";
  }
}

int64_t DateStep(Rng& r, bool years) {
  static const int64_t kDays[] = {1, -1, 28, 29, 30, 31, 365, 366, -365, 1461, 36524, 146097, 3'000'000, -3'000'000, 4'000'000};
  static const int64_t kYears[] = {1, -1, 4, -4, 100, 400, 8000, -8000, 10000, -10000, 10001};
  if (r.Chance(40)) return r.Range(-40, 40);
  return years ? kYears[r.Index(std::size(kYears))] : kDays[r.Index(std::size(kDays))];
}

std::string DecimalCell(Rng& r, int64_t x, int scale) {
  std::string s = Trimmed(r, Fixed(x, scale));
  if (x == 0 && r.Chance(20)) s = "-0";
  return s;
}

std::string PercentCell(Rng& r, int64_t x4) {
  std::string s = Trimmed(r, Fixed(x4, 4));
  return r.Chance(50) ? s + "%" : s;
}

std::string BadDecimalCell(Rng& r, int scale, bool percent) {
  if (percent) {
    static const char* k[] = {"12.34567", "%", "12.5%%", "12,5%", "+5%", "5 %", ".5%", "1e2%", "1000000000", "-1000000000%"};
    return k[r.Index(std::size(k))];
  }
  switch (r.Range(0, 3)) {
    case 0: return "1." + std::string(size_t(scale) + 1, '5');            // one fraction digit too many
    case 1: return "1" + std::string(size_t(15 - scale), '0');           // 10^(15-N): out of range
    case 2: return "-1" + std::string(size_t(15 - scale), '0');
    default: {
      static const char* k[] = {"1,000", ".5", "5.", "+1", "1e3", "abc", "1 0"};
      return k[r.Index(std::size(k))];
    }
  }
}

}  // namespace credo::diff::gen_exprs
