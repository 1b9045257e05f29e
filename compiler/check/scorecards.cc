// scorecards.cc — scorecards and bands: the tests of their bins against the subject's type
// (numeric coverage in bins.cc, categories here), points, and constant band values.
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include <fmt/format.h>

#include "compiler/check/bins.h"

namespace credo::check {

namespace {

// A bin value as an integer scaled by 10^9, to compare values written with different scales.
__int128 Scaled(const ast::BinValue& v) {
  __int128 x = v.scaled;
  for (int i = v.scale; i < 9; ++i) x *= 10;
  return x;
}

bool HasElse(const std::vector<ast::Bin>& bins) {
  for (const auto& bin : bins)
    for (const auto& test : bin.tests)
      if (test.kind == ast::BinTest::Else) return true;
  return false;
}

}  // namespace

// The bounds a field's `where` puts on its values: conjunctions of `field op literal`.
void Checker::DomainOf(int symbol, NumericDomain& domain) {
  if (symbol < 0 || out_.symbols[symbol].kind != SymbolKind::Field) return;
  const ast::FieldDecl& field = policy_.inputs[0].fields[out_.symbols[symbol].decl];
  if (field.where) Bound(*field.where, symbol, domain);
}

void Checker::Bound(const Expr& e, int symbol, NumericDomain& domain) {
  if (e.kind == ExprKind::And) {
    Bound(*e.args[0], symbol, domain);
    Bound(*e.args[1], symbol, domain);
    return;
  }
  if (e.kind == ExprKind::InRange && !e.negated) {  // `x in [a, b)`: `x >= a and x < b`
    BoundBy(e.lo_closed ? ast::BinaryOp::Ge : ast::BinaryOp::Gt, *e.args[0], *e.args[1], symbol, domain);
    BoundBy(e.hi_closed ? ast::BinaryOp::Le : ast::BinaryOp::Lt, *e.args[0], *e.args[2], symbol, domain);
    return;
  }
  if (e.kind != ExprKind::Binary || e.op < ast::BinaryOp::Lt || e.op > ast::BinaryOp::Ge) return;
  BoundBy(e.op, *e.args[0], *e.args[1], symbol, domain);
}

// `lhs op rhs` with lhs the field and rhs a numeric literal: a bound of the field's domain.
void Checker::BoundBy(ast::BinaryOp op, const Expr& lhs, const Expr& rhs, int symbol, NumericDomain& domain) {
  if (lhs.kind != ExprKind::NameRef || lhs.resolved.symbol != symbol || !IsNumericLiteral(rhs)) return;
  ast::BinValue v;
  v.kind = ast::BinValue::Number;
  const Expr& lit = rhs.kind == ExprKind::Neg ? *rhs.args[0] : rhs;
  v.scaled = rhs.kind == ExprKind::Neg ? -lit.int_value : lit.int_value;
  v.scale = lit.kind == ExprKind::DecimalLit ? lit.scale : 0;
  domain.bounds.kind = ast::BinTest::Interval;
  // Of two bounds on one side (`x >= 0 and x >= 100`) the tighter one holds.
  bool lower = op == ast::BinaryOp::Gt || op == ast::BinaryOp::Ge;
  bool strict = op == ast::BinaryOp::Gt || op == ast::BinaryOp::Lt;
  bool& bounded = lower ? domain.bounded_below : domain.bounded_above;
  ast::BinValue& bound = lower ? domain.bounds.lo : domain.bounds.hi;
  bool& closed = lower ? domain.bounds.lo_closed : domain.bounds.hi_closed;
  __int128 now = Scaled(v), before = Scaled(bound);
  bool looser = lower ? now < before : now > before;
  if (bounded && (looser || (now == before && !strict))) return;
  bounded = true;
  bound = v;
  closed = !strict;
}

// Checks the tests of `bins` against the subject type; `order` for numeric coverage.
void Checker::CheckBinTests(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span, BinOrder order,
                          const Expr* subject_expr) {
  bool has_missing = false;
  for (auto& bin : bins)
    for (auto& test : bin.tests) {
      if (test.kind != ast::BinTest::Missing) continue;
      has_missing = true;
      if (!subject.optional && !subject.error())
        diags_.Report(DiagKind::MissingBinUnreachable, test.span,
                      fmt::format("this `missing` bin is unreachable: {} is never missing ({})", Quoted(subject_span),
                                  TypeName(subject, out_.enums)),
                      "remove the `missing` bin");
    }
  if (subject.optional && !has_missing)
    diags_.Report(DiagKind::MissingBinRequired, subject_span,
                  fmt::format("{} may be missing ({}), but no bin says what missing means", Quoted(subject_span),
                              TypeName(subject, out_.enums)),
                  HasElse(bins) ? "add a bin `missing => ...`; `else` does not take missing values"
                                : "add a bin `missing => ...`");
  if (subject.error()) return;
  if (subject.is_numeric()) {
    bool ok = true;
    for (auto& bin : bins)
      for (auto& test : bin.tests) {
        bool numeric_values = (test.kind != ast::BinTest::Interval || (test.lo.kind == ast::BinValue::Number && test.hi.kind == ast::BinValue::Number)) &&
                              ((test.kind != ast::BinTest::Compare && test.kind != ast::BinTest::Value) || test.value.kind == ast::BinValue::Number);
        if (!numeric_values) {
          diags_.Report(DiagKind::BinKindMismatch, test.span,
                        fmt::format("this bin needs a number: the value is {}", TypeName(subject, out_.enums)),
                        "numeric bins are intervals like [0.8, 1.2), comparisons like >= 2 or single numbers");
          ok = false;
        }
      }
    if (!ok) return;
    NumericDomain domain;
    domain.scale = subject.is(Base::Decimal) ? subject.scale : 0;
    domain.continuous = subject.is(Base::Number);
    domain.type_name = TypeName(subject.Required(), out_.enums);
    if (subject_expr && subject_expr->kind == ExprKind::NameRef) DomainOf(subject_expr->resolved.symbol, domain);
    CheckNumericBins(bins, domain, order, subject_span, diags_);
    return;
  }
  CheckCategoryBins(bins, subject, subject_span);
}

// Bins over enum, string or bool values: categories, each listed once, all covered.
void Checker::CheckCategoryBins(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span) {
  std::map<std::string, Span> seen;
  bool has_else = false;
  bool broken = false;  // a bad test was dropped: coverage would only repeat that error
  Span else_span;
  for (auto& bin : bins)
    for (auto& test : bin.tests) {
      if (test.kind == ast::BinTest::Missing) continue;
      if (test.kind == ast::BinTest::Else) { has_else = true; else_span = test.span; continue; }
      if (test.kind != ast::BinTest::Value) {
        diags_.Report(DiagKind::BinKindMismatch, test.span,
                      fmt::format("intervals and comparisons need a number; the value is {}", TypeName(subject, out_.enums)),
                      fmt::format("list the categories a bin takes, e.g. `{} => ...`", CategoryExample(subject)));
        broken = true;
        continue;
      }
      std::string key = test.value.text;
      bool fits = subject.is(Base::Enum)     ? test.value.kind == ast::BinValue::Name
                  : subject.is(Base::String) ? test.value.kind == ast::BinValue::String
                  : subject.is(Base::Bool)   ? test.value.kind == ast::BinValue::Bool
                                             : false;
      if (!fits) {
        diags_.Report(DiagKind::BinKindMismatch, test.span,
                      fmt::format("this category does not fit a value of type {}", TypeName(subject, out_.enums)),
                      !subject.is(Base::Enum)                         ? "write a literal of the value's type"
                      : test.value.kind == ast::BinValue::String ? EnumValueMeant(subject, test.value.text)
                                                                  : "name a value of the enum");
        broken = true;
        continue;
      }
      if (subject.is(Base::Enum)) {
        const auto& values = out_.enums[subject.enum_id].values;
        if (std::find(values.begin(), values.end(), key) == values.end()) {
          diags_.Report(DiagKind::UnknownEnumValue, test.span,
                        fmt::format("'{}' is not a value of {}", key, out_.enums[subject.enum_id].name),
                        SuggestOrList(key, values, "the values are"));
          broken = true;
          continue;
        }
      }
      if (auto it = seen.find(key); it != seen.end()) {
        diags_.Report(DiagKind::DuplicateKey, test.span, fmt::format("'{}' is already in a bin", test.value.text),
                      "each category belongs to one bin: remove it from one of them")
            .notes.push_back({it->second, "first listed here"});
        continue;
      }
      seen[key] = test.span;
    }
  if (broken) return;
  std::vector<std::string> uncovered;
  if (subject.is(Base::Enum)) {
    for (auto& v : out_.enums[subject.enum_id].values)
      if (!seen.count(v)) uncovered.push_back(v);
  } else if (subject.is(Base::Bool)) {
    for (const char* v : {"true", "false"})
      if (!seen.count(v)) uncovered.push_back(v);
  } else {  // text: no list of bins can name every string
    if (!has_else)
      diags_.Report(DiagKind::BinGap, subject_span,
                    fmt::format("bins over {} text need an `else` bin: any other text falls in no bin", Quoted(subject_span)),
                    "add `else => ...` for the texts not listed");
    return;
  }
  if (!has_else && !uncovered.empty())
    diags_.Report(DiagKind::BinGap, subject_span,
                  fmt::format("the bins do not cover every value: {} falls in no bin", uncovered.front()),
                  fmt::format("add bins for {}, or an `else` bin", fmt::join(uncovered, ", ")));
  if (has_else && uncovered.empty())
    diags_.Report(DiagKind::UnreachableBin, else_span, "this `else` bin is unreachable: the other bins cover every value",
                  "remove the `else` bin");
}

// Two categories of `subject` as a bin would list them: `A, B`, `"x", "y"`, `true`.
std::string Checker::CategoryExample(const Type& subject) const {
  if (subject.is(Base::Bool)) return "true";
  if (!subject.is(Base::Enum) || out_.enums[subject.enum_id].values.size() < 2) return "\"LTD\", \"PLC\"";
  const auto& values = out_.enums[subject.enum_id].values;
  return values[0] + ", " + values[1];
}

Type Checker::CheckScorecard(int index) {
  auto& card = policy_.scorecards[index];
  auto& info = out_.scorecards[index];
  if (card.scaling) return CheckScaledScorecard(index);  // scaled.cc
  CheckPointScorecardItems(card);
  info.resize(card.characteristics.size());
  for (size_t c = 0; c < card.characteristics.size(); ++c) {
    auto& ch = card.characteristics[c];
    Scope scope;
    Type subject = Value(*ch.subject, scope);
    CheckBinTests(ch.bins, subject, ch.subject->span, BinOrder::Disjoint, ch.subject.get());
    info[c].bins = BinTexts(ch.bins);
    int64_t best = INT64_MIN;
    for (auto& bin : ch.bins) {
      int64_t points = 0;
      bool ok = PointsOf(*bin.result, points);
      info[c].points.push_back(double(points));
      info[c].rounded.push_back(points);
      if (!ok) continue;
      best = std::max(best, points);
    }
    info[c].max_points = best == INT64_MIN ? 0 : best;
  }
  if (card.reasons > int(card.characteristics.size()))
    diags_.Report(DiagKind::ReasonOutOfRange, card.name.span,
                  fmt::format("scorecard {} asks for {} reasons but has {} characteristics", card.name.text,
                              card.reasons, card.characteristics.size()),
                  "reasons can be at most the number of characteristics");
  return Type::Of(Base::Int);
}

// Scorecard points: an integer literal, possibly negative.
bool Checker::PointsOf(Expr& e, int64_t& points) {
  bool negative = e.kind == ExprKind::Neg;
  Expr& lit = negative ? *e.args[0] : e;
  if (lit.kind == ExprKind::IntLit) {
    points = negative ? -lit.int_value : lit.int_value;
    e.type = Type::Of(Base::Int);
    return true;
  }
  if (lit.kind == ExprKind::DecimalLit)
    diags_.Report(DiagKind::PointsNotInteger, e.span, "scorecard points must be whole numbers",
                  "round the points to an integer");
  else
    diags_.Report(DiagKind::NotConstant, e.span, "scorecard points must be an integer constant",
                  "write the points as a whole number, e.g. -25; for points that vary, split the bin");
  return false;
}

// A constant: literal, negated literal or enum value (with `hint` naming the enum).
Type Checker::Constant(Expr& e, const Type* hint, const char* what) {
  bool literal = IsNumericLiteral(e) || e.kind == ExprKind::StringLit || e.kind == ExprKind::BoolLit ||
                 (e.kind == ExprKind::NameRef && !names_.count(e.text));
  if (!literal) {
    if (auto it = names_.find(e.text); e.kind == ExprKind::NameRef && it != names_.end())
      out_.symbols[it->second].used = true;  // named, if wrongly: not also "never used"
    diags_.Report(DiagKind::NotConstant, e.span, fmt::format("{} must be a constant", what),
                  "write the value itself: a number, \"text\", true/false or an enum value");
    return Type{};
  }
  Scope scope;
  return Value(e, scope, hint);
}

Type Checker::CheckBand(ast::Band& band) {
  Scope scope;
  Type subject = Value(*band.subject, scope);
  CheckBinTests(band.bins, subject, band.subject->span, BinOrder::FirstMatch, band.subject.get());
  Type declared = band.type ? ResolveType(*band.type) : Type{};
  Type result = declared;
  bool first = true;
  for (auto& bin : band.bins) {
    Type t = Constant(*bin.result, band.type ? &declared : nullptr, "a band's value");
    if (t.error()) continue;
    if (band.type) {
      Fit(t, declared, bin.result->span, fmt::format("band {}", band.name.text));
    } else {
      result = first ? t : Unify(result, t, bin.result->span, "the band's values", bin.result.get());
      first = false;
    }
  }
  return result;
}

}  // namespace credo::check
