// builtins.cc — calls of the built-in functions: the table of names and arities, each
// function's argument types, constant dates, and exact rounding to a unit. (Aggregates are
// checked with the group block, in group.cc.)
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::check {

namespace {

struct BuiltinInfo {
  const char* name;
  Builtin id;
  int min_args, max_args;  // max -1: any number
  const char* usage;       // for the hint of a wrong call
};
const BuiltinInfo kBuiltins[] = {
    {"min", Builtin::Min, 2, -1, "min(a, b, ...)"},
    {"max", Builtin::Max, 2, -1, "max(a, b, ...)"},
    {"abs", Builtin::Abs, 1, 1, "abs(x)"},
    {"floor", Builtin::Floor, 1, 2, "floor(x) or floor(x, unit), e.g. floor(x, 1_000.00)"},
    {"ceil", Builtin::Ceil, 1, 2, "ceil(x) or ceil(x, unit), e.g. ceil(x, 0.01)"},
    {"round", Builtin::Round, 1, 3, "round(x), round(x, unit) or round(x, unit, MODE), e.g. round(x, 0.01, half_even)"},
    {"round_half_even", Builtin::RoundHalfEven, 1, 2, "round_half_even(x) or round_half_even(x, unit)"},
    {"number", Builtin::ToNumber, 1, 1, "number(x)"},
    {"ln", Builtin::Ln, 1, 1, "ln(x)"},
    {"exp", Builtin::Exp, 1, 1, "exp(x)"},
    {"pow", Builtin::Pow, 2, 2, "pow(x, y)"},
    {"sqrt", Builtin::Sqrt, 1, 1, "sqrt(x)"},
    {"days_between", Builtin::DaysBetween, 2, 2, "days_between(from, to)"},
    {"date", Builtin::Date, 1, 1, "date(\"YYYY-MM-DD\")"},
    {"year", Builtin::Year, 1, 1, "year(date)"},
    {"month", Builtin::Month, 1, 1, "month(date)"},
    {"day", Builtin::Day, 1, 1, "day(date)"},
    {"years_between", Builtin::YearsBetween, 2, 2, "years_between(from, to), e.g. years_between(date_of_birth, application_date)"},
    {"months_between", Builtin::MonthsBetween, 2, 2, "months_between(from, to)"},
    {"add_months", Builtin::AddMonths, 2, 2, "add_months(date, months)"},
    {"length", Builtin::Length, 1, 1, "length(text)"},
    {"upper", Builtin::Upper, 1, 1, "upper(text)"},
    {"lower", Builtin::Lower, 1, 1, "lower(text)"},
    {"trim", Builtin::Trim, 1, 1, "trim(text)"},
    {"starts_with", Builtin::StartsWith, 2, 2, "starts_with(text, prefix)"},
    {"ends_with", Builtin::EndsWith, 2, 2, "ends_with(text, suffix)"},
    {"contains", Builtin::Contains, 2, 2, "contains(text, part) or contains(list, CODE)"},
    {"substring", Builtin::Substring, 3, 3, "substring(text, start, count), e.g. substring(postcode, 1, 2)"},
    {"concat", Builtin::Concat, 2, -1, "concat(a, b, ...)"},
    {"text", Builtin::Text, 1, 1, "text(x)"},
    {"first", Builtin::First, 2, 2, "first(list, N), e.g. first(sme.reasons, 2)"},
    {"join", Builtin::Join, 2, 2, "join(list, separator), e.g. join(knockouts.codes, \", \")"},
    {"add_days", Builtin::AddDays, 2, 2, "add_days(date, days)"},
    {"add_years", Builtin::AddYears, 2, 2, "add_years(date, years)"},
    {"end_of_month", Builtin::EndOfMonth, 1, 1, "end_of_month(date)"},
    {"day_of_week", Builtin::DayOfWeek, 1, 1, "day_of_week(date)"},
    {"sum", Builtin::Sum, 1, 1, "sum(x)"},
    {"count", Builtin::Count, 1, 1, "count(list), or count(condition) in the group block"},
    {"any", Builtin::Any, 1, 1, "any(condition)"},
    {"all", Builtin::All, 1, 1, "all(condition)"},
    {"min_of", Builtin::MinOf, 1, 1, "min_of(x)"},
    {"max_of", Builtin::MaxOf, 1, 1, "max_of(x)"},
    {"count_other", Builtin::CountOther, 1, 1, "count_other(condition)"},
    {"any_other", Builtin::AnyOther, 1, 1, "any_other(condition)"},
};

const std::map<std::string, std::string> kFunctionAliases = {
    {"round_down", "credo writes floor(x, unit)"}, {"round_up", "credo writes ceil(x, unit)"},
    {"log", "credo writes ln(x) for the natural logarithm"}, {"power", "credo writes pow(x, y)"},
    {"trunc", "credo writes floor(x)"},            {"minimum", "credo writes min(a, b, ...)"},
    {"maximum", "credo writes max(a, b, ...)"},    {"coalesce", "credo writes `x ?? default`"},
    {"ifnull", "credo writes `x ?? default`"},     {"isnull", "credo writes `x is missing`"},
};

bool LiteralNonZero(const Expr& e) {
  if (e.kind == ExprKind::Neg) return LiteralNonZero(*e.args[0]);
  return e.int_value != 0;
}

}  // namespace

bool IsBuiltinName(const std::string& name) {
  return std::any_of(std::begin(kBuiltins), std::end(kBuiltins), [&](const BuiltinInfo& b) { return name == b.name; });
}

std::vector<BuiltinFunction> BuiltinFunctions() {
  std::vector<BuiltinFunction> out;
  for (const auto& b : kBuiltins) out.push_back({b.name, b.usage, IsAggregate(b.id)});
  return out;
}

Type Checker::Call(Expr& e, Scope& scope) {
  ConstUnit(e, scope);  // reuse.cc: `round(x, UNIT)` with a const that is a literal
  const BuiltinInfo* info = nullptr;
  for (const auto& b : kBuiltins)
    if (e.text == b.name) info = &b;
  if (auto f = functions_.find(e.text); !info && f != functions_.end()) return UserCall(e, f->second, scope);
  if (!info) {
    std::vector<std::string> names;
    for (const auto& b : kBuiltins) names.push_back(b.name);
    for (const auto& [n, _] : functions_) names.push_back(n);
    auto alias = kFunctionAliases.find(Lowercase(e.text));
    diags_.Report(DiagKind::UnknownFunction, e.member.span, fmt::format("unknown function '{}'", e.text),
                  alias != kFunctionAliases.end() ? alias->second : SuggestOrList(e.text, names, "the functions are"));
    return Type{};
  }
  e.resolved.index = static_cast<int>(info->id);
  // Over a key's rows of a reference, with or without an expression of the row (references.cc).
  if (IsAggregate(info->id) && (e.args.size() == 1 || e.args.size() == 2) && IsReferenceRows(*e.args[0]))
    return ReferenceAggregate(e, info->id, scope);
  int n = static_cast<int>(e.args.size());
  if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
    std::string expected = info->max_args < 0 ? fmt::format("at least {}", info->min_args)
                           : info->min_args == info->max_args ? std::to_string(info->min_args)
                                                              : fmt::format("{} or {}", info->min_args, info->max_args);
    diags_.Report(DiagKind::WrongArgumentCount, e.span,
                  fmt::format("{} takes {} argument{}, not {}", e.text, expected, expected == "1" ? "" : "s", n),
                  fmt::format("write {}", info->usage));
    return Type{};
  }
  if (info->id == Builtin::Count && (!scope.group || IsListExpr(*e.args[0]))) return ListOrText(e, Builtin::CountList, scope);
  if (IsAggregate(info->id)) return Aggregate(e, info->id, scope);
  if (IsListOrText(info->id)) return ListOrText(e, info->id, scope);
  switch (info->id) {
    case Builtin::Min:
    case Builtin::Max: {
      // A binary number among the arguments and an exact value that is not a literal do not mix,
      // wherever they stand in the list.
      const Expr* number_arg = nullptr;
      const Expr* exact_arg = nullptr;
      for (auto& arg : e.args) {
        Type u = Value(*arg, scope);
        if (u.is(Base::Number)) number_arg = arg.get();
        if (u.is(Base::Decimal) && !IsNumericLiteral(*arg)) exact_arg = arg.get();
      }
      if (number_arg && exact_arg) {  // reported as the pair would be
        Numeric(exact_arg->type, *exact_arg, number_arg->type, *number_arg, e.span, e.text.c_str());
        return Type{};
      }
      Type t = e.args[0]->type;
      for (int i = 1; i < n && !t.error(); ++i) {
        Type u = e.args[i]->type;
        if (u.error()) return u;
        if (!t.is_numeric() || !u.is_numeric()) {
          if (!(t.is(Base::Date) && u.is(Base::Date)))
            return Mismatch(e.span, fmt::format("{} needs numbers or dates", e.text), t.is_numeric() ? u : t, Base::Number);
          t = t.Optional(t.optional || u.optional);
          continue;
        }
        t = Numeric(t, *e.args[i - 1], u, *e.args[i], e.span, e.text.c_str());
      }
      // The least or greatest of amounts is an amount (for money × money).
      bool money = std::any_of(e.args.begin(), e.args.end(), [](const auto& arg) { return arg->type.money; });
      t.money = money && t.is(Base::Decimal) && t.scale == 2;
      return t;
    }
    case Builtin::Abs: {
      Type t = Value(*e.args[0], scope);
      if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "abs needs a number", t, Base::Number);
      return t;
    }
    case Builtin::ToNumber: {
      Type t = Value(*e.args[0], scope);
      if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "number() needs a number", t, Base::Number);
      return Type::Of(Base::Number, t.optional);
    }
    case Builtin::DaysBetween:
    case Builtin::YearsBetween:
    case Builtin::MonthsBetween: {
      Type a = Value(*e.args[0], scope), b = Value(*e.args[1], scope);
      std::string what = e.text + " needs dates";
      if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, what, a, Base::Date);
      if (!b.error() && !b.is(Base::Date)) return Mismatch(e.args[1]->span, what, b, Base::Date);
      return Type::Of(Base::Int, a.optional || b.optional);
    }
    case Builtin::Year:
    case Builtin::Month:
    case Builtin::Day: {
      Type a = Value(*e.args[0], scope);
      if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, e.text + " needs a date", a, Base::Date);
      return Type::Of(Base::Int, a.optional);
    }
    case Builtin::AddMonths:
    case Builtin::AddDays:
    case Builtin::AddYears: {
      const char* unit = info->id == Builtin::AddMonths ? "months" : info->id == Builtin::AddDays ? "days" : "years";
      Type a = Value(*e.args[0], scope), n = Value(*e.args[1], scope);
      if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, e.text + " needs a date first", a, Base::Date);
      if (!n.error() && !n.is(Base::Int))
        return Mismatch(e.args[1]->span, fmt::format("{} needs a whole number of {}", e.text, unit), n, Base::Int);
      return Type::Of(Base::Date, a.optional || n.optional);
    }
    case Builtin::EndOfMonth:
    case Builtin::DayOfWeek: {
      Type a = Value(*e.args[0], scope);
      if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, e.text + " needs a date", a, Base::Date);
      return Type::Of(info->id == Builtin::EndOfMonth ? Base::Date : Base::Int, a.optional);
    }
    case Builtin::Date: {
      Expr& arg = *e.args[0];
      if (arg.kind != ExprKind::StringLit) {
        diags_.Report(DiagKind::NotConstant, arg.span, "date() takes a constant \"YYYY-MM-DD\"",
                      "to read dates from the input, declare the field `date`");
        return Type{};
      }
      arg.type = Type::Of(Base::String);
      int y = 0, m = 0, d = 0;
      char tail;
      bool parsed = std::sscanf(arg.text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && arg.text.size() == 10;
      if (!parsed || m < 1 || m > 12 || d < 1 || d > rt::DaysInMonth(y, m)) {
        diags_.Report(DiagKind::BadLiteral, arg.span, fmt::format("\"{}\" is not a date", arg.text), "write dates as \"YYYY-MM-DD\"");
        return Type{};
      }
      return Type::Of(Base::Date);
    }
    case Builtin::Ln:
    case Builtin::Exp:
    case Builtin::Pow:
    case Builtin::Sqrt: return MathCall(e, info->id, scope);  // scaled.cc
    default: return Rounding(e, info->id, scope);
  }
}

// floor / ceil / round (x [, unit]).
Type Checker::Rounding(Expr& e, Builtin id, Scope& scope) {
  (void)id;
  Expr& x = *e.args[0];
  int unit_scale = 0;
  int64_t unit_raw = 1;
  if (e.args.size() == 3 && !RoundModeArgument(*e.args[2])) return Type{};  // scaled.cc
  if (e.args.size() >= 2) {
    Expr& unit = *e.args[1];
    Value(unit, scope);
    bool positive = (unit.kind == ExprKind::IntLit || unit.kind == ExprKind::DecimalLit) && unit.int_value > 0;
    if (!positive) {
      diags_.Report(DiagKind::BadRoundingUnit, unit.span, "the rounding unit must be a positive constant",
                    "write the unit as a number, e.g. floor(x, 1_000.00) rounds down to a multiple of 1_000.00");
      return Type{};
    }
    unit_scale = unit.kind == ExprKind::DecimalLit ? unit.scale : 0;
    unit_raw = unit.int_value;
  }
  // Exact rounding computes k = x·10^(sd+su) / (unit·10^sx) with 64-bit constants.
  auto exact_fits = [&](const Type& numerator, const Type& divisor) {
    int sx = numerator.is(Base::Decimal) ? numerator.scale : 0, sd = divisor.is(Base::Decimal) ? divisor.scale : 0;
    if (rt::Reduce(__int128(rt::Pow10(sd + unit_scale)), __int128(unit_raw) * rt::Pow10(sx)).fits) return true;
    diags_.Report(DiagKind::BadRoundingUnit, e.args.size() >= 2 ? e.args[1]->span : e.span,
                  fmt::format("the rounding unit is too large for exact arithmetic on a value with {} fraction digits", sx),
                  "round to a smaller unit, or round the value to fewer fraction digits first");
    return false;
  };
  // An exact quotient inside a rounding is computed exactly (a rational), not as a double.
  if (x.kind == ExprKind::Binary && x.op == ast::BinaryOp::Div) {
    Type n = Dividend(x, scope), d = Value(*x.args[1], scope);
    if (n.error() || d.error()) return Type{};
    if (n.is_exact() && d.is_exact()) {
      if (!exact_fits(n, d)) return Type{};
      x.resolved.exact_quotient = true;
      const Expr& divisor = *x.args[1];
      bool nonzero_constant = IsNumericLiteral(divisor) && LiteralNonZero(divisor);
      bool optional = n.optional || d.optional || !nonzero_constant;
      x.type = Type::Of(Base::Number, optional);
      return ExactRounded(unit_scale, optional);
    }
    x.type = Infer(x, scope, nullptr);  // an ordinary (binary) division; re-check as such
    Type t = x.type;
    return t.error() ? t : ExactRounded(unit_scale, t.optional);
  }
  Type t = Value(x, scope);
  if (t.error()) return t;
  if (!t.is_numeric()) return Mismatch(x.span, fmt::format("{} needs a number", e.text), t, Base::Number);
  if (t.is_exact() && !exact_fits(t, Type::Of(Base::Int))) return Type{};
  // The result has the unit's precision: floor(x, 1_000.00) is money, floor(x) an int.
  return ExactRounded(unit_scale, t.optional);
}

Type Checker::ExactRounded(int scale, bool optional) {
  return scale == 0 ? Type::Of(Base::Int, optional) : Type::Dec(scale, optional);
}

}  // namespace credo::check
