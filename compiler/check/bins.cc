#include "compiler/check/bins.h"

#include <algorithm>

#include <fmt/format.h>

namespace credo::check {
namespace {

constexpr int kScale = 9;  // every bound is compared as an integer scaled by 10^9
using i128 = __int128;
constexpr i128 kInf = i128(1) << 120;

i128 Pow10(int k) {
  i128 p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

// A point of the extended line: v - ε (eps -1), v (eps 0) or v + ε (eps +1).
struct Point {
  i128 v = 0;
  int eps = 0;
  bool operator<(const Point& o) const { return v != o.v ? v < o.v : eps < o.eps; }
  bool operator<=(const Point& o) const { return !(o < *this); }
  bool operator==(const Point& o) const { return v == o.v && eps == o.eps; }
};

struct Interval {
  Point lo, hi;  // inclusive, in the extended order
  size_t bin;
  Span span;
};

std::string Format(i128 v) {
  if (v >= kInf) return "+infinity";
  if (v <= -kInf) return "-infinity";
  bool negative = v < 0;
  if (negative) v = -v;
  std::string whole = "0";
  i128 w = v / Pow10(kScale), f = v % Pow10(kScale);
  if (w > 0) {
    whole.clear();
    for (; w > 0; w /= 10) whole.insert(whole.begin(), char('0' + int(w % 10)));
  }
  std::string frac;
  for (int i = 0; i < kScale; ++i, f /= 10) frac.insert(frac.begin(), char('0' + int(f % 10)));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return (negative ? "-" : "") + whole + (frac.empty() ? "" : "." + frac);
}

class Analysis {
 public:
  Analysis(NumericDomain domain, Diagnostics& diags)
      : step_(domain.continuous ? 0 : Pow10(kScale - domain.scale)), diags_(diags) {
    Interval all = Normalize({{-kInf, 0}, {kInf, 0}, 0, {}});
    if (domain.bounded_below || domain.bounded_above) {
      ast::BinTest b = domain.bounds;
      Interval d = Intervals(b, 0).front();
      if (domain.bounded_below) all.lo = d.lo;
      if (domain.bounded_above) all.hi = d.hi;
    }
    lo_ = all.lo;
    hi_ = all.hi;
  }

  // Clips an interval to the values the input can hold; false when nothing is left.
  bool Clip(Interval& i) const {
    i.lo = std::max(i.lo, lo_);
    i.hi = std::min(i.hi, hi_);
    return !Empty(i);
  }

  // The point just before the domain starts (so that Next() of it is the domain's first point).
  Point BeforeDomain() const {
    if (lo_.v <= -kInf) return {-kInf, -1};
    return step_ ? Point{lo_.v - step_, 0} : Point{lo_.v, lo_.eps - 1};
  }

  // The intervals one bin test covers (none for missing / else).
  std::vector<Interval> Intervals(const ast::BinTest& test, size_t bin) const {
    auto value = [](const ast::BinValue& b) { return i128(b.scaled) * Pow10(kScale - b.scale); };
    Point lo_inf{-kInf, 0}, hi_inf{kInf, 0};
    std::vector<Interval> out;
    auto add = [&](Point lo, Point hi) { out.push_back(Normalize({lo, hi, bin, test.span})); };
    switch (test.kind) {
      case ast::BinTest::Interval:
        add({value(test.lo), test.lo_closed ? 0 : 1}, {value(test.hi), test.hi_closed ? 0 : -1});
        break;
      case ast::BinTest::Value: add({value(test.value), 0}, {value(test.value), 0}); break;
      case ast::BinTest::Compare: {
        i128 v = value(test.value);
        switch (test.op) {
          case ast::CompareOp::Lt: add(lo_inf, {v, -1}); break;
          case ast::CompareOp::Le: add(lo_inf, {v, 0}); break;
          case ast::CompareOp::Gt: add({v, 1}, hi_inf); break;
          case ast::CompareOp::Ge: add({v, 0}, hi_inf); break;
          case ast::CompareOp::Eq: add({v, 0}, {v, 0}); break;
          case ast::CompareOp::Ne: add(lo_inf, {v, -1}); add({v, 1}, hi_inf); break;
        }
        break;
      }
      default: break;
    }
    return out;
  }

  bool Empty(const Interval& i) const { return i.hi < i.lo; }

  // The first point after `hi` that it does not cover.
  Point Next(Point hi) const {
    if (hi.v >= kInf) return hi;
    return step_ ? Point{hi.v + step_, 0} : Point{hi.v, hi.eps + 1};
  }

  // A readable value in the gap that starts right after `covered_hi` and ends before `next_lo`.
  std::string GapExample(Point after, Point before) const {
    if (after.v <= -kInf) return Format(before.eps == 1 ? before.v : before.v - (step_ ? step_ : Pow10(kScale)));
    Point first = Next(after);
    if (first.eps == 0) return Format(first.v);
    if (before.v >= kInf) return Format(after.v + Pow10(kScale));
    return Format((after.v + before.v) / 2);
  }

  // A value both intervals contain (they overlap; `later.lo` lies inside `earlier`).
  std::string OverlapExample(const Interval& later, const Interval& earlier) const {
    if (later.lo.eps == 0 && later.lo.v > -kInf) return Format(later.lo.v);
    Point hi = std::min(later.hi, earlier.hi);
    if (hi.eps == 0 && hi.v < kInf) return Format(hi.v);
    if (later.lo.v <= -kInf) return Format(hi.v - Pow10(kScale));
    if (hi.v >= kInf) return Format(later.lo.v + Pow10(kScale));
    return Format((later.lo.v + hi.v) / 2);
  }

  void CheckDisjoint(std::vector<Interval> all, bool has_else, Span else_span, Span subject) {
    std::sort(all.begin(), all.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
    Point covered = BeforeDomain();  // nothing covered yet: the domain starts after this point
    const Interval* widest = nullptr;
    bool gap = false;
    for (const Interval& i : all) {
      if (widest && i.lo <= covered) {
        diags_.Report(DiagKind::BinOverlap, i.span,
                      fmt::format("this bin overlaps an earlier one: both contain {}", OverlapExample(i, *widest)),
                      "make the bins disjoint, e.g. [a, b) followed by [b, c)")
            .notes.push_back({widest->span, "the other bin"});
      } else if (Next(covered) < i.lo) {
        gap = true;
        if (!has_else) ReportGap(widest ? covered : Point{-kInf, 0}, i.lo, widest != nullptr, subject);
      }
      if (!widest || covered < i.hi) { covered = i.hi; widest = &i; }
    }
    if (covered < hi_) {
      gap = true;
      if (!has_else) ReportGap(covered, {kInf, 0}, widest != nullptr, subject);
    }
    if (has_else && !gap)
      diags_.Report(DiagKind::UnreachableBin, else_span, "this `else` bin is unreachable: the other bins cover every value",
                    "remove the `else` bin");
  }

  void CheckFirstMatch(const std::vector<std::vector<Interval>>& per_bin, bool has_else, Span else_span, Span subject) {
    std::vector<Interval> covered;  // disjoint, sorted
    for (const auto& bin : per_bin) {
      if (bin.empty()) continue;
      bool reachable = false;
      for (const Interval& i : bin) reachable |= !Covers(covered, i);
      if (!reachable)
        diags_.Report(DiagKind::UnreachableBin, bin.front().span,
                      "this bin is unreachable: earlier bins already take every value it covers",
                      "bins are tried in order; move it before the bins that shadow it or remove it");
      for (const Interval& i : bin) Merge(covered, i);
    }
    Point at = BeforeDomain();
    bool gap = false;
    bool any = false;
    for (const Interval& i : covered) {
      if (Next(at) < i.lo) {
        gap = true;
        if (!has_else) ReportGap(any ? at : Point{-kInf, 0}, i.lo, any, subject);
      }
      at = i.hi;
      any = true;
    }
    if (at < hi_) {
      gap = true;
      if (!has_else) ReportGap(at, {kInf, 0}, any, subject);
    }
    if (has_else && !gap)
      diags_.Report(DiagKind::UnreachableBin, else_span, "this `else` bin is unreachable: the other bins cover every value",
                    "remove the `else` bin");
  }

 private:
  Interval Normalize(Interval i) const {
    if (!step_) return i;
    auto floor_grid = [&](i128 v) { i128 r = v % step_; return r < 0 ? v - r - step_ : v - r; };
    if (i.lo.v > -kInf) i.lo = {i.lo.eps > 0 ? floor_grid(i.lo.v) + step_ : -floor_grid(-i.lo.v), 0};
    if (i.hi.v < kInf) i.hi = {i.hi.eps < 0 ? -floor_grid(-i.hi.v) - step_ : floor_grid(i.hi.v), 0};
    return i;
  }

  bool Covers(const std::vector<Interval>& set, const Interval& i) const {
    for (const Interval& c : set)
      if (c.lo <= i.lo && i.hi <= c.hi) return true;
    return false;
  }

  void Merge(std::vector<Interval>& set, Interval i) const {
    std::vector<Interval> out;
    for (const Interval& c : set) {
      if (Next(c.hi) < i.lo || Next(i.hi) < c.lo) { out.push_back(c); continue; }
      i.lo = std::min(i.lo, c.lo);
      i.hi = std::max(i.hi, c.hi);
    }
    out.push_back(i);
    std::sort(out.begin(), out.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
    set = std::move(out);
  }

  void ReportGap(Point after, Point before, bool after_is_covered, Span subject) {
    bool from_start = !after_is_covered && lo_.v <= -kInf;
    std::string example = from_start ? GapExample({-kInf, 0}, before) : GapExample(after, before);
    diags_.Report(DiagKind::BinGap, subject, fmt::format("the bins do not cover every value: {} falls in no bin", example),
                  "add a bin for the uncovered values or an `else` bin");
  }

  i128 step_;
  Diagnostics& diags_;
  Point lo_, hi_;  // the domain: the values the subject can take
};

}  // namespace

void CheckNumericBins(const std::vector<ast::Bin>& bins, NumericDomain domain, BinOrder order,
                      Span subject, Diagnostics& diags) {
  Analysis analysis(domain, diags);
  std::vector<std::vector<Interval>> per_bin(bins.size());
  std::vector<Interval> all;
  bool has_else = false;
  Span else_span;
  for (size_t b = 0; b < bins.size(); ++b) {
    for (const ast::BinTest& test : bins[b].tests) {
      if (test.kind == ast::BinTest::Else) { has_else = true; else_span = test.span; }
      for (Interval i : analysis.Intervals(test, b)) {
        if (analysis.Empty(i)) {
          diags.Report(DiagKind::EmptyInterval, test.span, "this interval contains no value",
                       "write the lower bound first, e.g. [0.4, 0.6)");
          continue;
        }
        if (!analysis.Clip(i)) {
          diags.Report(DiagKind::UnreachableBin, test.span,
                       "this bin is unreachable: the input's `where` condition excludes every value in it",
                       "remove the bin, or relax the field's `where`");
          continue;
        }
        per_bin[b].push_back(i);
        all.push_back(i);
      }
    }
  }
  if (order == BinOrder::Disjoint)
    analysis.CheckDisjoint(std::move(all), has_else, else_span, subject);
  else
    analysis.CheckFirstMatch(per_bin, has_else, else_span, subject);
}

}  // namespace credo::check
