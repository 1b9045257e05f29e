#include "compiler/check/checker.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "compiler/check/bins.h"
#include "compiler/check/dependencies.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::check {

bool IsAggregate(Builtin b) { return b >= Builtin::Sum; }

std::string TypeName(const Type& t, const std::vector<EnumInfo>& enums) {
  std::string name;
  switch (t.base) {
    case Base::Error: return "<error>";
    case Base::Bool: name = "bool"; break;
    case Base::Int: name = "int"; break;
    case Base::Number: name = "number"; break;
    case Base::Decimal: name = t.scale == 2 ? "money" : fmt::format("decimal({})", t.scale); break;
    case Base::String: name = "string"; break;
    case Base::Date: name = "date"; break;
    case Base::Enum: name = t.enum_id >= 0 && t.enum_id < int(enums.size()) ? enums[t.enum_id].name : "enum"; break;
    case Base::Codes: name = "codes"; break;
    case Base::Missing: return "missing";
  }
  return t.optional ? name + "?" : name;
}

namespace {

using ast::Expr;
using ast::ExprKind;

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
    {"round", Builtin::Round, 1, 2, "round(x) or round(x, unit), e.g. round(x, 0.01)"},
    {"round_half_even", Builtin::RoundHalfEven, 1, 2, "round_half_even(x) or round_half_even(x, unit)"},
    {"number", Builtin::ToNumber, 1, 1, "number(x)"},
    {"days_between", Builtin::DaysBetween, 2, 2, "days_between(from, to)"},
    {"date", Builtin::Date, 1, 1, "date(\"YYYY-MM-DD\")"},
    {"year", Builtin::Year, 1, 1, "year(date)"},
    {"month", Builtin::Month, 1, 1, "month(date)"},
    {"day", Builtin::Day, 1, 1, "day(date)"},
    {"years_between", Builtin::YearsBetween, 2, 2, "years_between(from, to), e.g. years_between(date_of_birth, application_date)"},
    {"months_between", Builtin::MonthsBetween, 2, 2, "months_between(from, to)"},
    {"add_months", Builtin::AddMonths, 2, 2, "add_months(date, months)"},
    {"sum", Builtin::Sum, 1, 1, "sum(x)"},
    {"count", Builtin::Count, 1, 1, "count(condition)"},
    {"any", Builtin::Any, 1, 1, "any(condition)"},
    {"all", Builtin::All, 1, 1, "all(condition)"},
    {"min_of", Builtin::MinOf, 1, 1, "min_of(x)"},
    {"max_of", Builtin::MaxOf, 1, 1, "max_of(x)"},
    {"count_other", Builtin::CountOther, 1, 1, "count_other(condition)"},
    {"any_other", Builtin::AnyOther, 1, 1, "any_other(condition)"},
};

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  // Close enough to be a typo, and never a complete rewrite (`F` is no typo of `A`).
  size_t best_distance = std::min(std::max<size_t>(2, name.size() / 3) + 1, name.size());
  for (const auto& c : candidates) {
    // The length difference is a lower bound of the distance: skip what cannot win.
    if ((c.size() > name.size() ? c.size() - name.size() : name.size() - c.size()) >= best_distance) continue;
    size_t d = EditDistance(name, c);
    if (d < best_distance) { best_distance = d; best = c; }
  }
  return best.empty() ? "" : fmt::format("did you mean '{}'?", best);
}

// A suggestion, or the list of every candidate when none is close.
std::string SuggestOrList(const std::string& name, const std::vector<std::string>& candidates, const char* what) {
  std::string s = Suggest(name, candidates);
  return s.empty() ? fmt::format("{} {}", what, fmt::join(candidates, ", ")) : s;
}

// Names from other languages that authors reach for, with what credo writes instead.
const std::map<std::string, std::string> kTypeAliases = {
    {"integer", "write `int`"},     {"long", "write `int`"},         {"float", "write `number`"},
    {"double", "write `number`"},   {"boolean", "write `bool`"},     {"text", "write `string`"},
    {"decimal", "write `money` for amounts (exact, 2 fraction digits) or `number` for ratios"},
    {"datetime", "write `date`: credo has calendar days, not times"},
};
const std::map<std::string, std::string> kFunctionAliases = {
    {"round_down", "credo writes floor(x, unit)"}, {"round_up", "credo writes ceil(x, unit)"},
    {"trunc", "credo writes floor(x)"},            {"minimum", "credo writes min(a, b, ...)"},
    {"maximum", "credo writes max(a, b, ...)"},    {"coalesce", "credo writes `x ?? default`"},
    {"ifnull", "credo writes `x ?? default`"},     {"isnull", "credo writes `x is missing`"},
};

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A bin value as an integer scaled by 10^9, to compare values written with different scales.
__int128 Scaled(const ast::BinValue& v) {
  __int128 x = v.scaled;
  for (int i = v.scale; i < 9; ++i) x *= 10;
  return x;
}

// An expression's structure without positions or layout, so that `a>1` and `(a > 1)` give the
// same key; numeric literals by value (`1_000` is `1000`).
void AppendStructure(const Expr& e, std::string& key) {
  bool number = e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
  std::string_view text = number ? std::string_view() : std::string_view(e.text);
  key += fmt::format("({} {} {:d}{:d} {}:{} {}:{} {} {}", int(e.kind), int(e.op), e.negated, e.is_call, text.size(),
                     text, e.member.text.size(), e.member.text, e.int_value, e.scale);
  for (const auto& arg : e.args) AppendStructure(*arg, key);
  key += ')';
}

std::string Structure(const Expr& e) {
  std::string key;
  AppendStructure(e, key);
  return key;
}

// A rule set or warnings block holds at most this many codes (a record's codes are a 64-bit set).
constexpr size_t kMaxCodes = 64;

bool LiteralNonZero(const Expr& e) {
  if (e.kind == ExprKind::Neg) return LiteralNonZero(*e.args[0]);
  return e.int_value != 0;
}

bool IsNumericLiteral(const Expr& e) {
  if (e.kind == ExprKind::Neg) return IsNumericLiteral(*e.args[0]);
  return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
}

// Which key combinations of a table its entries cover so far (every combination of the keys'
// enums, while there are few enough to list; larger grids are not analysed).
class TableCoverage {
 public:
  TableCoverage(const std::vector<Type>& keys, const std::vector<EnumInfo>& enums, bool keys_ok) : enums_(enums) {
    if (!keys_ok) return;
    size_t combinations = 1;
    for (const Type& k : keys) {
      sizes_.push_back(enums[k.enum_id].values.size());
      ids_.push_back(k.enum_id);
      combinations *= sizes_.back();
      if (combinations > kLimit) return;
    }
    covered_.assign(combinations, false);
  }

  // Where `tuple` was listed before, if it was.
  std::optional<Span> Duplicate(const std::vector<ast::Name>& tuple) const {
    for (auto& [listed, span] : listed_)
      if (listed == Names(tuple)) return span;
    return std::nullopt;
  }

  // Marks what `tuple` covers; false when earlier tuples covered all of it already.
  bool Add(const std::vector<ast::Name>& tuple, Span span) {
    listed_.push_back({Names(tuple), span});
    if (covered_.empty()) return true;
    bool fresh = false;
    for (size_t c = 0; c < covered_.size(); ++c)
      if (Matches(tuple, c) && !covered_[c]) covered_[c] = fresh = true;
    return fresh;
  }

  // Up to `most` combinations no entry covers, as text.
  std::vector<std::string> Uncovered(size_t most) const {
    std::vector<std::string> out;
    for (size_t c = 0; c < covered_.size() && out.size() < most; ++c)
      if (!covered_[c]) out.push_back(Text(c));
    return out;
  }

 private:
  static constexpr size_t kLimit = 1'000'000;
  static std::vector<std::string> Names(const std::vector<ast::Name>& tuple) {
    std::vector<std::string> names;
    for (auto& n : tuple) names.push_back(n.text);
    return names;
  }
  size_t Part(size_t c, size_t i) const {
    for (size_t j = sizes_.size(); j-- > i + 1;) c /= sizes_[j];
    return c % sizes_[i];
  }
  bool Matches(const std::vector<ast::Name>& tuple, size_t c) const {
    for (size_t i = 0; i < tuple.size(); ++i)
      if (tuple[i].text != "_" && enums_[ids_[i]].values[Part(c, i)] != tuple[i].text) return false;
    return true;
  }
  std::string Text(size_t c) const {
    std::vector<std::string> parts;
    for (size_t i = 0; i < sizes_.size(); ++i) parts.push_back(enums_[ids_[i]].values[Part(c, i)]);
    return parts.size() == 1 ? parts[0] : fmt::format("({})", fmt::join(parts, ", "));
  }

  const std::vector<EnumInfo>& enums_;
  std::vector<size_t> sizes_;
  std::vector<int> ids_;
  std::vector<bool> covered_;
  std::vector<std::pair<std::vector<std::string>, Span>> listed_;
};

// Where an expression is checked: what it may refer to and what is known to be present.
struct Scope {
  bool group = false;          // inside the group block: aggregates and group lets visible
  std::string aggregate;       // inside this aggregate's argument ("" outside)
  int field_only = -1;         // a field's `where`: only this symbol may be named
  bool input_only = false;     // an input `check`: only input fields may be named
  std::vector<int> present;    // symbols known to be present here (narrowed by `is present`)
};

class Checker {
 public:
  Checker(ast::Policy& policy, CheckedPolicy& out, Diagnostics& diags)
      : policy_(policy), out_(out), diags_(diags) {}

  void Run() {
    DeclareEnums();
    DeclareInput();
    DeclareValues();
    CheckInputConditions();  // after every name is known, so a misplaced `let` is named as such
    // Dependencies first, so that checking a value does not recurse into the values it names;
    // the values that reach a cycle then in declaration order, where the cycle is reported.
    for (int s : OrderByDependencies(policy_, out_.symbols, names_).acyclic) Resolve(s);
    for (size_t s = 0; s < out_.symbols.size(); ++s) Resolve(static_cast<int>(s));
    CheckGroup();
    if (out_.warning_codes.size() > kMaxCodes)
      diags_.Report(DiagKind::TooManyCodes, policy_.warnings.empty() ? policy_.groups[0].span : policy_.warnings[0].span,
                    fmt::format("the policy has {} warning codes; a record can carry at most {}",
                                out_.warning_codes.size(), kMaxCodes),
                    "turn rarely used warnings into `flag` rules of a rule set");
    CheckOutput();
    ReportUnused();
  }

 private:
  // ---- declarations -------------------------------------------------------------------------

  int Declare(SymbolKind kind, const ast::Name& name, int decl, std::map<std::string, int>& table) {
    if (auto it = table.find(name.text); it != table.end()) {
      diags_.Report(DiagKind::DuplicateName, name.span, fmt::format("'{}' is already declared", name.text),
                    "give each value its own name")
          .notes.push_back({out_.symbols[it->second].span, "first declared here"});
      return it->second;
    }
    int id = static_cast<int>(out_.symbols.size());
    out_.symbols.push_back({kind, name.text, Type{}, decl, name.span, false});
    table[name.text] = id;
    state_.push_back(0);
    return id;
  }

  void DeclareEnums() {
    std::map<std::string, int> seen;
    std::map<std::string, Span> spans;
    for (const auto& e : policy_.enums) {
      if (seen.count(e.name.text)) {
        diags_.Report(DiagKind::DuplicateName, e.name.span, fmt::format("enum '{}' is already declared", e.name.text),
                      "list all its values in one declaration, or give the second enum another name")
            .notes.push_back({spans[e.name.text], "first declared here"});
        continue;
      }
      seen[e.name.text] = static_cast<int>(out_.enums.size());
      spans[e.name.text] = e.name.span;
      EnumInfo info{e.name.text, {}};
      std::map<std::string, Span> values;
      for (const auto& v : e.values) {
        if (auto it = values.find(v.text); it != values.end()) {
          diags_.Report(DiagKind::DuplicateName, v.span, fmt::format("'{}' appears twice in enum {}", v.text, e.name.text),
                        "remove the second one")
              .notes.push_back({it->second, "first listed here"});
          continue;
        }
        values[v.text] = v.span;
        info.values.push_back(v.text);
      }
      out_.enums.push_back(std::move(info));
    }
    enum_ids_ = std::move(seen);
  }

  // A declared type name; reports unknown names.
  Type ResolveType(const ast::TypeRef& ref, bool allow_decimal = false) {
    static const std::map<std::string, Type> builtin = {
        {"bool", Type::Of(Base::Bool)},     {"int", Type::Of(Base::Int)},
        {"number", Type::Of(Base::Number)}, {"money", Type::Dec(2)},
        {"string", Type::Of(Base::String)}, {"date", Type::Of(Base::Date)}};
    Type t;
    if (auto it = builtin.find(ref.name.text); it != builtin.end()) {
      t = it->second;
    } else if (ref.name.text == "decimal" && allow_decimal) {
      t = Type::Dec(-1);  // scale taken from the values
    } else if (auto e = enum_ids_.find(ref.name.text); e != enum_ids_.end()) {
      t = Type::EnumOf(e->second);
    } else {
      diags_.Report(DiagKind::UnknownType, ref.name.span, fmt::format("unknown type '{}'", ref.name.text),
                    UnknownTypeHint(ref.name.text));
      return Type{};
    }
    return t.Optional(ref.optional);
  }

  std::string UnknownTypeHint(const std::string& name) const {
    if (auto it = kTypeAliases.find(Lowercase(name)); it != kTypeAliases.end()) return it->second;
    std::vector<std::string> names = {"bool", "int", "number", "money", "string", "date"};
    for (auto& [n, _] : enum_ids_) names.push_back(n);
    std::string s = Suggest(name, names);
    return s.empty() ? "the types are bool, int, number, money, string, date and declared enums" : s;
  }

  void DeclareInput() {
    if (policy_.inputs.empty()) {
      diags_.Report(DiagKind::InputDeclaration, policy_.name.span, "the policy has no input declaration",
                    "declare the record layout: input Application { field: type ... }");
      return;
    }
    if (policy_.inputs.size() > 1)
      diags_.Report(DiagKind::InputDeclaration, policy_.inputs[1].name.span, "the policy declares a second input",
                    "a policy reads one record layout: put every field in one input declaration")
          .notes.push_back({policy_.inputs[0].name.span, "the first input"});
    auto& input = policy_.inputs[0];
    for (size_t f = 0; f < input.fields.size(); ++f) {
      auto& field = input.fields[f];
      int id = Declare(SymbolKind::Field, field.name, static_cast<int>(f), names_);
      out_.symbols[id].type = ResolveType(field.type);
      if (out_.symbols[id].type.is(Base::Codes)) out_.symbols[id].type = Type{};
      state_[id] = 2;
      out_.field_symbols.push_back(id);
    }
    for (auto& u : input.unique) {
      auto it = names_.find(u.text);
      if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Field)
        diags_.Report(DiagKind::UnknownName, u.span, fmt::format("'{}' is not an input field", u.text),
                      SuggestOrList(u.text, FieldNames(), "the fields are"));
    }
  }

  // A field's `where` and the input's `check`s validate the record before anything is derived.
  void CheckInputConditions() {
    if (policy_.inputs.empty()) return;
    auto& input = policy_.inputs[0];
    for (size_t f = 0; f < input.fields.size(); ++f) {
      auto& field = input.fields[f];
      if (!field.where) continue;
      Scope scope;
      scope.field_only = out_.field_symbols[f];
      scope.present.push_back(scope.field_only);
      Condition(*field.where, scope, "this `where` condition");
    }
    for (auto& check : input.checks) {
      Scope scope;
      scope.input_only = true;
      Condition(*check.condition, scope, "this input check");
    }
  }

  // False (and reported) when `s` may not be named where `scope` is: input conditions see fields.
  bool InScope(const Scope& scope, int s, Span use) {
    const Symbol& sym = out_.symbols[s];
    if (scope.field_only >= 0 && s != scope.field_only) {
      diags_.Report(DiagKind::FieldCheckScope, use,
                    fmt::format("a field's `where` may use only the field itself, not '{}'", sym.name),
                    "move a condition over several fields to an input `check ... else \"reason\"`");
      return false;
    }
    if (scope.input_only && sym.kind != SymbolKind::Field) {
      diags_.Report(DiagKind::FieldCheckScope, use,
                    fmt::format("an input check may use only input fields, not '{}'", sym.name),
                    "input checks run before anything is derived; test derived values in a rule instead");
      return false;
    }
    return true;
  }

  std::vector<std::string> FieldNames() const {
    std::vector<std::string> names;
    for (int s : out_.field_symbols) names.push_back(out_.symbols[s].name);
    return names;
  }

  void DeclareCode(const ast::Name& code) {
    if (auto it = codes_.find(code.text); it != codes_.end()) {
      diags_.Report(DiagKind::DuplicateCode, code.span, fmt::format("code {} is already used", code.text),
                    "reason, rule and warning codes must be unique in a policy")
          .notes.push_back({it->second, "first used here"});
      return;
    }
    codes_[code.text] = code.span;
  }

  void DuplicateBlock(Span again, Span first, const char* block, const char* hint) {
    diags_.Report(DiagKind::DuplicateBlock, again, fmt::format("a policy has one {} block", block), hint)
        .notes.push_back({first, "the first one"});
  }

  void DeclareValues() {
    for (size_t i = 0; i < policy_.lets.size(); ++i)
      Declare(SymbolKind::Let, policy_.lets[i].name, int(i), names_);
    for (size_t i = 0; i < policy_.rule_sets.size(); ++i) {
      Declare(SymbolKind::RuleSet, policy_.rule_sets[i].name, int(i), names_);
      for (auto& r : policy_.rule_sets[i].rules) DeclareCode(r.code);
    }
    for (size_t i = 0; i < policy_.scorecards.size(); ++i) {
      Declare(SymbolKind::Scorecard, policy_.scorecards[i].name, int(i), names_);
      for (auto& c : policy_.scorecards[i].characteristics) DeclareCode(c.code);
    }
    out_.scorecards.resize(policy_.scorecards.size());
    for (size_t i = 0; i < policy_.bands.size(); ++i) Declare(SymbolKind::Band, policy_.bands[i].name, int(i), names_);
    for (size_t i = 0; i < policy_.tables.size(); ++i) Declare(SymbolKind::Table, policy_.tables[i].name, int(i), names_);
    for (size_t i = 0; i < policy_.decisions.size(); ++i) {
      if (i > 0) {
        DuplicateBlock(policy_.decisions[i].span, policy_.decisions[0].span, "decision",
                       "put every arm in one decision block; its arms are tried in order");
        continue;
      }
      out_.decision_symbol = Declare(SymbolKind::Decision, policy_.decisions[i].name, int(i), names_);
    }
    for (size_t i = 1; i < policy_.warnings.size(); ++i)
      DuplicateBlock(policy_.warnings[i].span, policy_.warnings[0].span, "warnings", "list every warning in the same block");
    for (size_t i = 1; i < policy_.groups.size(); ++i)
      DuplicateBlock(policy_.groups[i].span, policy_.groups[0].span, "group",
                     "put every group statement in one `group by` block");
    for (size_t i = 1; i < policy_.outputs.size(); ++i)
      DuplicateBlock(policy_.outputs[i].span, policy_.outputs[0].span, "output", "list every column in one output block");
    // The warnings value exists whenever a warnings block or a group `warn` can add codes.
    bool group_warns = false;
    for (auto& g : policy_.groups)
      for (auto& s : g.stmts)
        for (auto& a : s.actions) group_warns |= a.kind == ast::GroupAction::Warn;
    if (!policy_.warnings.empty() || group_warns) {
      ast::Name name{"warnings", policy_.warnings.empty() ? Span{} : policy_.warnings[0].span};
      out_.warnings_symbol = Declare(SymbolKind::Warnings, name, 0, names_);
      if (!policy_.warnings.empty())
        for (auto& w : policy_.warnings[0].warnings) {
          DeclareCode(w.code);
          out_.warning_codes.push_back(w.code.text);
        }
    }
  }

  // ---- symbols, checked on demand in dependency order ----------------------------------------

  void Resolve(int s) {
    if (state_[s] == 2) return;
    if (state_[s] == 1) return;  // reported by the use that closed the cycle
    state_[s] = 1;
    stack_.push_back(s);
    Symbol& sym = out_.symbols[s];
    Type type;
    switch (sym.kind) {
      case SymbolKind::Let: type = CheckLet(policy_.lets[sym.decl]); break;
      case SymbolKind::RuleSet: type = CheckRuleSet(policy_.rule_sets[sym.decl]); break;
      case SymbolKind::Scorecard: type = CheckScorecard(sym.decl); break;
      case SymbolKind::Band: type = CheckBand(policy_.bands[sym.decl]); break;
      case SymbolKind::Table: type = CheckTable(policy_.tables[sym.decl]); break;
      case SymbolKind::Decision: type = CheckDecision(policy_.decisions[sym.decl]); break;
      case SymbolKind::Warnings: type = CheckWarnings(); break;
      default: break;
    }
    stack_.pop_back();
    out_.symbols[s].type = type;
    state_[s] = 2;
    out_.record_order.push_back(s);
  }

  // The type of symbol `s` used at `use`; reports cycles.
  Type UseSymbol(int s, Span use) {
    if (state_[s] == 1) {
      std::string path;
      auto from = std::find(stack_.begin(), stack_.end(), s);
      for (auto it = from; it != stack_.end(); ++it) path += out_.symbols[*it].name + " → ";
      path += out_.symbols[s].name;
      diags_.Report(DiagKind::CyclicDefinition, use,
                    fmt::format("'{}' is defined in terms of itself: {}", out_.symbols[s].name, path),
                    "break the cycle: a value cannot depend on itself");
      return Type{};
    }
    out_.symbols[s].used = true;
    if (state_[s] == 0 && stack_.size() >= kMaxResolveDepth) {
      // Only a value that reaches a cycle is still unchecked here (see Run); its chain is too
      // long to follow by recursion. Reported once: the rest of the chain is resolved from
      // closer to the cycle as Run goes on.
      if (!long_cycle_reported_)
        diags_.Report(DiagKind::CyclicDefinition, use,
                      fmt::format("'{}' leads to a cycle through more than {} values", out_.symbols[s].name,
                                  kMaxResolveDepth),
                      "break the cycle: a value cannot depend on itself");
      long_cycle_reported_ = true;
      return Type{};
    }
    Resolve(s);
    return out_.symbols[s].type;
  }

  Type CheckLet(ast::LetDecl& let) {
    Scope scope;
    // The declared type tells which enum a bare value belongs to (`let r: Review = REFER`).
    Type declared = let.type ? ResolveType(*let.type) : Type{};
    Type t = Value(*let.value, scope, declared.is(Base::Enum) ? &declared : nullptr);
    if (!let.type || t.error() || declared.error()) return t;
    return Fit(t, declared, let.value->span, fmt::format("'{}'", let.name.text));
  }

  // Checks that a value of type `t` can be stored as `declared`; returns the stored type.
  Type Fit(Type t, Type declared, Span span, const std::string& what) {
    if (t.error() || declared.error()) return declared;
    if (t.optional && !declared.optional) {
      diags_.Report(DiagKind::PossiblyMissing, span,
                    fmt::format("{} is declared {} but the value may be missing", what, TypeName(declared, out_.enums)),
                    fmt::format("declare it `{}`, or say what missing means, e.g. `... ?? {}`",
                                TypeName(declared.Optional(), out_.enums), DefaultText(declared)));
      return declared;
    }
    bool ok = t.same_value_type(declared) || t.is(Base::Missing) ||
              (t.is(Base::Int) && (declared.is(Base::Decimal) || declared.is(Base::Number))) ||
              (t.is(Base::Decimal) && declared.is(Base::Decimal) && t.scale <= declared.scale);
    if (!ok)
      diags_.Report(DiagKind::DeclaredTypeMismatch, span,
                    fmt::format("{} is declared {} but the value is {}", what, TypeName(declared, out_.enums),
                                TypeName(t, out_.enums)),
                    ConversionHint(t, declared));
    return declared;
  }

  // How to turn a `t` into a `declared`, for the hint of a declared-type mismatch.
  std::string ConversionHint(const Type& t, const Type& declared) const {
    if (declared.is(Base::Int) && t.is_numeric()) return "round it to a whole number: floor(x), ceil(x) or round(x)";
    if (declared.is(Base::Decimal) && t.is(Base::Decimal))
      return fmt::format("round it to {} fraction digits, e.g. round(x, {})", declared.scale,
                         declared.scale > 0 ? "0." + std::string(declared.scale - 1, '0') + "1" : "1");
    if (declared.is(Base::Decimal) && t.is(Base::Number))
      return "a binary number cannot become exact money; compute it from exact values, or declare it `number`";
    if (declared.is(Base::Enum))
      return fmt::format("give one of its values: {}", fmt::join(out_.enums[declared.enum_id].values, ", "));
    return "change the declared type, or give a value of that type";
  }

  // A zero of type `t`, for examples in hints: 0, 0.00, false, "".
  std::string DefaultText(const Type& t) const {
    switch (t.base) {
      case Base::Decimal: return t.scale > 0 ? "0." + std::string(t.scale, '0') : "0";
      case Base::Number: return "0.0";
      case Base::Bool: return "false";
      case Base::String: return "\"\"";
      case Base::Enum: return out_.enums[t.enum_id].values.empty() ? "..." : out_.enums[t.enum_id].values.front();
      default: return "0";
    }
  }

  Type CheckRuleSet(ast::RuleSet& set) {
    if (set.rules.size() > kMaxCodes)
      diags_.Report(DiagKind::TooManyCodes, set.name.span,
                    fmt::format("rule set {} has {} rules; a rule set holds at most {}", set.name.text, set.rules.size(),
                                kMaxCodes),
                    "split it into several rule sets, e.g. by theme");
    for (auto& rule : set.rules) {
      Scope scope;
      Condition(*rule.when, scope, fmt::format("the condition of rule {}", rule.code.text));
      if (rule.when->kind == ExprKind::BoolLit && rule.when->int_value == 0)
        diags_.Report(DiagKind::UnreachableArm, rule.when->span, fmt::format("rule {} can never fire", rule.code.text),
                      "remove the rule or give it a real condition");
      const std::string& e = rule.effect.text;
      if (e != "decline" && e != "refer" && e != "flag")
        diags_.Report(DiagKind::UnknownEffect, rule.effect.span, fmt::format("unknown rule effect '{}'", e),
                      "a rule's effect is decline, refer or flag");
    }
    return Type{};
  }

  // ---- bins -----------------------------------------------------------------------------------

  // The bounds a field's `where` puts on its values: conjunctions of `field op literal`.
  void DomainOf(int symbol, NumericDomain& domain) {
    if (symbol < 0 || out_.symbols[symbol].kind != SymbolKind::Field) return;
    const ast::FieldDecl& field = policy_.inputs[0].fields[out_.symbols[symbol].decl];
    if (field.where) Bound(*field.where, symbol, domain);
  }
  void Bound(const Expr& e, int symbol, NumericDomain& domain) {
    if (e.kind == ExprKind::And) {
      Bound(*e.args[0], symbol, domain);
      Bound(*e.args[1], symbol, domain);
      return;
    }
    if (e.kind != ExprKind::Binary || e.op < ast::BinaryOp::Lt || e.op > ast::BinaryOp::Ge) return;
    const Expr& lhs = *e.args[0];
    const Expr& rhs = *e.args[1];
    if (lhs.kind != ExprKind::NameRef || lhs.resolved.symbol != symbol || !IsNumericLiteral(rhs)) return;
    ast::BinValue v;
    v.kind = ast::BinValue::Number;
    const Expr& lit = rhs.kind == ExprKind::Neg ? *rhs.args[0] : rhs;
    v.scaled = rhs.kind == ExprKind::Neg ? -lit.int_value : lit.int_value;
    v.scale = lit.kind == ExprKind::DecimalLit ? lit.scale : 0;
    domain.bounds.kind = ast::BinTest::Interval;
    // Of two bounds on one side (`x >= 0 and x >= 100`) the tighter one holds.
    bool lower = e.op == ast::BinaryOp::Gt || e.op == ast::BinaryOp::Ge;
    bool strict = e.op == ast::BinaryOp::Gt || e.op == ast::BinaryOp::Lt;
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
  void CheckBinTests(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span, BinOrder order,
                     const Expr* subject_expr = nullptr) {
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
  void CheckCategoryBins(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span) {
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
                        subject.is(Base::Enum) ? "name a value of the enum" : "write a literal of the value's type");
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
  std::string CategoryExample(const Type& subject) const {
    if (subject.is(Base::Bool)) return "true";
    if (!subject.is(Base::Enum) || out_.enums[subject.enum_id].values.size() < 2) return "\"LTD\", \"PLC\"";
    const auto& values = out_.enums[subject.enum_id].values;
    return values[0] + ", " + values[1];
  }

  Type CheckScorecard(int index) {
    auto& card = policy_.scorecards[index];
    auto& info = out_.scorecards[index];
    info.resize(card.characteristics.size());
    for (size_t c = 0; c < card.characteristics.size(); ++c) {
      auto& ch = card.characteristics[c];
      Scope scope;
      Type subject = Value(*ch.subject, scope);
      CheckBinTests(ch.bins, subject, ch.subject->span, BinOrder::Disjoint, ch.subject.get());
      int64_t best = INT64_MIN;
      for (auto& bin : ch.bins) {
        int64_t points = 0;
        if (!PointsOf(*bin.result, points)) continue;
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
  bool PointsOf(Expr& e, int64_t& points) {
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
  Type Constant(Expr& e, const Type* hint, const char* what) {
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

  Type CheckBand(ast::Band& band) {
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

  Type CheckTable(ast::Table& table) {
    std::vector<Type> keys;
    bool keys_ok = true;
    for (auto& ref : table.keys) {
      Type key = ResolveType(ref);
      if (!key.error() && !key.is(Base::Enum)) {
        diags_.Report(DiagKind::TypeMismatch, ref.name.span, "a table's key must be an enum",
                      "declare an enum for the keys");
        key = Type{};
      }
      keys_ok &= !key.error();
      keys.push_back(key);
    }
    Type value = ResolveType(table.value, true);
    bool has_else = false;
    bool unknown_key = false;  // then "no entry for X" would mostly repeat that error
    int scale = 0;
    TableCoverage coverage(keys, out_.enums, keys_ok);
    for (auto& entry : table.entries) {
      if (entry.keys.empty()) has_else = true;
      bool reachable = entry.keys.empty();
      for (auto& tuple : entry.keys) {
        if (!keys_ok) break;
        if (!TableKeyValid(table, keys, tuple)) {
          unknown_key = true;
          continue;
        }
        Span span{tuple.front().span.begin, tuple.back().span.end};
        if (auto first = coverage.Duplicate(tuple)) {
          diags_.Report(DiagKind::DuplicateKey, span, fmt::format("key {} is listed twice", KeyText(tuple)),
                        "a key has one entry: remove one of them")
              .notes.push_back({*first, "first listed here"});
          reachable = true;  // reported as a duplicate, not again as unreachable
          continue;
        }
        reachable |= coverage.Add(tuple, span);
      }
      if (!reachable && keys_ok && !unknown_key)
        diags_.Report(DiagKind::UnreachableBin, entry.span,
                      "this entry is unreachable: earlier entries cover every key it lists",
                      "entries are tried in order; remove it or move it before the entries that cover it");
      Type t = Constant(*entry.value, value.is(Base::Enum) ? &value : nullptr, "a table's value");
      if (t.is(Base::Decimal)) scale = std::max<int>(scale, t.scale);
      if (value.is(Base::Decimal) && value.scale < 0) {
        if (!t.error() && !t.is_exact())
          diags_.Report(DiagKind::DeclaredTypeMismatch, entry.value->span,
                        fmt::format("table {} holds decimals but this value is {}", table.name.text, TypeName(t, out_.enums)),
                        "write a decimal number such as 0.25, or change the table's value type");
      } else if (!value.error()) {
        Fit(t, value, entry.value->span, fmt::format("table {}", table.name.text));
      }
    }
    if (value.is(Base::Decimal) && value.scale < 0) value.scale = static_cast<int8_t>(scale);
    if (keys_ok && !unknown_key) {
      std::vector<std::string> absent = coverage.Uncovered(8);
      if (has_else && absent.empty())
        for (auto& entry : table.entries)
          if (entry.keys.empty())
            diags_.Report(DiagKind::UnreachableBin, entry.span,
                          fmt::format("this `else` entry is unreachable: table {} lists every key", table.name.text),
                          "remove the `else` entry");
      if (!has_else && !absent.empty())
        diags_.Report(DiagKind::TableIncomplete, table.name.span,
                      fmt::format("table {} has no entry for {}{}", table.name.text, fmt::join(absent, ", "),
                                  absent.size() == 8 ? ", ..." : ""),
                      "add the missing keys or an `else` entry");
    }
    table_types_[&table] = {keys, value};
    return value;
  }

  // A key tuple names one value of each key's enum, or `_` (any value), in the table's arity.
  bool TableKeyValid(const ast::Table& table, const std::vector<Type>& keys, const std::vector<ast::Name>& tuple) {
    if (tuple.size() != keys.size()) {
      diags_.Report(DiagKind::BadIndex, {tuple.front().span.begin, tuple.back().span.end},
                    fmt::format("table {} has {} key{}; this entry gives {}", table.name.text, keys.size(),
                                keys.size() == 1 ? "" : "s", tuple.size()),
                    keys.size() == 1 ? "list single values: A, B => ..." : "write one value per key, e.g. (A, retail) => ...");
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < tuple.size(); ++i) {
      if (tuple[i].text == "_" && keys.size() > 1) continue;
      const auto& values = out_.enums[keys[i].enum_id].values;
      if (std::find(values.begin(), values.end(), tuple[i].text) == values.end()) {
        diags_.Report(DiagKind::UnknownEnumValue, tuple[i].span,
                      fmt::format("'{}' is not a value of {}", tuple[i].text, out_.enums[keys[i].enum_id].name),
                      SuggestOrList(tuple[i].text, values, "the values are"));
        ok = false;
      }
    }
    return ok;
  }

  static std::string KeyText(const std::vector<ast::Name>& tuple) {
    if (tuple.size() == 1) return "'" + tuple[0].text + "'";
    std::vector<std::string> parts;
    for (auto& n : tuple) parts.push_back(n.text);
    return fmt::format("({})", fmt::join(parts, ", "));
  }

  Type CheckDecision(ast::Decision& d) {
    Type type = ResolveType(d.type);
    if (!type.error() && !type.is(Base::Enum)) {
      diags_.Report(DiagKind::TypeMismatch, d.type.name.span, "a decision's outcomes must be an enum",
                    "declare e.g. enum Decision { APPROVE, REFER, DECLINE }");
      type = Type{};
    }
    type.optional = false;
    Span else_span;
    bool after_else = false;
    std::map<std::string, Span> conditions;
    for (auto& arm : d.arms) {
      if (after_else)
        diags_.Report(DiagKind::UnreachableArm, arm.span, "this arm is unreachable: it comes after `else`",
                      "`else` must be the last arm: move this arm above it")
            .notes.push_back({else_span, "the `else` arm"});
      if (arm.condition) {
        Scope scope;
        Condition(*arm.condition, scope, "this decision arm's condition");
        if (arm.condition->kind == ExprKind::BoolLit && arm.condition->int_value == 0)
          diags_.Report(DiagKind::UnreachableArm, arm.condition->span, "this arm can never apply: its condition is `false`",
                        "remove the arm or give it a real condition");
        std::string key = Structure(*arm.condition);
        if (auto it = conditions.find(key); it != conditions.end())
          diags_.Report(DiagKind::UnreachableArm, arm.condition->span, "this arm is unreachable: an earlier arm has the same condition",
                        "remove it or change its condition")
              .notes.push_back({it->second, "the earlier arm"});
        else
          conditions[key] = arm.condition->span;
      } else if (!after_else) {
        after_else = true;
        else_span = arm.span;
      }
      if (!type.error()) {
        const auto& values = out_.enums[type.enum_id].values;
        if (std::find(values.begin(), values.end(), arm.outcome.text) == values.end())
          diags_.Report(DiagKind::UnknownEnumValue, arm.outcome.span,
                        fmt::format("'{}' is not a value of {}", arm.outcome.text, out_.enums[type.enum_id].name),
                        Suggest(arm.outcome.text, values));
      }
      if (arm.reason) {
        Scope scope;
        Type r = Value(*arm.reason, scope);
        RequireString(r, arm.reason->span, "a decision reason");
      }
    }
    if (!after_else)
      diags_.Report(DiagKind::DecisionIncomplete, d.name.span, "the decision has no `else` arm, so some records get no outcome",
                    "end the decision with `else => ...`");
    return type;
  }

  void RequireString(const Type& t, Span span, const char* what) {
    if (t.error()) return;
    if (!t.is(Base::String))
      diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{} must be a string, not {}", what, TypeName(t, out_.enums)),
                    "give a reason code in quotes, e.g. because \"K01\"");
    else if (t.optional)
      diags_.Report(DiagKind::PossiblyMissing, span, fmt::format("{} may be missing", what),
                    fmt::format("say what a missing reason reads as, e.g. `{} ?? \"\"`", Snippet(span, "x")));
  }

  Type CheckWarnings() {
    if (!policy_.warnings.empty())
      for (auto& w : policy_.warnings[0].warnings) {
        Scope scope;
        Condition(*w.when, scope, fmt::format("the condition of warning {}", w.code.text));
        if (w.when->kind == ExprKind::BoolLit && w.when->int_value == 0)
          diags_.Report(DiagKind::UnreachableArm, w.when->span, fmt::format("warning {} can never be raised", w.code.text),
                        "remove the warning or give it a real condition");
      }
    return Type::Of(Base::Codes);
  }

  std::string_view source_text(Span span) const { return source_ ? source_->Slice(span) : std::string_view(); }

  // The source text of `span` for a message, or `fallback` when it is long or spans lines.
  std::string Snippet(Span span, const char* fallback) const {
    std::string_view text = source_text(span);
    bool readable = !text.empty() && text.size() <= 40 && text.find('\n') == std::string_view::npos;
    return readable ? std::string(text) : fallback;
  }
  // Snippet() without the parentheses around all of it, for use as a call argument.
  std::string ArgSnippet(Span span, const char* fallback) const {
    std::string text = Snippet(span, fallback);
    if (text.size() < 2 || text.front() != '(' || text.back() != ')') return text;
    int depth = 0;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
      if (depth == 0) return text;  // `(a) * (b)`: the first parenthesis closes early
    }
    return text.substr(1, text.size() - 2);
  }
  // `text` in backquotes, or "this value".
  std::string Quoted(Span span) const {
    std::string text = Snippet(span, "");
    return text.empty() ? "this value" : "`" + text + "`";
  }

  // "did you mean ...?" among the declared names (and the group lets), or "". Each search
  // reads every name, so a policy with many declarations and many unknown names would check in
  // quadratic time: a name is searched once, and only the first kMaxNameSearches names are.
  std::string SuggestDeclared(const std::string& name, bool with_group) {
    auto key = std::make_pair(name, with_group ? int(group_names_.size()) : -1);
    if (auto it = suggestions_.find(key); it != suggestions_.end()) return it->second;
    if (suggestions_.size() >= kMaxNameSearches) return "";
    std::vector<std::string> candidates;
    candidates.reserve(names_.size() + (with_group ? group_names_.size() : 0));
    for (auto& [n, _] : names_) candidates.push_back(n);
    if (with_group)
      for (auto& [n, _] : group_names_) candidates.push_back(n);
    return suggestions_[key] = Suggest(name, candidates);
  }

  static bool HasElse(const std::vector<ast::Bin>& bins) {
    for (const auto& bin : bins)
      for (const auto& test : bin.tests)
        if (test.kind == ast::BinTest::Else) return true;
    return false;
  }

 public:
  const SourceFile* source_ = nullptr;

 private:
  // ---- expressions ----------------------------------------------------------------------------

  // A condition: bool, never missing.
  void Condition(Expr& e, Scope& scope, const std::string& what) {
    Type t = Value(e, scope);
    if (t.error()) return;
    if (!t.is(Base::Bool)) {
      diags_.Report(DiagKind::ConditionNotBool, e.span, fmt::format("{} is {}, not a bool", what, TypeName(t, out_.enums)),
                    t.is_numeric() ? fmt::format("compare it, e.g. `{} > 0`", Snippet(e.span, "x"))
                                   : "write a test, e.g. `x == value` or `x in [a, b]`");
    } else if (t.optional) {
      const Expr* source = MissingSource(e);
      std::string condition = ArgSnippet(e.span, "...");
      std::string hint = fmt::format("say what missing means, e.g. `({}) ?? false`", condition);
      if (source->kind == ExprKind::NameRef && TestsPresentThenOr(e, source->resolved.symbol))
        hint = fmt::format("the right side of `or` runs when the left is false, that is when `{0}` is missing: "
                           "write `{0} is missing or ...`, or `{0} is present and ...`", source->text);
      else if (source->kind == ExprKind::NameRef)
        hint += fmt::format(", or test `{} is present and ...` first", source->text);
      diags_.Report(DiagKind::ConditionMayBeMissing, e.span,
                    fmt::format("{} may be missing: {} may be missing", what, Quoted(source->span)), hint);
    }
  }

  // `s is present or ...`: a common slip for `s is missing or ...`, which narrows.
  static bool TestsPresentThenOr(const Expr& e, int s) {
    if (e.kind != ExprKind::Or) return false;
    const Expr& left = *e.args[0];
    return left.kind == ExprKind::IsMissing && left.negated && left.args[0]->kind == ExprKind::NameRef &&
           left.args[0]->resolved.symbol == s;
  }

  // The innermost part of an optional `e` that makes it so (after narrowing), for messages.
  const Expr* MissingSource(const Expr& e) const {
    if (e.kind == ExprKind::Coalesce) return e.args[1]->type.optional ? MissingSource(*e.args[1]) : &e;
    for (const auto& a : e.args)
      if (a->type.optional && a->kind != ExprKind::MissingLit) return MissingSource(*a);
    return &e;
  }

  bool Present(const Scope& scope, int s) const {
    return std::find(scope.present.begin(), scope.present.end(), s) != scope.present.end();
  }

  // Symbols that are present when `e` evaluates to `when_true`.
  std::vector<int> Facts(const Expr& e, bool when_true) const {
    std::vector<int> facts;
    if (e.kind == ExprKind::IsMissing && e.args[0]->kind == ExprKind::NameRef && e.args[0]->resolved.symbol >= 0) {
      bool tests_present = e.negated;
      if (tests_present == when_true) facts.push_back(e.args[0]->resolved.symbol);
    } else if (e.kind == ExprKind::Not) {
      return Facts(*e.args[0], !when_true);
    } else if ((e.kind == ExprKind::And && when_true) || (e.kind == ExprKind::Or && !when_true)) {
      facts = Facts(*e.args[0], when_true);
      auto more = Facts(*e.args[1], when_true);
      facts.insert(facts.end(), more.begin(), more.end());
    }
    return facts;
  }

  Scope With(const Scope& scope, const std::vector<int>& facts) {
    Scope s = scope;
    s.present.insert(s.present.end(), facts.begin(), facts.end());
    return s;
  }

  Type Value(Expr& e, Scope& scope, const Type* hint = nullptr) {
    e.type = Infer(e, scope, hint);
    return e.type;
  }

  Type Infer(Expr& e, Scope& scope, const Type* hint) {
    switch (e.kind) {
      case ExprKind::IntLit: return Type::Of(Base::Int);
      case ExprKind::DecimalLit: return Type::Dec(e.scale);
      case ExprKind::StringLit: return Type::Of(Base::String);
      case ExprKind::BoolLit: return Type::Of(Base::Bool);
      case ExprKind::MissingLit: return Type{Base::Missing, 0, true, -1};
      case ExprKind::NameRef: return NameRef(e, scope, hint);
      case ExprKind::Call: return Call(e, scope);
      case ExprKind::Member: return Member(e, scope);
      case ExprKind::Index: return Index(e, scope);
      case ExprKind::Neg: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "'-' needs a number", t, Base::Number);
        return t;
      }
      case ExprKind::Not: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.is(Base::Bool)) return Mismatch(e.span, "'not' needs a bool", t, Base::Bool);
        return t;
      }
      case ExprKind::Binary: return Binary(e, scope);
      case ExprKind::And:
      case ExprKind::Or: {
        Type a = Value(*e.args[0], scope);
        Scope right = With(scope, Facts(*e.args[0], e.kind == ExprKind::And));
        Type b = Value(*e.args[1], right);
        const char* op = e.kind == ExprKind::And ? "and" : "or";
        if (!a.error() && !a.is(Base::Bool)) return Mismatch(e.args[0]->span, fmt::format("'{}' needs bool operands", op), a, Base::Bool);
        if (!b.error() && !b.is(Base::Bool)) return Mismatch(e.args[1]->span, fmt::format("'{}' needs bool operands", op), b, Base::Bool);
        if (a.error() || b.error()) return Type{};
        return Type::Of(Base::Bool, a.optional || b.optional);
      }
      case ExprKind::Coalesce: {
        Type a = Value(*e.args[0], scope, hint);
        Type b = Value(*e.args[1], scope, a.is(Base::Enum) ? &a : hint);
        if (a.error() || b.error()) return Type{};
        if (!a.optional)
          diags_.Report(DiagKind::AlwaysPresent, e.args[0]->span,
                        fmt::format("{} {}, so `?? {}` has no effect", Quoted(e.args[0]->span), NeverMissing(*e.args[0], scope),
                                    Snippet(e.args[1]->span, "...")),
                        fmt::format("remove `?? {}`", Snippet(e.args[1]->span, "...")));
        Type t = Unify(a.Required(), b, e.span, "the two sides of `??`", e.args[1].get(), e.args[0].get());
        t.optional = b.optional;
        return t;
      }
      case ExprKind::IsMissing: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.optional)
          diags_.Report(DiagKind::AlwaysPresent, e.span,
                        fmt::format("{} {}, so this test is always {}", Quoted(e.args[0]->span), NeverMissing(*e.args[0], scope),
                                    e.negated ? "true" : "false"),
                        "remove the test, and whatever only it guards");
        return Type::Of(Base::Bool);
      }
      case ExprKind::In: {
        Type subject = Value(*e.args[0], scope);
        bool optional = subject.optional;  // `x == a or x == b ...`: missing when x or an item is
        for (size_t i = 1; i < e.args.size(); ++i) {
          Type t = Value(*e.args[i], scope, subject.is(Base::Enum) ? &subject : nullptr);
          if (!subject.error() && !t.error()) Comparable(subject, t, *e.args[0], *e.args[i], e.span, ast::BinaryOp::Eq);
          optional |= t.optional;
        }
        return Type::Of(Base::Bool, optional);
      }
      case ExprKind::If: {
        Condition(*e.args[0], scope, "this `if` condition");
        Scope then_scope = With(scope, Facts(*e.args[0], true));
        Scope else_scope = With(scope, Facts(*e.args[0], false));
        Type a = Value(*e.args[1], then_scope, hint);
        Type b = Value(*e.args[2], else_scope, a.is(Base::Enum) ? &a : hint);
        if (a.error() || b.error()) return Type{};
        return Unify(a, b, e.span, "the two branches of `if`", e.args[2].get(), e.args[1].get());
      }
    }
    return Type{};
  }

  // Why a value that is not optional here is so: declared that way, or narrowed by a test.
  std::string NeverMissing(const Expr& e, const Scope& scope) const {
    bool narrowed = e.kind == ExprKind::NameRef && e.resolved.symbol >= 0 && Present(scope, e.resolved.symbol) &&
                    out_.symbols[e.resolved.symbol].type.optional;
    return narrowed ? "is already known to be present here" : "is never missing";
  }

  // An operand of the wrong type: `want` is Number, Bool or Date.
  Type Mismatch(Span span, const std::string& message, const Type& got, Base want) {
    std::string hint;
    if (want == Base::Bool)
      hint = "compare the value to get a bool, e.g. `x > 0` or `x == value`";
    else if (want == Base::Date)
      hint = "declare the field `date`, and write constant dates as date(\"YYYY-MM-DD\")";
    else if (got.is(Base::String))
      hint = "a string is text even when it holds digits: declare the field `int`, `money` or `number`";
    else if (got.is(Base::Enum))
      hint = "enum values are categories, not numbers: look a number up in a table, e.g. factor[grade]";
    else if (got.is(Base::Bool))
      hint = "turn a bool into a number explicitly: `if c then 1 else 0`";
    else if (got.is(Base::Date))
      hint = "dates subtract to a number of days: `d2 - d1`, or days_between(d1, d2)";
    else
      hint = "use a value of type int, money, decimal or number";
    diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{}, but this is {}", message, TypeName(got, out_.enums)), hint);
    return Type{};
  }

  Type NameRef(Expr& e, Scope& scope, const Type* hint) {
    if (scope.group)
      if (auto it = group_names_.find(e.text); it != group_names_.end()) {
        e.resolved.symbol = it->second;
        out_.symbols[it->second].used = true;
        return out_.symbols[it->second].type;
      }
    if (auto it = names_.find(e.text); it != names_.end()) {
      int s = it->second;
      e.resolved.symbol = s;
      if (!InScope(scope, s, e.span)) return Type{};
      const Symbol& sym = out_.symbols[s];
      if (sym.kind == SymbolKind::RuleSet || sym.kind == SymbolKind::Scorecard || sym.kind == SymbolKind::Table) {
        const char* hint_text = sym.kind == SymbolKind::RuleSet ? "use one of its members: .fired, .first, .count, .codes"
                                : sym.kind == SymbolKind::Scorecard ? "use .score, .reason(1) or a characteristic's points"
                                                                    : "index it by a key: table[key]";
        diags_.Report(DiagKind::TypeMismatch, e.span, fmt::format("'{}' is not a value by itself", e.text), hint_text);
        UseSymbol(s, e.span);
        return Type{};
      }
      Type t = UseSymbol(s, e.span);
      if (t.optional && Present(scope, s)) t.optional = false;
      return t;
    }
    // An enum value: in the enum the context expects, else the only enum that has it.
    auto find_in = [&](int id) {
      const auto& v = out_.enums[id].values;
      auto it = std::find(v.begin(), v.end(), e.text);
      return it == v.end() ? -1 : int(it - v.begin());
    };
    if (hint && hint->is(Base::Enum)) {
      int ordinal = find_in(hint->enum_id);
      if (ordinal >= 0) {
        e.resolved.enum_value = true;
        e.resolved.index = ordinal;
        return Type::EnumOf(hint->enum_id);
      }
    }
    std::vector<int> owners;
    for (int id = 0; id < int(out_.enums.size()); ++id)
      if (find_in(id) >= 0) owners.push_back(id);
    if (owners.size() == 1) {
      e.resolved.enum_value = true;
      e.resolved.index = find_in(owners[0]);
      return Type::EnumOf(owners[0]);
    }
    if (owners.size() > 1) {
      std::vector<std::string> enums;
      for (int id : owners) enums.push_back(out_.enums[id].name);
      diags_.Report(DiagKind::UnknownName, e.span,
                    fmt::format("'{}' is a value of several enums ({}); which one is unclear here", e.text, fmt::join(enums, ", ")),
                    fmt::format("use it where the enum is known: compare it with a value of that enum, or declare the "
                                "type, e.g. `let x: {} = ...`", enums.front()));
      return Type{};
    }
    std::string suggestion = SuggestDeclared(e.text, scope.group);
    // `industry == retial`: where an enum is expected, a misspelled value of it is likelier.
    if (hint && hint->is(Base::Enum) && (suggestion.empty() || !Suggest(e.text, out_.enums[hint->enum_id].values).empty())) {
      const auto& info = out_.enums[hint->enum_id];
      diags_.Report(DiagKind::UnknownEnumValue, e.span, fmt::format("'{}' is not a value of {}", e.text, info.name),
                    SuggestOrList(e.text, info.values, "the values are"));
      return Type{};
    }
    diags_.Report(DiagKind::UnknownName, e.span, fmt::format("unknown name '{}'", e.text),
                  suggestion.empty() ? "declare it with `let`, or add it to the input" : suggestion);
    return Type{};
  }

  Type Member(Expr& e, Scope& scope) {
    Expr& base = *e.args[0];
    const std::string& m = e.member.text;
    int s = -1;
    if (base.kind == ExprKind::NameRef)
      if (auto it = names_.find(base.text); it != names_.end()) s = it->second;
    if (s < 0) {
      Type t = Value(base, scope);
      if (t.error()) return t;
      diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("a value of type {} has no member '{}'", TypeName(t, out_.enums), m),
                    "members exist on rule sets, scorecards and the decision");
      return Type{};
    }
    base.resolved.symbol = s;
    if (!InScope(scope, s, base.span)) return Type{};
    UseSymbol(s, base.span);
    Symbol& sym = out_.symbols[s];
    auto set = [&](MemberKind kind, int index, Type t) {
      e.resolved.member = static_cast<int>(kind);
      e.resolved.index = index;
      return t;
    };
    size_t call_args = e.args.size() - 1;
    auto no_call = [&]() {
      if (e.is_call)
        diags_.Report(DiagKind::WrongArgumentCount, e.span, fmt::format("'{}' is not a function", m),
                      fmt::format("remove the parentheses: {}.{}", base.text, m));
    };
    if (sym.kind == SymbolKind::RuleSet) {
      no_call();
      auto& set_decl = policy_.rule_sets[sym.decl];
      if (m == "fired") return set(MemberKind::RulesFired, -1, Type::Of(Base::Bool));
      if (m == "first") return set(MemberKind::RulesFirst, -1, Type::Of(Base::String));
      if (m == "count") return set(MemberKind::RulesCount, -1, Type::Of(Base::Int));
      if (m == "codes") return set(MemberKind::RulesCodes, -1, Type::Of(Base::Codes));
      static const char* kEffectMembers[] = {"declined", "referred", "flagged"};
      for (int effect = 0; effect < 3; ++effect)
        if (m == kEffectMembers[effect]) return set(MemberKind::RulesEffect, effect, Type::Of(Base::Bool));
      for (size_t r = 0; r < set_decl.rules.size(); ++r)
        if (set_decl.rules[r].code.text == m) return set(MemberKind::RuleHit, int(r), Type::Of(Base::Bool));
      std::vector<std::string> options = {"fired", "first", "count", "codes", "declined", "referred", "flagged"};
      for (auto& r : set_decl.rules) options.push_back(r.code.text);
      return UnknownMember(e, options);
    }
    if (sym.kind == SymbolKind::Scorecard) {
      auto& card = policy_.scorecards[sym.decl];
      if (m == "score") { no_call(); return set(MemberKind::ScoreTotal, -1, Type::Of(Base::Int)); }
      if (m == "reason") {
        if (call_args != 1) {
          diags_.Report(DiagKind::WrongArgumentCount, e.span, "reason takes one argument: the rank, from 1",
                        fmt::format("write {}.reason(1) for the strongest reason", e.args[0]->text));
          return Type{};
        }
        Expr& rank = *e.args[1];
        int limit = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
        if (rank.kind != ExprKind::IntLit) {
          diags_.Report(DiagKind::NotConstant, rank.span, "the reason rank must be a constant",
                        fmt::format("write the rank as a number, e.g. {}.reason(1)", e.args[0]->text));
          return Type{};
        }
        if (rank.int_value < 1 || rank.int_value > limit) {
          diags_.Report(DiagKind::ReasonOutOfRange, rank.span,
                        fmt::format("scorecard {} has reasons 1 to {}, not {}", card.name.text, limit, rank.int_value),
                        "raise `reasons` in the scorecard or ask for a lower rank");
          return Type{};
        }
        rank.type = Type::Of(Base::Int);
        return set(MemberKind::ScoreReason, int(rank.int_value), Type::Of(Base::String));
      }
      no_call();
      for (size_t c = 0; c < card.characteristics.size(); ++c)
        if (card.characteristics[c].code.text == m) return set(MemberKind::ScorePoints, int(c), Type::Of(Base::Int));
      std::vector<std::string> options = {"score", "reason"};
      for (auto& c : card.characteristics) options.push_back(c.code.text);
      return UnknownMember(e, options);
    }
    if (sym.kind == SymbolKind::Decision && m == "reason") {
      no_call();
      return set(MemberKind::DecisionReason, -1, Type::Of(Base::String));
    }
    if (sym.kind == SymbolKind::Decision) return UnknownMember(e, {"reason"});
    diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("'{}' has no member '{}'", base.text, m),
                  "members exist on rule sets, scorecards and the decision");
    return Type{};
  }

  Type UnknownMember(Expr& e, const std::vector<std::string>& options) {
    std::string s = Suggest(e.member.text, options);
    diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("'{}' has no member '{}'", e.args[0]->text, e.member.text),
                  s.empty() ? fmt::format("its members are {}", fmt::join(options, ", ")) : s);
    return Type{};
  }

  Type Index(Expr& e, Scope& scope) {
    Expr& base = *e.args[0];
    auto it = base.kind == ExprKind::NameRef ? names_.find(base.text) : names_.end();
    if (it != names_.end()) out_.symbols[it->second].used = true;  // misused, not unused
    if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Table) {
      bool unknown = it == names_.end() && base.kind == ExprKind::NameRef && Value(base, scope).error();
      if (unknown) return Type{};  // already reported, with a suggestion
      std::string what = base.kind == ExprKind::NameRef ? fmt::format("'{}'", base.text) : "this value";
      diags_.Report(DiagKind::BadIndex, base.span, fmt::format("{} is not a table; only tables can be indexed", what),
                    "look values up in a table: table t: Key -> type { ... }, then t[key]");
      return Type{};
    }
    base.resolved.symbol = it->second;
    if (!InScope(scope, it->second, base.span)) return Type{};
    Type value = UseSymbol(it->second, base.span);
    auto& table = policy_.tables[out_.symbols[it->second].decl];
    if (!table_types_.count(&table)) return value;
    const std::vector<Type>& keys = table_types_[&table].first;
    if (e.args.size() - 1 != keys.size()) {
      diags_.Report(DiagKind::BadIndex, e.span,
                    fmt::format("table {} has {} key{}, not {}", table.name.text, keys.size(), keys.size() == 1 ? "" : "s",
                                e.args.size() - 1),
                    fmt::format("look it up with one value per key: {}[...]", table.name.text));
      return Type{};
    }
    bool optional = false;
    for (size_t i = 0; i < keys.size(); ++i) {
      const Type& key = keys[i];
      Type k = Value(*e.args[i + 1], scope, key.error() ? nullptr : &key);
      if (k.error() || key.error()) return Type{};
      if (!k.same_value_type(key)) {
        diags_.Report(DiagKind::BadIndex, e.args[i + 1]->span,
                      fmt::format("table {} is keyed by {}, not {}", table.name.text, TypeName(key, out_.enums), TypeName(k, out_.enums)),
                      fmt::format("index it with a {} value", TypeName(key, out_.enums)));
        return Type{};
      }
      optional |= k.optional;
    }
    return value.Optional(optional);
  }

  // Numeric operands mixed: the common type, or an error for exact × binary mixes.
  Type Numeric(Type a, const Expr& ea, Type b, const Expr& eb, Span span, const char* what) {
    bool optional = a.optional || b.optional;
    if (a.is(Base::Number) || b.is(Base::Number)) {
      const Type& other = a.is(Base::Number) ? b : a;
      const Expr& other_expr = a.is(Base::Number) ? eb : ea;
      if (other.is(Base::Decimal) && !IsNumericLiteral(other_expr)) {
        const Expr& binary = a.is(Base::Number) ? ea : eb;
        diags_.Report(DiagKind::InexactMoney, span,
                      fmt::format("{} mixes exact {} with the binary number {}", what, TypeName(other, out_.enums),
                                  Quoted(binary.span)),
                      fmt::format("round the number to an exact decimal first, e.g. round({}, 0.0001), or convert "
                                  "on purpose with number({})",
                                  ArgSnippet(binary.span, "x"), ArgSnippet(other_expr.span, "x")));
        return Type{};
      }
      return Type::Of(Base::Number, optional);
    }
    if (a.is(Base::Decimal) || b.is(Base::Decimal)) return Type::Dec(std::max(a.scale, b.scale), optional);
    return Type::Of(Base::Int, optional);
  }

  Type Binary(Expr& e, Scope& scope) {
    using Op = ast::BinaryOp;
    Type a = Value(*e.args[0], scope);
    Type b = Value(*e.args[1], scope, a.is(Base::Enum) ? &a : nullptr);
    if (a.is(Base::Error) || b.is(Base::Error)) return Type{};
    if (e.op >= Op::Lt) return Comparable(a, b, *e.args[0], *e.args[1], e.span, e.op) ? Type::Of(Base::Bool, a.optional || b.optional) : Type{};
    static const char* names[] = {"'+'", "'-'", "'*'", "'/'"};
    const char* what = names[static_cast<int>(e.op)];
    if (a.is(Base::Date) && b.is(Base::Date) && e.op == Op::Sub) return Type::Of(Base::Int, a.optional || b.optional);
    if (a.is(Base::Date) && b.is(Base::Int) && (e.op == Op::Add || e.op == Op::Sub)) return Type::Of(Base::Date, a.optional || b.optional);
    if (!a.is_numeric()) return Mismatch(e.args[0]->span, fmt::format("{} needs numbers", what), a, Base::Number);
    if (!b.is_numeric()) return Mismatch(e.args[1]->span, fmt::format("{} needs numbers", what), b, Base::Number);
    Type t = Numeric(a, *e.args[0], b, *e.args[1], e.span, what);
    if (t.error()) return t;
    if (e.op == Op::Div) {
      bool nonzero_constant = IsNumericLiteral(*e.args[1]) && e.args[1]->int_value != 0 &&
                              !(e.args[1]->kind == ExprKind::Neg && e.args[1]->args[0]->int_value == 0);
      return Type::Of(Base::Number, t.optional || !nonzero_constant);
    }
    if (e.op == Op::Mul && t.is(Base::Decimal)) {
      int sa = a.is(Base::Decimal) ? a.scale : 0, sb = b.is(Base::Decimal) ? b.scale : 0;
      int scale = sa + sb;  // an exact product keeps every digit of both operands
      if (scale > 9) {
        diags_.Report(DiagKind::ScaleTooLarge, e.span,
                      fmt::format("this exact product has {} fraction digits; at most 9 are kept exactly", scale),
                      fmt::format("its operands have {} and {} fraction digits: give the longer one at most {}, or "
                                  "round an operand first, e.g. round(x, 0.01)",
                                  sa, sb, 9 - std::min(sa, sb)));
        return Type{};
      }
      t.scale = static_cast<int8_t>(scale);
    }
    return t;
  }

  // Whether `ea op eb` (op Eq for `in`) compares values that can be compared; reports why not.
  bool Comparable(const Type& a, const Type& b, const Expr& ea, const Expr& eb, Span span, ast::BinaryOp op) {
    auto fail = [&](const std::string& message, const std::string& hint) {
      diags_.Report(DiagKind::NotComparable, span, message, hint);
      return false;
    };
    if (a.is(Base::Missing) || b.is(Base::Missing))
      return fail("cannot compare a value with `missing`: nothing is equal to a missing value",
                  fmt::format("test for a missing value with `{} is missing`", Snippet((a.is(Base::Missing) ? eb : ea).span, "x")));
    if (a.is_numeric() && b.is_numeric()) return !Numeric(a, ea, b, eb, span, "this comparison").error();
    if (a.is(Base::Codes) || b.is(Base::Codes))
      return fail("codes cannot be compared", "test a rule set with `.fired` or one rule with `.K01`; codes are for output");
    std::string types = fmt::format("cannot compare {} with {}", TypeName(a, out_.enums), TypeName(b, out_.enums));
    if (a.base != b.base || a.enum_id != b.enum_id)
      return fail(types, (a.is(Base::String) && b.is_numeric()) || (b.is(Base::String) && a.is_numeric())
                             ? "a string compares with text: write the number in quotes, or declare the field numeric"
                             : "both sides of a comparison must have the same type");
    bool ordering = op >= ast::BinaryOp::Lt && op <= ast::BinaryOp::Ge;
    if (ordering && !a.is(Base::Date))
      return fail(fmt::format("{} values have no order: only numbers and dates can be compared with <, <=, > and >=",
                              TypeName(a.Required(), out_.enums)),
                  OrderHint(a, ea, eb, op));
    return true;
  }

  // For `grade >= C`: the values meant, listed in declaration order, as an `in` test.
  std::string OrderHint(const Type& a, const Expr& ea, const Expr& eb, ast::BinaryOp op) const {
    if (!a.is(Base::Enum) || !eb.resolved.enum_value) return "test equality with == or list the values: `x in [a, b]`";
    const auto& values = out_.enums[a.enum_id].values;
    std::vector<std::string> meant;
    int at = eb.resolved.index;
    for (int i = 0; i < int(values.size()); ++i) {
      bool keep = op == ast::BinaryOp::Lt ? i < at : op == ast::BinaryOp::Le ? i <= at
                : op == ast::BinaryOp::Gt ? i > at : i >= at;
      if (keep) meant.push_back(values[i]);
    }
    return fmt::format("list the values you mean, e.g. `{} in [{}]`", Snippet(ea.span, "x"), fmt::join(meant, ", "));
  }

  // The common type of two values that must agree (`eb`: the second one's expression).
  Type Unify(Type a, Type b, Span span, const char* what, const Expr* eb, const Expr* ea = nullptr) {
    if (a.error() || b.error()) return Type{};
    bool optional = a.optional || b.optional;
    if (a.is(Base::Missing)) return b.Optional(true);
    if (b.is(Base::Missing)) return a.Optional(true);
    if (a.same_value_type(b)) return a.Optional(optional);
    if (a.is_exact() && b.is_exact()) return Type::Dec(std::max(a.scale, b.scale), optional);
    // A decimal literal is just how a number is written: beside a binary number it is one.
    bool a_literal = ea && IsNumericLiteral(*ea), b_literal = eb && IsNumericLiteral(*eb);
    if ((a.is(Base::Number) && b.is(Base::Decimal) && b_literal) || (b.is(Base::Number) && a.is(Base::Decimal) && a_literal))
      return Type::Of(Base::Number, optional);
    if (a.is_numeric() && b.is_numeric() && !(a.is(Base::Decimal) || b.is(Base::Decimal)))
      return Type::Of(Base::Number, optional);
    std::string hint = "make both the same type";
    if (a.is(Base::Number) && b.is(Base::Decimal) && IsNumericLiteral(*eb))
      hint = fmt::format("write it as a whole number, or as number({}), so both are binary numbers", Snippet(eb->span, "x"));
    else if ((a.is(Base::Number) && b.is(Base::Decimal)) || (a.is(Base::Decimal) && b.is(Base::Number)))
      hint = "a binary number and an exact decimal do not mix: convert on purpose with number(x) or round(x, 0.01)";
    diags_.Report(DiagKind::TypeMismatch, span,
                  fmt::format("{} have different types: {} and {}", what, TypeName(a, out_.enums), TypeName(b, out_.enums)),
                  hint);
    return Type{};
  }

  Type Call(Expr& e, Scope& scope) {
    const BuiltinInfo* info = nullptr;
    for (const auto& b : kBuiltins)
      if (e.text == b.name) info = &b;
    if (!info) {
      std::vector<std::string> names;
      for (const auto& b : kBuiltins) names.push_back(b.name);
      auto alias = kFunctionAliases.find(Lowercase(e.text));
      diags_.Report(DiagKind::UnknownFunction, e.member.span, fmt::format("unknown function '{}'", e.text),
                    alias != kFunctionAliases.end() ? alias->second : SuggestOrList(e.text, names, "the functions are"));
      return Type{};
    }
    e.resolved.index = static_cast<int>(info->id);
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
    if (IsAggregate(info->id)) return Aggregate(e, info->id, scope);
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
      case Builtin::AddMonths: {
        Type a = Value(*e.args[0], scope), n = Value(*e.args[1], scope);
        if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, "add_months needs a date first", a, Base::Date);
        if (!n.error() && !n.is(Base::Int)) return Mismatch(e.args[1]->span, "add_months needs a whole number of months", n, Base::Int);
        return Type::Of(Base::Date, a.optional || n.optional);
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
      default: return Rounding(e, info->id, scope);
    }
  }

  // floor / ceil / round (x [, unit]).
  Type Rounding(Expr& e, Builtin id, Scope& scope) {
    (void)id;
    Expr& x = *e.args[0];
    int unit_scale = 0;
    int64_t unit_raw = 1;
    if (e.args.size() == 2) {
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
      diags_.Report(DiagKind::BadRoundingUnit, e.args.size() == 2 ? e.args[1]->span : e.span,
                    fmt::format("the rounding unit is too large for exact arithmetic on a value with {} fraction digits", sx),
                    "round to a smaller unit, or round the value to fewer fraction digits first");
      return false;
    };
    // An exact quotient inside a rounding is computed exactly (a rational), not as a double.
    if (x.kind == ExprKind::Binary && x.op == ast::BinaryOp::Div) {
      Type n = Value(*x.args[0], scope), d = Value(*x.args[1], scope);
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

  Type ExactRounded(int scale, bool optional) {
    return scale == 0 ? Type::Of(Base::Int, optional) : Type::Dec(scale, optional);
  }

  Type Aggregate(Expr& e, Builtin id, Scope& scope) {
    if (!scope.group) {
      diags_.Report(DiagKind::AggregateOutsideGroup, e.span,
                    fmt::format("{}() aggregates over the members of a group, so it works only in the group pass", e.text),
                    fmt::format("use it inside `group by KEY {{ ... }}`, e.g. `let total = {}` there", Snippet(e.span, "sum(x)")));
      return Type{};
    }
    if (!scope.aggregate.empty()) {
      diags_.Report(DiagKind::NestedAggregate, e.span,
                    fmt::format("{}() cannot be inside {}(): aggregates do not nest", e.text, scope.aggregate),
                    fmt::format("compute it first in a group `let`, e.g. `let inner = {}`, and use that name inside {}()",
                                Snippet(e.span, "..."), scope.aggregate));
      return Type{};
    }
    Scope inner = scope;
    inner.aggregate = e.text;
    Type t = Value(*e.args[0], inner);
    if (t.error()) return t;
    if (t.optional) {
      diags_.Report(DiagKind::PossiblyMissing, e.args[0]->span,
                    fmt::format("{}() over {}, which may be missing", e.text, Quoted(e.args[0]->span)),
                    fmt::format("say what a missing value counts as, e.g. {}({} ?? {})", e.text, Snippet(e.args[0]->span, "x"),
                                DefaultText(t.Required())));
      return Type{};
    }
    bool condition = id == Builtin::Count || id == Builtin::Any || id == Builtin::All || id == Builtin::CountOther ||
                     id == Builtin::AnyOther;
    if (condition) {
      if (!t.is(Base::Bool)) return Mismatch(e.args[0]->span, fmt::format("{} needs a condition", e.text), t, Base::Bool);
      return Type::Of((id == Builtin::Count || id == Builtin::CountOther) ? Base::Int : Base::Bool);
    }
    if (!t.is_numeric()) return Mismatch(e.args[0]->span, fmt::format("{} needs a number", e.text), t, Base::Number);
    return t;
  }

  // ---- group block and output -----------------------------------------------------------------

  void CheckGroup() {
    if (policy_.groups.empty()) return;
    auto& group = policy_.groups[0];
    auto it = names_.find(group.key.text);
    if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Field) {
      diags_.Report(DiagKind::BadGroupKey, group.key.span, fmt::format("'{}' is not an input field", group.key.text),
                    SuggestOrList(group.key.text, FieldNames(), "group by an input field of type string; the fields are"));
    } else if (!out_.symbols[it->second].type.is(Base::String)) {
      diags_.Report(DiagKind::BadGroupKey, group.key.span,
                    fmt::format("'{}' is {}, but a group key must be a string field", group.key.text,
                                TypeName(out_.symbols[it->second].type, out_.enums)),
                    "group by the field that names the corporate group, declared `string` or `string?`");
    } else {
      out_.symbols[it->second].used = true;
    }
    for (auto& stmt : group.stmts) {
      Scope scope;
      scope.group = true;
      if (stmt.kind == ast::GroupStmt::Let) {
        Type t = Value(*stmt.expr, scope);
        int s = Declare(SymbolKind::GroupLet, stmt.name, -1, group_names_);
        if (names_.count(stmt.name.text))
          diags_.Report(DiagKind::DuplicateName, stmt.name.span, fmt::format("'{}' is already declared", stmt.name.text),
                        "group values need names of their own");
        out_.symbols[s].type = t;
        out_.symbols[s].used = true;
        state_[s] = 2;
        out_.group_lets.push_back(s);
        continue;
      }
      out_.group_lets.push_back(-1);
      Condition(*stmt.expr, scope, "this group `when` condition");
      for (auto& action : stmt.actions) CheckAction(action, scope);
    }
  }

  void CheckAction(ast::GroupAction& action, Scope& scope) {
    if (action.kind == ast::GroupAction::Warn) {
      auto& codes = out_.warning_codes;
      if (std::find(codes.begin(), codes.end(), action.target.text) == codes.end()) {
        if (codes_.count(action.target.text))
          DeclareCode(action.target);  // reports the clash with a rule or characteristic code
        else
          codes_[action.target.text] = action.target.span;
        codes.push_back(action.target.text);
      }
      return;
    }
    auto it = names_.find(action.target.text);
    if (it == names_.end()) {
      std::string s = SuggestDeclared(action.target.text, false);
      diags_.Report(DiagKind::UnknownName, action.target.span, fmt::format("unknown name '{}'", action.target.text),
                    s.empty() ? "the group pass can set a record's `let` values and its decision" : s);
      return;
    }
    Symbol& target = out_.symbols[it->second];
    if (target.kind != SymbolKind::Let && target.kind != SymbolKind::Decision) {
      diags_.Report(DiagKind::BadSetTarget, action.target.span,
                    fmt::format("the group pass cannot change '{}'", action.target.text),
                    "it can set `let` values and the decision; input fields are facts");
      return;
    }
    target.used = true;
    Type t = Value(*action.value, scope, &target.type);
    Fit(t, target.type, action.value->span, fmt::format("'{}'", target.name));
    if (action.reason) {
      if (target.kind != SymbolKind::Decision)
        diags_.Report(DiagKind::BadSetTarget, action.reason->span,
                      fmt::format("only the decision has a reason (`because`), not '{}'", target.name),
                      "remove the `because`, or give the reason where the decision is set");
      Type r = Value(*action.reason, scope);
      RequireString(r, action.reason->span, "a decision reason");
    }
  }

  void CheckOutput() {
    if (policy_.outputs.empty()) {
      diags_.Report(DiagKind::MissingOutput, policy_.name.span, "the policy has no output block",
                    "list the output columns: output { customer_id, decision, ... }");
      return;
    }
    std::map<std::string, Span> seen;
    for (auto& item : policy_.outputs[0].items) {
      if (auto it = seen.find(item.name.text); it != seen.end())
        diags_.Report(DiagKind::DuplicateName, item.name.span, fmt::format("output column '{}' is listed twice", item.name.text),
                      "give the column its own header, e.g. `decision_reason = decision.reason`")
            .notes.push_back({it->second, "first listed here"});
      seen[item.name.text] = item.name.span;
      Scope scope;
      if (!item.value) {
        item.value = std::make_unique<Expr>();
        item.value->kind = ExprKind::NameRef;
        item.value->text = item.name.text;
        item.value->span = item.name.span;
      }
      Value(*item.value, scope);
    }
  }

  // A value, rule set, scorecard, band or table that nothing reads is usually a policy bug: a
  // knockout set the decision forgot, a scorecard whose score goes nowhere.
  void ReportUnused() {
    for (auto& sym : out_.symbols) {
      if (sym.used) continue;
      const char* what = sym.kind == SymbolKind::Let         ? "value"
                         : sym.kind == SymbolKind::RuleSet   ? "rule set"
                         : sym.kind == SymbolKind::Scorecard ? "scorecard"
                         : sym.kind == SymbolKind::Band      ? "band"
                         : sym.kind == SymbolKind::Table     ? "table"
                                                             : nullptr;
      if (!what) continue;
      diags_.Report(DiagKind::UnusedValue, sym.span, fmt::format("{} '{}' is never used", what, sym.name),
                    sym.kind == SymbolKind::RuleSet ? "test it in the decision (e.g. `" + sym.name + ".fired => ...`) or output its codes"
                                                    : "remove it, or use it in a rule, the decision or the output");
    }
  }

  ast::Policy& policy_;
  CheckedPolicy& out_;
  Diagnostics& diags_;
  std::map<std::string, int> enum_ids_;
  std::map<std::string, int> names_;        // record scope
  std::map<std::string, int> group_names_;  // group lets
  static constexpr size_t kMaxNameSearches = 100;
  std::map<std::pair<std::string, int>, std::string> suggestions_;  // SuggestDeclared's answers
  std::map<std::string, Span> codes_;
  static constexpr size_t kMaxResolveDepth = 64;  // symbols being resolved at once, in a cycle
  bool long_cycle_reported_ = false;
  std::vector<int> state_;                  // per symbol: 0 unchecked, 1 checking, 2 done
  std::vector<int> stack_;
  std::map<const ast::Table*, std::pair<std::vector<Type>, Type>> table_types_;  // keys, value
};

}  // namespace

std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                                  Diagnostics& diags) {
  CheckedPolicy out(std::move(policy));
  size_t errors = diags.error_count();
  Checker checker(*out.ast_, out, diags);
  checker.source_ = &source;
  checker.Run();
  if (diags.error_count() != errors) return std::nullopt;
  return out;
}

}  // namespace credo::check
