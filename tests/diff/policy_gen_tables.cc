// policy_gen_tables.cc — PolicyGen's tables (policy_gen_impl.h): `table` declarations keyed by
// enums (one key, or a grid of tuples and `_` wildcards), and the hook to gen_tables.cc's
// decision and lookup tables.
#include "policy_gen_impl.h"

#include <functional>
#include <iterator>

#include "gen_tables.h"

namespace credo::diff::policy_gen_detail {

// Decision tables and generalised lookup tables (gen_tables.cc), and lets that use them.
void PolicyGen::GenTables() {
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

void PolicyGen::GenTable() {
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
std::string PolicyGen::OneKeyEntries(int en, V& value) {
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
std::string PolicyGen::GridEntries(const std::vector<int>& key_ens, V& value) {
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

}  // namespace credo::diff::policy_gen_detail
