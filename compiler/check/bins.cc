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

// A scaled value as an author writes it: `_` between thousands and `scale` fraction digits
// (-1: as many as the value needs), so a money counterexample reads 2_000_000.00.
std::string Format(i128 v, int scale) {
  if (v >= kInf) return "+infinity";
  if (v <= -kInf) return "-infinity";
  bool negative = v < 0;
  if (negative) v = -v;
  std::string digits;
  i128 w = v / Pow10(kScale);
  do {
    digits.insert(digits.begin(), char('0' + int(w % 10)));
    w /= 10;
  } while (w > 0);
  std::string whole;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) whole += '_';
    whole += digits[i];
  }
  std::string frac;
  i128 f = v % Pow10(kScale);
  for (int i = 0; i < kScale; ++i, f /= 10) frac.insert(frac.begin(), char('0' + int(f % 10)));
  frac.resize(scale >= 0 ? size_t(scale) : frac.find_last_not_of('0') + 1);  // npos + 1 == 0
  return (negative ? "-" : "") + whole + (frac.empty() ? "" : "." + frac);
}

class Analysis {
 public:
  Analysis(const NumericDomain& domain, Span subject, Diagnostics& diags)
      : step_(domain.continuous ? 0 : Pow10(kScale - domain.scale)),
        display_scale_(domain.continuous ? -1 : domain.scale),
        subject_(subject),
        diags_(diags) {
    Interval all = Normalize({{-kInf, 0}, {kInf, 0}, 0, {}});
    if (domain.bounded_below || domain.bounded_above) {
      Interval d = Intervals(domain.bounds, 0).front();
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

  // The intervals one bin test covers (none for missing / else).
  std::vector<Interval> Intervals(const ast::BinTest& test, size_t bin) const {
    Point lo_inf{-kInf, 0}, hi_inf{kInf, 0};
    std::vector<Interval> out;
    auto add = [&](Point lo, Point hi) { out.push_back(Normalize({lo, hi, bin, test.span})); };
    switch (test.kind) {
      case ast::BinTest::Interval:
        add({Value(test.lo), test.lo_closed ? 0 : 1}, {Value(test.hi), test.hi_closed ? 0 : -1});
        break;
      case ast::BinTest::Value: add({Value(test.value), 0}, {Value(test.value), 0}); break;
      case ast::BinTest::Compare: {
        i128 v = Value(test.value);
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

  // An interval test with no value in it: its bounds reversed, or no value of the subject's
  // type between them (`(4, 5)` over an int).
  void ReportEmpty(const ast::BinTest& test, const std::string& type_name) {
    char open = test.lo_closed ? '[' : '(', close = test.hi_closed ? ']' : ')';
    if (Value(test.hi) < Value(test.lo)) {
      diags_.Report(DiagKind::EmptyInterval, test.span,
                    fmt::format("this interval is empty: its lower bound {} is above its upper bound {}", test.lo.text,
                                test.hi.text),
                    fmt::format("write the lower bound first: {}{}, {}{}", open, test.hi.text, test.lo.text, close));
      return;
    }
    if (test.kind != ast::BinTest::Interval) {  // `== v` or `v` with v finer than the type's grid
      diags_.Report(DiagKind::EmptyInterval, test.span,
                    fmt::format("no {} value equals {}: it has more fraction digits than the type", type_name,
                                test.value.text),
                    fmt::format("write a value with at most {} fraction digits, or an interval such as `>= {}`",
                                display_scale_, test.value.text));
      return;
    }
    std::string hint = Value(test.hi) == Value(test.lo)
                           ? fmt::format("for the one value {0}, write `{0} => ...`", test.lo.text)
                           : fmt::format("close an end to include a bound, e.g. [{0}, {1}) or ({0}, {1}], or remove the bin",
                                         test.lo.text, test.hi.text);
    diags_.Report(DiagKind::EmptyInterval, test.span, fmt::format("this interval contains no {} value", type_name), hint);
  }

  // Scorecard bins: every value in exactly one bin.
  void CheckDisjoint(std::vector<Interval> all) {
    std::sort(all.begin(), all.end(), [](const Interval& a, const Interval& b) { return a.lo < b.lo; });
    Point covered = BeforeDomain();  // nothing covered yet: the domain starts after this point
    const Interval* widest = nullptr;
    for (const Interval& i : all) {
      if (widest && i.lo <= covered) {
        if (i.bin != widest->bin) ReportOverlap(i, *widest);
      } else if (Next(covered) < i.lo) {
        ReportGap(Next(covered), Prev(i.lo), widest != nullptr);
      }
      if (!widest || covered < i.hi) { covered = i.hi; widest = &i; }
    }
    if (covered < hi_) ReportGap(Next(covered), hi_, widest != nullptr);
  }

  // Band bins: tried in order, each must take some value the earlier ones leave.
  void CheckFirstMatch(const std::vector<std::vector<Interval>>& per_bin) {
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
    bool any = false;
    for (const Interval& i : covered) {
      if (Next(at) < i.lo) ReportGap(Next(at), Prev(i.lo), any);
      at = i.hi;
      any = true;
    }
    if (at < hi_) ReportGap(Next(at), hi_, any);
  }

  // With an `else` bin, gaps are what it covers; without one they are errors. `else` itself
  // must cover something. `broken`: an earlier error dropped a bin, so coverage is unknown.
  void SetElse(bool has_else, Span else_span, bool broken) {
    has_else_ = has_else;
    else_span_ = else_span;
    broken_ = broken;
  }
  void ReportUnreachableElse() {
    if (has_else_ && !gap_ && !broken_)
      diags_.Report(DiagKind::UnreachableBin, else_span_, "this `else` bin is unreachable: the other bins cover every value",
                    "remove the `else` bin");
  }

 private:
  static i128 Value(const ast::BinValue& b) { return i128(b.scaled) * Pow10(kScale - b.scale); }

  std::string Show(i128 v) const { return Format(v, display_scale_); }

  // The point just before the domain starts (so that Next() of it is the domain's first point).
  Point BeforeDomain() const {
    if (lo_.v <= -kInf) return {-kInf, -1};
    return step_ ? Point{lo_.v - step_, 0} : Point{lo_.v, lo_.eps - 1};
  }

  // The first point after `hi` that it does not cover.
  Point Next(Point hi) const {
    if (hi.v >= kInf) return hi;
    if (hi.v <= -kInf) return {-kInf, 0};
    return step_ ? Point{hi.v + step_, 0} : Point{hi.v, hi.eps + 1};
  }
  // The last point before `lo` that it does not cover.
  Point Prev(Point lo) const {
    if (lo.v <= -kInf) return lo;
    return step_ ? Point{lo.v - step_, 0} : Point{lo.v, lo.eps - 1};
  }

  // The values from `lo` to `hi` (inclusive points) in bin syntax: 30, [1.2, 1.5), >= 60. A
  // discrete range ends open at the next value, as bins are usually written ([5, 10), not
  // [5, 9]), unless that would step past the domain's end.
  std::string Range(Point lo, Point hi) const {
    bool from_start = lo.v <= -kInf, to_end = hi.v >= kInf;
    if (from_start && to_end) return "any value";
    if (to_end) return (lo.eps == 0 ? ">= " : "> ") + Show(lo.v);
    if (lo == hi) return Show(lo.v);
    if (step_ && hi < hi_) hi = {hi.v + step_, -1};
    if (from_start) return (hi.eps == 0 ? "<= " : "< ") + Show(hi.v);
    return fmt::format("{}{}, {}{}", lo.eps == 0 ? '[' : '(', Show(lo.v), Show(hi.v), hi.eps == 0 ? ']' : ')');
  }

  // A readable value in [lo, hi]; `near_hi` picks one next to the upper end (the bin above).
  i128 Example(Point lo, Point hi, bool near_hi) const {
    i128 unit = step_ ? step_ : Pow10(kScale);
    if (lo.v <= -kInf && hi.v >= kInf) return 0;
    if (near_hi || lo.v <= -kInf) {
      if (hi.eps == 0) return hi.v;
      if (lo.v <= -kInf || hi.v - unit > lo.v) return hi.v - unit;
      return lo.eps == 0 ? lo.v : (lo.v + hi.v) / 2;
    }
    if (lo.eps == 0) return lo.v;
    if (hi.v >= kInf) return lo.v + unit;
    return (lo.v + hi.v) / 2;
  }

  void ReportGap(Point lo, Point hi, bool after_bin) {
    gap_ = true;
    if (has_else_ || broken_) return;
    std::string example = Show(Example(lo, hi, !after_bin));
    std::string hint = lo == hi ? fmt::format("include {} in a neighbouring bin (mind `[` versus `(`), or add an `else` bin", example)
                                : fmt::format("add a bin for {}, or an `else` bin", Range(lo, hi));
    diags_.Report(DiagKind::BinGap, subject_,
                  fmt::format("the bins do not cover every value: {} falls in no bin", example), hint);
  }

  void ReportOverlap(const Interval& later, const Interval& earlier) {
    Point lo = std::max(later.lo, earlier.lo), hi = std::min(later.hi, earlier.hi);
    std::string hint = lo == hi ? fmt::format("they share only {}; leave it in one bin, e.g. [a, b) followed by [b, c)", Show(lo.v))
                                : fmt::format("they share {}; scorecard bins must not overlap", Range(lo, hi));
    diags_.Report(DiagKind::BinOverlap, later.span,
                  fmt::format("this bin overlaps another: both contain {}", Show(Example(lo, hi, false))), hint)
        .notes.push_back({earlier.span, "the other bin"});
  }

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

  i128 step_;
  int display_scale_;
  Span subject_;
  Diagnostics& diags_;
  Point lo_, hi_;  // the domain: the values the subject can take
  bool has_else_ = false, broken_ = false, gap_ = false;
  Span else_span_;
};

}  // namespace

void CheckNumericBins(const std::vector<ast::Bin>& bins, NumericDomain domain, BinOrder order,
                      Span subject, Diagnostics& diags) {
  Analysis analysis(domain, subject, diags);
  std::vector<std::vector<Interval>> per_bin(bins.size());
  std::vector<Interval> all;
  bool has_else = false, broken = false;
  Span else_span;
  for (size_t b = 0; b < bins.size(); ++b) {
    for (const ast::BinTest& test : bins[b].tests) {
      if (test.kind == ast::BinTest::Else) { has_else = true; else_span = test.span; }
      bool clipped = false, kept = false;  // a `!=` test is two intervals: unreachable only if both go
      bool broken_test = false;
      for (Interval i : analysis.Intervals(test, b)) {
        if (analysis.Empty(i)) {
          if (!broken_test) analysis.ReportEmpty(test, domain.type_name);  // once per test, not per interval
          broken = broken_test = true;
        } else if (!analysis.Clip(i)) {
          clipped = true;
        } else {
          kept = true;
          per_bin[b].push_back(i);
          all.push_back(i);
        }
      }
      if (clipped && !kept)
        diags.Report(DiagKind::UnreachableBin, test.span,
                     "this bin is unreachable: the input's `where` condition excludes every value in it",
                     "remove the bin, or relax the field's `where`");
    }
  }
  analysis.SetElse(has_else, else_span, broken);
  if (order == BinOrder::Disjoint)
    analysis.CheckDisjoint(std::move(all));
  else
    analysis.CheckFirstMatch(per_bin);
  analysis.ReportUnreachableElse();
}

}  // namespace credo::check
