#include "gen_woe.h"

#include <fmt/format.h>

namespace credo::diff {

namespace {

// A decimal with `scale` fraction digits for raw value v (v / 10^scale).
std::string Decimal(int64_t v, int scale) {
  if (scale == 0) return std::to_string(v);
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (int(digits.size()) <= scale) digits.insert(size_t(0), size_t(scale + 1) - digits.size(), '0');
  size_t point = digits.size() - size_t(scale);
  return fmt::format("{}{}.{}", v < 0 ? "-" : "", digits.substr(0, point), digits.substr(point));
}

}  // namespace

const char* RoundModeWord(Rng& r) {
  static const char* kModes[] = {"half_up", "half_even", "half_down", "floor", "ceiling", "toward_zero", "away_from_zero"};
  return kModes[r.Index(7)];
}

WoeScorecard GenWoeScorecard(Rng& r, const std::string& name, const std::vector<WoeCharacteristic>& chars) {
  WoeScorecard card;
  std::string& out = card.text;
  out += "\nscorecard " + name + (r.Chance(40) ? " \"a scaled scorecard\"" : "") + " {\n";
  static const char* kOdds[] = {"50", "1", "20", "0.5", "1.25", "9"};
  static const char* kPdo[] = {"20", "40", "10", "0.75", "1", "15.5"};
  out += fmt::format("  scaling {} at odds {} pdo {}\n", Decimal(r.Range(-200, 900), r.Chance(20) ? 1 : 0),
                     kOdds[r.Index(6)], kPdo[r.Index(6)]);
  if (r.Chance(70)) out += "  intercept " + Decimal(r.Range(-300, 300), 2) + "\n";
  int rounding = int(r.Range(0, 2));
  static const char* kRounding[] = {"per_bin", "total", "none"};
  if (rounding != 0 || r.Chance(50)) out += std::string("  rounding ") + kRounding[rounding] + "\n";
  card.number_score = rounding == 2;
  card.number_points = rounding != 0;
  int n = int(chars.size());
  int reasons = r.Chance(60) ? int(r.Range(1, n)) : 0;
  if (reasons) out += fmt::format("  reasons {}\n", reasons);
  card.ranks = reasons ? reasons : n;
  bool huge = r.Chance(5);  // a weight so large that the odds of some records overflow
  for (const auto& ch : chars) {
    std::string weight = huge && r.Chance(50) ? Decimal(r.Range(400, 900), 0)
                         : r.Chance(20)       ? Decimal(r.Range(-3, 3), 0)
                                              : Decimal(r.Range(-250, 250), 2);
    bool ties = r.Chance(35);  // few distinct WOE values: equal points and shortfalls
    auto woe = [&r, ties] {
      static const int64_t kTies[] = {-50, 0, 0, 25, 50};
      return Decimal(ties ? kTies[r.Index(5)] : r.Range(-200, 200), ties || r.Chance(60) ? 2 : 3);
    };
    // A string subject right after the code would read as the title, and `weight -1` as a subtraction.
    bool title = r.Chance(30) || ch.subject.front() == '"';
    out += "  " + ch.code + (title ? " \"characteristic\" " : " ") + ch.subject + " weight " + weight + " {" +
           ch.bins(woe) + "}\n";
  }
  out += "}\n";
  return card;
}

}  // namespace credo::diff
