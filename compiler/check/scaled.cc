// scaled.cc — scaled (WOE) scorecards: `scaling S at odds O pdo P`, `intercept`, `rounding`,
// characteristic weights, and the points table the compiler computes from them
// (docs/language.md, "Scaled scorecards"); the points table as text (`--dump=points`); the
// math functions ln / exp / pow / sqrt; the rounding-mode argument of round().
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "runtime/core/decimal.h"
#include "runtime/core/math.h"

namespace credo::check {

namespace {

// A number of the scorecard as a double, as number() converts a decimal: raw / 10^scale.
double ToDouble(const ast::BinValue& v) { return double(v.scaled) / double(rt::Pow10(v.scale)); }

struct ModeWord {
  const char* word;
  rt::RoundMode mode;
};
const ModeWord kModes[] = {
    {"half_up", rt::RoundMode::HalfUp},         {"half_even", rt::RoundMode::HalfEven},
    {"half_down", rt::RoundMode::HalfDown},     {"floor", rt::RoundMode::Floor},
    {"ceiling", rt::RoundMode::Ceil},           {"toward_zero", rt::RoundMode::Down},
    {"away_from_zero", rt::RoundMode::Up},
};

// A numeric literal's sign and whether it is written as a whole number: (value, whole).
bool LiteralValue(const Expr& e, double& value, bool& whole) {
  if (!IsNumericLiteral(e)) return false;
  bool negative = e.kind == ExprKind::Neg;
  const Expr& lit = negative ? *e.args[0] : e;
  value = double(lit.int_value) / double(rt::Pow10(lit.kind == ExprKind::DecimalLit ? lit.scale : 0));
  if (negative) value = -value;
  whole = lit.kind == ExprKind::IntLit;
  return true;
}

}  // namespace

int RoundModeOf(const std::string& word) {
  for (const auto& m : kModes)
    if (word == m.word) return int(m.mode);
  return -1;
}

Scaling::Rounding RoundingOf(const ast::Scorecard& card) {
  if (!card.rounding) return Scaling::PerBin;
  if (card.rounding->text == "total") return Scaling::Total;
  if (card.rounding->text == "none") return Scaling::None;
  return Scaling::PerBin;
}

std::vector<std::string> Checker::BinTexts(const std::vector<ast::Bin>& bins) const {
  std::vector<std::string> out;
  for (const auto& bin : bins) {
    if (bin.tests.empty()) { out.push_back(""); continue; }
    out.emplace_back(source_text({bin.tests.front().span.begin, bin.tests.back().span.end}));
  }
  return out;
}

// Items of a scaled scorecard in a point scorecard: each says what is missing.
void Checker::CheckPointScorecardItems(const ast::Scorecard& card) {
  const char* hint = "a scaled scorecard starts with `scaling S at odds O pdo P`; a point scorecard has none of "
                     "`intercept`, `rounding` or `weight`";
  if (card.intercept)
    diags_.Report(DiagKind::ScalingItemMisplaced, card.intercept->span,
                  fmt::format("scorecard {} has an intercept but no `scaling`", card.name.text), hint);
  if (card.rounding)
    diags_.Report(DiagKind::ScalingItemMisplaced, card.rounding->span,
                  fmt::format("scorecard {} has a `rounding` but no `scaling`: its points are whole numbers already",
                              card.name.text),
                  hint);
  for (const auto& ch : card.characteristics)
    if (ch.weight)
      diags_.Report(DiagKind::ScalingItemMisplaced, ch.weight->span,
                    fmt::format("characteristic {} has a weight, but scorecard {} has no `scaling`", ch.code.text,
                                card.name.text),
                    "add `scaling S at odds O pdo P` to the scorecard and write each bin's weight of evidence, or "
                    "remove the weight and write points");
}

Type Checker::CheckScaledScorecard(int index) {
  auto& card = policy_.scorecards[index];
  auto& info = out_.scorecards[index];
  Scaling& scaling = out_.scalings[index];
  scaling.scaled = true;
  scaling.rounding = RoundingOf(card);
  for (auto& [again, first] : card.repeated) {
    std::string item(source_text(again));
    item = item.substr(0, item.find_first_of(" \t\r\n"));
    diags_.Report(DiagKind::RepeatedScorecardItem, again, fmt::format("scorecard {} already has `{}`", card.name.text, item),
                  "keep one of them")
        .notes.push_back({first, "first given here"});
  }
  if (card.baseline)
    diags_.Report(DiagKind::ScalingItemMisplaced, card.baseline_span,
                  fmt::format("scaled scorecard {} has a baseline: its scaling places the score", card.name.text),
                  "remove `baseline`; the base score is the S of `scaling S at odds O pdo P`, and the constant of the "
                  "model is `intercept`");
  if (card.rounding && card.rounding->text != "per_bin" && card.rounding->text != "total" && card.rounding->text != "none")
    diags_.Report(DiagKind::UnknownRounding, card.rounding->span,
                  fmt::format("'{}' is not a rounding of a scaled scorecard", card.rounding->text),
                  "write `rounding per_bin` (each bin's points to a whole number), `rounding total` (the score) or "
                  "`rounding none` (a number score)");
  bool ok = true;
  const ast::Scaling& sc = *card.scaling;
  if (sc.odds.scaled <= 0) {
    diags_.Report(DiagKind::OddsNotPositive, sc.odds.span, fmt::format("the odds must be positive, not {}", sc.odds.text),
                  "write the good:bad odds at the base score: `at odds 50` for 50:1");
    ok = false;
  }
  if (sc.pdo.scaled <= 0) {
    diags_.Report(DiagKind::PdoNotPositive, sc.pdo.span,
                  fmt::format("the points to double the odds must be positive, not {}", sc.pdo.text),
                  "write how many points double the odds, e.g. `pdo 20`");
    ok = false;
  }
  size_t n = card.characteristics.size();
  if (n == 0) {
    diags_.Report(DiagKind::MissingWeight, card.name.span,
                  fmt::format("scaled scorecard {} has no characteristics", card.name.text),
                  "add characteristics: `CODE SUBJECT weight β { BINS => WOE }`");
    ok = false;
  }
  if (ok) {
    scaling.factor = ToDouble(sc.pdo) / rt::Math(rt::MathFn::Ln, 2.0, 0);
    scaling.offset = ToDouble(sc.base) - scaling.factor * rt::Math(rt::MathFn::Ln, ToDouble(sc.odds), 0);
  }
  double intercept = card.intercept ? ToDouble(*card.intercept) : 0.0;
  info.resize(n);
  for (size_t c = 0; c < n; ++c) {
    auto& ch = card.characteristics[c];
    Scope scope;
    Type subject = Value(*ch.subject, scope);
    CheckBinTests(ch.bins, subject, ch.subject->span, BinOrder::Disjoint, ch.subject.get());
    info[c].bins = BinTexts(ch.bins);
    bool weighted = ch.weight.has_value();
    if (!weighted)
      diags_.Report(DiagKind::MissingWeight, ch.code.span,
                    fmt::format("characteristic {} of scaled scorecard {} has no weight", ch.code.text, card.name.text),
                    fmt::format("write the model's coefficient after the subject: `{} {} weight 1.0 {{ ... }}`",
                                ch.code.text, Snippet(ch.subject->span, "SUBJECT")));
    double beta = weighted ? ToDouble(*ch.weight) : 0.0;
    double best = -INFINITY;
    int64_t best_rounded = INT64_MIN;
    for (auto& bin : ch.bins) {
      Expr& value = *bin.result;
      double woe = 0;
      bool whole = false;
      if (!LiteralValue(value, woe, whole)) {
        diags_.Report(DiagKind::WoeNotConstant, value.span, "a bin of a scaled scorecard holds a weight of evidence: a number constant",
                      "write the bin's WOE as a number, e.g. `-0.45`; the compiler computes its points");
        woe = 0;
        ok = false;
      } else {
        value.type = Type::Of(Base::Number);
      }
      // points = (β·WOE + intercept/n)·factor + offset/n, in this order, in doubles
      double points = (beta * woe + intercept / double(n)) * scaling.factor + scaling.offset / double(n);
      int64_t rounded = 0;
      if (ok && !(std::fabs(points) < 9007199254740992.0)) {  // 2^53: every whole number below is exact
        diags_.Report(DiagKind::PointsTooLarge, value.span,
                      fmt::format("this bin's points, {}, are too large to add up exactly", points),
                      "check the weight, the WOE and the scaling: points are usually within a few hundred");
        ok = false;
      } else if (ok) {
        rounded = int64_t(std::round(points));
      }
      info[c].woe.push_back(woe);
      info[c].points.push_back(points);
      info[c].rounded.push_back(rounded);
      best = std::max(best, points);
      best_rounded = std::max(best_rounded, rounded);
    }
    info[c].best = ch.bins.empty() ? 0 : best;
    info[c].max_points = ch.bins.empty() ? 0 : best_rounded;
  }
  if (card.reasons > int(n))
    diags_.Report(DiagKind::ReasonOutOfRange, card.name.span,
                  fmt::format("scorecard {} asks for {} reasons but has {} characteristics", card.name.text, card.reasons, n),
                  "reasons can be at most the number of characteristics");
  return Type::Of(scaling.rounding == Scaling::None ? Base::Number : Base::Int);
}

// ln(x), exp(x), pow(x, y), sqrt(x): numbers in (exact ones converted as by number()), a number
// out; missing where there is no real result, so optional unless a literal argument rules that out.
Type Checker::MathCall(Expr& e, Builtin id, Scope& scope) {
  bool optional = false;
  for (auto& arg : e.args) {
    Type t = Value(*arg, scope);
    if (t.error()) return t;
    if (!t.is_numeric()) return Mismatch(arg->span, fmt::format("{} needs a number", e.text), t, Base::Number);
    optional |= t.optional;
  }
  double x = 0, y = 0;
  bool x_whole = false, y_whole = false;
  bool x_lit = LiteralValue(*e.args[0], x, x_whole);
  bool y_lit = e.args.size() > 1 && LiteralValue(*e.args[1], y, y_whole);
  switch (id) {
    case Builtin::Ln: optional |= !(x_lit && x > 0); break;
    case Builtin::Sqrt: optional |= !(x_lit && x >= 0); break;
    case Builtin::Pow: optional |= !((x_lit && x > 0) || (y_lit && y_whole && y >= 0)); break;
    default: break;
  }
  return Type::Of(Base::Number, optional);
}

// The third argument of round(x, unit, MODE): a mode word, never a value.
bool Checker::RoundModeArgument(Expr& mode) {
  std::vector<std::string> words;
  for (const auto& m : kModes) words.push_back(m.word);
  if (mode.kind == ExprKind::NameRef && RoundModeOf(mode.text) >= 0) {
    mode.resolved.index = RoundModeOf(mode.text);
    mode.type = Type::Of(Base::Int);
    return true;
  }
  std::string hint = mode.kind == ExprKind::NameRef ? SuggestOrList(mode.text, words, "the modes are")
                                                    : fmt::format("the modes are {}", fmt::join(words, ", "));
  diags_.Report(DiagKind::UnknownRoundMode, mode.span,
                mode.kind == ExprKind::NameRef ? fmt::format("'{}' is not a rounding mode", mode.text)
                                               : std::string("the third argument of round is a rounding mode, written as a bare word"),
                hint);
  return false;
}

// ---- the points table --------------------------------------------------------------------------------

std::string PointsTable(const CheckedPolicy& policy) {
  const ast::Policy& ast = policy.ast();
  std::string out;
  auto number = [](double d) {
    std::string s;
    rt::AppendNumber(s, d);
    return s;
  };
  for (size_t k = 0; k < ast.scorecards.size(); ++k) {
    const auto& card = ast.scorecards[k];
    const Scaling& sc = policy.scalings[k];
    if (sc.scaled) {
      static const char* kRounding[] = {"per_bin", "total", "none"};
      out += fmt::format("scorecard {}: scaled, {} at odds {} pdo {}, intercept {}, rounding {}\n", card.name.text,
                         card.scaling->base.text, card.scaling->odds.text, card.scaling->pdo.text,
                         card.intercept ? card.intercept->text : "0", kRounding[sc.rounding]);
      out += fmt::format("  factor {} = pdo / ln 2, offset {} = base - factor * ln(odds), n {}\n", number(sc.factor),
                         number(sc.offset), card.characteristics.size());
    } else {
      out += fmt::format("scorecard {}: points, baseline {}\n", card.name.text, card.baseline.value_or(0));
    }
    out += sc.scaled ? "  characteristic | bin | woe | points | rounded | best\n" : "  characteristic | bin | points | best\n";
    for (size_t c = 0; c < card.characteristics.size(); ++c) {
      const auto& ch = card.characteristics[c];
      const Characteristic& info = policy.scorecards[k][c];
      for (size_t b = 0; b < info.points.size(); ++b) {
        bool best = sc.scaled && sc.rounding != Scaling::PerBin ? info.points[b] == info.best : info.rounded[b] == info.max_points;
        std::string bin = b < info.bins.size() ? info.bins[b] : "";
        if (sc.scaled)
          out += fmt::format("  {} | {} | {} | {} | {} |{}\n", ch.code.text, bin, number(info.woe[b]), number(info.points[b]),
                             info.rounded[b], best ? " best" : "");
        else
          out += fmt::format("  {} | {} | {} |{}\n", ch.code.text, bin, info.rounded[b], best ? " best" : "");
      }
    }
  }
  return out;
}

}  // namespace credo::check
