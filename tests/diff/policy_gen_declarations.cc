// policy_gen_declarations.cc — PolicyGen's declarations before the scores (policy_gen_impl.h):
// enums, the input block (fields, `where` bounds, checks), consts and user functions
// (gen_reuse.cc), reference data and its lookups (gen_references.cc), lets and rule sets.
#include "policy_gen_impl.h"

#include <iterator>

#include <fmt/format.h>

#include "gen_exprs.h"
#include "gen_references.h"

namespace credo::diff::policy_gen_detail {

void PolicyGen::GenEnums() {
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
std::string PolicyGen::GenWhere(const std::string& name, FieldSpec& f) {
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

void PolicyGen::GenInput(bool group) {
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

// Consts (atoms from here on) and user functions (called by lets): tests/diff/gen_reuse.cc.
void PolicyGen::GenReuse() {
  ReuseDecls decls = GenerateReuse(r_, "u");
  out_ += decls.text;
  for (const auto& [scaled, scale] : decls.literals) NoteLiteral(scaled, scale);
  for (const auto& c : decls.consts) atoms_.push_back({c.name, OfReuse(c.type)});
  functions_ = std::move(decls.functions);
}

Ty PolicyGen::OfReuse(ReuseType t) {
  Ty ty = t.base == ReuseType::Int ? T(B::Int) : t.base == ReuseType::Money ? DecT(2)
          : t.base == ReuseType::Number ? T(B::Num) : T(B::Bool);
  return ty.Opt(t.optional);
}

// A call of a user function with arguments of the parameters' types (int for money or number
// parameters too, converted by the call).
Ex PolicyGen::GenUserCall(int d) {
  const ReuseFunction& f = functions_[r_.Index(functions_.size())];
  std::vector<Ex> args;
  for (const auto& p : f.params) args.push_back(GenFit(OfReuse(p), d));
  return CallOf(f.name, args, OfReuse(f.result));
}

// Reference data keyed by a string field, and lets that look it up (gen_references.h).
void PolicyGen::GenReferenceData(Rng& r) {
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

void PolicyGen::GenLet() {
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

void PolicyGen::GenRuleSet() {
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

}  // namespace credo::diff::policy_gen_detail
