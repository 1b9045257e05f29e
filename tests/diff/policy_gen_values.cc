// policy_gen_values.cc — PolicyGen's values of every type but bool (policy_gen_impl.h): exact
// numbers (ints and decimals, rounding, calendar arithmetic, aggregates), numbers (division, ln,
// exp, pow, sqrt), strings, dates and enums; `??` and `is present` narrowing; values that
// overflow in one branch; a value that fits a declared type, and the type's text.
#include "policy_gen_impl.h"

#include <iterator>

#include <fmt/format.h>

#include "gen_exprs.h"
#include "gen_woe.h"

namespace credo::diff::policy_gen_detail {

Ex PolicyGen::Coalesce(const Ex& a, const Ex& b) {
  std::optional<Ty> u = UnifyTy(a.t.Opt(false), b.t);
  if (!u) return a;
  Ty t = *u;
  t.opt = b.t.opt;
  return Bin(a, "??", b, t);
}

// A value that is never missing: `e ?? default` when e may be.
Ex PolicyGen::Fix(Ex e, bool opt_ok) {
  if (opt_ok || !e.t.opt) return e;
  if (e.t.b == B::Dec && e.t.scale == 0) return Coalesce(e, IntLit(0));
  return Coalesce(e, Default(e.t));
}

// `a ?? b` for an `a` of gen() that may be missing: b a literal of lit() (7 in 10) or another
// gen(). False, and `out` untouched, when a is never missing.
template <typename G, typename L>
bool PolicyGen::CoalesceOf(G gen, L lit, Ex& out) {
  Ex a = gen();
  if (!a.t.opt) return false;
  out = Coalesce(a, r_.Chance(70) ? lit() : gen());
  return true;
}

// An optional plain name the generator may narrow with `is present`.
const Sym* PolicyGen::NarrowCandidate() {
  std::vector<const Sym*> c;
  for (auto& s : syms_)
    if (s.narrowable && s.t.opt && !Present(s.name) && (!fields_only_ || s.field)) c.push_back(&s);
  if (c.empty()) return nullptr;
  return c[r_.Index(c.size())];
}

// `if X is present then A else B`, A generated knowing X is present.
template <typename G>
bool PolicyGen::NarrowedIf(G gen, Ex& out) {
  const Sym* x = NarrowCandidate();
  if (!x) return false;
  std::string name = x->name;
  present_.push_back(name);
  std::string saved = prefer_;
  prefer_ = name;
  Ex a = gen();
  prefer_ = saved;
  present_.pop_back();
  Ex b = gen();
  std::optional<Ty> t = UnifyTy(a.t, b.t);
  if (!t) return false;
  int form = int(r_.Range(0, 3));
  if (form == 0) out = Make("(if " + name + " is present then " + a.s + " else " + b.s + ")", *t);
  else if (form == 1) out = Make("(if " + name + " is not missing then " + a.s + " else " + b.s + ")", *t);
  else if (form == 2) out = Make("(if " + name + " is missing then " + b.s + " else " + a.s + ")", *t);
  else out = Make("(if not (" + name + " is present) then " + b.s + " else " + a.s + ")", *t);
  return true;
}

// An int that overflows for most records: an int times 4e18 (|x| >= 3 overflows).
Ex PolicyGen::Overflowing(int d) {
  Ex x = GenExact(d, false, 0, true);
  return Bin(x, "*", IntLit(4'000'000'000'000'000'000), T(B::Int));
}

// `if c then <overflowing> else b` (or the other way round): only the records that take the
// overflowing branch may be rejected, as an error counts only where it is used.
Ex PolicyGen::OverflowInBranch(int d, int max_scale, bool int_only) {
  Ex c = GenBool(d - 1, false);
  Ex risky = Overflowing(d - 1), safe = GenExact(d - 1, true, max_scale, int_only);
  std::optional<Ty> t = UnifyTy(risky.t, safe.t);
  if (!t) return safe;
  bool risky_first = r_.Chance(50);
  const Ex& a = risky_first ? risky : safe;
  const Ex& b = risky_first ? safe : risky;
  return Make("(if " + c.s + " then " + a.s + " else " + b.s + ")", *t);
}

// A `set` value for `target` that overflows for most members, when its type takes an int.
std::optional<Ex> PolicyGen::OverflowingFit(const Ty& target) {
  bool takes_int = target.b == B::Int || target.b == B::Num || (target.b == B::Dec && target.scale == 2);
  if (!takes_int) return std::nullopt;
  return r_.Chance(50) ? Overflowing(1) : Fix(OverflowInBranch(2, 0, true), target.opt);
}

// An int or decimal: decimals of scale <= max_scale, or only ints.
Ex PolicyGen::GenExact(int d, bool opt_ok, int max_scale, bool int_only) {
  max_scale = std::max(0, std::min(max_scale, 9));
  if (d > 0 && r_.Chance(3)) return Fix(OverflowInBranch(d, max_scale, int_only), opt_ok);
  auto ok = [&](const Ty& t) {
    return t.exact() && (int_only ? t.b == B::Int : (t.b == B::Int || t.scale <= max_scale));
  };
  Ex e;
  bool done = false;
  int choice = d <= 0 ? (r_.Chance(65) ? 0 : 1) : int(r_.Range(0, 17));
  switch (choice) {
    case 0: done = PickAtom(ok, true, e); break;
    case 1: e = ExactLit(max_scale, int_only); done = true; break;
    case 2: case 3: {
      Ex a = GenExact(d - 1, true, max_scale, int_only), b = GenExact(d - 1, true, max_scale, int_only);
      e = Bin(a, r_.Chance(50) ? "+" : "-", b, *NumericOf(a, b));
      done = true;
      break;
    }
    case 4: case 5: {
      Ex a = GenExact(d - 1, true, max_scale, int_only);
      int left = max_scale - ScaleOf(a.t);
      Ex b = r_.Chance(45) ? ExactLit(left, int_only) : GenExact(d - 1, true, left, int_only);
      Ty t = *NumericOf(a, b);
      if (t.b == B::Dec) t.scale = ScaleOf(a.t) + ScaleOf(b.t);
      e = r_.Chance(50) ? Bin(a, "*", b, t) : Bin(b, "*", a, t);
      done = true;
      break;
    }
    case 6: {
      Ex a = GenExact(d - 1, true, max_scale, int_only);
      if (r_.Chance(50)) {
        e = Make("(-" + a.s + ")", a.t);
        e.lit = a.lit;
      } else {
        e = CallOf("abs", {a}, a.t);
      }
      done = true;
      break;
    }
    case 7: {
      int n = int(r_.Range(2, 3));
      std::vector<Ex> args;
      for (int i = 0; i < n; ++i) {
        args.push_back(r_.Chance(30) ? ExactLit(max_scale, int_only) : GenExact(d - 1, true, max_scale, int_only));
      }
      Ty acc = args[0].t;
      for (size_t i = 1; i < args.size(); ++i) acc = *NumericOf(Make("", acc), args[i]);
      e = CallOf(r_.Chance(50) ? "min" : "max", args, acc);
      done = true;
      break;
    }
    case 8: case 9: e = GenRound(d, max_scale, int_only); done = true; break;
    case 10: e = IfOf(d, [&] { return GenExact(d - 1, true, max_scale, int_only); }); done = true; break;
    case 11: {
      Ex a = GenExact(d - 1, true, max_scale, int_only);
      if (!a.t.opt) break;
      Ex b = GenExact(d - 1, r_.Chance(15), max_scale, int_only);
      e = Coalesce(a, b);
      done = true;
      break;
    }
    case 12: {  // calendar arithmetic: day counts, ages, months, date parts
      Ex a = GenDate(d - 1, true), b = GenDate(d - 1, true);
      Ty t = T(B::Int, a.t.opt || b.t.opt);
      switch (r_.Range(0, 5)) {
        case 0: e = CallOf("days_between", {a, b}, t); break;
        case 1: e = Bin(a, "-", b, t); break;
        case 2: e = CallOf("years_between", {a, b}, t); break;
        case 3: e = CallOf("months_between", {a, b}, t); break;
        default: {
          static const char* kParts[] = {"year", "month", "day", "day_of_week"};
          e = CallOf(kParts[r_.Index(4)], {a}, T(B::Int, a.t.opt));
          break;
        }
      }
      done = true;
      break;
    }
    case 13: done = PickTable(ok, d, true, e); break;
    case 14: done = NarrowedIf([&] { return GenExact(d - 1, true, max_scale, int_only); }, e); break;
    case 15: case 16: {
      if (!agg_ok_) { done = PickAtom(ok, true, e); break; }
      agg_ok_ = false;
      if (r_.Chance(60)) {
        Ex a = GenExact(d - 1, false, max_scale, int_only);
        static const char* kFns[] = {"sum", "min_of", "max_of"};
        e = CallOf(kFns[r_.Index(3)], {a}, a.t.Opt(false));
      } else {
        Ex c = GenBool(d - 1, false);
        e = CallOf(r_.Chance(50) ? "count" : "count_other", {c}, T(B::Int));
      }
      agg_ok_ = true;
      done = true;
      break;
    }
    case 17: done = ListsOrText(d, T(B::Int), GenListOrTextInt, e); break;
  }
  if (!done) e = ExactLit(max_scale, int_only);
  return Fix(e, opt_ok);
}

void PolicyGen::PickUnit(int max_us, int64_t& unit, int& us) {
  struct U { int64_t raw; int scale; int weight; };
  static const U kUnits[] = {{1, 0, 6},   {5, 0, 2},   {10, 0, 2},        {1000, 0, 3},          {100, 2, 4},
                             {1, 2, 6},   {5, 2, 2},   {50, 2, 1},        {1, 1, 3},             {5, 1, 1},
                             {100000, 2, 4}, {1, 3, 2}, {25, 2, 1},       {1, 4, 1},             {100000000, 2, 1},
                             {10, 2, 1},  {100000000000, 2, 1}, {1000000000000, 0, 1}};
  std::vector<U> c;
  for (const U& u : kUnits)
    if (u.scale <= max_us)
      for (int w = 0; w < u.weight; ++w) c.push_back(u);
  if (c.empty()) c.push_back({1, 0, 1});
  U u = r_.Pick(c);
  // The two huge units are rare: they push lowering's unit·10^scale products to the edge.
  if (u.raw >= 100000000000 && !r_.Chance(20)) u = {1000, 0, 1};
  unit = u.raw;
  us = u.scale;
}

// floor / ceil / round / round_half_even, with or without a unit; exact quotients included.
Ex PolicyGen::GenRound(int d, int max_scale, bool int_only) {
  static const char* kFns[] = {"floor", "ceil", "round", "round_half_even"};
  std::string fn = kFns[r_.Index(4)];
  int64_t unit = 1;
  int us = 0;
  bool has_unit = r_.Chance(70);
  if (has_unit) PickUnit(int_only ? 0 : max_scale, unit, us);
  Ty result = us == 0 ? T(B::Int) : DecT(us);
  Ex x;
  bool opt, uncertain = false;
  int form = int(r_.Range(0, 2));
  if (form == 0) {  // an exact quotient: (n1 * n2) / den, computed as a rational
    Ex n = GenExact(d - 1, true, 4);
    if (r_.Chance(50)) {
      Ex n2 = r_.Chance(50) ? ExactLit(std::min(4, 9 - ScaleOf(n.t)), false) : GenExact(d - 1, true, std::min(4, 9 - ScaleOf(n.t)));
      Ty t = *NumericOf(n, n2);
      if (t.b == B::Dec) t.scale = ScaleOf(n.t) + ScaleOf(n2.t);
      n = Bin(n, "*", n2, t);
    }
    Ex den = Divisor(r_.Chance(25) ? ExactLit(3, false) : GenExact(d - 1, true, 4));
    x = Make("(" + n.s + " / " + den.s + ")", T(B::Num, true));
    opt = true;
    uncertain = den.lit;
  } else if (form == 1) {
    x = GenExact(d - 1, true, 6);
    opt = x.t.opt;
  } else {
    x = GenNum(d - 1, true);
    opt = x.exact_div || x.t.opt;
    uncertain = x.div_by_lit;
  }
  std::vector<Ex> args = {x};
  if (has_unit) {
    Ex u = Make(LitText(unit, us, unit >= 100000 && r_.Chance(50)), us ? DecT(us) : T(B::Int));
    NoteLiteral(unit, us);
    args.push_back(u);
    if (fn == "round" && r_.Chance(50)) args.push_back(Make(RoundModeWord(r_), T(B::Int)));  // gen_woe.cc
  }
  Ex call = CallOf(fn, args, result.Opt(opt));
  // An exact quotient by a non-zero constant is optional in docs/language.md but present in the
  // checker being written now: say what missing means either way (at worst a W0002 warning).
  if (uncertain) return Make("(" + call.s + " ?? " + Default(result).s + ")", result);
  return call;
}

// A divisor whose optionality the checker agrees on: no negative literals (`x / -5`).
Ex PolicyGen::Divisor(Ex b) {
  if (b.lit && !b.pos_lit && !b.s.empty() && b.s[0] == '-') return IntLit(r_.Range(1, 12));
  return b;
}

Ex PolicyGen::GenNum(int d, bool opt_ok) {
  Ex e;
  bool done = false;
  int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 14));
  auto is_num = [](const Ty& t) { return t.b == B::Num; };
  switch (choice) {
    case 0: done = PickAtom(is_num, true, e); break;
    case 1: {
      Ex x = r_.Chance(40) ? ExactLit(3, false) : GenExact(d - 1, true, 4);
      e = CallOf("number", {x}, T(B::Num, x.t.opt));
      done = true;
      break;
    }
    case 2: case 3: case 4: {  // division
      Ex a, b;
      int v = int(r_.Range(0, 3));
      if (v == 0) {
        a = GenExact(d - 1, true, 4);
        b = r_.Chance(30) ? ExactLit(3, false) : GenExact(d - 1, true, 4);
      } else if (v == 1) {
        a = GenNum(d - 1, true);
        b = GenNum(d - 1, true);
      } else if (v == 2) {
        a = GenNum(d - 1, true);
        b = r_.Chance(50) ? ExactLit(2, false) : GenExact(d - 1, true, 0, true);
      } else {
        a = GenExact(d - 1, true, 0, true);
        b = GenNum(d - 1, true);
      }
      b = Divisor(b);
      if (!NumericOf(a, b)) break;
      e = Bin(a, "/", b, T(B::Num, a.t.opt || b.t.opt || !b.pos_lit));
      e.exact_div = a.t.exact() && b.t.exact();
      e.div_by_lit = e.exact_div && b.lit;
      done = true;
      break;
    }
    case 5: case 6: {
      Ex a = GenNum(d - 1, true);
      Ex b;
      int v = int(r_.Range(0, 2));
      if (v == 0) b = GenNum(d - 1, true);
      else if (v == 1) b = GenExact(d - 1, true, 0, true);
      else b = ExactLit(3, false);
      static const char* kOps[] = {"+", "-", "*"};
      std::string op = kOps[r_.Index(3)];
      std::optional<Ty> t = NumericOf(a, b);
      if (!t) break;
      e = r_.Chance(50) ? Bin(a, op, b, *t) : Bin(b, op, a, *t);
      done = true;
      break;
    }
    case 7: {
      Ex a = GenNum(d - 1, true);
      e = r_.Chance(50) ? Make("(-" + a.s + ")", a.t) : CallOf("abs", {a}, a.t);
      done = true;
      break;
    }
    case 8: {
      std::vector<Ex> args = {GenNum(d - 1, true)};
      int n = int(r_.Range(1, 2));
      for (int i = 0; i < n; ++i) {
        int v = int(r_.Range(0, 2));
        args.push_back(v == 0 ? GenNum(d - 1, true) : v == 1 ? ExactLit(2, false) : GenExact(d - 1, true, 0, true));
      }
      bool opt = false;
      for (auto& a : args) opt |= a.t.opt;
      e = CallOf(r_.Chance(50) ? "min" : "max", args, T(B::Num, opt));
      done = true;
      break;
    }
    case 9: e = IfOf(d, [&] { return GenNum(d - 1, true); }); done = true; break;
    case 10: {
      Ex a = GenNum(d - 1, true);
      if (!a.t.opt) break;
      Ex b = r_.Chance(50) ? IntLit(r_.Chance(50) ? 0 : SomeInt()) : GenNum(d - 1, r_.Chance(15));
      e = Coalesce(a, b);
      done = true;
      break;
    }
    case 11: done = NarrowedIf([&] { return GenNum(d - 1, true); }, e); break;
    case 12: done = PickTable(is_num, d, true, e); break;
    case 14: {  // ln, exp, pow, sqrt: missing outside their domain, overflow when too large
      Ex x = GenNum(d - 1, true);
      if (x.lit) x = CallOf("abs", {x}, x.t);  // a literal argument can make the result non-optional
      int fn = int(r_.Range(0, 3));
      if (fn == 0) e = CallOf("ln", {x}, T(B::Num, true));
      else if (fn == 1) e = CallOf("exp", {r_.Chance(60) ? Bin(x, "/", IntLit(r_.Range(50, 5000)), x.t) : x}, T(B::Num, x.t.opt));
      else if (fn == 2) e = CallOf("sqrt", {x}, T(B::Num, true));
      else if (r_.Chance(50)) e = CallOf("pow", {x, IntLit(r_.Range(0, 3))}, T(B::Num, x.t.opt));
      else e = CallOf("pow", {x, r_.Chance(50) ? GenNum(d - 1, true) : DecLit(r_.Range(-300, 300), 2)}, T(B::Num, true));
      done = true;
      break;
    }
    case 13: {
      if (!agg_ok_) break;
      agg_ok_ = false;
      Ex a = GenNum(d - 1, false);
      static const char* kFns[] = {"sum", "min_of", "max_of"};
      e = CallOf(kFns[r_.Index(3)], {a}, T(B::Num));
      agg_ok_ = true;
      done = true;
      break;
    }
  }
  if (!done) e = CallOf("number", {ExactLit(3, false)}, T(B::Num));
  return Fix(e, opt_ok);
}

Ex PolicyGen::GenStr(int d, bool opt_ok) {
  Ex e;
  bool done = false;
  auto is_str = [](const Ty& t) { return t.b == B::Str; };
  int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 7));
  switch (choice) {
    case 6: case 7: done = ListsOrText(d, T(B::Str), GenListOrTextStr, e); break;
    case 0: done = PickAtom(is_str, true, e); break;
    case 1: e = StrLit(); done = true; break;
    case 2: e = IfOf(d, [&] { return GenStr(d - 1, true); }); done = true; break;
    case 3: done = CoalesceOf([&] { return GenStr(d - 1, true); }, [&] { return StrLit(); }, e); break;
    case 4: done = NarrowedIf([&] { return GenStr(d - 1, true); }, e); break;
    case 5: done = PickTable(is_str, d, true, e); break;
  }
  if (!done) e = StrLit();
  return Fix(e, opt_ok);
}

Ex PolicyGen::GenDate(int d, bool opt_ok) {
  Ex e;
  bool done = false;
  auto is_date = [](const Ty& t) { return t.b == B::Date; };
  int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 10));
  switch (choice) {
    case 9: case 10: {  // add_days, add_years, end_of_month (gen_exprs.cc)
      Ex a = GenDate(d - 1, true);
      Ex n = r_.Chance(70) ? IntLit(0) : GenExact(d - 1, true, 0, true);
      if (n.lit) n = IntLit(gen_exprs::DateStep(r_, r_.Chance(50)));
      std::string call = gen_exprs::DateCall(r_, a.s, n.s);
      bool uses_n = call.rfind("end_of_month", 0) != 0;
      e = Make(call, T(B::Date, a.t.opt || (uses_n && n.t.opt)));
      done = true;
      break;
    }
    case 0: done = PickAtom(is_date, true, e); break;
    case 1: e = DateLit(); done = true; break;
    case 2: {
      Ex a = GenDate(d - 1, true);
      Ex n = r_.Chance(60) ? IntLit(r_.Chance(90) ? r_.Range(-400, 400) : SomeInt()) : GenExact(d - 1, true, 0, true);
      e = Bin(a, r_.Chance(50) ? "+" : "-", n, T(B::Date, a.t.opt || n.t.opt));
      done = true;
      break;
    }
    case 3: {
      Ex a = GenDate(d - 1, true), b = GenDate(d - 1, true);
      e = CallOf(r_.Chance(50) ? "min" : "max", {a, b}, T(B::Date, a.t.opt || b.t.opt));
      done = true;
      break;
    }
    case 4: e = IfOf(d, [&] { return GenDate(d - 1, true); }); done = true; break;
    case 5: done = CoalesceOf([&] { return GenDate(d - 1, true); }, [&] { return DateLit(); }, e); break;
    case 6: done = NarrowedIf([&] { return GenDate(d - 1, true); }, e); break;
    case 7: case 8: {  // add_months: month ends, leap days, and months that leave the date range (date_range:<name>)
      Ex a = GenDate(d - 1, true);
      static const int64_t kMonths[] = {1, -1, 12, -12, 13, 24, 120, 1200, 12'000'000, -12'000'000, 12'000'001, -12'000'001};
      Ex n = r_.Chance(40) ? IntLit(r_.Range(-36, 36))
             : r_.Chance(60) ? IntLit(kMonths[r_.Index(std::size(kMonths))])
                             : GenExact(d - 1, true, 0, true);
      e = CallOf("add_months", {a, n}, T(B::Date, a.t.opt || n.t.opt));
      done = true;
      break;
    }
  }
  if (!done) e = DateLit();
  return Fix(e, opt_ok);
}

Ex PolicyGen::GenEnum(int en, int d, bool opt_ok) {
  Ex e;
  bool done = false;
  auto is_en = [en](const Ty& t) { return t.b == B::Enum && t.en == en; };
  int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 5));
  switch (choice) {
    case 0: done = PickAtom(is_en, true, e); break;
    case 1: e = EnumLit(en); done = true; break;
    case 2: e = IfOf(d, [&] { return GenEnum(en, d - 1, true); }); done = true; break;
    case 3: done = CoalesceOf([&] { return GenEnum(en, d - 1, true); }, [&] { return EnumLit(en); }, e); break;
    case 4: done = PickTable(is_en, d, true, e); break;
    case 5: done = NarrowedIf([&] { return GenEnum(en, d - 1, true); }, e); break;
  }
  if (!done) e = EnumLit(en);
  return Fix(e, opt_ok);
}

Ex PolicyGen::GenOf(Cls c, int d, bool opt_ok, int en) {
  switch (c) {
    case Cls::Exact: return GenExact(d, opt_ok, int(r_.Range(2, 6)));
    case Cls::Num: return GenNum(d, opt_ok);
    case Cls::Bool: return GenBool(d, opt_ok);
    case Cls::Str: return GenStr(d, opt_ok);
    case Cls::Date: return GenDate(d, opt_ok);
    case Cls::Enum: return GenEnum(en >= 0 ? en : int(r_.Index(enums_.size())), d, opt_ok);
  }
  return GenBool(d, opt_ok);
}

Cls PolicyGen::RandomCls() {
  int v = int(r_.Range(0, 19));
  if (v < 7) return Cls::Exact;
  if (v < 11) return Cls::Num;
  if (v < 14) return Cls::Bool;
  if (v < 16) return Cls::Str;
  if (v < 18) return Cls::Date;
  return Cls::Enum;
}

// A value that fits type `t` as a declared `let` or a `set` target.
Ex PolicyGen::GenFit(const Ty& t, int d) {
  if (t.opt && r_.Chance(4)) return Make("missing", t);
  switch (t.b) {
    case B::Int: return GenExact(d, t.opt, 0, true);
    case B::Dec: return GenExact(d, t.opt, t.scale, false);
    case B::Num: return r_.Chance(75) ? GenNum(d, t.opt) : GenExact(d, t.opt, 0, true);
    case B::Bool: return GenBool(d, t.opt);
    case B::Str: return GenStr(d, t.opt);
    case B::Date: return GenDate(d, t.opt);
    case B::Enum: return GenEnum(t.en, d, t.opt);
  }
  return GenBool(d, t.opt);
}

std::string PolicyGen::TypeText(const Ty& t) const {
  std::string s;
  switch (t.b) {
    case B::Bool: s = "bool"; break;
    case B::Int: s = "int"; break;
    case B::Dec: s = fmt::format("decimal({})", t.scale); break;  // never `money`: see kMoneyType
    case B::Num: s = "number"; break;
    case B::Str: s = "string"; break;
    case B::Date: s = "date"; break;
    case B::Enum: s = enums_[t.en].name; break;
  }
  return s + (t.opt ? "?" : "");
}

}  // namespace credo::diff::policy_gen_detail
