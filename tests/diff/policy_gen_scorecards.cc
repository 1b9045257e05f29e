// policy_gen_scorecards.cc — PolicyGen's bins and what holds them (policy_gen_impl.h): a bin
// subject, bins that cover its values without overlap (numeric ranges, categories, `missing`,
// `else`), scorecards (plain, and scaled ones through gen_woe.cc) and bands.
#include "policy_gen_impl.h"

#include <functional>
#include <iterator>

#include <fmt/format.h>

#include "gen_woe.h"

namespace credo::diff::policy_gen_detail {

// A const holding a bin bound's literal, standing for it in the bin (docs/language.md, "Constants").
std::string PolicyGen::BinConst(const std::string& literal) {
  std::string name = Fresh("uL");
  bin_consts_ += "const " + name + " = " + literal + "\n";
  return name;
}

PolicyGen::Subject PolicyGen::GenSubject() {
  Subject s = GenSubjectExpr();
  // A bare field name brings its `where` bounds, however it was picked.
  for (auto& sym : syms_)
    if (sym.field && sym.name == s.e.s && sym.t.numeric()) {
      const FieldSpec& fs = spec_.fields[sym.field_index];
      if (fs.has_lo || fs.has_hi) s.bounds = &fs;
    }
  return s;
}

PolicyGen::Subject PolicyGen::GenSubjectExpr() {
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

// Bins over `s` (every value covered, disjoint); `value()` gives each bin's value text.
template <typename V>
std::string PolicyGen::GenBins(const Subject& s, V value, bool band) {
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

std::vector<PolicyGen::BinText> PolicyGen::NumericBins(const Subject& s, bool band) {
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
void PolicyGen::GenScaledScorecard() {
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

void PolicyGen::GenScorecard() {
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

void PolicyGen::GenBand() {
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

}  // namespace credo::diff::policy_gen_detail
