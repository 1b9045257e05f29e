// stats.cc — the figures of portfolio.h: one run's summary, two runs compared, two portfolios'
// stability.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "compiler/portfolio/portfolio.h"

namespace credo::portfolio {
namespace {

const char* kRejected = "(rejected)";

// Decimal text with `scale` fraction digits as an integer of minor units ("12.5" → 1250).
int64_t ParseMinor(std::string_view text, int scale) {
  if (text.empty()) return 0;
  bool negative = text[0] == '-';
  int64_t whole = 0, fraction = 0;
  int digits = 0;
  bool in_fraction = false;
  for (size_t i = negative ? 1 : 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') in_fraction = true;
    else if (!std::isdigit(static_cast<unsigned char>(c))) break;
    else if (!in_fraction) whole = whole * 10 + (c - '0');
    else if (digits < scale) fraction = fraction * 10 + (c - '0'), ++digits;
  }
  for (; digits < scale; ++digits) fraction *= 10;
  int64_t unit = 1;
  for (int i = 0; i < scale; ++i) unit *= 10;
  int64_t v = whole * unit + fraction;
  return negative ? -v : v;
}

std::optional<double> Number(std::string_view view) {
  if (view.empty()) return std::nullopt;
  std::string text(view);
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return d;
}

// An observed outcome: 1 bad, 0 good, -1 none (an empty or unknown text).
int Outcome(std::string text) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (text == "1" || text == "true" || text == "yes" || text == "y" || text == "bad") return 1;
  if (text == "0" || text == "false" || text == "no" || text == "n" || text == "good") return 0;
  return -1;
}

// The index of `value` in `values`, appended when it is new.
size_t IndexOf(std::vector<std::string>& values, const std::string& value) {
  auto it = std::find(values.begin(), values.end(), value);
  if (it != values.end()) return size_t(it - values.begin());
  values.push_back(value);
  return values.size() - 1;
}

std::vector<CountedText> Ranked(const std::map<std::string, std::pair<uint64_t, uint64_t>>& counts) {
  std::vector<CountedText> out;
  for (const auto& [text, c] : counts) out.push_back({text, c.first, c.second});
  std::stable_sort(out.begin(), out.end(), [](const CountedText& a, const CountedText& b) {
    return std::max(a.count, a.other) > std::max(b.count, b.other);
  });
  return out;
}

std::string Decision(const Run& run, size_t r) {
  return run.accepted(r) ? std::string(run.Cell(r, run.roles.decision)) : kRejected;
}

int64_t Amount(const Run& run, size_t r) {
  return run.accepted(r) ? ParseMinor(run.Cell(r, run.roles.amount), run.roles.amount_scale) : 0;
}

std::vector<CharacteristicFigures> Characteristics(const Run& run) {
  std::vector<CharacteristicFigures> out;
  bool with_outcome = !run.outcome.empty();
  for (const auto& ch : run.characteristics) {
    CharacteristicFigures f{ch.card, ch.code, ch.title, {}, -1};
    std::vector<double> points(ch.bins.size(), 0);
    for (const auto& text : ch.bins) f.bins.push_back({text});
    uint64_t total = 0, goods = 0, bads = 0;
    for (size_t r = 0; r < ch.bin.size(); ++r) {
      if (ch.bin[r] < 0) continue;
      BinFigures& b = f.bins[size_t(ch.bin[r])];
      ++b.count, ++total;
      points[size_t(ch.bin[r])] += double(ch.points[r]);
      int o = with_outcome ? Outcome(run.outcome[r]) : -1;
      if (o >= 0) ++b.outcomes, b.bads += uint64_t(o), (o ? bads : goods) += 1;
    }
    for (size_t k = 0; k < f.bins.size(); ++k) {
      BinFigures& b = f.bins[k];
      b.share = total ? double(b.count) / double(total) : 0;
      b.average_points = b.count ? points[k] / double(b.count) : 0;
    }
    if (with_outcome && goods > 0 && bads > 0) {
      double iv = 0;
      for (const auto& b : f.bins) {
        double g = std::max(kEmptyShare, double(b.outcomes - b.bads) / double(goods));
        double d = std::max(kEmptyShare, double(b.bads) / double(bads));
        if (b.outcomes) iv += (g - d) * std::log(g / d);
      }
      f.information_value = iv;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::string Money(int64_t minor, int scale) {
  if (scale <= 0) return std::to_string(minor);
  int64_t unit = 1;
  for (int i = 0; i < scale; ++i) unit *= 10;
  int64_t a = minor < 0 ? -minor : minor;
  return fmt::format("{}{}.{:0{}}", minor < 0 ? "-" : "", a / unit, a % unit, scale);
}

std::string MoneyGrouped(int64_t minor, int scale) {
  std::string plain = Money(minor, scale);
  size_t begin = plain[0] == '-' ? 1 : 0, end = plain.find('.');
  if (end == std::string::npos) end = plain.size();
  for (size_t at = end; at > begin + 3; at -= 3) plain.insert(at - 3, ",");
  return plain;
}

std::string Bins::Label(size_t k) const {
  return fmt::format("{:g}–{:g}", lo + double(k) * width, lo + double(k + 1) * width);
}

Bins ScoreBins(const std::vector<double>& a, const std::vector<double>& b) {
  Bins bins;
  if (a.empty() && b.empty()) return bins;
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* v : {&a, &b})
    for (double x : *v) lo = std::min(lo, x), hi = std::max(hi, x);
  double raw = (hi - lo) / 10;
  double width = 1;
  if (raw > 1) {
    double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
      if (m * power >= raw) {
        width = m * power;
        break;
      }
  }
  bins.width = width;
  bins.lo = std::floor(lo / width) * width;
  bins.count = size_t(std::floor((hi - bins.lo) / width)) + 1;
  return bins;
}

std::vector<uint64_t> Histogram(const std::vector<double>& scores, const Bins& bins) {
  std::vector<uint64_t> counts(bins.count, 0);
  if (bins.count == 0) return counts;
  for (double x : scores) {
    double k = std::floor((x - bins.lo) / bins.width);
    counts[size_t(std::clamp(k, 0.0, double(bins.count - 1)))]++;
  }
  return counts;
}

double StabilityIndex(const std::vector<uint64_t>& expected, const std::vector<uint64_t>& actual) {
  uint64_t e_total = 0, a_total = 0;
  for (auto c : expected) e_total += c;
  for (auto c : actual) a_total += c;
  if (e_total == 0 || a_total == 0) return 0;
  double index = 0;
  for (size_t k = 0; k < std::min(expected.size(), actual.size()); ++k) {
    double e = std::max(kEmptyShare, double(expected[k]) / double(e_total));
    double a = std::max(kEmptyShare, double(actual[k]) / double(a_total));
    index += (a - e) * std::log(a / e);
  }
  return index;
}

Summary Summarize(const Run& run) {
  Summary s;
  s.policy = run.name, s.version = run.version, s.path = run.path;
  s.amount_scale = run.roles.amount_scale;
  const Roles& roles = run.roles;
  for (int c : roles.money) s.money_names.push_back(run.columns[size_t(c)]);
  s.decisions.values = run.decision_values;
  s.grades.values = run.grade_values;
  for (const auto& g : run.grade_values) s.limits.push_back({g, 0, 0, std::vector<int64_t>(roles.money.size(), 0)});
  std::map<std::string, std::pair<uint64_t, uint64_t>> decision_reasons, score_reasons, rejects;
  double score_sum = 0;
  for (size_t r = 0; r < run.size(); ++r) {
    ++s.records;
    if (!run.accepted(r)) {
      ++s.rejected;
      ++rejects[run.reject[r]].first;
      continue;
    }
    ++s.accepted;
    std::string decision(run.Cell(r, roles.decision));
    bool approved = decision == roles.approve;
    int64_t amount = Amount(run, r);
    size_t d = IndexOf(s.decisions.values, decision);
    s.decisions.tallies.resize(s.decisions.values.size());
    s.decisions.tallies[d].count++, s.decisions.tallies[d].amount += amount;
    if (approved) ++s.approved, s.approved_amount += amount;
    if (roles.grade >= 0) {
      std::string grade(run.Cell(r, roles.grade));
      size_t g = IndexOf(s.grades.values, grade);
      s.grades.tallies.resize(s.grades.values.size());
      s.grades.tallies[g].count++, s.grades.tallies[g].amount += amount;
      if (g >= s.limits.size()) s.limits.push_back({grade, 0, 0, std::vector<int64_t>(roles.money.size(), 0)});
      GradeLimits& l = s.limits[g];
      ++l.records, l.approved += approved;
      for (size_t m = 0; m < roles.money.size(); ++m)
        l.totals[m] += ParseMinor(run.Cell(r, roles.money[m]),
                                  2);  // money outputs are decimal(2)
    }
    if (std::string_view why = run.Cell(r, roles.decision_reason); !why.empty())
      ++decision_reasons[std::string(why)].first;
    for (int c : roles.score_reasons)
      if (std::string_view code = run.Cell(r, c); !code.empty()) ++score_reasons[std::string(code)].first;
    if (auto score = Number(run.Cell(r, roles.score)); score && roles.score >= 0) {
      s.scores.push_back(*score);
      score_sum += *score;
    }
  }
  s.decisions.tallies.resize(s.decisions.values.size());
  s.grades.tallies.resize(s.grades.values.size());
  if (s.rejected) {
    s.decisions.values.push_back(kRejected);
    s.decisions.tallies.push_back({s.rejected, 0, 0});
  }
  s.approval_rate = s.accepted ? double(s.approved) / double(s.accepted) : 0;
  if (!s.scores.empty()) {
    auto [lo, hi] = std::minmax_element(s.scores.begin(), s.scores.end());
    s.score_min = *lo, s.score_max = *hi, s.score_mean = score_sum / double(s.scores.size());
  }
  s.decision_reasons = Ranked(decision_reasons);
  s.score_reasons = Ranked(score_reasons);
  s.rejects = Ranked(rejects);
  s.characteristics = Characteristics(run);
  return s;
}

Comparison Compare(const Run& champion, const Run& challenger) {
  Comparison c;
  c.champion = Summarize(champion);
  c.challenger = Summarize(challenger);

  bool any_reject = c.champion.rejected || c.challenger.rejected;
  c.swap.rows = champion.decision_values;
  c.swap.columns = challenger.decision_values;
  c.migration.rows = champion.grade_values;
  c.migration.columns = challenger.grade_values;
  struct Cell {
    size_t row, column;
    Tally t;
  };
  std::vector<Cell> swap, migration;
  for (size_t r = 0; r < champion.size() && r < challenger.size(); ++r) {
    std::string d0 = Decision(champion, r), d1 = Decision(challenger, r);
    int64_t a0 = Amount(champion, r), a1 = Amount(challenger, r);
    swap.push_back({IndexOf(c.swap.rows, d0), IndexOf(c.swap.columns, d1), {1, a0, a1}});
    bool both = champion.accepted(r) && challenger.accepted(r);
    std::string g0(champion.Cell(r, champion.roles.grade)), g1(challenger.Cell(r, challenger.roles.grade));
    if (both && champion.roles.grade >= 0 && challenger.roles.grade >= 0)
      migration.push_back({IndexOf(c.migration.rows, g0), IndexOf(c.migration.columns, g1), {1, a0, a1}});

    std::string why0(champion.accepted(r) ? champion.Cell(r, champion.roles.decision_reason) : champion.reject[r]);
    std::string why1(challenger.accepted(r) ? challenger.Cell(r, challenger.roles.decision_reason)
                                            : challenger.reject[r]);
    if (d0 != d1 || g0 != g1 || a0 != a1 || why0 != why1) {
      Change ch{r, std::to_string(champion.line[r]), champion.id[r], {d0, d1}, {g0, g1}, {}, {why0, why1}};
      ch.amount[0] = champion.accepted(r) ? Money(a0, champion.roles.amount_scale) : "";
      ch.amount[1] = challenger.accepted(r) ? Money(a1, challenger.roles.amount_scale) : "";
      c.changes.push_back(std::move(ch));
    }
  }
  if (any_reject) IndexOf(c.swap.rows, kRejected), IndexOf(c.swap.columns, kRejected);
  auto fill = [](Matrix& m, const std::vector<Cell>& cells) {
    m.cells.assign(m.rows.size(), std::vector<Tally>(m.columns.size()));
    for (const auto& cell : cells) {
      Tally& t = m.cells[cell.row][cell.column];
      t.count += cell.t.count, t.amount += cell.t.amount, t.other_amount += cell.t.other_amount;
    }
  };
  fill(c.swap, swap);
  fill(c.migration, migration);

  auto shift = [](const std::vector<CountedText>& before, const std::vector<CountedText>& after) {
    std::map<std::string, std::pair<uint64_t, uint64_t>> counts;
    for (const auto& t : before) counts[t.text].first = t.count;
    for (const auto& t : after) counts[t.text].second = t.count;
    return Ranked(counts);
  };
  c.decision_reason_shift = shift(c.champion.decision_reasons, c.challenger.decision_reasons);
  c.score_reason_shift = shift(c.champion.score_reasons, c.challenger.score_reasons);
  c.reject_shift = shift(c.champion.rejects, c.challenger.rejects);

  c.bins = ScoreBins(c.champion.scores, c.challenger.scores);
  c.champion_scores = Histogram(c.champion.scores, c.bins);
  c.challenger_scores = Histogram(c.challenger.scores, c.bins);
  c.psi = StabilityIndex(c.champion_scores, c.challenger_scores);

  if (champion.inputs != challenger.inputs) {
    std::string only0, only1;
    for (const auto& f : champion.inputs)
      if (std::find(challenger.inputs.begin(), challenger.inputs.end(), f) == challenger.inputs.end())
        only0 += (only0.empty() ? "" : ", ") + f;
    for (const auto& f : challenger.inputs)
      if (std::find(champion.inputs.begin(), champion.inputs.end(), f) == champion.inputs.end())
        only1 += (only1.empty() ? "" : ", ") + f;
    c.notes.push_back(fmt::format("the two policies read different inputs (champion only: {}; challenger only: {}); "
                                  "each read its own columns of the same records",
                                  only0.empty() ? "none" : only0, only1.empty() ? "none" : only1));
  }
  if (champion.roles.score < 0 || challenger.roles.score < 0)
    c.notes.push_back("a policy has no score output: no score distribution or PSI");
  return c;
}

Stability CompareStability(const Run& baseline, const Run& current) {
  Stability s;
  Summary b = Summarize(baseline), c = Summarize(current);
  s.bins = ScoreBins(b.scores, c.scores);
  s.baseline = Histogram(b.scores, s.bins);
  s.current = Histogram(c.scores, s.bins);
  s.psi = StabilityIndex(s.baseline, s.current);
  for (size_t k = 0; k < baseline.characteristics.size() && k < current.characteristics.size(); ++k) {
    const Characteristic& ch = baseline.characteristics[k];
    CharacteristicStability cs{ch.card, ch.code, ch.title, ch.bins, {}, {}, 0};
    auto counts = [&](const Characteristic& of) {
      std::vector<uint64_t> n(ch.bins.size(), 0);
      for (int16_t bin : of.bin)
        if (bin >= 0 && size_t(bin) < n.size()) ++n[size_t(bin)];
      return n;
    };
    std::vector<uint64_t> nb = counts(ch), nc = counts(current.characteristics[k]);
    uint64_t tb = 0, tc = 0;
    for (auto v : nb) tb += v;
    for (auto v : nc) tc += v;
    for (size_t i = 0; i < nb.size(); ++i) {
      cs.baseline.push_back(tb ? double(nb[i]) / double(tb) : 0);
      cs.current.push_back(tc ? double(nc[i]) / double(tc) : 0);
    }
    cs.index = StabilityIndex(nb, nc);
    s.characteristics.push_back(std::move(cs));
  }
  return s;
}

}  // namespace credo::portfolio
