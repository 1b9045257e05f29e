#include "gen_reuse.h"

#include <fmt/format.h>

namespace credo::diff {
namespace {

using RT = ReuseType;

// An expression and its type (the checker's: optional when it may be missing).
struct Term {
  std::string s;
  RT t;
};

class ReuseGen {
 public:
  ReuseGen(Rng& r, std::string prefix) : r_(r), prefix_(std::move(prefix)) {}

  ReuseDecls Run() {
    int consts = int(r_.Range(1, 3));
    for (int i = 0; i < consts; ++i) Const();
    int functions = int(r_.Range(0, 3));
    for (int i = 0; i < functions; ++i) Function();
    return std::move(out_);
  }

 private:
  std::string Fresh(const char* kind) { return fmt::format("{}{}{}", prefix_, kind, ++counter_); }

  Term IntLit() {
    int64_t v = in_function_ && r_.Chance(10) ? r_.Range(1'000'000'000, 4'000'000'000) * 1'000'000'000 : r_.Range(0, 500);
    out_.literals.push_back({v, 0});
    return {fmt::format("{}", v), {RT::Int}};
  }
  Term MoneyLit() {
    int64_t cents = r_.Range(0, 200'000);
    out_.literals.push_back({cents, 2});
    return {fmt::format("{}.{:02}", cents / 100, cents % 100), {RT::Money}};
  }

  // A term of `base` that is never missing, from literals and the consts before it.
  Term ConstTerm(RT::Base base, int d) {
    std::vector<Term> atoms;
    for (const auto& c : out_.consts)
      if (c.type.base == base) atoms.push_back({c.name, c.type});
    if (d > 0 || atoms.empty() || r_.Chance(40)) {
      switch (base) {
        case RT::Int: {
          if (d <= 0) return IntLit();
          Term a = ConstTerm(RT::Int, d - 1), b = ConstTerm(RT::Int, d - 1);
          int v = int(r_.Range(0, 2));
          if (v == 0) return {fmt::format("({} + {})", a.s, b.s), {RT::Int}};
          if (v == 1) return {fmt::format("max({}, {})", a.s, b.s), {RT::Int}};
          return {fmt::format("({} * {})", a.s, b.s), {RT::Int}};
        }
        case RT::Money: {
          if (d <= 0) return MoneyLit();
          Term a = ConstTerm(RT::Money, d - 1);
          if (r_.Chance(50)) return {fmt::format("({} * {})", a.s, ConstTerm(RT::Int, d - 1).s), {RT::Money}};
          return {fmt::format("({} - {})", a.s, ConstTerm(RT::Money, d - 1).s), {RT::Money}};
        }
        case RT::Number: {
          Term a = ConstTerm(r_.Chance(50) ? RT::Int : RT::Money, d - 1);
          return {fmt::format("(number({}) * 0.5)", a.s), {RT::Number}};
        }
        case RT::Bool: {
          Term a = ConstTerm(RT::Int, d - 1), b = ConstTerm(RT::Int, d - 1);
          return {fmt::format("({} > {})", a.s, b.s), {RT::Bool}};
        }
      }
    }
    return atoms[r_.Index(atoms.size())];
  }

  void Const() {
    RT::Base base = RT::Base(r_.Range(0, 3));
    Term t = ConstTerm(base, int(r_.Range(0, 2)));
    std::string name = Fresh("K");
    bool typed = r_.Chance(40);
    out_.text += fmt::format("const {}{} = {}\n", name, typed ? ": " + TypeText(t.t) : "", t.s);
    out_.consts.push_back({name, t.t});
  }

  static std::string TypeText(RT t) {
    const char* names[] = {"int", "decimal(2)", "number", "bool"};  // not `money`: see kMoneyType in policy_gen_impl.h
    return std::string(names[t.base]) + (t.optional ? "?" : "");
  }
  static std::string Default(RT::Base base) {
    const char* defaults[] = {"0", "0.00", "0.0", "false"};
    return defaults[base];
  }

  // ---- function bodies: parameters, consts, earlier functions ---------------------------------

  // An atom of `base` (a parameter — perhaps optional — a const, or a literal).
  Term Atom(RT::Base base, bool opt_ok) {
    std::vector<Term> atoms;
    for (size_t i = 0; i < params_.size(); ++i) {
      RT t = params_[i];
      if (t.optional && narrowed_ == int(i)) t.optional = false;
      bool fits = t.base == base || (base == RT::Money && t.base == RT::Int);
      if (fits && (opt_ok || !t.optional)) atoms.push_back({ParamName(i), t});
      else if (fits) atoms.push_back({fmt::format("({} ?? {})", ParamName(i), Default(t.base)), {t.base}});
    }
    size_t from_params = atoms.size();
    if (from_params > 0 && r_.Chance(60)) return atoms[r_.Index(from_params)];  // mostly the parameters
    for (const auto& c : out_.consts)
      if (c.type.base == base) atoms.push_back({c.name, c.type});
    if (!atoms.empty() && !r_.Chance(15)) return atoms[r_.Index(atoms.size())];
    switch (base) {
      case RT::Int: return IntLit();
      case RT::Money: return MoneyLit();
      case RT::Number: return {"number(1)", {RT::Number}};
      case RT::Bool: return {r_.Chance(50) ? "true" : "false", {RT::Bool}};
    }
    return IntLit();
  }
  std::string ParamName(size_t i) const { return fmt::format("p{}", i + 1); }

  Term Body(RT::Base base, int d, bool opt_ok) {
    if (d <= 0) return Atom(base, opt_ok);
    int v = int(r_.Range(0, 9));
    // A call of an earlier function with a result of this type.
    if (v == 0)
      for (const auto& f : out_.functions)
        if (f.result.base == base && (opt_ok || !f.result.optional)) return Call(f, d - 1);
    // `if pN is present then ... pN ... else ...` over an optional parameter.
    if (v == 1 && narrowed_ < 0)
      for (size_t i = 0; i < params_.size(); ++i)
        if (params_[i].optional) {
          narrowed_ = int(i);
          Term then = Body(base, d - 1, opt_ok);
          narrowed_ = -1;
          Term other = Body(base, d - 1, opt_ok);
          return {fmt::format("(if {} is present then {} else {})", ParamName(i), then.s, other.s),
                  {base, then.t.optional || other.t.optional}};
        }
    switch (base) {
      case RT::Int: {
        Term a = Body(RT::Int, d - 1, opt_ok), b = Body(RT::Int, d - 1, opt_ok);
        const char* ops[] = {"+", "-", "*"};
        if (v < 5) return {fmt::format("({} {} {})", a.s, ops[r_.Index(3)], b.s), {RT::Int, a.t.optional || b.t.optional}};
        if (v < 7) return {fmt::format("min({}, {})", a.s, b.s), {RT::Int, a.t.optional || b.t.optional}};
        Term c = Body(RT::Bool, d - 1, false);
        return {fmt::format("(if {} then {} else {})", c.s, a.s, b.s), {RT::Int, a.t.optional || b.t.optional}};
      }
      case RT::Money: {
        Term a = Body(RT::Money, d - 1, opt_ok);
        if (v < 4) {
          Term b = Body(RT::Money, d - 1, opt_ok);
          return {fmt::format("({} {} {})", a.s, r_.Chance(50) ? "+" : "-", b.s), {RT::Money, a.t.optional || b.t.optional}};
        }
        if (v < 6) {
          Term b = Body(RT::Int, d - 1, opt_ok);
          return {fmt::format("({} * {})", a.s, b.s), {RT::Money, a.t.optional || b.t.optional}};
        }
        if (v < 8 && opt_ok) {
          Term b = Body(RT::Money, d - 1, false);
          return {fmt::format("({} ?? {})", a.s, b.s), {RT::Money, false}};
        }
        Term b = Body(RT::Money, d - 1, opt_ok);
        return {fmt::format("max({}, {})", a.s, b.s), {RT::Money, a.t.optional || b.t.optional}};
      }
      case RT::Number: {
        if (v < 5) {
          // A ratio: missing when the divisor is zero (or missing).
          Term a = Body(RT::Money, d - 1, opt_ok), b = Body(RT::Money, d - 1, opt_ok);
          Term q{fmt::format("(number({}) / number({}))", a.s, b.s), {RT::Number, true}};
          if (opt_ok) return q;
          return {fmt::format("({} ?? {})", q.s, Body(RT::Number, d - 1, false).s), {RT::Number}};
        }
        Term a = Body(RT::Number, d - 1, opt_ok);
        Term b = Body(RT::Int, d - 1, opt_ok);
        return {fmt::format("({} * number({}))", a.s, b.s), {RT::Number, a.t.optional || b.t.optional}};
      }
      case RT::Bool: {
        if (v < 4) {
          RT::Base side = r_.Chance(50) ? RT::Int : RT::Money;
          Term a = Body(side, d - 1, opt_ok), b = Body(side, d - 1, opt_ok);
          const char* ops[] = {"<", "<=", ">", ">=", "==", "!="};
          return {fmt::format("({} {} {})", a.s, ops[r_.Index(6)], b.s), {RT::Bool, a.t.optional || b.t.optional}};
        }
        if (v < 6)
          for (size_t i = 0; i < params_.size(); ++i)
            if (params_[i].optional && narrowed_ != int(i)) return {fmt::format("({} is missing)", ParamName(i)), {RT::Bool}};
        Term a = Body(RT::Bool, d - 1, opt_ok), b = Body(RT::Bool, d - 1, opt_ok);
        return {fmt::format("({} {} {})", a.s, r_.Chance(50) ? "and" : "or", b.s), {RT::Bool, a.t.optional || b.t.optional}};
      }
    }
    return Atom(base, opt_ok);
  }

  // A call of `f` from a later function's body: arguments from this body's terms.
  Term Call(const ReuseFunction& f, int d) {
    std::string args;
    for (size_t i = 0; i < f.params.size(); ++i)
      args += (i ? ", " : "") + Body(f.params[i].base, d, f.params[i].optional).s;
    return {fmt::format("{}({})", f.name, args), f.result};
  }

  void Function() {
    std::string name = Fresh("f");
    params_.clear();
    in_function_ = true;
    int n = int(r_.Range(1, 3));
    for (int i = 0; i < n; ++i) params_.push_back({RT::Base(r_.Range(0, 3)), r_.Chance(35)});
    RT result{RT::Base(r_.Range(0, 3)), r_.Chance(40)};
    Term body = Body(result.base, int(r_.Range(1, 3)), result.optional);
    std::string list;
    for (int i = 0; i < n; ++i) list += fmt::format("{}{}: {}", i ? ", " : "", ParamName(size_t(i)), TypeText(params_[size_t(i)]));
    out_.text += fmt::format("function {}({}): {} = {}\n", name, list, TypeText(result), body.s);
    out_.functions.push_back({name, params_, result});
  }

  Rng& r_;
  std::string prefix_;
  int counter_ = 0;
  ReuseDecls out_;
  std::vector<RT> params_;
  int narrowed_ = -1;
  bool in_function_ = false;  // large literals (overflow) only in bodies: a const is used by every record  // the parameter an enclosing `is present` proved present
};

}  // namespace

ReuseDecls GenerateReuse(Rng& r, const std::string& prefix) { return ReuseGen(r, prefix).Run(); }

}  // namespace credo::diff
