#include "policy_gen.h"
#include "gen_outputs.h"

#include "gen_reuse.h"

#include "gen_lists.h"

#include "gen_exprs.h"

#include "gen_woe.h"

#include "gen_references.h"
#include "gen_tables.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <cstring>
#include <set>
#include <sstream>
#include <type_traits>

#include <fmt/format.h>

#include "compiler/driver/compile.h"
#include "compiler/driver/reference_data.h"
#include "runtime/exec/runner.h"

namespace credo::diff {

uint64_t SubSeed(uint64_t seed, uint64_t index, uint64_t stream) {
  Rng r(seed ^ (stream * 0xD1B54A32D192ED03ull));
  Rng mixed(r.Next() ^ (index * 0x9E3779B97F4A7C15ull));
  mixed.Next();
  return mixed.Next();
}

namespace {

// ---- literals ---------------------------------------------------------------------------------

uint64_t Pow10u(int k) {
  uint64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

std::string Digits(uint64_t v, bool underscores) {
  std::string d = std::to_string(v);
  if (!underscores || d.size() <= 3) return d;
  std::string out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += '_';
    out += d[i];
  }
  return out;
}

// scaled / 10^scale with exactly `scale` fraction digits; `_` only in the whole part.
std::string LitText(int64_t scaled, int scale, bool underscores) {
  uint64_t mag = scaled < 0 ? 0 - uint64_t(scaled) : uint64_t(scaled);
  uint64_t p = Pow10u(scale);
  std::string s = Digits(mag / p, underscores);
  if (scale > 0) {
    std::string f = std::to_string(mag % p);
    s += "." + std::string(size_t(scale) - f.size(), '0') + f;
  }
  return (scaled < 0 ? "-" : "") + s;
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// ---- types, mirroring the checker ---------------------------------------------------------------

// Amounts are declared `decimal(2)`, which computes exactly as `money` does: the generator
// multiplies any two exact values, and only a product of two declared `money` values is an
// error [E0214].
constexpr const char* kMoneyType = "decimal(2)";

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

Ty T(B b, bool opt = false) { return Ty{b, 0, opt, -1}; }
Ty DecT(int scale, bool opt = false) { return Ty{B::Dec, scale, opt, -1}; }
Ty EnumT(int en, bool opt = false) { return Ty{B::Enum, 0, opt, en}; }

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

std::vector<std::string> Union(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

int ScaleOf(const Ty& t) { return t.b == B::Dec ? t.scale : 0; }

// The checker's Numeric(): the common type of two numeric operands, or none (exact × number).
std::optional<Ty> NumericOf(const Ex& a, const Ex& b) {
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
std::optional<Ty> UnifyTy(const Ty& a, const Ty& b) {
  bool opt = a.opt || b.opt;
  if (a.same(b)) return a.Opt(opt);
  if (a.exact() && b.exact()) return DecT(std::max(ScaleOf(a), ScaleOf(b)), opt);
  if (a.numeric() && b.numeric() && a.b != B::Dec && b.b != B::Dec) return T(B::Num, opt);
  return std::nullopt;
}

Ex Make(std::string s, Ty t) {
  Ex e;
  e.s = std::move(s);
  e.t = t;
  return e;
}

Ex Bin(const Ex& a, const std::string& op, const Ex& b, Ty t) { return Make("(" + a.s + " " + op + " " + b.s + ")", t); }

Ex CallOf(const std::string& fn, const std::vector<Ex>& args, Ty t) {
  std::string s = fn + "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i].s;
  return Make(s + ")", t);
}

// Includes 8-byte and longer strings sharing a prefix: the JIT compares short constants a word at a time.
const char* kStringPool[] = {"alpha", "beta", "gamma", "x y", "a,b", "", "Alpha", "beta ", "abcdefgh", "abcdefghij", "alph"};

// ---- the policy generator ---------------------------------------------------------------------------

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

  PolicySpec Run() {
    bool group = r_.Chance(40);
    out_ += fmt::format("policy p{} version \"1\" \"generated, seed {}\"\n\n", spec_.seed % 100000, spec_.seed);
    GenEnums();
    GenInput(group);
    // Reference data from a stream of its own, so that a policy without it is the one this seed
    // always gave.
    Rng refs(spec_.seed ^ 0x5EFE5EFE5EFEull);
    if (refs.Chance(30)) GenReferenceData(refs);
    int tables = int(r_.Range(0, 2));
    for (int i = 0; i < tables; ++i) GenTable();
    if (r_.Chance(60)) GenReuse();
    int lets1 = int(r_.Range(2, 6));
    for (int i = 0; i < lets1; ++i) GenLet();
    int sets = int(r_.Range(1, 3));
    for (int i = 0; i < sets; ++i) GenRuleSet();
    int cards = int(r_.Range(0, 2));
    for (int i = 0; i < cards; ++i) GenScorecard();
    int lets2 = int(r_.Range(0, 3));
    for (int i = 0; i < lets2; ++i) GenLet();
    int bands = int(r_.Range(1, 2));
    for (int i = 0; i < bands; ++i) GenBand();
    if (r_.Chance(50)) GenTable();
    if (r_.Chance(45)) GenTables();
    GenDecision();
    if (r_.Chance(40)) GenRuleSet();  // after the decision: its rules may test the decision (post-decision rules)
    int lets3 = int(r_.Range(0, 3));
    for (int i = 0; i < lets3; ++i) GenLet();
    if (r_.Chance(80)) GenWarnings();
    if (group) GenGroup();
    out_ += bin_consts_;  // declared after their use in bins: the order of declarations is free
    GenOutput();
    if (group && r_.Chance(60)) GenGroupOutputsHook();
    if (r_.Chance(25)) out_ += GenRejects(r_);
    spec_.text = out_;
    for (const char* s : kStringPool) spec_.strings.push_back(s);
    return std::move(spec_);
  }

 private:
  // ---- helpers ----------------------------------------------------------------------------------

  std::string Fresh(const char* prefix) { return fmt::format("{}{}", prefix, ++counter_); }
  bool Present(const std::string& name) const {
    return std::find(present_.begin(), present_.end(), name) != present_.end();
  }

  void NoteLiteral(int64_t scaled, int scale) {
    if (spec_.literals.size() < 200) spec_.literals.push_back({scaled, scale});
  }

  Ex IntLit(int64_t v) {
    Ex e = Make(LitText(v, 0, v >= 1000 && r_.Chance(40)), T(B::Int));
    e.lit = true;
    e.pos_lit = v > 0;
    NoteLiteral(v, 0);
    return e;
  }
  Ex DecLit(int64_t scaled, int scale) {
    Ex e = Make(LitText(scaled, scale, (scaled >= 100000 || scaled <= -100000) && r_.Chance(40)), DecT(scale));
    e.lit = true;
    e.pos_lit = scaled > 0;
    NoteLiteral(scaled, scale);
    return e;
  }

  int64_t SomeInt() {
    static const int64_t kCommon[] = {0, 1, 2, 3, 5, 7, 10, 12, 24, 30, 60, 90, 100, 365, 500, 1000, 2500, 10000, 100000, 1000000};
    switch (r_.Range(0, 11)) {
      case 0: case 1: case 2: case 3: case 4: return kCommon[r_.Index(std::size(kCommon))];
      case 5: case 6: return r_.Range(-100, 100);
      case 7: return r_.Range(0, 100000);
      case 8: {
        static const int64_t kBig[] = {999'999'999, 1'000'000'000, 2'147'483'647, 1'000'000'000'000, 4'611'686'018'427'387'904};
        return r_.Chance(80) ? kBig[r_.Index(3)] : kBig[r_.Index(std::size(kBig))];
      }
      case 9: return r_.Range(-1000000, 1000000);
      default: return r_.Range(0, 1000);
    }
  }
  int64_t SomeScaled(int scale) {
    int64_t p = int64_t(Pow10u(scale));
    switch (r_.Range(0, 6)) {
      case 0: return r_.Range(0, 10 * p);
      case 1: return r_.Range(1, p);
      case 2: return SomeInt() % 1000000000 * p;
      case 3: return r_.Range(0, 100000) * p + r_.Range(0, p - 1);
      case 4: return p / 2 > 0 ? p / 2 : 5;
      default: return r_.Range(0, 1000 * p);
    }
  }

  Ex ExactLit(int max_scale, bool int_only) {
    bool dec = !int_only && max_scale > 0 && r_.Chance(45);
    if (!dec) {
      int64_t v = SomeInt();
      if (r_.Chance(15)) v = -v;
      return IntLit(v);
    }
    int scale = int(r_.Range(1, std::min(max_scale, r_.Chance(85) ? 2 : 4)));
    int64_t scaled = SomeScaled(scale);
    if (r_.Chance(15)) scaled = -scaled;
    return DecLit(scaled, scale);
  }

  Ex StrLit() {
    std::vector<std::string> pool(std::begin(kStringPool), std::end(kStringPool));
    for (auto& c : codes_) pool.push_back(c);
    std::string s = r_.Pick(pool);
    std::string text = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') text += '\\';
      text += c;
    }
    return Make(text + "\"", T(B::Str));
  }

  Ex DateLit() {
    int y = int(r_.Range(1990, 2030)), m = int(r_.Range(1, 12)), d = int(r_.Range(1, 28));
    switch (r_.Range(0, 5)) {
      case 0: m = 2; d = r_.Chance(50) ? 29 : 28; y = 2024; break;  // a leap day, and its eve
      case 1: m = 12; d = 31; break;
      case 2: m = 1; d = 1; break;
      case 3:  // now and then an end of the supported range: add_months and ± days step out of it
        if (r_.Chance(30)) {
          bool last = r_.Chance(50);
          y = last ? 9999 : 1, m = last ? 12 : 1, d = last ? 31 : 1;
        }
        break;
      default: break;
    }
    std::string text = fmt::format("{:04}-{:02}-{:02}", y, m, d);
    spec_.dates.push_back(text);
    return Make("date(\"" + text + "\")", T(B::Date));
  }

  Ex EnumLit(int en) { return Make(r_.Pick(enums_[en].values), EnumT(en)); }

  // A non-optional literal that unifies with `t` (a `??` default).
  Ex Default(const Ty& t) {
    switch (t.b) {
      case B::Bool: return Make(r_.Chance(50) ? "true" : "false", T(B::Bool));
      case B::Int: return IntLit(r_.Chance(60) ? 0 : SomeInt());
      case B::Dec: {
        int sc = std::min(t.scale, 2);
        if (sc == 0 || r_.Chance(30)) return IntLit(r_.Chance(70) ? 0 : SomeInt());
        return DecLit(SomeScaled(sc) * (r_.Chance(20) ? -1 : 1), sc);
      }
      case B::Num: return r_.Chance(80) ? IntLit(r_.Chance(50) ? 0 : SomeInt()) : CallOf("number", {DecLit(5, 1)}, T(B::Num));
      case B::Str: return StrLit();
      case B::Date: return DateLit();
      case B::Enum: return EnumLit(t.en);
    }
    return IntLit(0);
  }

  Ex Coalesce(const Ex& a, const Ex& b) {
    std::optional<Ty> u = UnifyTy(a.t.Opt(false), b.t);
    if (!u) return a;
    Ty t = *u;
    t.opt = b.t.opt;
    return Bin(a, "??", b, t);
  }

  // A value that is never missing: `e ?? default` when e may be.
  Ex Fix(Ex e, bool opt_ok) {
    if (opt_ok || !e.t.opt) return e;
    if (e.t.b == B::Dec && e.t.scale == 0) return Coalesce(e, IntLit(0));
    return Coalesce(e, Default(e.t));
  }

  template <typename Pred>
  bool PickAtom(Pred pred, bool opt_ok, Ex& out) {
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
  bool PickTable(Pred pred, int d, bool opt_ok, Ex& out) {
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
  Ex WithFacts(const std::vector<std::string>& facts, G gen) {
    present_.insert(present_.end(), facts.begin(), facts.end());
    Ex e = gen();
    present_.resize(present_.size() - facts.size());
    return e;
  }

  // `a and b` / `a or b`, b generated knowing what a proves (the checker narrows the right side).
  Ex AndOr(const Ex& a, bool is_and, const Ex& b) {
    Ex e = Bin(a, is_and ? "and" : "or", b, T(B::Bool, a.t.opt || b.t.opt));
    if (is_and) e.ft = Union(a.ft, b.ft);
    else e.ff = Union(a.ff, b.ff);
    return e;
  }

  // An optional plain name the generator may narrow with `is present`.
  const Sym* NarrowCandidate() {
    std::vector<const Sym*> c;
    for (auto& s : syms_)
      if (s.narrowable && s.t.opt && !Present(s.name) && (!fields_only_ || s.field)) c.push_back(&s);
    if (c.empty()) return nullptr;
    return c[r_.Index(c.size())];
  }

  // `if X is present then A else B`, A generated knowing X is present.
  template <typename G>
  bool NarrowedIf(G gen, Ex& out) {
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

  template <typename G>
  Ex IfOf(int d, G gen) {
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

  // An int that overflows for most records: an int times 4e18 (|x| >= 3 overflows).
  Ex Overflowing(int d) {
    Ex x = GenExact(d, false, 0, true);
    return Bin(x, "*", IntLit(4'000'000'000'000'000'000), T(B::Int));
  }

  // `if c then <overflowing> else b` (or the other way round): only the records that take the
  // overflowing branch may be rejected, as an error counts only where it is used.
  Ex OverflowInBranch(int d, int max_scale, bool int_only) {
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
  std::optional<Ex> OverflowingFit(const Ty& target) {
    bool takes_int = target.b == B::Int || target.b == B::Num || (target.b == B::Dec && target.scale == 2);
    if (!takes_int) return std::nullopt;
    return r_.Chance(50) ? Overflowing(1) : Fix(OverflowInBranch(2, 0, true), target.opt);
  }

  // ---- expressions ------------------------------------------------------------------------------

  // A list or text expression of type t from gen_lists.cc (not in a `where` or `check`).
  template <typename Gen>
  bool ListsOrText(int d, Ty t, Gen gen, Ex& out) {
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

  // An int or decimal: decimals of scale <= max_scale, or only ints.
  Ex GenExact(int d, bool opt_ok, int max_scale = 4, bool int_only = false) {
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

  void PickUnit(int max_us, int64_t& unit, int& us) {
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
  Ex GenRound(int d, int max_scale, bool int_only) {
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
  Ex Divisor(Ex b) {
    if (b.lit && !b.pos_lit && !b.s.empty() && b.s[0] == '-') return IntLit(r_.Range(1, 12));
    return b;
  }

  Ex GenNum(int d, bool opt_ok) {
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

  Ex GenStr(int d, bool opt_ok) {
    Ex e;
    bool done = false;
    auto is_str = [](const Ty& t) { return t.b == B::Str; };
    int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 7));
    switch (choice) {
      case 6: case 7: done = ListsOrText(d, T(B::Str), GenListOrTextStr, e); break;
      case 0: done = PickAtom(is_str, true, e); break;
      case 1: e = StrLit(); done = true; break;
      case 2: e = IfOf(d, [&] { return GenStr(d - 1, true); }); done = true; break;
      case 3: {
        Ex a = GenStr(d - 1, true);
        if (!a.t.opt) break;
        e = Coalesce(a, r_.Chance(70) ? StrLit() : GenStr(d - 1, true));
        done = true;
        break;
      }
      case 4: done = NarrowedIf([&] { return GenStr(d - 1, true); }, e); break;
      case 5: done = PickTable(is_str, d, true, e); break;
    }
    if (!done) e = StrLit();
    return Fix(e, opt_ok);
  }

  Ex GenDate(int d, bool opt_ok) {
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
      case 5: {
        Ex a = GenDate(d - 1, true);
        if (!a.t.opt) break;
        e = Coalesce(a, r_.Chance(70) ? DateLit() : GenDate(d - 1, true));
        done = true;
        break;
      }
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

  Ex GenEnum(int en, int d, bool opt_ok) {
    Ex e;
    bool done = false;
    auto is_en = [en](const Ty& t) { return t.b == B::Enum && t.en == en; };
    int choice = d <= 0 ? (r_.Chance(60) ? 0 : 1) : int(r_.Range(0, 5));
    switch (choice) {
      case 0: done = PickAtom(is_en, true, e); break;
      case 1: e = EnumLit(en); done = true; break;
      case 2: e = IfOf(d, [&] { return GenEnum(en, d - 1, true); }); done = true; break;
      case 3: {
        Ex a = GenEnum(en, d - 1, true);
        if (!a.t.opt) break;
        e = Coalesce(a, r_.Chance(70) ? EnumLit(en) : GenEnum(en, d - 1, true));
        done = true;
        break;
      }
      case 4: done = PickTable(is_en, d, true, e); break;
      case 5: done = NarrowedIf([&] { return GenEnum(en, d - 1, true); }, e); break;
    }
    if (!done) e = EnumLit(en);
    return Fix(e, opt_ok);
  }

  const char* CompareOp(bool ordered) {
    static const char* kAll[] = {"<", "<=", ">", ">=", "==", "!="};
    return ordered ? kAll[r_.Index(6)] : kAll[4 + r_.Index(2)];
  }

  Ex GenCompare(int d) {
    Ex a, b;
    bool ordered = true;
    switch (r_.Range(0, 9)) {
      case 0: case 1:
        a = GenExact(d - 1, true, 4);
        b = r_.Chance(50) ? ExactLit(4, false) : GenExact(d - 1, true, 4);
        break;
      case 2:
        a = GenNum(d - 1, true);
        b = GenNum(d - 1, true);
        break;
      case 3: case 4:
        a = GenNum(d - 1, true);
        b = r_.Chance(60) ? ExactLit(3, false) : GenExact(d - 1, true, 0, true);
        break;
      case 5:
        a = GenDate(d - 1, true);
        b = r_.Chance(50) ? DateLit() : GenDate(d - 1, true);
        break;
      case 6:
        a = GenStr(d - 1, true);
        b = r_.Chance(60) ? StrLit() : GenStr(d - 1, true);
        ordered = false;
        break;
      case 7: {
        int en = int(r_.Index(enums_.size()));
        a = GenEnum(en, d - 1, true);
        b = r_.Chance(60) ? EnumLit(en) : GenEnum(en, d - 1, true);
        ordered = false;
        break;
      }
      case 8:
        a = GenBool(d - 1, true);
        b = r_.Chance(50) ? Make(r_.Chance(50) ? "true" : "false", T(B::Bool)) : GenBool(d - 1, true);
        ordered = false;
        break;
      default:
        a = GenExact(d - 1, true, 2);
        b = ExactLit(2, false);
        break;
    }
    if (r_.Chance(50)) std::swap(a, b);
    if (a.t.numeric() && !NumericOf(a, b)) return Make("true", T(B::Bool));
    return Bin(a, CompareOp(ordered), b, T(B::Bool, a.t.opt || b.t.opt));
  }

  // A condition about X, which is known to be present.
  Ex About(const Sym& x, int d) {
    Ex xe = Make(x.name, x.t.Opt(false));
    switch (x.t.b) {
      case B::Int: case B::Dec: {
        Ex o = r_.Chance(60) ? ExactLit(2, false) : GenExact(d, true, 2);
        return Bin(xe, CompareOp(true), o, T(B::Bool, o.t.opt));
      }
      case B::Num: return Bin(xe, CompareOp(true), ExactLit(3, false), T(B::Bool));
      case B::Bool: return r_.Chance(50) ? xe : Make("(not " + x.name + ")", T(B::Bool));
      case B::Str: return Bin(xe, CompareOp(false), StrLit(), T(B::Bool));
      case B::Date: return Bin(xe, CompareOp(true), DateLit(), T(B::Bool));
      case B::Enum: return Bin(xe, CompareOp(false), EnumLit(x.t.en), T(B::Bool));
    }
    return xe;
  }

  Ex GenIn(int d) {
    Ex subject;
    std::vector<Ex> items;
    int n = int(r_.Range(1, 4));
    switch (r_.Range(0, 4)) {
      case 0:
        subject = GenExact(d - 1, true, 2);
        for (int i = 0; i < n; ++i) items.push_back(ExactLit(2, false));
        break;
      case 1:
        subject = GenNum(d - 1, true);
        for (int i = 0; i < n; ++i) items.push_back(ExactLit(2, false));
        break;
      case 2:
        subject = GenStr(d - 1, true);
        for (int i = 0; i < n; ++i) items.push_back(StrLit());
        break;
      case 3: {
        int en = int(r_.Index(enums_.size()));
        subject = GenEnum(en, d - 1, true);
        for (int i = 0; i < n; ++i) items.push_back(r_.Chance(85) ? EnumLit(en) : GenEnum(en, d - 1, true));
        break;
      }
      default:
        subject = GenDate(d - 1, true);
        for (int i = 0; i < n; ++i) items.push_back(DateLit());
        break;
    }
    bool opt = subject.t.opt;  // missing when the subject or an item is (Kleene `or`; a range: `and`)
    std::vector<std::string> texts;
    for (size_t i = 0; i < items.size(); ++i) texts.push_back(items[i].s), opt |= items[i].t.opt;
    bool ordered = subject.t.numeric() || subject.t.b == B::Date;
    return Make("(" + gen_exprs::InTest(r_, subject.s, texts, ordered) + ")", T(B::Bool, opt));
  }

  // Some value that may be missing, of any type.
  Ex GenOptional(int d) {
    Ex e;
    if (r_.Chance(75) && PickAtom([](const Ty& t) { return t.opt; }, true, e) && e.t.opt) return e;
    switch (r_.Range(0, 3)) {
      case 0: e = GenNum(d, true); break;
      case 1: e = GenExact(d, true); break;
      case 2: e = GenStr(d, true); break;
      default: e = GenDate(d, true); break;
    }
    if (e.t.opt) return e;
    Ex a = GenExact(0, true, 2), b = GenExact(0, true, 2);
    Ex q = Bin(a, "/", b, T(B::Num, a.t.opt || b.t.opt || !b.pos_lit));
    return q.t.opt ? q : Make("(" + a.s + " / 0)", T(B::Num, true));
  }

  Ex GenBool(int d, bool opt_ok) {
    Ex e;
    bool done = false;
    int choice = d <= 0 ? (r_.Chance(50) ? 0 : 1) : int(r_.Range(0, 16));
    switch (choice) {
      case 0: done = PickAtom([](const Ty& t) { return t.b == B::Bool; }, true, e); break;
      case 1: case 2: case 3: case 4: e = GenCompare(d); done = true; break;
      case 5: case 6: {
        Ex a = GenBool(d - 1, true);
        Ex b = WithFacts(choice == 5 ? a.ft : a.ff, [&] { return GenBool(d - 1, true); });
        e = AndOr(a, choice == 5, b);
        done = true;
        break;
      }
      case 7: {
        Ex a = GenBool(d - 1, true);
        e = Make("(not " + a.s + ")", a.t);
        e.ft = a.ff;
        e.ff = a.ft;
        done = true;
        break;
      }
      case 8: e = GenIn(d); done = true; break;
      case 9: {
        Ex x = GenOptional(d - 1);
        static const char* kTests[] = {" is missing)", " is not missing)", " is present)", " is not present)"};
        size_t test = r_.Index(4);
        e = Make("(" + x.s + kTests[test], T(B::Bool));
        if (!x.name.empty()) (test == 1 || test == 2 ? e.ft : e.ff).push_back(x.name);
        done = true;
        break;
      }
      case 10: case 11: {
        const Sym* x = NarrowCandidate();
        if (!x) break;
        Sym xs = *x;
        static const char* kAnd[] = {" is present and ", " is not missing and "};
        static const char* kOr[] = {" is missing or ", " is not present or "};
        bool and_form = r_.Chance(50);
        present_.push_back(xs.name);
        Ex p = About(xs, d - 1);
        if (r_.Chance(35)) {
          bool is_and = r_.Chance(50);
          Ex q = WithFacts(is_and ? p.ft : p.ff, [&] { return GenBool(d - 1, true); });
          p = AndOr(p, is_and, q);
        }
        present_.pop_back();
        e = Make("(" + xs.name + (and_form ? kAnd[r_.Index(2)] : kOr[r_.Index(2)]) + p.s + ")", T(B::Bool, p.t.opt));
        if (and_form) e.ft = Union({xs.name}, p.ft);
        else e.ff = Union({xs.name}, p.ff);
        done = true;
        break;
      }
      case 12: e = IfOf(d, [&] { return GenBool(d - 1, true); }); done = true; break;
      case 13: {
        Ex a = GenBool(d - 1, true);
        if (!a.t.opt) break;
        e = Coalesce(a, Make(r_.Chance(50) ? "true" : "false", T(B::Bool)));
        done = true;
        break;
      }
      case 14: {
        if (!agg_ok_) break;
        agg_ok_ = false;
        Ex c = GenBool(d - 1, false);
        static const char* kFns[] = {"any", "all", "any_other"};
        e = CallOf(kFns[r_.Index(3)], {c}, T(B::Bool));
        agg_ok_ = true;
        done = true;
        break;
      }
      case 15: done = PickTable([](const Ty& t) { return t.b == B::Bool; }, d, true, e); break;
      case 16: done = ListsOrText(d, T(B::Bool), GenListOrTextBool, e); break;
    }
    if (!done) e = GenCompare(std::max(d, 1));
    return Fix(e, opt_ok);
  }

  Ex GenOf(Cls c, int d, bool opt_ok, int en = -1) {
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

  Cls RandomCls() {
    int v = int(r_.Range(0, 19));
    if (v < 7) return Cls::Exact;
    if (v < 11) return Cls::Num;
    if (v < 14) return Cls::Bool;
    if (v < 16) return Cls::Str;
    if (v < 18) return Cls::Date;
    return Cls::Enum;
  }

  // A value that fits type `t` as a declared `let` or a `set` target.
  Ex GenFit(const Ty& t, int d) {
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

  std::string TypeText(const Ty& t) const {
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

  // ---- declarations -----------------------------------------------------------------------------

  void GenEnums() {
    int n = int(r_.Range(1, 3));
    for (int i = 0; i < n; ++i) {
      EnumDef e;
      e.name = fmt::format("E{}", i + 1);
      int values = int(r_.Range(2, 5));
      for (int v = 0; v < values; ++v) e.values.push_back(fmt::format("e{}_{}", i + 1, char('a' + v)));
      enums_.push_back(e);
    }
    decision_enum_ = int(enums_.size());
    enums_.push_back({"Outcome", {"APPROVE", "REFER", "DECLINE"}});
    if (r_.Chance(40)) enums_.back().values.push_back("MANUAL");
    grade_enum_ = int(enums_.size());
    enums_.push_back({"Grade", {"gA", "gB", "gC", "gD"}});
    for (auto& e : enums_) {
      out_ += "enum " + e.name + " { ";
      for (size_t v = 0; v < e.values.size(); ++v) out_ += (v ? ", " : "") + e.values[v];
      out_ += r_.Chance(20) ? ", }\n" : " }\n";
    }
    out_ += "\n";
  }

  // Bounds for a numeric field's `where`, in the field's units.
  std::string GenWhere(const std::string& name, FieldSpec& f) {
    int scale = f.type == FieldType::Int ? 0 : 2;
    int64_t unit = int64_t(Pow10u(scale));
    static const int64_t kLows[] = {0, 0, 0, 1, -100, 300, 18, -1000000};
    int64_t lo = kLows[r_.Index(std::size(kLows))] * unit;
    int64_t hi = lo + (r_.Chance(50) ? r_.Range(10, 1000) : r_.Range(1000, 10000000)) * unit;
    int shape = int(r_.Range(0, 4));
    f.has_lo = shape != 2;
    f.has_hi = shape >= 2;
    f.lo_strict = r_.Chance(30);
    f.hi_strict = r_.Chance(30);
    f.lo = lo;
    f.hi = hi;
    // Write bounds at the field's scale, or coarser when they are whole.
    auto text = [&](int64_t v) {
      if (scale == 0 || v % unit != 0 || r_.Chance(40)) return LitText(v, scale, false);
      return LitText(v / unit, 0, false);
    };
    std::string lo_s = name + (f.lo_strict ? " > " : " >= ") + text(lo);
    std::string hi_s = name + (f.hi_strict ? " < " : " <= ") + text(hi);
    std::string w;
    bool closed_both = !f.lo_strict && !f.hi_strict;  // `[a, b]` is a list, not a range
    if (f.has_lo && f.has_hi && !closed_both && r_.Chance(35))
      w = name + " in " + (f.lo_strict ? "(" : "[") + text(lo) + ", " + text(hi) + (f.hi_strict ? ")" : "]");
    else if (f.has_lo && f.has_hi) w = r_.Chance(80) ? lo_s + " and " + hi_s : hi_s + " and " + lo_s;
    else if (f.has_lo) w = lo_s;
    else w = hi_s;
    if (r_.Chance(30)) w += " else \"bad_" + name + "\"";
    return w;
  }

  void GenInput(bool group) {
    out_ += "input Application {\n  id: string\n";
    FieldSpec id;
    id.name = "id";
    id.type = FieldType::String;
    spec_.fields.push_back(id);
    syms_.push_back({"id", T(B::Str), true, true, false, 0});
    std::vector<FieldType> types = {FieldType::Int, FieldType::Money, FieldType::Number, FieldType::Bool,
                                    FieldType::String, FieldType::Date, FieldType::Enum};
    for (size_t i = types.size(); i > 1; --i) std::swap(types[i - 1], types[r_.Index(i)]);
    int n = int(r_.Range(3, 11));
    static const FieldType kMore[] = {FieldType::Int,  FieldType::Money, FieldType::Money, FieldType::Number,
                                      FieldType::Number, FieldType::Int, FieldType::Bool, FieldType::Date,
                                      FieldType::Enum, FieldType::Decimal, FieldType::Percent};
    for (int i = 0; i < n; ++i) {
      FieldSpec f;
      f.type = i < int(types.size()) ? types[i] : kMore[r_.Index(std::size(kMore))];
      f.optional = r_.Chance(40);
      if (i < int(types.size()) && r_.Chance(15)) f.type = r_.Chance(50) ? FieldType::Decimal : FieldType::Percent;
      static const char* kPrefix[] = {"s", "i", "m", "x", "b", "d", "e", "q", "p"};
      f.name = fmt::format("{}{}", kPrefix[int(f.type)], i + 1);
      Ty t;
      std::string type_text;
      switch (f.type) {
        case FieldType::String: t = T(B::Str); type_text = "string"; break;
        case FieldType::Int: t = T(B::Int); type_text = "int"; break;
        case FieldType::Money: t = DecT(2); type_text = kMoneyType; break;
        case FieldType::Number: t = T(B::Num); type_text = "number"; break;
        case FieldType::Bool: t = T(B::Bool); type_text = "bool"; break;
        case FieldType::Date: t = T(B::Date); type_text = "date"; break;
        case FieldType::Enum: {
          int en = int(r_.Index(enums_.size()));
          t = EnumT(en);
          type_text = enums_[en].name;
          f.enum_values = enums_[en].values;
          break;
        }
        case FieldType::Decimal:  // decimal(N), N 1..9 (decimal(0) is int: tried as such)
          f.scale = int(r_.Range(1, 9));
          t = DecT(f.scale);
          type_text = fmt::format("decimal({})", f.scale);
          break;
        case FieldType::Percent: t = DecT(6); type_text = "percent"; break;
      }
      if (f.type == FieldType::Int && r_.Chance(10)) type_text = "decimal(0)";
      t.opt = f.optional;
      std::string line = "  " + f.name + ": " + type_text + (f.optional ? "?" : "");
      bool numeric = f.type == FieldType::Int || f.type == FieldType::Money || f.type == FieldType::Number;
      if (numeric && r_.Chance(40)) line += " where " + GenWhere(f.name, f);
      else if (f.type == FieldType::Date && r_.Chance(20)) line += " where " + f.name + " >= date(\"1990-01-01\")";
      else if (f.type == FieldType::String && r_.Chance(15)) line += " where " + f.name + " != \"gamma\"";
      out_ += line + "\n";
      syms_.push_back({f.name, t, true, true, false, int(spec_.fields.size())});
      spec_.fields.push_back(f);
    }
    if (group) {
      FieldSpec g;
      g.name = "grp";
      g.type = FieldType::String;
      g.optional = r_.Chance(75);
      g.group_key = true;
      out_ += std::string("  grp: string") + (g.optional ? "?" : "") + "\n";
      syms_.push_back({"grp", T(B::Str, g.optional), true, true, false, int(spec_.fields.size())});
      spec_.fields.push_back(g);
    }
    if (r_.Chance(20)) {
      out_ += "  unique id\n";
      spec_.fields[0].unique = true;
    }
    if (r_.Chance(20)) {
      fields_only_ = true;
      int checks = int(r_.Range(1, 2));
      // Mostly true, so that most records get past the checks: false only for one record.
      for (int c = 0; c < checks; ++c)
        out_ += "  check " + GenBool(1, false).s + fmt::format(" or id != \"r{}\" else \"check_{}\"\n", r_.Range(1, 40), c + 1);
      fields_only_ = false;
    }
    out_ += "}\n\n";
  }

  // A const holding a bin bound's literal, standing for it in the bin (docs/language.md, "Constants").
  std::string BinConst(const std::string& literal) {
    std::string name = Fresh("uL");
    bin_consts_ += "const " + name + " = " + literal + "\n";
    return name;
  }

  // Consts (atoms from here on) and user functions (called by lets): tests/diff/gen_reuse.cc.
  void GenReuse() {
    ReuseDecls decls = GenerateReuse(r_, "u");
    out_ += decls.text;
    for (const auto& [scaled, scale] : decls.literals) NoteLiteral(scaled, scale);
    for (const auto& c : decls.consts) atoms_.push_back({c.name, OfReuse(c.type)});
    functions_ = std::move(decls.functions);
  }
  static Ty OfReuse(ReuseType t) {
    Ty ty = t.base == ReuseType::Int ? T(B::Int) : t.base == ReuseType::Money ? DecT(2)
            : t.base == ReuseType::Number ? T(B::Num) : T(B::Bool);
    return ty.Opt(t.optional);
  }
  // A call of a user function with arguments of the parameters' types (int for money or number
  // parameters too, converted by the call).
  Ex GenUserCall(int d) {
    const ReuseFunction& f = functions_[r_.Index(functions_.size())];
    std::vector<Ex> args;
    for (const auto& p : f.params) args.push_back(GenFit(OfReuse(p), d));
    return CallOf(f.name, args, OfReuse(f.result));
  }

  // Reference data keyed by a string field, and lets that look it up (gen_references.h).
  void GenReferenceData(Rng& r) {
    std::vector<std::pair<std::string, bool>> keys;
    for (const auto& f : spec_.fields)  // the record id now and then: its values are r1, r2, ...
      if (f.type == FieldType::String && (f.name != "id" || r.Chance(30))) keys.push_back({f.name, f.optional});
    if (keys.empty()) keys.push_back({"id", false});
    std::vector<std::string> values(std::begin(kStringPool), std::end(kStringPool));
    for (int i = 1; i <= 40; ++i) values.push_back(fmt::format("r{}", i));
    GeneratedReferences refs = GenReferences(r, keys, values, ++counter_, kMoneyType);
    out_ += refs.declarations;
    for (const auto& v : refs.values) {
      std::string name = Fresh("ref");
      Ty t = v.kind == RefValue::Amount ? DecT(2, v.optional)
             : v.kind == RefValue::Int  ? T(B::Int, v.optional)
             : v.kind == RefValue::Number ? T(B::Num, v.optional)
                                          : T(B::Bool, v.optional);
      out_ += "let " + name + " = " + v.expr + "\n";
      syms_.push_back({name, t, false, true, true, -1});
    }
    out_ += "\n";
    spec_.references = refs.files;
  }

  void GenLet() {
    std::string name = Fresh("v");
    Cls c = RandomCls();
    Ex e = !functions_.empty() && r_.Chance(40) ? GenUserCall(int(r_.Range(1, 2))) : GenOf(c, int(r_.Range(1, 3)), true);
    Ty stored = e.t;
    std::string declared;
    if (r_.Chance(25)) {
      Ty d = e.t;
      bool ok = true;
      if (e.t.b == B::Int) {
        int v = int(r_.Range(0, 2));
        d = v == 0 ? T(B::Int) : v == 1 ? DecT(2) : T(B::Num);
      } else if (e.t.b == B::Dec) {  // a declared scale at least the value's: converts exactly
        d = DecT(int(r_.Range(e.t.scale, 9)));
        if (r_.Chance(40)) d = DecT(std::max(2, e.t.scale));
      }
      if (e.t.b == B::Int && r_.Chance(30)) d = DecT(int(r_.Range(1, 9)));
      if (e.t.b == B::Num && r_.Chance(50)) {  // a number printed with N decimals: round(x, 0.0..1) into decimal(N)
        int n = int(r_.Range(1, 6));
        e = CallOf("round", {e, DecLit(1, n)}, DecT(n, e.t.opt));
        d = DecT(n);
      }
      d.opt = e.t.opt || r_.Chance(15);
      if (ok) {
        declared = TypeText(d);
        stored = d;
      }
    }
    out_ += "let " + name + (declared.empty() ? "" : ": " + declared) + " = " + e.s + "\n";
    syms_.push_back({name, stored, false, true, true, -1});
  }

  void GenRuleSet() {
    std::string name = Fresh("rs");
    int rules = int(r_.Range(1, 6));
    out_ += "\nrules " + name + (r_.Chance(50) ? " \"a rule set\"" : "") + " {\n";
    bool missing_false = r_.Chance(25);  // a missing condition counts as false: conditions may be bool?
    if (missing_false) out_ += gen_exprs::kMissingFalseLine;
    std::vector<std::string> codes;
    for (int i = 0; i < rules; ++i) {
      std::string code = Fresh("R");
      Ex c = GenBool(int(r_.Range(1, 3)), missing_false);
      if (c.s == "false") c = Make("true", T(B::Bool));
      static const char* kEffects[] = {"decline", "refer", "flag"};
      out_ += "  " + code + (r_.Chance(30) ? " \"rule\"" : "") + " when " + c.s + " => " + kEffects[r_.Index(3)] + "\n";
      codes.push_back(code);
    }
    out_ += "}\n";
    atoms_.push_back({name + ".fired", T(B::Bool)});
    atoms_.push_back({name + ".first", T(B::Str)});
    atoms_.push_back({name + ".count", T(B::Int)});
    for (const char* effect : {".declined", ".referred", ".flagged"}) atoms_.push_back({name + effect, T(B::Bool)});
    for (auto& c : codes) {
      atoms_.push_back({name + "." + c, T(B::Bool)});
      codes_.push_back(c);
    }
    codes_values_.push_back(name + ".codes");
    lists_.push_back({name + ".codes", codes});
  }

  // ---- bins ---------------------------------------------------------------------------------------

  struct Subject {
    Ex e;
    const FieldSpec* bounds = nullptr;  // a bare field name with `where` bounds
  };

  Subject GenSubject() {
    Subject s = GenSubjectExpr();
    // A bare field name brings its `where` bounds, however it was picked.
    for (auto& sym : syms_)
      if (sym.field && sym.name == s.e.s && sym.t.numeric()) {
        const FieldSpec& fs = spec_.fields[sym.field_index];
        if (fs.has_lo || fs.has_hi) s.bounds = &fs;
      }
    return s;
  }

  Subject GenSubjectExpr() {
    Subject s;
    int v = int(r_.Range(0, 9));
    if (v <= 2) {  // a numeric field by name (its `where` bounds narrow the domain)
      std::vector<const Sym*> c;
      for (auto& sym : syms_)
        if (sym.field && sym.t.numeric()) c.push_back(&sym);
      if (!c.empty()) {
        const Sym& f = *c[r_.Index(c.size())];
        s.e = Make(f.name, f.t);
        const FieldSpec& fs = spec_.fields[f.field_index];
        if (fs.has_lo || fs.has_hi) s.bounds = &fs;
        return s;
      }
    }
    if (v == 3 && PickAtom([](const Ty& t) { return t.numeric(); }, true, s.e)) return s;
    if (v == 4) { s.e = GenExact(1, true, 4); return s; }
    if (v == 5) { s.e = GenNum(1, true); return s; }
    if (v == 6) { s.e = GenOf(Cls::Enum, 1, true); return s; }
    if (v == 7) { s.e = GenBool(1, true); return s; }
    if (v == 8) { s.e = GenStr(1, true); return s; }
    if (PickAtom([](const Ty& t) { return t.b == B::Enum || t.numeric(); }, true, s.e)) return s;
    s.e = GenExact(1, true, 2);
    return s;
  }

  struct BinText {
    std::vector<std::string> tests;
    bool is_else = false;
  };

  // Bins over `s` (every value covered, disjoint); `value()` gives each bin's value text.
  template <typename V>
  std::string GenBins(const Subject& s, V value, bool band) {
    std::vector<BinText> bins;
    const Ty& t = s.e.t;
    if (t.numeric()) {
      bins = NumericBins(s, band);
    } else if (t.b == B::Enum || t.b == B::Bool || t.b == B::Str) {
      std::vector<std::string> cats;
      bool need_else = false;
      if (t.b == B::Enum) {
        cats = enums_[t.en].values;
      } else if (t.b == B::Bool) {
        cats = {"true", "false"};
      } else {
        std::set<std::string> pool;
        int n = int(r_.Range(1, 3));
        for (int i = 0; i < n; ++i) pool.insert(StrLit().s);
        cats.assign(pool.begin(), pool.end());
        need_else = true;
      }
      for (size_t i = cats.size(); i > 1; --i) std::swap(cats[i - 1], cats[r_.Index(i)]);
      bool use_else = need_else || (cats.size() > 1 && r_.Chance(30));
      size_t covered = need_else ? cats.size() : use_else ? size_t(r_.Range(1, int64_t(cats.size()) - 1)) : cats.size();
      for (size_t i = 0; i < covered;) {
        size_t take = std::min(covered - i, size_t(r_.Range(1, 2)));
        BinText b;
        for (size_t k = 0; k < take; ++k) b.tests.push_back(cats[i + k]);
        bins.push_back(b);
        i += take;
      }
      if (use_else) bins.push_back({{"else"}, true});
    }
    for (size_t i = bins.size(); i > 1; --i) {
      if (band) break;  // bands keep their order (first match); scorecard bins are disjoint
      std::swap(bins[i - 1], bins[r_.Index(i)]);
    }
    if (t.opt) {
      if (!bins.empty() && r_.Chance(30)) {
        BinText& b = bins[r_.Index(bins.size())];
        if (!b.is_else) b.tests.insert(b.tests.begin(), "missing");
        else bins.insert(bins.begin(), BinText{{"missing"}, false});
      } else {
        bins.insert(bins.begin() + r_.Index(bins.size() + 1), BinText{{"missing"}, false});
      }
    }
    std::string out;
    bool one_line = r_.Chance(50);
    for (size_t i = 0; i < bins.size(); ++i) {
      std::string tests;
      for (size_t k = 0; k < bins[i].tests.size(); ++k) tests += (k ? ", " : "") + bins[i].tests[k];
      // Without a comma, `=> 5 <NL> <= 3, > 9 => 1` reads as the value `5 <= 3`: separate such bins.
      if (!one_line && i > 0 && bins[i].tests.size() > 1) out += ",";
      out += (one_line ? (i ? ", " : " ") : "\n    ") + tests + " => " + value();
    }
    return out + (one_line ? " " : "\n  ");
  }

  std::vector<BinText> NumericBins(const Subject& s, bool band) {
    const Ty& t = s.e.t;
    bool cont = t.b == B::Num;
    int scale = cont ? (s.bounds ? 2 : int(r_.Range(0, 2))) : ScaleOf(t);
    // The values the subject can take, in units of 10^-scale.
    const int64_t kFar = int64_t(1) << 60;
    int64_t lo = -kFar, hi = kFar;
    if (s.bounds) {
      const FieldSpec& f = *s.bounds;
      if (f.has_lo) lo = f.lo + (!cont && f.lo_strict ? 1 : 0);
      if (f.has_hi) hi = f.hi - (!cont && f.hi_strict ? 1 : 0);
    }
    // Edges strictly inside: lo < v1 < ... < vk < hi.
    int64_t p = int64_t(Pow10u(scale));
    static const int64_t kMagnitudes[] = {1, 10, 100, 1000, 100000, 10000000};
    int64_t m = kMagnitudes[r_.Index(std::size(kMagnitudes))] * p;
    int64_t from = r_.Chance(60) ? 0 : -m, to = m;
    if (s.bounds) {
      from = std::max(from, lo + 1);
      to = std::min(std::max(to, from + 4), hi - 1);
      if (lo > -kFar && r_.Chance(50)) to = std::min(hi - 1, lo + std::max<int64_t>(4, m));
      if (to - from < 3) { from = lo + 1; to = hi - 1; }
    }
    int k = int(r_.Range(1, 4));
    std::set<int64_t> edges;
    for (int i = 0; i < k * 3 && int(edges.size()) < k; ++i) {
      int64_t v = r_.Chance(30) && !spec_.literals.empty() ? r_.Pick(spec_.literals).first : r_.Range(from, to);
      if (v >= from && v <= to) edges.insert(v);
    }
    if (edges.empty()) edges.insert(from + (to - from) / 2);
    std::vector<int64_t> v(edges.begin(), edges.end());
    bool pad = !cont && scale < 9 && v.front() > -(int64_t(1) << 56) && v.back() < (int64_t(1) << 56) && r_.Chance(15);  // an extra zero digit: the value is rescaled to compare
    auto txt = [&](int64_t x) {
      NoteLiteral(x, scale);
      std::string lit = pad ? LitText(x * 10, scale + 1, false) : LitText(x, scale, r_.Chance(20));
      return r_.Chance(10) ? BinConst(lit) : lit;
    };
    std::vector<BinText> bins;
    if (band && r_.Chance(35)) {  // a descending chain of thresholds, the rest in `else`
      for (size_t i = v.size(); i-- > 0;) bins.push_back({{(r_.Chance(70) || cont ? ">= " + txt(v[i]) : "> " + txt(v[i] - 1))}, false});
      bins.push_back({{"else"}, true});
      return bins;
    }
    bool closed_low = r_.Chance(70);  // [a, b) bins, else (a, b] bins
    if (closed_low) {
      bins.push_back({{!cont && r_.Chance(30) ? "<= " + txt(v[0] - 1) : "< " + txt(v[0])}, false});
      for (size_t i = 0; i + 1 < v.size(); ++i) {
        std::string b;
        if (!cont && v[i + 1] - v[i] == 1) b = r_.Chance(50) ? txt(v[i]) : "== " + txt(v[i]);
        else if (!cont && r_.Chance(30)) b = "[" + txt(v[i]) + ", " + txt(v[i + 1] - 1) + "]";
        else if (!cont && r_.Chance(20)) b = "(" + txt(v[i] - 1) + ", " + txt(v[i + 1]) + ")";
        else b = "[" + txt(v[i]) + ", " + txt(v[i + 1]) + ")";
        bins.push_back({{b}, false});
      }
      bins.push_back({{!cont && r_.Chance(30) ? "> " + txt(v.back() - 1) : ">= " + txt(v.back())}, false});
    } else {
      bins.push_back({{"<= " + txt(v[0])}, false});
      for (size_t i = 0; i + 1 < v.size(); ++i) bins.push_back({{"(" + txt(v[i]) + ", " + txt(v[i + 1]) + "]"}, false});
      bins.push_back({{"> " + txt(v.back())}, false});
    }
    if (bins.size() >= 2 && r_.Chance(25)) {  // leave one range to `else`
      bins.erase(bins.begin() + r_.Index(bins.size()));
      bins.push_back({{"else"}, true});
    } else if (bins.size() >= 3 && r_.Chance(25)) {  // one bin with two tests
      size_t a = r_.Index(bins.size() - 1);
      bins[a].tests.push_back(bins.back().tests[0]);
      bins.pop_back();
    }
    return bins;
  }

  // A scaled (WOE) scorecard (gen_woe.cc) over subjects and bins made here.
  void GenScaledScorecard() {
    std::string name = Fresh("sc");
    std::vector<WoeCharacteristic> chars;
    int n = int(r_.Range(1, 6));
    std::vector<Subject> subjects;
    for (int c = 0; c < n; ++c) subjects.push_back(GenSubject());
    for (int c = 0; c < n; ++c) {
      const Subject* s = &subjects[size_t(c)];
      chars.push_back({Fresh("C"), s->e.s, [this, s](const std::function<std::string()>& value) { return GenBins(*s, value, false); }});
    }
    WoeScorecard card = GenWoeScorecard(r_, name, chars);
    out_ += card.text;
    atoms_.push_back({name + ".score", T(card.number_score ? B::Num : B::Int)});
    atoms_.push_back({name + ".odds", T(B::Num)});
    atoms_.push_back({name + ".pd", T(B::Num)});
    for (auto& c : chars) {
      atoms_.push_back({name + "." + c.code, T(card.number_points ? B::Num : B::Int)});
      codes_.push_back(c.code);
    }
    for (int i = 1; i <= card.ranks; ++i) atoms_.push_back({fmt::format("{}.reason({})", name, i), T(B::Str)});
    if (card.ranks <= 8) {  // `.reasons`, ranked as `.reason(i)` (gen_lists.cc uses it)
      std::vector<std::string> codes;
      for (auto& c : chars) codes.push_back(c.code);
      lists_.push_back({name + ".reasons", codes});
      codes_values_.push_back(name + ".reasons");
    }
  }

  void GenScorecard() {
    if (r_.Chance(35)) return GenScaledScorecard();
    std::string name = Fresh("sc");
    int chars = int(r_.Range(1, 6));
    out_ += "\nscorecard " + name + (r_.Chance(50) ? " \"a scorecard\"" : "") + " {\n";
    if (r_.Chance(60)) out_ += fmt::format("  baseline {}\n", r_.Range(-100, 600));
    int reasons = r_.Chance(60) ? int(r_.Range(1, chars)) : 0;
    if (reasons) out_ += fmt::format("  reasons {}\n", reasons);
    std::vector<std::string> codes;
    for (int c = 0; c < chars; ++c) {
      std::string code = Fresh("C");
      Subject s = GenSubject();
      static const int kTies[] = {-10, 0, 0, 10, 20};  // equal shortfalls: ties broken by code
      bool ties = r_.Chance(30);
      auto points = [&] { return std::to_string(ties ? kTies[r_.Index(5)] : r_.Range(-60, 60)); };
      out_ += "  " + code + (r_.Chance(30) ? " \"characteristic\" " : " ") + s.e.s + " {" + GenBins(s, points, false) + "}\n";
      codes.push_back(code);
    }
    out_ += "}\n";
    atoms_.push_back({name + ".score", T(B::Int)});
    for (auto& c : codes) {
      atoms_.push_back({name + "." + c, T(B::Int)});
      codes_.push_back(c);
    }
    int ranks = reasons ? reasons : chars;
    for (int i = 1; i <= ranks; ++i) atoms_.push_back({fmt::format("{}.reason({})", name, i), T(B::Str)});
    if (ranks <= 8) {
      lists_.push_back({name + ".reasons", codes});
      codes_values_.push_back(name + ".reasons");
    }
  }

  void GenBand() {
    std::string name = Fresh("band");
    Subject s = GenSubject();
    int kind = int(r_.Range(0, 5));
    std::string declared;
    Ty t;
    int max_scale = 0;
    bool any_dec = false;
    std::function<std::string()> value;
    switch (kind) {
      case 0:
        declared = ": Grade";
        t = EnumT(grade_enum_);
        value = [&] { return r_.Pick(enums_[grade_enum_].values); };
        break;
      case 1:
        t = T(B::Str);
        value = [&] { return StrLit().s; };
        break;
      case 2:
        t = T(B::Int);
        value = [&] { return IntLit(r_.Range(-50, 50)).s; };
        break;
      case 3:
        value = [&] {
          if (r_.Chance(40)) return IntLit(r_.Range(0, 10)).s;
          int sc = int(r_.Range(1, 3));
          max_scale = std::max(max_scale, sc);
          any_dec = true;
          return DecLit(r_.Range(0, 1000), sc).s;
        };
        break;
      case 4:
        t = T(B::Bool);
        value = [&] { return std::string(r_.Chance(50) ? "true" : "false"); };
        break;
      default:
        declared = std::string(": ") + kMoneyType;
        t = DecT(2);
        value = [&] { return r_.Chance(50) ? IntLit(r_.Range(0, 100000)).s : DecLit(r_.Range(-100000, 10000000), int(r_.Range(1, 2))).s; };
        break;
    }
    std::string bins = GenBins(s, value, true);
    if (kind == 3) t = any_dec ? DecT(max_scale) : T(B::Int);
    out_ += "\nband " + name + declared + " = " + s.e.s + " {" + bins + "}\n";
    syms_.push_back({name, t, false, false, false, -1});
  }

  // Decision tables and generalised lookup tables (gen_tables.cc), and lets that use them.
  void GenTables() {
    TableGenContext c{r_,
                      [this](const char* prefix) { return Fresh(prefix); },
                      [this](GenKind k, bool opt_ok, int en) {
                        Ex e;
                        switch (k) {
                          case GenKind::Int: e = GenExact(2, opt_ok, 0, true); break;
                          case GenKind::Dec: e = GenExact(2, opt_ok, 2); break;
                          case GenKind::Num: e = GenNum(2, opt_ok); break;
                          case GenKind::Str: e = GenStr(2, opt_ok); break;
                          case GenKind::Date: e = GenDate(2, opt_ok); break;
                          case GenKind::Bool: e = GenBool(2, opt_ok); break;
                          case GenKind::Enum: e = GenEnum(en >= 0 ? en : int(r_.Index(enums_.size())), 2, opt_ok); break;
                        }
                        return GenExpr{e.s, GenType{GenKind(e.t.b), e.t.scale, e.t.opt, e.t.en}};
                      },
                      [this](const GenType& t) { return TypeText(Ty{B(t.kind), t.scale, t.opt, t.en}); },
                      {},
                      {std::begin(kStringPool), std::end(kStringPool)}};
    for (const auto& e : enums_) c.enums.push_back({e.name, e.values});
    int n = int(r_.Range(1, 2));
    for (int i = 0; i < n; ++i) {
      TableGenResult t = r_.Chance(65) ? GenDecisionTable(c) : GenLookupTable(c);
      out_ += t.text;
      for (const auto& a : t.atoms) atoms_.push_back({a.text, Ty{B(a.type.kind), a.type.scale, a.type.opt, a.type.en}});
      for (const auto& v : t.codes_values) codes_values_.push_back(v);
      for (const auto& [name, value] : t.lets) {
        out_ += "let " + name + " = " + value.text + "\n";
        syms_.push_back({name, Ty{B(value.type.kind), value.type.scale, value.type.opt, value.type.en}, false, true, true, -1});
      }
    }
  }

  void GenTable() {
    std::string name = Fresh("t");
    std::vector<int> key_ens = {int(r_.Index(enums_.size()))};
    if (r_.Chance(35)) {  // a grid: two keys, sometimes three
      key_ens.push_back(int(r_.Index(enums_.size())));
      if (r_.Chance(25)) key_ens.push_back(int(r_.Index(enums_.size())));
    }
    int kind = int(r_.Range(0, 6));
    std::string vt;
    Ty t;
    int max_scale = 0;
    std::function<std::string()> value;
    switch (kind) {
      case 0: vt = "int"; t = T(B::Int); value = [&] { return IntLit(r_.Chance(80) ? r_.Range(-100, 100) : SomeInt()).s; }; break;
      case 1:
        vt = kMoneyType;
        t = DecT(2);
        value = [&] { return r_.Chance(30) ? IntLit(r_.Range(0, 1000)).s : DecLit(SomeScaled(2), int(r_.Range(1, 2))).s; };
        break;
      case 2:
        vt = "decimal";
        value = [&] {
          if (r_.Chance(30)) return IntLit(r_.Range(0, 10)).s;
          int sc = int(r_.Range(1, 4));
          max_scale = std::max(max_scale, sc);
          return DecLit(r_.Range(0, int64_t(Pow10u(sc))) * (r_.Chance(10) ? -1 : 1), sc).s;
        };
        break;
      case 3: vt = "number"; t = T(B::Num); value = [&] { return IntLit(r_.Range(-5, 100)).s; }; break;
      case 4: vt = "string"; t = T(B::Str); value = [&] { return StrLit().s; }; break;
      case 5: vt = "bool"; t = T(B::Bool); value = [&] { return std::string(r_.Chance(50) ? "true" : "false"); }; break;
      default: {
        int en = int(r_.Index(enums_.size()));
        vt = enums_[en].name;
        t = EnumT(en);
        value = [this, en] { return r_.Pick(enums_[en].values); };
        break;
      }
    }
    std::string entries = key_ens.size() == 1 ? OneKeyEntries(key_ens[0], value) : GridEntries(key_ens, value);
    if (kind == 2) t = DecT(max_scale);
    std::string keys = enums_[key_ens[0]].name;
    if (key_ens.size() > 1) {
      keys = "(" + keys;
      for (size_t k = 1; k < key_ens.size(); ++k) keys += ", " + enums_[key_ens[k]].name;
      keys += ")";
    }
    out_ += "\ntable " + name + ": " + keys + " -> " + vt + " {" + entries + " }\n";
    tables_.push_back({name, key_ens, t});
  }

  // Entries of a one-key table: each key once, an `else` only when some key is left for it.
  template <typename V>
  std::string OneKeyEntries(int en, V& value) {
    std::vector<std::string> order = enums_[en].values;
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[r_.Index(i)]);
    bool use_else = r_.Chance(40);
    size_t covered = use_else ? size_t(r_.Range(0, int64_t(order.size()) - 1)) : order.size();
    std::string entries;
    for (size_t i = 0; i < covered;) {
      size_t take = std::min(covered - i, size_t(r_.Range(1, 2)));
      std::string ks;
      for (size_t k = 0; k < take; ++k) ks += (k ? ", " : "") + order[i + k];
      entries += (entries.empty() ? " " : ", ") + ks + " => " + value();
      i += take;
    }
    if (use_else) entries += (entries.empty() ? " " : ", ") + std::string("else => ") + value();
    return entries;
  }

  // Entries of a grid, tried in order: specific tuples and `_` wildcards, each tuple taking some
  // combination no earlier one takes (else it is unreachable), then a catch-all or an `else`
  // exactly when combinations are left.
  template <typename V>
  std::string GridEntries(const std::vector<int>& key_ens, V& value) {
    std::vector<size_t> sizes;
    size_t cells = 1;
    for (int en : key_ens) {
      sizes.push_back(enums_[en].values.size());
      cells *= sizes.back();
    }
    std::vector<bool> taken(cells, false);
    size_t left = cells;
    // The cells a tuple takes (-1: `_`), and how many of them are new.
    auto cells_of = [&](const std::vector<int>& tuple) {
      std::vector<size_t> out;
      for (size_t c = 0; c < cells; ++c) {
        size_t rest = c;
        bool match = true;
        for (size_t k = key_ens.size(); k-- > 0;) {
          int v = int(rest % sizes[k]);
          rest /= sizes[k];
          match &= tuple[k] < 0 || tuple[k] == v;
        }
        if (match) out.push_back(c);
      }
      return out;
    };
    auto text_of = [&](const std::vector<int>& tuple) {
      std::string t = "(";
      for (size_t k = 0; k < tuple.size(); ++k) t += (k ? ", " : "") + (tuple[k] < 0 ? std::string("_") : enums_[key_ens[k]].values[size_t(tuple[k])]);
      return t + ")";
    };
    std::string entries;
    bool one_line = r_.Chance(50);
    int n = int(r_.Range(1, int64_t(std::min<size_t>(cells, 8))));
    for (int e = 0; e < n && left > 0; ++e) {
      std::vector<std::string> alternatives;
      int alts = r_.Chance(25) ? 2 : 1;
      for (int a = 0; a < alts * 4 && int(alternatives.size()) < alts && left > 0; ++a) {
        std::vector<int> tuple;
        for (size_t k = 0; k < key_ens.size(); ++k)
          tuple.push_back(r_.Chance(30) ? -1 : int(r_.Index(sizes[k])));
        bool all_wild = std::all_of(tuple.begin(), tuple.end(), [](int v) { return v < 0; });
        if (all_wild) continue;  // the catch-all comes last, if at all
        std::vector<size_t> mine = cells_of(tuple);
        size_t fresh = 0;
        for (size_t c : mine) fresh += !taken[c];
        if (fresh == 0) continue;  // earlier tuples take all of it: unreachable
        for (size_t c : mine)
          if (!taken[c]) { taken[c] = true; --left; }
        alternatives.push_back(text_of(tuple));
      }
      if (alternatives.empty()) continue;
      std::string ks;
      for (size_t a = 0; a < alternatives.size(); ++a) ks += (a ? ", " : "") + alternatives[a];
      // Without a comma, `=> gA <NL> (gB, _) => ...` reads as the call gA(gB, _): end lines with one.
      entries += (one_line ? (entries.empty() ? " " : ", ") : (entries.empty() ? "\n    " : ",\n    ")) + ks + " => " + value();
    }
    if (left > 0) {
      std::string last = "else";
      if (r_.Chance(40)) last = text_of(std::vector<int>(key_ens.size(), -1));
      entries += (one_line ? (entries.empty() ? " " : ", ") : (entries.empty() ? "\n    " : ",\n    ")) + last + " => " + value();
    }
    return entries + (one_line ? "" : "\n  ");
  }

  void GenDecision() {
    out_ += "\ndecision: Outcome {\n";
    bool missing_false = r_.Chance(25);
    if (missing_false) out_ += gen_exprs::kMissingFalseLine;
    int arms = int(r_.Range(1, 5));
    std::set<std::string> seen;
    for (int i = 0; i < arms; ++i) {
      // A first arm `x is missing => ...`. Later arms could know x is present (docs/language.md),
      // but the checker does not narrow across arms at present: they keep x optional, which is
      // valid either way.
      const Sym* x = i == 0 && r_.Chance(25) ? NarrowCandidate() : nullptr;
      Ex c = x ? Make(x->name + (r_.Chance(50) ? " is missing" : " is not present"), T(B::Bool))
               : GenBool(int(r_.Range(1, 3)), missing_false);
      // The checker compares arm conditions by structure (E0405): `(a)` is `a`, `1_000` is
      // `1000`, `is not present` is `is missing`. Dropping parentheses and separators may also
      // merge two different conditions; that only skips an arm.
      std::string key;
      for (char ch : c.s)
        if (ch != '(' && ch != ')' && ch != '_' && ch != ' ') key += ch;
      for (auto [from, to] : {std::pair{"isnotpresent", "ismissing"}, std::pair{"isnotmissing", "ispresent"}})
        for (size_t at; (at = key.find(from)) != std::string::npos;) key.replace(at, std::strlen(from), to);
      if (c.s == "false" || !seen.insert(key).second) continue;
      std::string arm = "  " + c.s + " => " + r_.Pick(enums_[decision_enum_].values);
      if (r_.Chance(70)) arm += " because " + GenStr(1, false).s;
      out_ += arm + "\n";
    }
    std::string arm = "  else => " + r_.Pick(enums_[decision_enum_].values);
    if (r_.Chance(50)) arm += " because " + GenStr(1, false).s;
    out_ += arm + "\n}\n";
    syms_.push_back({"decision", EnumT(decision_enum_), false, false, false, -1});
    atoms_.push_back({"decision.reason", T(B::Str)});
  }

  void GenWarnings() {
    out_ += "\nwarnings {\n";
    bool missing_false = r_.Chance(25);
    if (missing_false) out_ += gen_exprs::kMissingFalseLine;
    int n = int(r_.Range(1, 4));
    for (int i = 0; i < n; ++i) {
      std::string code = Fresh("W");
      out_ += "  " + code + (r_.Chance(40) ? " \"a warning\"" : "") + " when " + GenBool(int(r_.Range(1, 2)), missing_false).s + "\n";
      warning_codes_.push_back(code);
    }
    out_ += "}\n";
    has_warnings_ = true;
    lists_.push_back({"warnings", warning_codes_});
  }

  void GenGroup() {
    out_ += "\ngroup by grp {\n";
    in_group_ = true;
    int stmts = int(r_.Range(2, 5));
    std::vector<const Sym*> targets;
    for (auto& s : syms_)
      if (s.settable || s.name == "decision") targets.push_back(&s);
    for (int i = 0; i < stmts; ++i) {
      agg_ok_ = true;
      if (r_.Chance(40)) {
        std::string name = Fresh("g_");
        Cls c = r_.Chance(60) ? Cls::Exact : r_.Chance(50) ? Cls::Num : Cls::Bool;
        bool uniform = r_.Chance(35);  // a plain aggregate: per-group outputs may show it
        Ex e = uniform ? GenAggregate() : GenOf(c, 2, true);
        out_ += "  let " + name + " = " + e.s + "\n";
        group_syms_.push_back({name, e.t, false, false, false, -1});
        if (uniform) uniform_lets_.push_back(name);
        continue;
      }
      // The checker does not narrow the actions by the condition (docs/language.md once said it
      // did); generating them without its facts is valid either way.
      Ex cond = GenBool(2, false);
      std::vector<std::string> actions;
      int n = int(r_.Range(1, 3));
      for (int a = 0; a < n; ++a) {
        if (r_.Chance(30) || targets.empty()) {
          std::string code = r_.Chance(30) && !warning_codes_.empty() ? r_.Pick(warning_codes_) : Fresh("G");
          if (std::find(warning_codes_.begin(), warning_codes_.end(), code) == warning_codes_.end()) warning_codes_.push_back(code);
          actions.push_back("warn " + code + (r_.Chance(40) ? " \"group warning\"" : ""));
          has_warnings_ = true;
          continue;
        }
        const Sym& target = *targets[r_.Index(targets.size())];
        if (target.name == "decision") {
          std::string s = "set decision = " + GenEnum(decision_enum_, 1, false).s;
          if (r_.Chance(60)) s += " because " + GenStr(1, false).s;
          actions.push_back(s);
        } else {
          std::optional<Ex> risky = r_.Chance(20) ? OverflowingFit(target.t) : std::nullopt;
          actions.push_back("set " + target.name + " = " + (risky ? risky->s : GenFit(target.t, 2).s));
        }
      }
      out_ += "  when " + cond.s + "\n    => ";
      for (size_t a = 0; a < actions.size(); ++a) out_ += (a ? ",\n       " : "") + actions[a];
      out_ += "\n";
    }
    agg_ok_ = false;
    in_group_ = false;
    out_ += "}\n";
    if (has_warnings_) {  // the output may test the codes the pass warns
      auto it = std::find_if(lists_.begin(), lists_.end(), [](const ListSource& l) { return l.text == "warnings"; });
      if (it == lists_.end()) lists_.push_back({"warnings", warning_codes_});
      else it->codes = warning_codes_;
    }
  }

  void GenOutput() {
    out_ += "\noutput {\n  id\n";
    std::set<std::string> columns = {"id"};
    int n = int(r_.Range(6, 16));
    for (int i = 0; i < n; ++i) {
      int v = int(r_.Range(0, 9));
      std::string item;
      if (v <= 2) {
        const Sym& s = r_.Pick(syms_);
        if (columns.insert(s.name).second) item = s.name;
      } else if (v <= 4 && !atoms_.empty()) {
        const Atom& a = r_.Pick(atoms_);
        std::string col = Fresh("o");
        columns.insert(col);
        item = col + " = " + a.text;
      } else if (v == 5 && !codes_values_.empty()) {
        std::string col = Fresh("o");
        columns.insert(col);
        item = col + " = " + r_.Pick(codes_values_);
      } else if (v == 6 && has_warnings_) {
        if (columns.insert("warnings").second) item = "warnings";
      } else {
        std::string col = Fresh("o");
        columns.insert(col);
        item = col + " = " + GenOf(RandomCls(), 2, true).s;
      }
      if (!item.empty()) out_ += (r_.Chance(30) ? ", " : "  ") + item + "\n";
    }
    if (!group_syms_.empty()) GenGroupValueColumns(columns);
    // Every let appears somewhere, so none draws the unused warning and all are computed.
    for (auto& s : syms_)
      if (s.settable && columns.insert(s.name).second) out_ += "  " + s.name + "\n";
    out_ += "}\n";
  }

  // ---- several outputs (gen_outputs.cc) -----------------------------------------------------------

  // A top-level aggregate over the members' values: the same value for every member.
  Ex GenAggregate() {
    bool saved = agg_ok_;
    agg_ok_ = false;
    Ex e;
    static const char* kNumeric[] = {"sum", "min_of", "max_of"};
    switch (r_.Index(4)) {
      case 0: {
        Ex a = GenExact(1, false);
        e = CallOf(kNumeric[r_.Index(3)], {a}, a.t.Opt(false));
        break;
      }
      case 1: e = CallOf(kNumeric[r_.Index(3)], {GenNum(1, false)}, T(B::Num)); break;
      case 2: e = CallOf(r_.Chance(50) ? "any" : "all", {GenBool(1, false)}, T(B::Bool)); break;
      default: e = CallOf("count", {GenBool(1, false)}, T(B::Int)); break;
    }
    agg_ok_ = saved;
    return e;
  }

  // Group lets in the record output (issue 10, item 8): missing for a record in no group, so
  // optional when the key is.
  void GenGroupValueColumns(std::set<std::string>& columns) {
    bool key_optional = false;
    for (const auto& s : syms_)
      if (s.name == "grp") key_optional = s.t.opt;
    std::vector<Sym> saved = group_syms_;
    for (auto& g : group_syms_) g.t.opt |= key_optional;
    for (const auto& g : group_syms_)
      if (r_.Chance(40) && columns.insert(g.name).second) out_ += "  " + g.name + "\n";
    in_group_ = true;  // group lets visible; agg_ok_ is false: no aggregates here
    int n = int(r_.Range(0, 2));
    for (int i = 0; i < n; ++i) {
      std::string col = Fresh("o");
      columns.insert(col);
      out_ += "  " + col + " = " + GenOf(RandomCls(), 2, true).s + "\n";
    }
    in_group_ = false;
    group_syms_ = saved;
  }

  void GenGroupOutputsHook() {
    GroupOutputParts parts;
    parts.key = "grp";
    parts.uniform_lets = uniform_lets_;
    parts.aggregate = [this] { return GenAggregate().s; };
    parts.fresh = [this](const char* prefix) { return Fresh(prefix); };
    in_group_ = true;
    out_ += GenGroupOutputs(r_, parts);
    in_group_ = false;
  }

  Rng r_;
  PolicySpec spec_;
  std::string out_;
  std::vector<EnumDef> enums_;
  int decision_enum_ = -1, grade_enum_ = -1;
  std::vector<Sym> syms_;
  std::vector<Atom> atoms_;
  std::vector<ReuseFunction> functions_;
  std::string bin_consts_;  // `const` declarations of bin bounds (BinConst)  // user functions (gen_reuse.cc) the lets may call
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

// ---- records --------------------------------------------------------------------------------------

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

class RecordGen {
 public:
  RecordGen(const PolicySpec& spec, uint64_t seed) : spec_(spec), r_(seed) {}

  std::string Run(int rows) {
    std::string csv;
    for (size_t f = 0; f < spec_.fields.size(); ++f) csv += (f ? "," : "") + spec_.fields[f].name;
    csv += "\n";
    std::vector<std::string> groups;
    int ngroups = int(r_.Range(1, 6));
    for (int g = 0; g < ngroups; ++g) groups.push_back(fmt::format("G{}", g + 1));
    for (int row = 0; row < rows; ++row) {
      int kind = int(r_.Range(0, 199));
      if (kind == 0 && row > 0) {  // an empty line: one field, a column_count reject
        csv += "\n";
        continue;
      }
      std::vector<std::string> cells;
      for (const FieldSpec& f : spec_.fields) cells.push_back(Cell(f, row, groups));
      if (kind < 14 && kind > 0) {  // one unreadable cell
        size_t f = r_.Index(cells.size());
        cells[f] = Bad(spec_.fields[f], cells[f]);
      }
      if (kind == 17)  // every optional cell missing at once
        for (size_t f = 0; f < cells.size(); ++f)
          if (spec_.fields[f].optional && spec_.fields[f].name != "id") cells[f] = "";
      if (kind == 14 && cells.size() > 1) cells.pop_back();
      if (kind == 15) cells.push_back("extra");
      std::string line;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c) line += ',';
        line += kind == 16 && c + 1 == cells.size() ? std::string("\"x\"y") : CsvCell(cells[c]);  // text after a closing quote
      }
      csv += line + "\n";
    }
    return csv;
  }

 private:
  std::string Cell(const FieldSpec& f, int row, const std::vector<std::string>& groups) {
    if (f.name == "id") {
      if (f.unique && row > 0 && r_.Chance(3)) return ids_[r_.Index(ids_.size())];
      std::string id = fmt::format("r{}", row + 1);
      if (r_.Chance(2)) id += r_.Chance(50) ? ",x" : " \"q\"";
      ids_.push_back(id);
      return id;
    }
    if (f.group_key) {
      if (r_.Chance(f.optional ? 12 : 1)) return "";
      return r_.Pick(groups);
    }
    if (r_.Chance(f.optional ? 15 : 1)) return "";
    switch (f.type) {
      case FieldType::Int: return IntCell(f);
      case FieldType::Money: return MoneyCell(f);
      case FieldType::Number: return NumberCell(f);
      case FieldType::Bool: {  // the usual spellings are all accepted
        static const char* k[] = {"true", "false", "true", "false", "TRUE", "False", "yes", "no", "Y", "N", "1", "0"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Date: return DateCell();
      case FieldType::Enum: return r_.Pick(f.enum_values);
      case FieldType::Decimal: return gen_exprs::DecimalCell(r_, Scaled(f, f.scale, 1'000'000'000'000'000), f.scale);
      case FieldType::Percent: return gen_exprs::PercentCell(r_, Scaled(f, 4, 10'000'000'000'000));
      case FieldType::String: {
        std::vector<std::string> pool = spec_.strings;
        pool.push_back("line\nbreak");
        pool.push_back("q\"q");
        std::string s = r_.Pick(pool);
        return s.empty() ? "alpha" : s;
      }
    }
    return "";
  }

  // A value in the field's units (int: 1, money: cents) near the policy's constants and bounds;
  // mostly inside the field's `where` bounds, so that most records are evaluated.
  int64_t Scaled(const FieldSpec& f, int scale, int64_t limit) {
    int64_t x = AnyScaled(f, scale, limit);
    if ((f.has_lo || f.has_hi) && r_.Chance(80)) {
      int64_t lo = f.has_lo ? f.lo + (f.lo_strict ? 1 : 0) : -limit + 1;
      int64_t hi = f.has_hi ? f.hi - (f.hi_strict ? 1 : 0) : limit - 1;
      if (lo <= hi) x = x < lo || x > hi ? r_.Range(lo, std::min(hi, lo + 1000 * int64_t(Pow10u(scale)))) : x;
    }
    return x;
  }

  int64_t AnyScaled(const FieldSpec& f, int scale, int64_t limit) {
    int64_t unit = int64_t(Pow10u(scale));
    int v = int(r_.Range(0, 99));
    int64_t x;
    if (v < 30 && !spec_.literals.empty()) {
      auto [lit, ls] = r_.Pick(spec_.literals);
      __int128 w = ls >= scale ? __int128(lit) / __int128(Pow10u(ls - scale)) : __int128(lit) * __int128(Pow10u(scale - ls));
      if (w > limit || w < -limit) w = w > 0 ? limit - 1 : -limit + 1;
      x = int64_t(w) + r_.Range(-1, 1);
    } else if (v < 45 && (f.has_lo || f.has_hi)) {
      x = (f.has_lo && (!f.has_hi || r_.Chance(50)) ? f.lo : f.hi) + r_.Range(-1, 1);
    } else if (v < 55) {
      x = (r_.Chance(50) ? 1 : -1) * (limit - 1 - r_.Range(0, 1));
    } else if (v < 57) {
      x = limit;  // out of range: rejected
    } else if (v < 65 && (f.has_lo || f.has_hi)) {
      int64_t lo = f.has_lo ? f.lo : f.hi - 1000 * unit, hi = f.has_hi ? f.hi : f.lo + 1000 * unit;
      x = r_.Range(lo, hi);
    } else if (v < 80) {
      x = r_.Range(-100, 100) * unit + (r_.Chance(50) ? r_.Range(0, unit - 1) : 0);
    } else if (v < 85) {
      x = 0;
    } else {
      x = r_.Range(0, 1000000) * unit + r_.Range(0, unit - 1);
    }
    return x;
  }

  std::string IntCell(const FieldSpec& f) {
    int64_t x = Scaled(f, 0, 1'000'000'000);
    std::string s = std::to_string(x);
    if (x == 0 && r_.Chance(20)) s = "-0";
    if (x > 0 && r_.Chance(3)) s = "00" + s;
    return s;
  }

  std::string MoneyCell(const FieldSpec& f) {
    int64_t x = Scaled(f, 2, 1'000'000'000'000'000);
    std::string s = LitText(x, 2, false);
    if (x % 100 == 0 && r_.Chance(50)) s = LitText(x / 100, 0, false);
    else if (x % 10 == 0 && r_.Chance(50)) s = LitText(x / 10, 1, false);
    if (x == 0 && r_.Chance(30)) s = "-0.00";
    return s;
  }

  std::string NumberCell(const FieldSpec& f) {
    std::string text = AnyNumber(f);
    if ((f.has_lo || f.has_hi) && r_.Chance(80)) {  // mostly inside the bounds (hundredths)
      double d = std::strtod(text.c_str(), nullptr);
      double lo = f.has_lo ? double(f.lo) / 100 : -1e300, hi = f.has_hi ? double(f.hi) / 100 : 1e300;
      bool inside = (f.lo_strict ? d > lo : d >= lo) && (f.hi_strict ? d < hi : d <= hi);
      if (!inside) {
        int64_t a = f.has_lo ? f.lo + 1 : f.hi - 100000, b = f.has_hi ? f.hi - 1 : f.lo + 100000;
        if (a <= b) return LitText(r_.Range(a, b), 2, false);
      }
    }
    return text;
  }

  std::string AnyNumber(const FieldSpec& f) {
    int v = int(r_.Range(0, 99));
    if (v < 35 && !spec_.literals.empty()) {
      auto [lit, ls] = r_.Pick(spec_.literals);
      std::string text = LitText(lit, ls, false);
      int nudge = int(r_.Range(0, 2));
      if (nudge == 0) return text;
      double d = std::strtod(text.c_str(), nullptr);
      double n = std::nextafter(d, nudge == 1 ? INFINITY : -INFINITY);
      return std::isfinite(n) ? fmt::format("{}", n) : text;
    }
    if (v < 45 && (f.has_lo || f.has_hi)) {
      int64_t b = f.has_lo && (!f.has_hi || r_.Chance(50)) ? f.lo : f.hi;
      double d = double(b) / 100;
      int nudge = int(r_.Range(0, 2));
      if (nudge) d = std::nextafter(d, nudge == 1 ? INFINITY : -INFINITY);
      return fmt::format("{}", d);
    }
    static const char* kSpecial[] = {"0", "-0", "0.0", "1e300", "-1e300", "1.7976931348623157e308", "5e-324",
                                      "1e-400", "-1e-400", "2.5", "0.1", "1E3", "123456789012345678901234567890",
                                      "9007199254740993", "0.30000000000000004"};
    if (v < 55) return kSpecial[r_.Index(std::size(kSpecial))];
    if (v < 80) return LitText(r_.Range(-100000, 100000), int(r_.Range(0, 4)), false);
    return fmt::format("{}", double(r_.Range(-1000000, 1000000)) / double(r_.Range(1, 1000)));
  }

  std::string DateCell() {
    if (!spec_.dates.empty() && r_.Chance(40)) {
      const std::string& d = r_.Pick(spec_.dates);
      int64_t days = DaysFromCivil(std::stoi(d.substr(0, 4)), std::stoi(d.substr(5, 2)), std::stoi(d.substr(8, 2)));
      return CivilFromDays(days + r_.Range(-1, 1));
    }
    if (r_.Chance(5)) {
      static const char* kEdges[] = {"2024-02-29", "0001-01-01", "9999-12-31", "2000-02-29", "1900-02-28", "2023-01-31"};
      return kEdges[r_.Index(std::size(kEdges))];
    }
    if (r_.Chance(15)) {  // a month's last day
      int y = int(r_.Range(1970, 2035)), m = int(r_.Range(1, 12));
      return CivilFromDays(DaysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1);
    }
    return CivilFromDays(r_.Range(DaysFromCivil(1970, 1, 1), DaysFromCivil(2035, 12, 31)));
  }

  std::string Bad(const FieldSpec& f, const std::string& good) {
    switch (f.type) {
      case FieldType::Int: {
        static const char* k[] = {"abc", "1.5", "+5", " 5", "1e3", "1000000000", "-1000000000", "--1", "1_000"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Money: {
        static const char* k[] = {"1.234", "1,000", ".5", "5.", "+1", "1e3", "10000000000000", "-10000000000000", "1 000"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Number: {
        static const char* k[] = {"inf", "nan", "1e400", ".5", "5.", "+1", "1,5", "-inf", "0x10"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Bool: {
        static const char* k[] = {"maybe", "2", "tru", "yess", "t"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Date: {
        static const char* k[] = {"2023-02-29", "2024-13-01", "20240101", "2024-1-01", "2024-04-31", "today"};
        return k[r_.Index(std::size(k))];
      }
      case FieldType::Enum: {
        if (!f.enum_values.empty() && r_.Chance(50)) {
          std::string s = f.enum_values[0];
          for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
          return s;
        }
        return "bogus";
      }
      case FieldType::String: return good.empty() ? "" : "";  // an empty cell: missing
      case FieldType::Decimal:
      case FieldType::Percent: return gen_exprs::BadDecimalCell(r_, f.scale, f.type == FieldType::Percent);
    }
    return good;
  }

  const PolicySpec& spec_;
  Rng r_;
  std::vector<std::string> ids_;
};

}  // namespace

PolicySpec GeneratePolicy(uint64_t seed) { return PolicyGen(seed).Run(); }

std::string GenerateRecords(const PolicySpec& spec, uint64_t seed, int rows) { return RecordGen(spec, seed).Run(rows); }

// ---- the large policy ---------------------------------------------------------------------------------

PolicySpec GenerateLargePolicy(int rules, int characteristics, int rules_per_set) {
  Rng r(0x1A46E5EEDull + uint64_t(rules) * 7919 + uint64_t(characteristics));
  PolicySpec spec;
  std::string& s = spec.text;
  s += "policy large version \"1\" \"generated: many rules and characteristics\"\n\n";
  s += "enum Segment { seg_a, seg_b, seg_c, seg_d }\nenum Outcome { APPROVE, REFER, DECLINE }\n\n";
  s += "input Application {\n"
       "  id: string\n"
       "  income: money where income >= 0\n"
       "  debt: money?\n"
       "  age: int where age >= 18 and age <= 100\n"
       "  score: int? where score >= 300 and score <= 900\n"
       "  ratio: number?\n"
       "  segment: Segment\n"
       "  opened: date?\n"
       "  flag: bool\n"
       "}\n\n";
  auto field = [&](const char* name, FieldType t, bool opt, bool lo, int64_t lo_v, bool hi, int64_t hi_v) {
    FieldSpec f;
    f.name = name;
    f.type = t;
    f.optional = opt;
    f.has_lo = lo;
    f.lo = lo_v;
    f.has_hi = hi;
    f.hi = hi_v;
    if (t == FieldType::Enum) f.enum_values = {"seg_a", "seg_b", "seg_c", "seg_d"};
    spec.fields.push_back(f);
  };
  field("id", FieldType::String, false, false, 0, false, 0);
  field("income", FieldType::Money, false, true, 0, false, 0);
  field("debt", FieldType::Money, true, false, 0, false, 0);
  field("age", FieldType::Int, false, true, 18, true, 100);
  field("score", FieldType::Int, true, true, 300, true, 900);
  field("ratio", FieldType::Number, true, false, 0, false, 0);
  field("segment", FieldType::Enum, false, false, 0, false, 0);
  field("opened", FieldType::Date, true, false, 0, false, 0);
  field("flag", FieldType::Bool, false, false, 0, false, 0);
  s += "let dti = (debt ?? 0.00) / income\n"
       "let util = ratio ?? 0\n"
       "let age_days = days_between(opened ?? date(\"2020-01-01\"), date(\"2025-06-30\"))\n"
       "let exposure = income * 0.25 + (debt ?? 0.00)\n\n";
  auto cond = [&](int i) -> std::string {
    switch (i % 8) {
      case 0: return fmt::format("age > {}", r.Range(18, 99));
      case 1: return fmt::format("(score ?? 0) < {}", r.Range(300, 900));
      case 2: return fmt::format("income > {}.00 and flag", r.Range(0, 1000000));
      case 3: return fmt::format("segment == seg_{} and (dti > 0.{}) ?? false", char('a' + r.Range(0, 3)), r.Range(1, 9));
      case 4: return fmt::format("age_days < {}", r.Range(0, 3000));
      case 5: return fmt::format("(util >= {}) or exposure > {}.50", r.Range(0, 5), r.Range(0, 500000));
      case 6: return fmt::format("score is missing and age < {}", r.Range(18, 60));
      default: return fmt::format("(floor(income / age, 1.00) ?? 0.00) > {}", r.Range(100, 100000));
    }
  };
  int sets = 0;
  std::vector<std::string> set_names;
  for (int i = 0; i < rules;) {
    std::string name = fmt::format("set{}", ++sets);
    set_names.push_back(name);
    s += "rules " + name + " {\n";
    for (int k = 0; k < rules_per_set && i < rules; ++k, ++i)
      s += fmt::format("  R{:04} when {} => {}\n", i + 1, cond(i), i % 3 == 0 ? "decline" : i % 3 == 1 ? "refer" : "flag");
    s += "}\n";
  }
  characteristics = std::max(characteristics, 3);  // `reasons 3` needs three
  s += "\nscorecard sc {\n  baseline 500\n  reasons 3\n";
  for (int c = 0; c < characteristics; ++c) {
    int a = int(r.Range(1, 20)), b = a + int(r.Range(1, 20)), p = int(r.Range(-30, 30));
    switch (c % 7) {
      case 0: s += fmt::format("  C{:04} age {{ < {} => {}, [{}, {}) => {}, >= {} => {} }}\n", c + 1, 18 + a, p, 18 + a, 18 + b, -p, 18 + b, p / 2); break;
      case 1: s += fmt::format("  C{:04} score {{ missing => {}, < {} => {}, >= {} => {} }}\n", c + 1, p, 300 + 10 * a, -p, 300 + 10 * a, p); break;
      case 2: s += fmt::format("  C{:04} income {{ < {}_000 => {}, >= {}_000 => {} }}\n", c + 1, a, p, a, -p); break;
      case 3: s += fmt::format("  C{:04} dti {{ missing => {}, < 0.{} => {}, >= 0.{} => {} }}\n", c + 1, p, a % 10, -p, a % 10, p); break;
      case 4: s += fmt::format("  C{:04} segment {{ seg_a, seg_b => {}, seg_c => {}, else => {} }}\n", c + 1, p, -p, a); break;
      case 5: s += fmt::format("  C{:04} flag {{ true => {}, false => {} }}\n", c + 1, p, -p); break;
      default: s += fmt::format("  C{:04} util {{ < {} => {}, >= {} => {} }}\n", c + 1, a, p, a, -p); break;
    }
  }
  s += "}\n\ndecision: Outcome {\n";
  for (size_t k = 0; k < set_names.size() && k < 4; ++k)
    s += fmt::format("  {}.fired => {} because {}.first\n", set_names[k], k % 2 ? "REFER" : "DECLINE", set_names[k]);
  s += "  sc.score < 450 => REFER because sc.reason(1)\n  else => APPROVE\n}\n\n";
  s += "output {\n  id, decision, reason = decision.reason, score = sc.score\n"
       "  r1 = sc.reason(1), r2 = sc.reason(2), r3 = sc.reason(3)\n";
  for (size_t k = 0; k < set_names.size() && k < 4; ++k)
    s += fmt::format("  {0}_codes = {0}.codes, {0}_count = {0}.count\n", set_names[k]);
  s += "  dti, exposure\n}\n";
  for (int64_t v : {0, 1, 100000, 300, 900, 18, 100}) spec.literals.push_back({v, 0});
  spec.dates = {"2020-01-01", "2025-06-30"};
  for (const char* str : kStringPool) spec.strings.push_back(str);
  return spec;
}

// ---- the differential run -----------------------------------------------------------------------------

namespace {

struct RunText {
  std::string out, rejects;
};

RunText RunOnce(rt::Evaluator& ev, const std::string& csv, size_t batch_rows, size_t threads) {
  exec::RunOptions options;
  options.batch_rows = batch_rows;
  options.threads = threads;
  exec::TextRun run = exec::RunCsvText(ev, csv, options);
  std::string out = run.out;
  for (size_t k = 0; k < run.group_outputs.size(); ++k)  // per-group outputs compare as part of the output
    out += "--- per-group output " + std::to_string(k) + " ---\n" + run.group_outputs[k];
  return {run.status == exec::RunStatus::Ok ? out : "error: " + run.error, run.rejects};
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// The first line where `a` and `b` differ, both versions.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = bool(std::getline(x, la)), hb = bool(std::getline(y, lb));
    if (!ha && !hb) return "(equal)";
    if (!ha || !hb || la != lb)
      return fmt::format("line {}:\n    {}\n    {}", line, ha ? la : "<end>", hb ? lb : "<end>");
  }
}

DiffOutcome RunDifferential(const std::string& policy, const std::string& csv, const std::vector<size_t>& batch_sizes,
                            const std::vector<size_t>& threads,
                            const std::vector<std::pair<std::string, std::string>>& references) {
  DiffOutcome o;
  auto start = std::chrono::steady_clock::now();
  Compilation c = CompileSource("policy.credo", policy);
  o.check_seconds = Since(start);
  if (!c.ok()) {
    o.diagnostics = c.diagnostics.Render(*c.source);
    return o;
  }
  o.instructions = c.program->code.size();
  o.group_instructions = c.program->group_code.size();
  {
    std::map<std::string, size_t> ops;
    for (const auto* code : {&c.program->code, &c.program->group_code})
      for (const auto& in : *code) ++ops[ir::OpName(in.op)];
    o.ops.assign(ops.begin(), ops.end());
  }
  std::shared_ptr<const rt::References> refs;
  if (!c.program->references.empty()) {
    o.references = true;
    std::string ref_rejects, error;
    refs = LoadReferenceTexts(*c.program, {references.begin(), references.end()}, &ref_rejects, error);
    if (!refs) {
      o.diagnostics = "the reference data did not load: " + error;
      return o;
    }
  }
  auto interp = MakeEvaluator(*c.program, Engine::Interpreter);
  interp->SetReferences(refs);
  start = std::chrono::steady_clock::now();
  std::string error;
  auto jit = MakeEvaluator(std::move(*c.program), Engine::Jit, &error);
  o.jit_seconds = Since(start);
  o.compiled = true;
  if (!jit) {
    o.agree = false;
    o.detail = "the JIT failed to compile: " + error;
    return o;
  }
  jit->SetReferences(refs);
  start = std::chrono::steady_clock::now();
  for (int engine = 0; engine < 2; ++engine) {
    rt::Evaluator& ev = engine == 0 ? *interp : *jit;
    const char* name = engine == 0 ? "interp" : "jit";
    for (size_t b : batch_sizes) {
      RunText r = RunOnce(ev, csv, b, 1);
      o.runs.push_back({fmt::format("{}-batch{}", name, b), std::move(r.out), std::move(r.rejects)});
    }
    for (size_t t : threads) {
      if (t <= 1 || batch_sizes.empty()) continue;
      RunText r = RunOnce(ev, csv, batch_sizes[0], t);
      o.runs.push_back({fmt::format("{}-batch{}-threads{}", name, batch_sizes[0], t), std::move(r.out), std::move(r.rejects)});
    }
  }
  o.run_seconds = Since(start);
  const EngineOutput& ref = o.runs[0];
  for (size_t i = 1; i < o.runs.size(); ++i) {
    const EngineOutput& run = o.runs[i];
    if (run.out != ref.out) {
      o.agree = false;
      o.detail += fmt::format("output of {} differs from {} at {}\n", run.name, ref.name, FirstDifference(ref.out, run.out));
    }
    if (run.rejects != ref.rejects) {
      o.agree = false;
      o.detail += fmt::format("rejects of {} differ from {} at {}\n", run.name, ref.name, FirstDifference(ref.rejects, run.rejects));
    }
  }
  return o;
}

std::vector<std::pair<std::string, std::string>> ReadReferences(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind("ref-", 0) != 0 || file.size() < 8 || file.substr(file.size() - 4) != ".csv") continue;
    std::string text;
    if (ReadFile(entry.path().string(), text)) out.push_back({file.substr(4, file.size() - 8), text});
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool ReadFile(const std::string& path, std::string& text) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream s;
  s << f.rdbuf();
  text = s.str();
  return true;
}

std::string SaveCase(const std::string& dir, const std::string& policy, const std::string& csv,
                     const DiffOutcome& outcome, const std::string& note,
                     const std::vector<std::pair<std::string, std::string>>& references) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir + ": " + ec.message();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f << text;
    return bool(f);
  };
  bool ok = write("policy.credo", policy) && write("input.csv", csv);
  for (const auto& [name, text] : references) ok = ok && write("ref-" + name + ".csv", text);
  for (const auto& run : outcome.runs) ok = ok && write(run.name + ".out.csv", run.out) && write(run.name + ".rejects.csv", run.rejects);
  ok = ok && write("README.txt", note + "\n\n" + outcome.detail);
  return ok ? "" : "cannot write into " + dir;
}

}  // namespace credo::diff
