// oracle_eval.cc — expressions, by the rules of docs/language.md ("Expressions", "Arithmetic",
// "Missing values", "Bins", "Tables", "Limits", "Built-in functions"), one value at a time.
#include "oracle_eval.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::oracle {
namespace {

using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using check::Builtin;

// The calendar functions added with issue 10 (add_days, add_years, end_of_month, day_of_week),
// computed independently of rt::Calendar with the C++20 civil calendar of <chrono>. The older
// ones (year ... add_months) still use rt::Calendar.
namespace chr = std::chrono;
chr::year_month_day Civil(int64_t days) { return chr::year_month_day{chr::sys_days{chr::days{days}}}; }
int64_t DaysOf(chr::year_month_day d) { return chr::sys_days{d}.time_since_epoch().count(); }
bool YearInRange(long long y) { return y >= 0 && y <= 9999; }

chr::year_month_day PlusYears(int64_t date, int64_t years) {
  chr::year_month_day d = Civil(date) + chr::years{years};
  return d.ok() ? d : chr::year_month_day{chr::year_month_day_last{d.year(), chr::month_day_last{d.month()}}};
}

bool OracleDateInRange(rt::CalendarFn fn, int64_t date, int64_t b) {
  switch (fn) {
    case rt::CalendarFn::AddDays:
      if (b > 4'000'000 || b < -4'000'000) return false;  // more days than the range holds
      return YearInRange(int(Civil(date + b).year()));
    case rt::CalendarFn::AddYears:
      if (b > 10'000 || b < -10'000) return false;
      return YearInRange(int(Civil(date).year()) + b);
    case rt::CalendarFn::AddMonths: return rt::AddMonthsInRange(date, b);
    default: return true;
  }
}

int64_t OracleCalendar(rt::CalendarFn fn, int64_t date, int64_t b) {
  switch (fn) {
    case rt::CalendarFn::AddDays: return date + b;
    case rt::CalendarFn::AddYears: return DaysOf(PlusYears(date, b));
    case rt::CalendarFn::EndOfMonth: {
      chr::year_month_day d = Civil(date);
      return DaysOf(chr::year_month_day{chr::year_month_day_last{d.year(), chr::month_day_last{d.month()}}});
    }
    case rt::CalendarFn::DayOfWeek: return chr::weekday{chr::sys_days{chr::days{date}}}.iso_encoding();
    default: return rt::Calendar(fn, date, b);
  }
}

Value Bool(bool b) {
  Value v;
  v.base = Base::Bool;
  v.i = b;
  return v;
}

Value Exact(int64_t i, int scale) {
  Value v;
  v.base = scale ? Base::Decimal : Base::Int;
  v.scale = scale;
  v.i = i;
  return v;
}

Value Number(double d) {
  Value v;
  v.base = Base::Number;
  v.d = d;
  return v;
}

bool IsExact(const Value& v) {
  return v.base == Base::Int || v.base == Base::Decimal;
}

// The type two numeric operands are brought to: number wins, then the finer decimal scale.
Type Common(const Type& a, const Type& b) {
  if (a.is(Base::Number) || b.is(Base::Number)) return Type::Of(Base::Number);
  if (a.is(Base::Decimal) || b.is(Base::Decimal)) return Type::Dec(std::max(a.scale, b.scale));
  return Type::Of(Base::Int);
}

template <typename T>
bool CompareBy(ast::CompareOp op, const T& a, const T& b) {
  switch (op) {
    case ast::CompareOp::Lt:
      return a < b;
    case ast::CompareOp::Le:
      return a <= b;
    case ast::CompareOp::Gt:
      return a > b;
    case ast::CompareOp::Ge:
      return a >= b;
    case ast::CompareOp::Eq:
      return a == b;
    case ast::CompareOp::Ne:
      return a != b;
  }
  return false;
}

ast::CompareOp CompareOpOf(BinaryOp op) {
  switch (op) {
    case BinaryOp::Lt:
      return ast::CompareOp::Lt;
    case BinaryOp::Le:
      return ast::CompareOp::Le;
    case BinaryOp::Gt:
      return ast::CompareOp::Gt;
    case BinaryOp::Ge:
      return ast::CompareOp::Ge;
    case BinaryOp::Eq:
      return ast::CompareOp::Eq;
    default:
      return ast::CompareOp::Ne;
  }
}

// A double rounded to a whole number by `mode` (docs/language.md, "Limits: min, max and rounding").
double RoundNumber(double x, rt::RoundMode mode) {
  double below = std::floor(x), above = std::ceil(x);
  switch (mode) {
    case rt::RoundMode::Floor:
      return below;
    case rt::RoundMode::Ceil:
      return above;
    case rt::RoundMode::Down:
      return x < 0 ? above : below;
    case rt::RoundMode::Up:
      return x < 0 ? below : above;
    default:
      break;
  }
  if (x - below != above - x) return x - below < above - x ? below : above;  // not a tie
  if (mode == rt::RoundMode::HalfEven) return std::fmod(below, 2.0) == 0 ? below : above;
  bool away = mode == rt::RoundMode::HalfUp;  // half_up: ties away from zero; half_down: toward
  return (x < 0) == away ? below : above;
}

rt::RoundMode ModeOf(const Expr& e, Builtin id) {
  if (e.args.size() == 3) {  // round(x, unit, MODE)
    static const std::pair<const char*, rt::RoundMode> kWords[] = {
        {"half_up", rt::RoundMode::HalfUp},     {"half_even", rt::RoundMode::HalfEven}, {"half_down", rt::RoundMode::HalfDown},
        {"floor", rt::RoundMode::Floor},        {"ceiling", rt::RoundMode::Ceil},       {"toward_zero", rt::RoundMode::Down},
        {"away_from_zero", rt::RoundMode::Up}};
    for (auto& [word, mode] : kWords)
      if (e.args[2]->text == word) return mode;
  }
  switch (id) {
    case Builtin::Floor:
      return rt::RoundMode::Floor;
    case Builtin::Ceil:
      return rt::RoundMode::Ceil;
    case Builtin::RoundHalfEven:
      return rt::RoundMode::HalfEven;
    default:
      return rt::RoundMode::HalfUp;
  }
}

}  // namespace

Value MissingValue(const Type& t) {
  Value v;
  v.base = t.base;
  v.scale = t.scale;
  v.present = false;
  return v;
}

void LiteralOf(const Expr& e, int64_t& scaled, int& scale) {
  if (e.kind == ExprKind::Neg) {
    LiteralOf(*e.args[0], scaled, scale);
    scaled = -scaled;
    return;
  }
  scaled = e.int_value;
  scale = e.kind == ExprKind::DecimalLit ? e.scale : 0;
}

Value ExprEval::Fail(Value v) {
  v.error = Earlier(v.error, sink_.Raise(*what_));
  return v;
}

Value ExprEval::FailDate(Value v) {
  v.error = Earlier(v.error, sink_.Raise(*what_, "date_range"));
  return v;
}

Value ExprEval::Convert(Value v, const Type& to) {
  if (to.is(Base::Missing) || to.error()) return v;
  if (v.base == Base::Missing) return MissingValue(to);
  if (to.is(Base::Number) && IsExact(v)) {
    double d = v.scale ? double(v.i) / double(rt::Pow10(v.scale)) : double(v.i);
    v.base = Base::Number;
    v.d = v.present ? d : 0;
    v.i = 0;
    v.scale = 0;
    return v;
  }
  if (to.is(Base::Decimal) && IsExact(v)) {
    if (to.scale > v.scale) {
      int64_t wide;
      bool overflow = __builtin_mul_overflow(v.i, rt::Pow10(to.scale - v.scale), &wide);
      v.i = wide;
      if (overflow && v.present) v = Fail(v);
    }
    v.base = Base::Decimal;
    v.scale = to.scale;
  }
  return v;
}

Value ExprEval::Eval(const Expr& e, const Env& env, const std::string& what) {
  const Env* saved_env = env_;
  const std::string* saved_what = what_;
  env_ = &env;
  what_ = &what;
  Value v = Eval(e);
  env_ = saved_env;
  what_ = saved_what;
  return v;
}

Value ExprEval::EvalAs(const Expr& e, const Type& want, const Env& env, const std::string& what) {
  const std::string* saved_what = what_;
  what_ = &what;
  Value v = Convert(Eval(e, env, what), want);
  what_ = saved_what;
  return v;
}

Value ExprEval::Eval(const Expr& e) {
  return Convert(Raw(e), e.type);
}

Value ExprEval::Raw(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit:
      return Exact(e.int_value, 0);
    case ExprKind::DecimalLit: {
      Value v = Exact(e.int_value, e.scale);
      v.base = Base::Decimal;
      return v;
    }
    case ExprKind::StringLit: {
      Value v;
      v.base = Base::String;
      v.s = e.text;
      return v;
    }
    case ExprKind::BoolLit:
      return Bool(e.int_value != 0);
    case ExprKind::MissingLit:
      return MissingValue(e.type);
    case ExprKind::NameRef: {
      if (e.resolved.enum_value) {
        Value v;
        v.base = Base::Enum;
        v.i = e.resolved.index;
        return v;
      }
      int s = e.resolved.symbol;
      if (cp_.symbols[s].kind == check::SymbolKind::GroupLet) return env_->group_let(s);
      if (cp_.symbols[s].kind == check::SymbolKind::Param) {
        // The argument's error ranks where the parameter is read: as if the argument were
        // written in its place (docs/language.md, "Functions").
        Value v = params_.at(s);
        v.error = sink_.Reread(v.error);
        return v;
      }
      return env_->record({s, -1, -1});
    }
    case ExprKind::Member:
      return env_->record({e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index});
    case ExprKind::Call:
      return Call(e);
    case ExprKind::Index:
      return Index(e);
    case ExprKind::Neg: {
      Value a = Eval(*e.args[0]);
      if (!a.present) return a;
      if (a.base == Base::Number) {
        a.d = -a.d;
        return a;
      }
      bool overflow = __builtin_sub_overflow(int64_t(0), a.i, &a.i);
      return overflow ? Fail(a) : a;
    }
    case ExprKind::Not: {
      Value a = Eval(*e.args[0]);
      if (a.present) a.i = !a.i;
      return a;
    }
    case ExprKind::Binary:
      return Binary(e);
    case ExprKind::And:
    case ExprKind::Or: {
      Value a = Eval(*e.args[0]), b = Eval(*e.args[1]);
      bool is_and = e.kind == ExprKind::And;
      Value r = Bool(false);
      // Kleene: the dominant value (false for and, true for or) wins over missing.
      if ((a.present && bool(a.i) != is_and) || (b.present && bool(b.i) != is_and))
        r.i = !is_and;
      else if (!a.present || !b.present)
        r.present = false;
      else
        r.i = is_and;
      // a's error; b's unless a decides (a present false for `and`, a present true for `or`).
      bool a_decides = a.present && bool(a.i) != is_and;
      r.error = a.error.set() || a_decides ? a.error : b.error;
      return r;
    }
    case ExprKind::Coalesce: {
      Value a = Convert(Eval(*e.args[0]), e.type), b = Convert(Eval(*e.args[1]), e.type);
      if (a.present) return a;
      b.error = Earlier(a.error, b.error);
      return b;
    }
    case ExprKind::IsMissing: {
      Value a = Eval(*e.args[0]);
      Value r = Bool(a.present == e.negated);
      r.error = a.error;
      return r;
    }
    case ExprKind::In: {
      Value x = Eval(*e.args[0]);
      // `x == a or x == b or ...`: Kleene, and an item's error counts unless an earlier one matched.
      Value any = Bool(false);
      for (size_t k = 1; k < e.args.size(); ++k) {
        Value eq = Compare(BinaryOp::Eq, x, Eval(*e.args[k]), e.args[0]->type, e.args[k]->type);
        if (!any.error.set() && !any.i) any.error = eq.error;
        if (eq.present && eq.i) any.i = 1;
        if (!eq.present) any.present = false;
      }
      if (any.i) any.present = true;  // `or` of the comparisons: true wins over missing
      if (e.negated && any.present) any.i = !any.i;
      return any;
    }
    case ExprKind::InRange: {
      // `x >= lo and x < hi` (`>` / `<=` as the bounds are open or closed), Kleene as `and`.
      Value x = Eval(*e.args[0]);
      Value lo = Compare(e.lo_closed ? BinaryOp::Ge : BinaryOp::Gt, x, Eval(*e.args[1]), e.args[0]->type, e.args[1]->type);
      Value hi = Compare(e.hi_closed ? BinaryOp::Le : BinaryOp::Lt, x, Eval(*e.args[2]), e.args[0]->type, e.args[2]->type);
      bool lo_false = lo.present && !lo.i, hi_false = hi.present && !hi.i;
      Value r = Bool(!lo_false && !hi_false);
      if (!lo_false && !hi_false && (!lo.present || !hi.present)) r.present = false, r.i = 0;
      r.error = lo.error.set() || lo_false ? lo.error : hi.error;
      if (e.negated && r.present) r.i = !r.i;
      return r;
    }
    case ExprKind::If: {
      Value c = Eval(*e.args[0]);
      Value a = Convert(Eval(*e.args[1]), e.type), b = Convert(Eval(*e.args[2]), e.type);
      Value r = c.i ? a : b;
      r.error = Earlier(c.error, r.error);
      return r;
    }
  }
  return Value{};
}

Value ExprEval::Compare(BinaryOp op, Value a, Value b, const Type& ta, const Type& tb) {
  if (ta.is_numeric() && tb.is_numeric()) {
    Type common = Common(ta, tb);
    a = Convert(a, common);
    b = Convert(b, common);
  }
  Value r = Bool(false);
  r.error = Earlier(a.error, b.error);
  if (!a.present || !b.present) {
    r.present = false;
    return r;
  }
  ast::CompareOp cop = CompareOpOf(op);
  if (a.base == Base::Number)
    r.i = CompareBy(cop, a.d, b.d);
  else if (a.base == Base::String)
    r.i = CompareBy(cop, a.s, b.s);
  else
    r.i = CompareBy(cop, a.i, b.i);
  return r;
}

Value ExprEval::Binary(const Expr& e) {
  const Type& ta = e.args[0]->type;
  const Type& tb = e.args[1]->type;
  Value a = Eval(*e.args[0]), b = Eval(*e.args[1]);  // in this order: errors rank by evaluation order
  if (e.op >= BinaryOp::Lt) return Compare(e.op, a, b, ta, tb);
  Error both = Earlier(a.error, b.error);
  if (e.type.is(Base::String)) {  // s + t: the texts one after the other
    if (!a.present || !b.present) {
      Value m = MissingValue(e.type);
      m.error = both;
      return m;
    }
    a.s += b.s;
    a.error = both;
    return a;
  }
  auto missing = [&](const Type& t) {
    Value m = MissingValue(t);
    m.error = both;
    return m;
  };
  if (ta.is(Base::Date)) {  // date - date: days; date ± days: a date
    if (!a.present || !b.present) return missing(e.type);
    Value r = a;
    r.base = e.type.base;
    r.error = both;
    bool overflow =
        e.op == BinaryOp::Sub ? __builtin_sub_overflow(a.i, b.i, &r.i) : __builtin_add_overflow(a.i, b.i, &r.i);
    if (r.base == Base::Date && (overflow || !rt::InDateRange(r.i))) return FailDate(r);
    return overflow ? Fail(r) : r;
  }
  if (e.op == BinaryOp::Div) {
    double x, y;
    if (ta.is_exact() && tb.is_exact()) {  // the same scale, then the whole numbers in doubles
      Type common = Common(ta, tb);
      a = Convert(a, common);
      b = Convert(b, common);
      both = Earlier(a.error, b.error);
      x = double(a.i), y = double(b.i);
    } else {
      a = Convert(a, Type::Of(Base::Number));
      b = Convert(b, Type::Of(Base::Number));
      x = a.d, y = b.d;
    }
    if (!a.present || !b.present || y == 0) return missing(Type::Of(Base::Number, true));
    Value r = Number(x / y);
    r.error = both;
    return std::isfinite(r.d) ? r : Fail(r);
  }
  Type result = e.type;
  if (!(e.op == BinaryOp::Mul && result.is(Base::Decimal))) {  // a decimal product keeps both scales
    a = Convert(a, result);
    b = Convert(b, result);
    both = Earlier(a.error, b.error);
  }
  if (!a.present || !b.present) return missing(result);
  if (result.is(Base::Number)) {
    double d = e.op == BinaryOp::Add ? a.d + b.d : e.op == BinaryOp::Sub ? a.d - b.d : a.d * b.d;
    Value r = Number(d);
    r.error = both;
    return std::isfinite(d) ? r : Fail(r);
  }
  Value r = Exact(0, e.op == BinaryOp::Mul ? a.scale + b.scale : a.scale);
  r.base = result.base;
  r.error = both;
  bool overflow = e.op == BinaryOp::Add   ? __builtin_add_overflow(a.i, b.i, &r.i)
                  : e.op == BinaryOp::Sub ? __builtin_sub_overflow(a.i, b.i, &r.i)
                                          : __builtin_mul_overflow(a.i, b.i, &r.i);
  return overflow ? Fail(r) : r;
}

// A user function's call: the body evaluated with its parameters bound to the arguments'
// values (each converted to its parameter's type), the result converted to the declared one.
Value ExprEval::UserCall(const Expr& e) {
  const auto& fn = cp_.functions[size_t(e.resolved.symbol)];
  std::vector<Value> args;
  for (size_t i = 0; i < e.args.size(); ++i) args.push_back(Convert(Eval(*e.args[i]), cp_.symbols[fn.params[i]].type));
  std::map<int, Value> outer = params_;
  for (size_t i = 0; i < args.size(); ++i) params_[fn.params[i]] = args[i];
  Value v = Convert(Eval(*cp_.ast().functions[size_t(e.resolved.symbol)].body), fn.result);
  params_ = std::move(outer);
  return v;
}

Value ExprEval::Call(const Expr& e) {
  auto id = static_cast<Builtin>(e.resolved.index);
  if (id == Builtin::User) return UserCall(e);
  if (check::IsAggregate(id)) {  // its error, from the whole group, is read here
    Value v = env_->aggregate(e);
    v.error = sink_.Reread(v.error);
    return v;
  }
  if (id == Builtin::Floor || id == Builtin::Ceil || id == Builtin::Round || id == Builtin::RoundHalfEven)
    return Rounding(e, id);
  if (check::IsListOrText(id)) return ListOrText(e, id);  // its own operands: an exact quotient or product is not computed alone
  std::vector<Value> args;
  Error all;
  bool present = true;
  if (id != Builtin::Date)
    for (const auto& a : e.args) {
      args.push_back(Eval(*a));
      all = Earlier(all, args.back().error);
      present &= args.back().present;
    }
  auto missing = [&] {
    Value m = MissingValue(e.type);
    m.error = all;
    return m;
  };
  switch (id) {
    case Builtin::Min:
    case Builtin::Max: {
      for (auto& a : args) a = Convert(a, e.type), all = Earlier(all, a.error);
      if (!present) return missing();
      Value acc = args[0];
      for (size_t k = 1; k < args.size(); ++k) {
        const Value& next = args[k];
        bool a_le_b = acc.base == Base::Number ? acc.d <= next.d : acc.i <= next.i;
        if ((id == Builtin::Min) != a_le_b) acc = next;
      }
      acc.error = all;
      return acc;
    }
    case Builtin::Abs: {
      Value a = args[0];
      if (!a.present) return a;
      if (a.base == Base::Number) {
        a.d = std::fabs(a.d);
        return a;
      }
      if (a.i >= 0) return a;
      bool overflow = __builtin_sub_overflow(int64_t(0), a.i, &a.i);
      return overflow ? Fail(a) : a;
    }
    case Builtin::ToNumber:
      return Convert(args[0], Type::Of(Base::Number));
    case Builtin::DaysBetween: {
      if (!present) return missing();
      Value r = Exact(0, 0);
      r.error = all;
      return __builtin_sub_overflow(args[1].i, args[0].i, &r.i) ? Fail(r) : r;
    }
    case Builtin::Year:
    case Builtin::Month:
    case Builtin::Day:
    case Builtin::YearsBetween:
    case Builtin::MonthsBetween:
    case Builtin::AddMonths:
    case Builtin::AddDays:
    case Builtin::AddYears:
    case Builtin::EndOfMonth:
    case Builtin::DayOfWeek: {
      if (!present) return missing();
      Value r = Exact(0, 0);
      r.base = e.type.base;
      r.error = all;
      int64_t b = args.size() > 1 ? args[1].i : 0;
      rt::CalendarFn fn = id == Builtin::Year            ? rt::CalendarFn::Year
                          : id == Builtin::Month         ? rt::CalendarFn::Month
                          : id == Builtin::Day           ? rt::CalendarFn::Day
                          : id == Builtin::YearsBetween  ? rt::CalendarFn::YearsBetween
                          : id == Builtin::MonthsBetween ? rt::CalendarFn::MonthsBetween
                          : id == Builtin::AddDays       ? rt::CalendarFn::AddDays
                          : id == Builtin::AddYears      ? rt::CalendarFn::AddYears
                          : id == Builtin::EndOfMonth    ? rt::CalendarFn::EndOfMonth
                          : id == Builtin::DayOfWeek     ? rt::CalendarFn::DayOfWeek
                                                         : rt::CalendarFn::AddMonths;
      if (!OracleDateInRange(fn, args[0].i, b)) return FailDate(r);
      r.i = OracleCalendar(fn, args[0].i, b);
      return r;
    }
    case Builtin::Date: {
      int y = 0, m = 0, d = 0;
      std::sscanf(e.args[0]->text.c_str(), "%d-%d-%d", &y, &m, &d);
      Value r = Exact(rt::DaysFromCivil(y, m, d), 0);
      r.base = Base::Date;
      return r;
    }
    case Builtin::Ln:
    case Builtin::Exp:
    case Builtin::Pow:
    case Builtin::Sqrt: {  // docs/language.md, "Built-in functions": the C library's functions
      for (auto& a : args) a = Convert(a, Type::Of(Base::Number));
      if (!present) return missing();
      double x = args[0].d, y = args.size() > 1 ? args[1].d : 0, r;
      bool real = true;
      switch (id) {
        case Builtin::Ln: real = x > 0; r = real ? std::log(x) : 0; break;
        case Builtin::Exp: r = std::exp(x); break;
        case Builtin::Sqrt: real = x >= 0; r = real ? std::sqrt(x) : 0; break;
        default:
          real = !(x == 0 && y < 0) && !(x < 0 && std::trunc(y) != y);
          r = real ? std::pow(x, y) : 0;
          break;
      }
      if (!real) return missing();
      Value v = Number(r);
      v.error = all;
      if (std::isinf(r)) {
        v.d = 0;
        return Fail(v);
      }
      return v;
    }
    default:
      return Rounding(e, id);
  }
}

// floor/ceil/round(x [, unit]): k = x / unit rounded, exactly for an exact x (an exact quotient
// or product inside is not rounded or bounded before), in doubles for a number; the result is
// k·unit at the unit's scale.
Value ExprEval::Rounding(const Expr& e, Builtin id) {
  int64_t unit = 1;
  int unit_scale = 0;
  if (e.args.size() >= 2) LiteralOf(*e.args[1], unit, unit_scale);
  const Expr& x = *e.args[0];
  rt::RoundMode mode = ModeOf(e, id);
  Value k = Exact(0, 0);
  if (x.resolved.exact_quotient || x.type.is_exact()) {
    const Expr* numerator = x.resolved.exact_quotient ? x.args[0].get() : &x;
    Value n1, n2 = Exact(1, 0), d = Exact(1, 0);
    if (numerator->kind == ExprKind::Binary && numerator->op == BinaryOp::Mul && numerator->type.is_exact()) {
      n1 = Eval(*numerator->args[0]);
      n2 = Eval(*numerator->args[1]);
    } else {
      n1 = Eval(*numerator);
    }
    if (x.resolved.exact_quotient) d = Eval(*x.args[1]);
    k.error = Earlier(Earlier(n1.error, n2.error), d.error);
    if (!n1.present || !n2.present || !d.present || d.i == 0) {
      Value m = MissingValue(e.type);
      m.error = k.error;
      return m;
    }
    // n1·n2 / 10^sn over d / 10^sd, divided by unit / 10^su.
    rt::ReducedRatio ratio =
        rt::Reduce(__int128(rt::Pow10(d.scale + unit_scale)), __int128(unit) * rt::Pow10(n1.scale + n2.scale));
    __int128 num = __int128(n1.i) * n2.i, den;
    if (__builtin_mul_overflow(num, ratio.num, &num) || __builtin_mul_overflow(__int128(d.i), ratio.den, &den))
      return Fail(MissingValue(e.type));
    __int128 q = rt::DivRound(num, den, mode);
    if (q > INT64_MAX || q < INT64_MIN) return Fail(k);
    k.i = int64_t(q);
  } else {
    Value a = Convert(Eval(x), Type::Of(Base::Number));
    k.error = a.error;
    if (!a.present) {
      Value m = MissingValue(e.type);
      m.error = a.error;
      return m;
    }
    double q = RoundNumber(a.d / (double(unit) / double(rt::Pow10(unit_scale))), mode);
    if (!(std::fabs(q) < 4611686018427387904.0)) return Fail(k);  // 2^62
    k.i = int64_t(q);
  }
  if (unit == 1 && unit_scale == 0) return k;
  Value r = Exact(0, unit_scale);
  r.error = k.error;
  return __builtin_mul_overflow(k.i, unit, &r.i) ? Fail(r) : r;
}

Value ExprEval::Index(const Expr& e) {
  const check::Symbol& sym = cp_.symbols[e.args[0]->resolved.symbol];
  if (cp_.lookup_table_ids[size_t(sym.decl)] >= 0) return GeneralIndex(e);
  const ast::Table& table = cp_.ast().tables[sym.decl];
  Type value_type = sym.type.Required();
  std::vector<Value> keys;
  Error all;
  bool present = true;
  for (size_t k = 1; k < e.args.size(); ++k) {
    keys.push_back(Eval(*e.args[k]));
    all = Earlier(all, keys.back().error);
    present &= keys.back().present;
  }
  if (!present) {
    Value m = MissingValue(value_type);
    m.error = all;
    return m;
  }
  const ast::TableEntry* hit = nullptr;
  for (const auto& entry : table.entries) {
    if (entry.keys.empty()) continue;
    for (const auto& tuple : entry.keys) {
      bool all_match = true;
      for (size_t k = 0; k < tuple.size() && all_match; ++k) {
        if (tuple[k].text == "_") continue;
        const auto& names = cp_.enums[e.args[k + 1]->type.enum_id].values;
        all_match = keys[k].i < int64_t(names.size()) && names[size_t(keys[k].i)] == tuple[k].text;
      }
      if (all_match) hit = &entry;
      if (hit) break;
    }
    if (hit) break;
  }
  if (!hit)
    for (const auto& entry : table.entries)
      if (entry.keys.empty()) hit = &entry;
  Value v = Convert(Eval(*hit->value), value_type);
  v.error = Earlier(v.error, all);
  return v;
}

bool ExprEval::BinTestHolds(const ast::BinTest& t, const Value& subject) {
  auto holds = [&](ast::CompareOp op, const ast::BinValue& c) -> bool {
    switch (c.kind) {
      case ast::BinValue::String:
        return CompareBy(op, subject.s, c.text);
      case ast::BinValue::Bool:
        return CompareBy(op, subject.i != 0, c.bool_value);
      case ast::BinValue::Name:
        return CompareBy(op, subject.i, subject_enum_ordinal(c.text));
      case ast::BinValue::Number:
        break;
    }
    if (subject.base == Base::Number) return CompareBy(op, subject.d, double(c.scaled) / double(rt::Pow10(c.scale)));
    // Exact: compare on the finer of the two grids, exactly (a bin test never fails).
    __int128 x = subject.i, y = c.scaled;
    if (c.scale > subject.scale)
      x *= rt::Pow10(c.scale - subject.scale);
    else
      y *= rt::Pow10(subject.scale - c.scale);
    return CompareBy(op, x, y);
  };
  switch (t.kind) {
    case ast::BinTest::Interval:
      return holds(t.lo_closed ? ast::CompareOp::Ge : ast::CompareOp::Gt, t.lo) &&
             holds(t.hi_closed ? ast::CompareOp::Le : ast::CompareOp::Lt, t.hi);
    case ast::BinTest::Compare:
      return holds(t.op, t.value);
    case ast::BinTest::Value:
      return holds(ast::CompareOp::Eq, t.value);
    default:
      return false;
  }
}

Value ExprEval::Bins(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& want, const Env& env,
                     const std::string& what) {
  const Env* saved_env = env_;
  const std::string* saved_what = what_;
  env_ = &env;
  what_ = &what;
  Value subject = Eval(subject_expr);
  subject_enum_ = subject_expr.type.enum_id;
  const ast::Bin* hit = nullptr;
  const ast::Bin* otherwise = nullptr;
  for (const auto& bin : bins) {
    for (const auto& t : bin.tests) {
      if (t.kind == ast::BinTest::Else) otherwise = &bin;
      bool applies = t.kind == ast::BinTest::Missing ? !subject.present
                     : t.kind == ast::BinTest::Else  ? false
                                                     : subject.present && BinTestHolds(t, subject);
      if (applies && !hit) hit = &bin;
    }
  }
  if (!hit) hit = otherwise;
  if (!hit) hit = &bins.back();  // a value outside the field's `where` bounds: a rejected record
  Value v = Convert(Eval(*hit->result), want.Required());
  v.error = Earlier(subject.error, v.error);  // the subject's, then the chosen bin's value's
  env_ = saved_env;
  what_ = saved_what;
  return v;
}

int64_t ExprEval::subject_enum_ordinal(const std::string& name) const {
  const auto& values = cp_.enums[subject_enum_].values;
  return std::find(values.begin(), values.end(), name) - values.begin();
}

}  // namespace credo::oracle
