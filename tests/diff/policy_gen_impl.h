// policy_gen_impl.h — the policy generator's PolicyGen class and the types it writes expressions
// with (internal to the generator; policy_gen.h is the interface). Its members are defined by
// concern: policy_gen.cc (the order of a policy's blocks, names, literals), policy_gen_values.cc
// (values of every type but bool), policy_gen_conditions.cc (conditions),
// policy_gen_declarations.cc (enums, the input, consts and functions, reference data, lets, rule
// sets), policy_gen_scorecards.cc (bins, scorecards, bands), policy_gen_tables.cc (tables) and
// policy_gen_decision.cc (the decision, warnings, the group pass, the output). The records
// (policy_gen_records.cc) use the literal text helpers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gen_lists.h"
#include "gen_reuse.h"
#include "policy_gen.h"

namespace credo::diff::policy_gen_detail {

// ---- literal text (policy_gen.cc) ------------------------------------------------------------------

uint64_t Pow10u(int k);
// scaled / 10^scale with exactly `scale` fraction digits; `_` only in the whole part.
std::string LitText(int64_t scaled, int scale, bool underscores);
int64_t DaysFromCivil(int y, int m, int d);
std::string CivilFromDays(int64_t z);

// ---- types, mirroring the checker ---------------------------------------------------------------

// Amounts are declared `decimal(2)`, which computes exactly as `money` does: the generator
// multiplies any two exact values, and only a product of two declared `money` values is an
// error [E0214].
inline constexpr const char* kMoneyType = "decimal(2)";

enum class B : uint8_t { Bool, Int, Dec, Num, Str, Date, Enum };

struct Ty {
  B b = B::Int;
  int scale = 0;
  bool opt = false;
  int en = -1;
  Ty Opt(bool o) const {
    Ty t = *this;
    t.opt = o;
    return t;
  }
  bool exact() const { return b == B::Int || b == B::Dec; }
  bool numeric() const { return exact() || b == B::Num; }
  bool same(const Ty& o) const { return b == o.b && scale == o.scale && en == o.en; }
};

inline Ty T(B b, bool opt = false) { return Ty{b, 0, opt, -1}; }
inline Ty DecT(int scale, bool opt = false) { return Ty{B::Dec, scale, opt, -1}; }
inline Ty EnumT(int en, bool opt = false) { return Ty{B::Enum, 0, opt, en}; }

struct Ex {
  std::string s;
  Ty t;
  bool lit = false;        // a numeric literal, possibly negated (IsNumericLiteral)
  bool pos_lit = false;    // an unsigned non-zero literal: a divisor that is never 0
  bool exact_div = false;  // the top node divides two exact values (an exact quotient in rounding)
  std::string name;        // a plain field or let name, which `is present` narrows
  bool div_by_lit = false; // exact_div with a literal divisor
  // Names a condition proves present when it is true / false (the checker's Facts()).
  std::vector<std::string> ft, ff;
};

inline std::vector<std::string> Union(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

inline int ScaleOf(const Ty& t) { return t.b == B::Dec ? t.scale : 0; }

// The checker's Numeric(): the common type of two numeric operands, or none (exact × number).
inline std::optional<Ty> NumericOf(const Ex& a, const Ex& b) {
  bool opt = a.t.opt || b.t.opt;
  if (a.t.b == B::Num || b.t.b == B::Num) {
    const Ex& other = a.t.b == B::Num ? b : a;
    if (other.t.b == B::Dec && !other.lit) return std::nullopt;
    return T(B::Num, opt);
  }
  if (a.t.b == B::Dec || b.t.b == B::Dec) return DecT(std::max(ScaleOf(a.t), ScaleOf(b.t)), opt);
  return T(B::Int, opt);
}

// The checker's Unify() for `if` branches and `??`.
inline std::optional<Ty> UnifyTy(const Ty& a, const Ty& b) {
  bool opt = a.opt || b.opt;
  if (a.same(b)) return a.Opt(opt);
  if (a.exact() && b.exact()) return DecT(std::max(ScaleOf(a), ScaleOf(b)), opt);
  if (a.numeric() && b.numeric() && a.b != B::Dec && b.b != B::Dec) return T(B::Num, opt);
  return std::nullopt;
}

inline Ex Make(std::string s, Ty t) {
  Ex e;
  e.s = std::move(s);
  e.t = t;
  return e;
}

inline Ex Bin(const Ex& a, const std::string& op, const Ex& b, Ty t) { return Make("(" + a.s + " " + op + " " + b.s + ")", t); }

inline Ex CallOf(const std::string& fn, const std::vector<Ex>& args, Ty t) {
  std::string s = fn + "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i].s;
  return Make(s + ")", t);
}

// Includes 8-byte and longer strings sharing a prefix: the JIT compares short constants a word at a time.
inline const char* kStringPool[] = {"alpha", "beta", "gamma", "x y", "a,b", "", "Alpha", "beta ", "abcdefgh", "abcdefghij", "alph"};

struct Sym {
  std::string name;
  Ty t;
  bool field = false;
  bool narrowable = false;
  bool settable = false;  // a `let`: the group pass can set it
  int field_index = -1;
};

struct Atom {
  std::string text;
  Ty t;
};

struct TableDef {
  std::string name;
  std::vector<int> key_ens;  // one enum per key: a grid when there are several
  Ty value;
};

struct EnumDef {
  std::string name;
  std::vector<std::string> values;
};

enum class Cls { Exact, Num, Bool, Str, Date, Enum };

class PolicyGen {
 public:
  explicit PolicyGen(uint64_t seed) : r_(seed) { spec_.seed = seed; }

  PolicySpec Run();

 private:
  struct Subject {
    Ex e;
    const FieldSpec* bounds = nullptr;  // a bare field name with `where` bounds
  };

  struct BinText {
    std::vector<std::string> tests;
    bool is_else = false;
  };

  // Combinators (defined below: the values and the conditions use them).
  template <typename Pred>
  bool PickAtom(Pred pred, bool opt_ok, Ex& out);
  template <typename Pred>
  bool PickTable(Pred pred, int d, bool opt_ok, Ex& out);
  template <typename G>
  Ex WithFacts(const std::vector<std::string>& facts, G gen);
  template <typename G>
  Ex IfOf(int d, G gen);
  template <typename Gen>
  bool ListsOrText(int d, Ty t, Gen gen, Ex& out);

  // Names and literals (policy_gen.cc).
  std::string Fresh(const char* prefix);
  bool Present(const std::string& name) const;
  void NoteLiteral(int64_t scaled, int scale);
  Ex IntLit(int64_t v);
  Ex DecLit(int64_t scaled, int scale);
  int64_t SomeInt();
  int64_t SomeScaled(int scale);
  Ex ExactLit(int max_scale, bool int_only);
  Ex StrLit();
  Ex DateLit();
  Ex EnumLit(int en);
  Ex Default(const Ty& t);

  // Values of every type but bool (policy_gen_values.cc).
  Ex Coalesce(const Ex& a, const Ex& b);
  Ex Fix(Ex e, bool opt_ok);
  template <typename G, typename L>
  bool CoalesceOf(G gen, L lit, Ex& out);
  const Sym* NarrowCandidate();
  template <typename G>
  bool NarrowedIf(G gen, Ex& out);
  Ex Overflowing(int d);
  Ex OverflowInBranch(int d, int max_scale, bool int_only);
  std::optional<Ex> OverflowingFit(const Ty& target);
  Ex GenExact(int d, bool opt_ok, int max_scale = 4, bool int_only = false);
  void PickUnit(int max_us, int64_t& unit, int& us);
  Ex GenRound(int d, int max_scale, bool int_only);
  Ex Divisor(Ex b);
  Ex GenNum(int d, bool opt_ok);
  Ex GenStr(int d, bool opt_ok);
  Ex GenDate(int d, bool opt_ok);
  Ex GenEnum(int en, int d, bool opt_ok);
  Ex GenOf(Cls c, int d, bool opt_ok, int en = -1);
  Cls RandomCls();
  Ex GenFit(const Ty& t, int d);
  std::string TypeText(const Ty& t) const;

  // Conditions (policy_gen_conditions.cc).
  Ex AndOr(const Ex& a, bool is_and, const Ex& b);
  const char* CompareOp(bool ordered);
  Ex GenCompare(int d);
  Ex About(const Sym& x, int d);
  Ex GenIn(int d);
  Ex GenOptional(int d);
  Ex GenBool(int d, bool opt_ok);

  // Enums, the input, consts and functions, reference data, lets, rule sets (policy_gen_declarations.cc).
  void GenEnums();
  std::string GenWhere(const std::string& name, FieldSpec& f);
  void GenInput(bool group);
  void GenReuse();
  static Ty OfReuse(ReuseType t);
  Ex GenUserCall(int d);
  void GenReferenceData(Rng& r);
  void GenLet();
  void GenRuleSet();

  // Bins: scorecards and bands (policy_gen_scorecards.cc).
  std::string BinConst(const std::string& literal);
  Subject GenSubject();
  Subject GenSubjectExpr();
  template <typename V>
  std::string GenBins(const Subject& s, V value, bool band);
  std::vector<BinText> NumericBins(const Subject& s, bool band);
  void GenScaledScorecard();
  void GenScorecard();
  void GenBand();

  // Tables (policy_gen_tables.cc).
  void GenTables();
  void GenTable();
  template <typename V>
  std::string OneKeyEntries(int en, V& value);
  template <typename V>
  std::string GridEntries(const std::vector<int>& key_ens, V& value);

  // The decision, warnings, the group pass and the output (policy_gen_decision.cc).
  void GenDecision();
  void GenWarnings();
  void GenGroup();
  void GenOutput();
  Ex GenAggregate();
  void GenGroupValueColumns(std::set<std::string>& columns);
  void GenGroupOutputsHook();

  Rng r_;
  PolicySpec spec_;
  std::string out_;
  std::vector<EnumDef> enums_;
  int decision_enum_ = -1, grade_enum_ = -1;
  std::vector<Sym> syms_;
  std::vector<Atom> atoms_;
  std::vector<ReuseFunction> functions_;  // user functions (gen_reuse.cc) the lets may call
  std::string bin_consts_;  // `const` declarations of bin bounds (BinConst)
  std::vector<TableDef> tables_;
  std::vector<Sym> group_syms_;
  std::vector<std::string> uniform_lets_;  // group lets that are plain aggregates
  std::vector<std::string> present_;
  std::string prefer_;
  std::vector<std::string> codes_, codes_values_, warning_codes_;
  std::vector<ListSource> lists_;
  bool fields_only_ = false, in_group_ = false, agg_ok_ = false;
  bool has_warnings_ = false;
  int counter_ = 0;
};

template <typename Pred>
bool PolicyGen::PickAtom(Pred pred, bool opt_ok, Ex& out) {
  std::vector<Ex> c;
  auto consider = [&](const std::string& text, Ty t, bool narrowable) {
    if (narrowable && t.opt && Present(text)) t.opt = false;
    if (!pred(t) || (t.opt && !opt_ok)) return;
    Ex e = Make(text, t);
    if (narrowable) e.name = text;
    c.push_back(e);
  };
  for (auto& s : syms_)
    if (!fields_only_ || s.field) consider(s.name, s.t, s.narrowable);
  if (!fields_only_)
    for (auto& a : atoms_) consider(a.text, a.t, false);
  if (in_group_)
    for (auto& g : group_syms_) consider(g.name, g.t, false);
  if (c.empty()) return false;
  if (!prefer_.empty() && r_.Chance(60))
    for (auto& e : c)
      if (e.s == prefer_) {
        out = e;
        return true;
      }
  out = r_.Pick(c);
  return true;
}

template <typename Pred>
bool PolicyGen::PickTable(Pred pred, int d, bool opt_ok, Ex& out) {
  if (fields_only_) return false;
  std::vector<const TableDef*> c;
  for (auto& t : tables_)
    if (pred(t.value)) c.push_back(&t);
  if (c.empty()) return false;
  const TableDef& t = *c[r_.Index(c.size())];
  std::string keys;
  bool opt = false;
  for (size_t k = 0; k < t.key_ens.size(); ++k) {
    Ex key = GenEnum(t.key_ens[k], d - 1, opt_ok);
    keys += (k ? ", " : "") + key.s;
    opt |= key.t.opt;
  }
  out = Make(t.name + "[" + keys + "]", t.value.Opt(opt));
  return true;
}

// Runs gen() knowing `facts` are present (the right side of `and`/`or`, an `if` branch).
template <typename G>
Ex PolicyGen::WithFacts(const std::vector<std::string>& facts, G gen) {
  present_.insert(present_.end(), facts.begin(), facts.end());
  Ex e = gen();
  present_.resize(present_.size() - facts.size());
  return e;
}

template <typename G>
Ex PolicyGen::IfOf(int d, G gen) {
  Ex c = GenBool(d - 1, false);
  Ex a = WithFacts(c.ft, gen), b = WithFacts(c.ff, gen);
  if (r_.Chance(8)) {  // a `missing` branch makes the result optional
    if (r_.Chance(50)) return Make("(if " + c.s + " then " + a.s + " else missing)", a.t.Opt(true));
    return Make("(if " + c.s + " then missing else " + b.s + ")", b.t.Opt(true));
  }
  std::optional<Ty> t = UnifyTy(a.t, b.t);
  if (!t) return a;
  return Make("(if " + c.s + " then " + a.s + " else " + b.s + ")", *t);
}

// A list or text expression of type t from gen_lists.cc (not in a `where` or `check`).
template <typename Gen>
bool PolicyGen::ListsOrText(int d, Ty t, Gen gen, Ex& out) {
  if (fields_only_ || d <= 0) return false;
  auto wrap = [](const Ex& e) { return GenText{e.s, e.t.opt}; };
  ListGenHost host{r_, lists_, [&](int k) { return wrap(GenStr(std::max(k, 0), true)); },
                   [&](int k) { return wrap(GenExact(std::max(k, 0), true, 0, true)); },
                   [&](int k) { return wrap(GenOf(RandomCls(), std::max(k, 0), true)); }};
  GenText g = gen(host, d);
  if (g.s.empty()) return false;
  t.opt = g.opt;
  out = Make(g.s, t);
  return true;
}

}  // namespace credo::diff::policy_gen_detail
