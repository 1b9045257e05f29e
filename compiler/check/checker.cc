#include "compiler/check/checker.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "compiler/check/bins.h"

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
};
const BuiltinInfo kBuiltins[] = {
    {"min", Builtin::Min, 2, -1},          {"max", Builtin::Max, 2, -1},
    {"abs", Builtin::Abs, 1, 1},           {"floor", Builtin::Floor, 1, 2},
    {"ceil", Builtin::Ceil, 1, 2},         {"round", Builtin::Round, 1, 2},
    {"round_half_even", Builtin::RoundHalfEven, 1, 2},
    {"number", Builtin::ToNumber, 1, 1},   {"days_between", Builtin::DaysBetween, 2, 2},
    {"date", Builtin::Date, 1, 1},         {"sum", Builtin::Sum, 1, 1},
    {"count", Builtin::Count, 1, 1},       {"any", Builtin::Any, 1, 1},
    {"all", Builtin::All, 1, 1},           {"min_of", Builtin::MinOf, 1, 1},
    {"max_of", Builtin::MaxOf, 1, 1},      {"count_other", Builtin::CountOther, 1, 1},
    {"any_other", Builtin::AnyOther, 1, 1},
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
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_distance) { best_distance = d; best = c; }
  }
  return best.empty() ? "" : fmt::format("did you mean '{}'?", best);
}

bool IsNumericLiteral(const Expr& e) {
  if (e.kind == ExprKind::Neg) return IsNumericLiteral(*e.args[0]);
  return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
}

// Where an expression is checked: what it may refer to and what is known to be present.
struct Scope {
  bool group = false;          // inside the group block: aggregates and group lets visible
  bool in_aggregate = false;
  int field_only = -1;         // a field's `where`: only this symbol may be named
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
    for (size_t s = 0; s < out_.symbols.size(); ++s) Resolve(static_cast<int>(s));
    CheckGroup();
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
    for (const auto& e : policy_.enums) {
      if (seen.count(e.name.text)) {
        diags_.Report(DiagKind::DuplicateName, e.name.span, fmt::format("enum '{}' is already declared", e.name.text));
        continue;
      }
      seen[e.name.text] = static_cast<int>(out_.enums.size());
      EnumInfo info{e.name.text, {}};
      std::set<std::string> values;
      for (const auto& v : e.values) {
        if (!values.insert(v.text).second)
          diags_.Report(DiagKind::DuplicateName, v.span, fmt::format("'{}' appears twice in enum {}", v.text, e.name.text));
        else
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
      std::vector<std::string> names = {"bool", "int", "number", "money", "string", "date"};
      for (auto& [n, _] : enum_ids_) names.push_back(n);
      diags_.Report(DiagKind::UnknownType, ref.name.span, fmt::format("unknown type '{}'", ref.name.text),
                    Suggest(ref.name.text, names).empty()
                        ? "the types are bool, int, number, money, string, date and declared enums"
                        : Suggest(ref.name.text, names));
      return Type{};
    }
    return t.Optional(ref.optional);
  }

  void DeclareInput() {
    if (policy_.inputs.size() != 1) {
      Span at = policy_.inputs.empty() ? policy_.name.span : policy_.inputs[1].name.span;
      diags_.Report(DiagKind::InputDeclaration, at,
                    policy_.inputs.empty() ? "the policy has no input declaration" : "the policy declares a second input",
                    "declare the record layout once: input Application { field: type ... }");
      if (policy_.inputs.empty()) return;
    }
    auto& input = policy_.inputs[0];
    for (size_t f = 0; f < input.fields.size(); ++f) {
      auto& field = input.fields[f];
      int id = Declare(SymbolKind::Field, field.name, static_cast<int>(f), names_);
      out_.symbols[id].type = ResolveType(field.type);
      if (out_.symbols[id].type.is(Base::Codes)) out_.symbols[id].type = Type{};
      state_[id] = 2;
      out_.field_symbols.push_back(id);
    }
    for (size_t f = 0; f < input.fields.size(); ++f) {
      auto& field = input.fields[f];
      if (!field.where) continue;
      Scope scope;
      scope.field_only = out_.field_symbols[f];
      scope.present.push_back(scope.field_only);
      Condition(*field.where, scope, "a field's `where` condition");
    }
    for (auto& u : input.unique) {
      auto it = names_.find(u.text);
      if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Field)
        diags_.Report(DiagKind::UnknownName, u.span, fmt::format("'{}' is not an input field", u.text),
                      Suggest(u.text, FieldNames()));
    }
    for (auto& check : input.checks) {
      Scope scope;
      Condition(*check.condition, scope, "an input check");
      for (int s : Referenced(*check.condition))
        if (out_.symbols[s].kind != SymbolKind::Field)
          diags_.Report(DiagKind::FieldCheckScope, check.condition->span,
                        fmt::format("an input check may use only input fields, not '{}'", out_.symbols[s].name),
                        "input checks run before the policy is evaluated");
    }
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
        diags_.Report(DiagKind::DuplicateBlock, policy_.decisions[i].span, "a policy has one decision block");
        continue;
      }
      out_.decision_symbol = Declare(SymbolKind::Decision, policy_.decisions[i].name, int(i), names_);
    }
    for (size_t i = 1; i < policy_.warnings.size(); ++i)
      diags_.Report(DiagKind::DuplicateBlock, policy_.warnings[i].span, "a policy has one warnings block",
                    "list every warning in the same block");
    for (size_t i = 1; i < policy_.groups.size(); ++i)
      diags_.Report(DiagKind::DuplicateBlock, policy_.groups[i].span, "a policy has one group block");
    for (size_t i = 1; i < policy_.outputs.size(); ++i)
      diags_.Report(DiagKind::DuplicateBlock, policy_.outputs[i].span, "a policy has one output block");
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
    Resolve(s);
    out_.symbols[s].used = true;
    return out_.symbols[s].type;
  }

  Type CheckLet(ast::LetDecl& let) {
    Scope scope;
    Type t = Value(*let.value, scope);
    if (!let.type || t.error()) return t;
    Type declared = ResolveType(*let.type);
    if (declared.error()) return t;
    return Fit(t, declared, let.value->span, fmt::format("'{}'", let.name.text));
  }

  // Checks that a value of type `t` can be stored as `declared`; returns the stored type.
  Type Fit(Type t, Type declared, Span span, const std::string& what) {
    if (t.error() || declared.error()) return declared;
    if (t.optional && !declared.optional) {
      diags_.Report(DiagKind::PossiblyMissing, span,
                    fmt::format("{} is declared {} but the value may be missing", what, TypeName(declared, out_.enums)),
                    "declare it optional (`?`) or say what missing means, e.g. `?? 0`");
      return declared;
    }
    bool ok = t.same_value_type(declared) || t.is(Base::Missing) ||
              (t.is(Base::Int) && (declared.is(Base::Decimal) || declared.is(Base::Number))) ||
              (t.is(Base::Decimal) && declared.is(Base::Decimal) && t.scale <= declared.scale);
    if (!ok)
      diags_.Report(DiagKind::DeclaredTypeMismatch, span,
                    fmt::format("{} is declared {} but the value is {}", what, TypeName(declared, out_.enums),
                                TypeName(t, out_.enums)),
                    "change the declared type or convert the value");
    return declared;
  }

  Type CheckRuleSet(ast::RuleSet& set) {
    for (auto& rule : set.rules) {
      Scope scope;
      Condition(*rule.when, scope, fmt::format("rule {}", rule.code.text));
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

  // Checks the tests of `bins` against the subject type; `order` for numeric coverage.
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
    if (e.op == ast::BinaryOp::Gt || e.op == ast::BinaryOp::Ge) {
      domain.bounded_below = true;
      domain.bounds.lo = v;
      domain.bounds.lo_closed = e.op == ast::BinaryOp::Ge;
    } else {
      domain.bounded_above = true;
      domain.bounds.hi = v;
      domain.bounds.hi_closed = e.op == ast::BinaryOp::Le;
    }
  }

  void CheckBinTests(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span, BinOrder order,
                     const Expr* subject_expr = nullptr) {
    bool has_missing = false;
    for (auto& bin : bins)
      for (auto& test : bin.tests) {
        if (test.kind != ast::BinTest::Missing) continue;
        has_missing = true;
        if (!subject.optional && !subject.error())
          diags_.Report(DiagKind::MissingBinUnreachable, test.span, "this `missing` bin is unreachable: the value is never missing",
                        "remove the `missing` bin");
      }
    if (subject.optional && !has_missing)
      diags_.Report(DiagKind::MissingBinRequired, subject_span,
                    fmt::format("the value may be missing ({}) but no bin says what missing means", TypeName(subject, out_.enums)),
                    "add a bin `missing => ...`");
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
      NumericDomain domain{subject.is(Base::Decimal) ? subject.scale : 0, subject.is(Base::Number)};
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
    Span else_span;
    for (auto& bin : bins)
      for (auto& test : bin.tests) {
        if (test.kind == ast::BinTest::Missing) continue;
        if (test.kind == ast::BinTest::Else) { has_else = true; else_span = test.span; continue; }
        if (test.kind != ast::BinTest::Value) {
          diags_.Report(DiagKind::BinKindMismatch, test.span,
                        fmt::format("intervals and comparisons need a number; the value is {}", TypeName(subject, out_.enums)),
                        "list the categories, e.g. `retail, services => 5`");
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
          continue;
        }
        if (subject.is(Base::Enum)) {
          const auto& values = out_.enums[subject.enum_id].values;
          if (std::find(values.begin(), values.end(), key) == values.end()) {
            diags_.Report(DiagKind::UnknownEnumValue, test.span,
                          fmt::format("'{}' is not a value of {}", key, out_.enums[subject.enum_id].name),
                          Suggest(key, values).empty() ? fmt::format("the values are {}", fmt::join(values, ", ")) : Suggest(key, values));
            continue;
          }
        }
        if (auto it = seen.find(key); it != seen.end()) {
          diags_.Report(DiagKind::DuplicateKey, test.span, fmt::format("'{}' is already in a bin", test.value.text),
                        "each category belongs to one bin")
              .notes.push_back({it->second, "first listed here"});
          continue;
        }
        seen[key] = test.span;
      }
    std::vector<std::string> uncovered;
    if (subject.is(Base::Enum)) {
      for (auto& v : out_.enums[subject.enum_id].values)
        if (!seen.count(v)) uncovered.push_back(v);
    } else if (subject.is(Base::Bool)) {
      for (const char* v : {"true", "false"})
        if (!seen.count(v)) uncovered.push_back(v);
    } else {
      uncovered.push_back("any other text");
    }
    if (!has_else && !uncovered.empty())
      diags_.Report(DiagKind::BinGap, subject_span,
                    fmt::format("the bins do not cover every value: {} falls in no bin", uncovered.front()),
                    fmt::format("add bins for {} or an `else` bin", fmt::join(uncovered, ", ")));
    if (has_else && uncovered.empty())
      diags_.Report(DiagKind::UnreachableBin, else_span, "this `else` bin is unreachable: the other bins cover every value",
                    "remove the `else` bin");
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
                    "write the points as a number, e.g. -25");
    return false;
  }

  // A constant: literal, negated literal or enum value (with `hint` naming the enum).
  Type Constant(Expr& e, const Type* hint) {
    bool literal = IsNumericLiteral(e) || e.kind == ExprKind::StringLit || e.kind == ExprKind::BoolLit ||
                   (e.kind == ExprKind::NameRef && !names_.count(e.text));
    if (!literal) {
      diags_.Report(DiagKind::NotConstant, e.span, "this must be a constant",
                    "write a literal (number, \"text\", true/false) or an enum value");
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
      Type t = Constant(*bin.result, band.type ? &declared : nullptr);
      if (t.error()) continue;
      if (band.type) {
        Fit(t, declared, bin.result->span, fmt::format("band {}", band.name.text));
      } else {
        result = first ? t : Unify(result, t, bin.result->span, "the band's values");
        first = false;
      }
    }
    return result;
  }

  Type CheckTable(ast::Table& table) {
    Type key = ResolveType(table.key);
    Type value = ResolveType(table.value, true);
    if (!key.error() && !key.is(Base::Enum)) {
      diags_.Report(DiagKind::TypeMismatch, table.key.name.span, "a table's key must be an enum",
                    "declare an enum for the keys");
      key = Type{};
    }
    std::map<std::string, Span> seen;
    bool has_else = false;
    int scale = 0;
    for (auto& entry : table.entries) {
      if (entry.keys.empty()) has_else = true;
      for (auto& k : entry.keys) {
        if (key.error()) break;
        const auto& values = out_.enums[key.enum_id].values;
        if (std::find(values.begin(), values.end(), k.text) == values.end()) {
          diags_.Report(DiagKind::UnknownEnumValue, k.span,
                        fmt::format("'{}' is not a value of {}", k.text, out_.enums[key.enum_id].name), Suggest(k.text, values));
        } else if (auto it = seen.find(k.text); it != seen.end()) {
          diags_.Report(DiagKind::DuplicateKey, k.span, fmt::format("key '{}' is listed twice", k.text))
              .notes.push_back({it->second, "first listed here"});
        } else {
          seen[k.text] = k.span;
        }
      }
      Type t = Constant(*entry.value, value.is(Base::Enum) ? &value : nullptr);
      if (t.is(Base::Decimal)) scale = std::max<int>(scale, t.scale);
      if (value.is(Base::Decimal) && value.scale < 0) {
        if (!t.error() && !t.is_exact())
          diags_.Report(DiagKind::DeclaredTypeMismatch, entry.value->span,
                        fmt::format("table {} holds decimals but this value is {}", table.name.text, TypeName(t, out_.enums)));
      } else if (!value.error()) {
        Fit(t, value, entry.value->span, fmt::format("table {}", table.name.text));
      }
    }
    if (value.is(Base::Decimal) && value.scale < 0) value.scale = static_cast<int8_t>(scale);
    if (!key.error() && !has_else) {
      std::vector<std::string> absent;
      for (auto& v : out_.enums[key.enum_id].values)
        if (!seen.count(v)) absent.push_back(v);
      if (!absent.empty())
        diags_.Report(DiagKind::TableIncomplete, table.name.span,
                      fmt::format("table {} has no entry for {}", table.name.text, fmt::join(absent, ", ")),
                      "add the missing keys or an `else` entry");
    }
    table_types_[&table] = {key, value};
    return value;
  }

  Type CheckDecision(ast::Decision& d) {
    Type type = ResolveType(d.type);
    if (!type.error() && !type.is(Base::Enum)) {
      diags_.Report(DiagKind::TypeMismatch, d.type.name.span, "a decision's outcomes must be an enum",
                    "declare e.g. enum Decision { APPROVE, REFER, DECLINE }");
      type = Type{};
    }
    type.optional = false;
    bool after_else = false;
    std::map<std::string, Span> conditions;
    for (auto& arm : d.arms) {
      if (after_else)
        diags_.Report(DiagKind::UnreachableArm, arm.span, "this arm is unreachable: it comes after `else`",
                      "`else` must be the last arm");
      if (arm.condition) {
        Scope scope;
        Condition(*arm.condition, scope, "a decision arm");
        std::string text(source_text(arm.condition->span));
        if (auto it = conditions.find(text); it != conditions.end())
          diags_.Report(DiagKind::UnreachableArm, arm.condition->span, "this arm is unreachable: an earlier arm has the same condition",
                        "remove it or change its condition")
              .notes.push_back({it->second, "the earlier arm"});
        else
          conditions[text] = arm.condition->span;
      } else {
        after_else = true;
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
      diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{} must be a string, not {}", what, TypeName(t, out_.enums)));
    else if (t.optional)
      diags_.Report(DiagKind::PossiblyMissing, span, fmt::format("{} may be missing", what), "add `?? \"\"`");
  }

  Type CheckWarnings() {
    if (!policy_.warnings.empty())
      for (auto& w : policy_.warnings[0].warnings) {
        Scope scope;
        Condition(*w.when, scope, fmt::format("warning {}", w.code.text));
      }
    return Type::Of(Base::Codes);
  }

  std::string_view source_text(Span span) const { return source_ ? source_->Slice(span) : std::string_view(); }

 public:
  const SourceFile* source_ = nullptr;

 private:
  // ---- expressions ----------------------------------------------------------------------------

  // A condition: bool, never missing.
  void Condition(Expr& e, Scope& scope, const std::string& what) {
    Type t = Value(e, scope);
    if (t.error()) return;
    if (!t.is(Base::Bool)) {
      diags_.Report(DiagKind::ConditionNotBool, e.span, fmt::format("{} must be a condition (bool), not {}", what, TypeName(t, out_.enums)),
                    "compare the value, e.g. `x > 0`");
    } else if (t.optional) {
      diags_.Report(DiagKind::ConditionMayBeMissing, e.span,
                    fmt::format("{} may be missing: it uses a value that may be missing", what),
                    "say what missing means: `(...) ?? false`, or test `x is present and ...`");
    }
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
        if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "'-' needs a number", t);
        return t;
      }
      case ExprKind::Not: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.is(Base::Bool)) return Mismatch(e.span, "'not' needs a bool", t);
        return t;
      }
      case ExprKind::Binary: return Binary(e, scope);
      case ExprKind::And:
      case ExprKind::Or: {
        Type a = Value(*e.args[0], scope);
        Scope right = With(scope, Facts(*e.args[0], e.kind == ExprKind::And));
        Type b = Value(*e.args[1], right);
        const char* op = e.kind == ExprKind::And ? "and" : "or";
        if (!a.error() && !a.is(Base::Bool)) return Mismatch(e.args[0]->span, fmt::format("'{}' needs bool operands", op), a);
        if (!b.error() && !b.is(Base::Bool)) return Mismatch(e.args[1]->span, fmt::format("'{}' needs bool operands", op), b);
        if (a.error() || b.error()) return Type{};
        return Type::Of(Base::Bool, a.optional || b.optional);
      }
      case ExprKind::Coalesce: {
        Type a = Value(*e.args[0], scope, hint);
        Type b = Value(*e.args[1], scope, a.is(Base::Enum) ? &a : hint);
        if (a.error() || b.error()) return Type{};
        if (!a.optional)
          diags_.Report(DiagKind::AlwaysPresent, e.args[0]->span, "this value is never missing, so `??` has no effect",
                        "remove the `?? ...`");
        Type t = Unify(a.Required(), b, e.span, "the two sides of '??'");
        t.optional = b.optional;
        return t;
      }
      case ExprKind::IsMissing: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.optional)
          diags_.Report(DiagKind::AlwaysPresent, e.span, "this value is never missing, so the test is always the same",
                        "remove the test");
        return Type::Of(Base::Bool);
      }
      case ExprKind::In: {
        Type subject = Value(*e.args[0], scope);
        for (size_t i = 1; i < e.args.size(); ++i) {
          Type t = Value(*e.args[i], scope, subject.is(Base::Enum) ? &subject : nullptr);
          if (!subject.error() && !t.error()) Comparable(subject, t, *e.args[0], *e.args[i], e.span, false);
        }
        return Type::Of(Base::Bool, subject.optional);
      }
      case ExprKind::If: {
        Condition(*e.args[0], scope, "an `if` condition");
        Scope then_scope = With(scope, Facts(*e.args[0], true));
        Scope else_scope = With(scope, Facts(*e.args[0], false));
        Type a = Value(*e.args[1], then_scope, hint);
        Type b = Value(*e.args[2], else_scope, a.is(Base::Enum) ? &a : hint);
        if (a.error() || b.error()) return Type{};
        return Unify(a, b, e.span, "the two branches of `if`");
      }
    }
    return Type{};
  }

  Type Mismatch(Span span, const std::string& message, const Type& got) {
    diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{}, but this is {}", message, TypeName(got, out_.enums)));
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
      if (scope.field_only >= 0 && s != scope.field_only) {
        diags_.Report(DiagKind::FieldCheckScope, e.span,
                      fmt::format("a field's `where` may use only the field itself, not '{}'", e.text),
                      "move a condition over several fields to an input `check ... else \"reason\"`");
        return Type{};
      }
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
      diags_.Report(DiagKind::UnknownName, e.span, fmt::format("'{}' is a value of several enums; which one is unclear here", e.text),
                    "compare it with a value of the enum you mean, e.g. `grade == A`");
      return Type{};
    }
    std::vector<std::string> candidates;
    for (auto& [n, _] : names_) candidates.push_back(n);
    if (scope.group)
      for (auto& [n, _] : group_names_) candidates.push_back(n);
    std::string suggestion = Suggest(e.text, candidates);
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
      diags_.Report(DiagKind::UnknownMember, e.member.span, fmt::format("a value of type {} has no member '{}'", TypeName(t, out_.enums), m));
      return Type{};
    }
    base.resolved.symbol = s;
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
        diags_.Report(DiagKind::WrongArgumentCount, e.span, fmt::format("'{}' is not a function", m));
    };
    if (sym.kind == SymbolKind::RuleSet) {
      no_call();
      auto& set_decl = policy_.rule_sets[sym.decl];
      if (m == "fired") return set(MemberKind::RulesFired, -1, Type::Of(Base::Bool));
      if (m == "first") return set(MemberKind::RulesFirst, -1, Type::Of(Base::String));
      if (m == "count") return set(MemberKind::RulesCount, -1, Type::Of(Base::Int));
      if (m == "codes") return set(MemberKind::RulesCodes, -1, Type::Of(Base::Codes));
      for (size_t r = 0; r < set_decl.rules.size(); ++r)
        if (set_decl.rules[r].code.text == m) return set(MemberKind::RuleHit, int(r), Type::Of(Base::Bool));
      std::vector<std::string> options = {"fired", "first", "count", "codes"};
      for (auto& r : set_decl.rules) options.push_back(r.code.text);
      return UnknownMember(e, options);
    }
    if (sym.kind == SymbolKind::Scorecard) {
      auto& card = policy_.scorecards[sym.decl];
      if (m == "score") { no_call(); return set(MemberKind::ScoreTotal, -1, Type::Of(Base::Int)); }
      if (m == "reason") {
        if (call_args != 1) {
          diags_.Report(DiagKind::WrongArgumentCount, e.span, "reason takes one argument: the rank, from 1",
                        "e.g. sme.reason(1)");
          return Type{};
        }
        Expr& rank = *e.args[1];
        int limit = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
        if (rank.kind != ExprKind::IntLit) {
          diags_.Report(DiagKind::NotConstant, rank.span, "the reason rank must be a constant", "e.g. sme.reason(1)");
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
    if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Table) {
      diags_.Report(DiagKind::BadIndex, base.span, "only tables can be indexed", "declare a table: table t: Key -> type { ... }");
      return Type{};
    }
    base.resolved.symbol = it->second;
    Type value = UseSymbol(it->second, base.span);
    auto& table = policy_.tables[out_.symbols[it->second].decl];
    Type key = table_types_.count(&table) ? table_types_[&table].first : Type{};
    Type k = Value(*e.args[1], scope, key.error() ? nullptr : &key);
    if (k.error() || key.error()) return value;
    if (!k.same_value_type(key)) {
      diags_.Report(DiagKind::BadIndex, e.args[1]->span,
                    fmt::format("table {} is keyed by {}, not {}", table.name.text, TypeName(key, out_.enums), TypeName(k, out_.enums)));
      return Type{};
    }
    return value.Optional(k.optional);
  }

  // Numeric operands mixed: the common type, or an error for exact × binary mixes.
  Type Numeric(Type a, const Expr& ea, Type b, const Expr& eb, Span span, const char* what) {
    bool optional = a.optional || b.optional;
    if (a.is(Base::Number) || b.is(Base::Number)) {
      const Type& other = a.is(Base::Number) ? b : a;
      const Expr& other_expr = a.is(Base::Number) ? eb : ea;
      if (other.is(Base::Decimal) && !IsNumericLiteral(other_expr)) {
        diags_.Report(DiagKind::InexactMoney, span,
                      fmt::format("{} mixes exact {} with a binary number", what, TypeName(other, out_.enums)),
                      "exact values stay exact: convert on purpose with number(x), or keep both sides exact");
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
    if (e.op >= Op::Lt) return Comparable(a, b, *e.args[0], *e.args[1], e.span, e.op <= Op::Ge) ? Type::Of(Base::Bool, a.optional || b.optional) : Type{};
    static const char* names[] = {"'+'", "'-'", "'*'", "'/'"};
    const char* what = names[static_cast<int>(e.op)];
    if (a.is(Base::Date) && b.is(Base::Date) && e.op == Op::Sub) return Type::Of(Base::Int, a.optional || b.optional);
    if (a.is(Base::Date) && b.is(Base::Int) && (e.op == Op::Add || e.op == Op::Sub)) return Type::Of(Base::Date, a.optional || b.optional);
    if (!a.is_numeric()) return Mismatch(e.args[0]->span, fmt::format("{} needs numbers", what), a);
    if (!b.is_numeric()) return Mismatch(e.args[1]->span, fmt::format("{} needs numbers", what), b);
    Type t = Numeric(a, *e.args[0], b, *e.args[1], e.span, what);
    if (t.error()) return t;
    if (e.op == Op::Div) {
      bool nonzero_constant = IsNumericLiteral(*e.args[1]) && e.args[1]->int_value != 0 &&
                              !(e.args[1]->kind == ExprKind::Neg && e.args[1]->args[0]->int_value == 0);
      return Type::Of(Base::Number, t.optional || !nonzero_constant);
    }
    if (e.op == Op::Mul && t.is(Base::Decimal)) {
      int scale = (a.is(Base::Decimal) ? a.scale : 0) + (b.is(Base::Decimal) ? b.scale : 0);
      if (scale > 9) {
        diags_.Report(DiagKind::ScaleTooLarge, e.span,
                      fmt::format("this exact product has {} fraction digits; at most 9 are kept exactly", scale),
                      "round an operand first, e.g. round(x, 0.01)");
        return Type{};
      }
      t.scale = static_cast<int8_t>(scale);
    }
    return t;
  }

  bool Comparable(const Type& a, const Type& b, const Expr& ea, const Expr& eb, Span span, bool ordering) {
    auto fail = [&](const std::string& why) {
      diags_.Report(DiagKind::NotComparable, span,
                    fmt::format("cannot compare {} with {}{}", TypeName(a, out_.enums), TypeName(b, out_.enums), why));
      return false;
    };
    if (a.is(Base::Missing) || b.is(Base::Missing))
      return fail(": use `is missing` to test for a missing value");
    if (a.is_numeric() && b.is_numeric()) return !Numeric(a, ea, b, eb, span, "this comparison").error();
    if (a.base != b.base || a.enum_id != b.enum_id) return fail("");
    if (a.is(Base::Codes)) return fail(": codes can only be output");
    if (ordering && !a.is(Base::Date))
      return fail(": only numbers and dates have an order; test equality with == or `in [...]`");
    return true;
  }

  Type Unify(Type a, Type b, Span span, const char* what) {
    if (a.error() || b.error()) return Type{};
    bool optional = a.optional || b.optional;
    if (a.is(Base::Missing)) return b.Optional(true);
    if (b.is(Base::Missing)) return a.Optional(true);
    if (a.same_value_type(b)) return a.Optional(optional);
    if (a.is_exact() && b.is_exact()) return Type::Dec(std::max(a.scale, b.scale), optional);
    if (a.is_numeric() && b.is_numeric() && !(a.is(Base::Decimal) || b.is(Base::Decimal)))
      return Type::Of(Base::Number, optional);
    diags_.Report(DiagKind::TypeMismatch, span,
                  fmt::format("{} have different types: {} and {}", what, TypeName(a, out_.enums), TypeName(b, out_.enums)),
                  "make both the same type");
    return Type{};
  }

  Type Call(Expr& e, Scope& scope) {
    const BuiltinInfo* info = nullptr;
    for (const auto& b : kBuiltins)
      if (e.text == b.name) info = &b;
    if (!info) {
      std::vector<std::string> names;
      for (const auto& b : kBuiltins) names.push_back(b.name);
      std::string s = Suggest(e.text, names);
      diags_.Report(DiagKind::UnknownFunction, e.member.span, fmt::format("unknown function '{}'", e.text),
                    s.empty() ? "see the function table in docs/language.md" : s);
      return Type{};
    }
    e.resolved.index = static_cast<int>(info->id);
    int n = static_cast<int>(e.args.size());
    if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
      std::string expected = info->max_args < 0 ? fmt::format("at least {}", info->min_args)
                             : info->min_args == info->max_args ? std::to_string(info->min_args)
                                                                : fmt::format("{} or {}", info->min_args, info->max_args);
      diags_.Report(DiagKind::WrongArgumentCount, e.span, fmt::format("{} takes {} arguments, not {}", e.text, expected, n));
      return Type{};
    }
    if (IsAggregate(info->id)) return Aggregate(e, info->id, scope);
    switch (info->id) {
      case Builtin::Min:
      case Builtin::Max: {
        Type t = Value(*e.args[0], scope);
        for (int i = 1; i < n && !t.error(); ++i) {
          Type u = Value(*e.args[i], scope);
          if (u.error()) return u;
          if (!t.is_numeric() || !u.is_numeric()) {
            if (!(t.is(Base::Date) && u.is(Base::Date)))
              return Mismatch(e.span, fmt::format("{} needs numbers or dates", e.text), t.is_numeric() ? u : t);
            t = t.Optional(t.optional || u.optional);
            continue;
          }
          t = Numeric(t, *e.args[i - 1], u, *e.args[i], e.span, e.text.c_str());
        }
        return t;
      }
      case Builtin::Abs: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "abs needs a number", t);
        return t;
      }
      case Builtin::ToNumber: {
        Type t = Value(*e.args[0], scope);
        if (!t.error() && !t.is_numeric()) return Mismatch(e.span, "number() needs a number", t);
        return Type::Of(Base::Number, t.optional);
      }
      case Builtin::DaysBetween: {
        Type a = Value(*e.args[0], scope), b = Value(*e.args[1], scope);
        if (!a.error() && !a.is(Base::Date)) return Mismatch(e.args[0]->span, "days_between needs dates", a);
        if (!b.error() && !b.is(Base::Date)) return Mismatch(e.args[1]->span, "days_between needs dates", b);
        return Type::Of(Base::Int, a.optional || b.optional);
      }
      case Builtin::Date: {
        Expr& arg = *e.args[0];
        if (arg.kind != ExprKind::StringLit) {
          diags_.Report(DiagKind::NotConstant, arg.span, "date() takes a constant \"YYYY-MM-DD\"");
          return Type{};
        }
        arg.type = Type::Of(Base::String);
        int y, m, d;
        char tail;
        if (std::sscanf(arg.text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || arg.text.size() != 10 || m < 1 ||
            m > 12 || d < 1 || d > 31) {
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
    if (e.args.size() == 2) {
      Expr& unit = *e.args[1];
      Value(unit, scope);
      bool positive = (unit.kind == ExprKind::IntLit || unit.kind == ExprKind::DecimalLit) && unit.int_value > 0;
      if (!positive) {
        diags_.Report(DiagKind::BadRoundingUnit, unit.span, "the rounding unit must be a positive constant",
                      "e.g. floor(x, 1_000.00) rounds down to a multiple of 1000.00");
        return Type{};
      }
      unit_scale = unit.kind == ExprKind::DecimalLit ? unit.scale : 0;
    }
    // An exact quotient inside a rounding is computed exactly (a rational), not as a double.
    if (x.kind == ExprKind::Binary && x.op == ast::BinaryOp::Div) {
      Type n = Value(*x.args[0], scope), d = Value(*x.args[1], scope);
      if (n.error() || d.error()) return Type{};
      if (n.is_exact() && d.is_exact()) {
        x.resolved.exact_quotient = true;
        x.type = Type::Of(Base::Number, true);
        return ExactRounded(unit_scale, true);
      }
      x.type = Infer(x, scope, nullptr);  // an ordinary (binary) division; re-check as such
      Type t = x.type;
      return t.error() ? t : ExactRounded(unit_scale, t.optional);
    }
    Type t = Value(x, scope);
    if (t.error()) return t;
    if (!t.is_numeric()) return Mismatch(x.span, fmt::format("{} needs a number", e.text), t);
    // The result has the unit's precision: floor(x, 1_000.00) is money, floor(x) an int.
    return ExactRounded(unit_scale, t.optional);
  }

  Type ExactRounded(int scale, bool optional) {
    return scale == 0 ? Type::Of(Base::Int, optional) : Type::Dec(scale, optional);
  }

  Type Aggregate(Expr& e, Builtin id, Scope& scope) {
    if (!scope.group) {
      diags_.Report(DiagKind::AggregateOutsideGroup, e.span, fmt::format("{} aggregates over a group's members", e.text),
                    "use it inside `group by ... { }`");
      return Type{};
    }
    if (scope.in_aggregate) {
      diags_.Report(DiagKind::NestedAggregate, e.span, "an aggregate cannot be inside another aggregate",
                    "compute the inner aggregate in a group `let` first");
      return Type{};
    }
    Scope inner = scope;
    inner.in_aggregate = true;
    Type t = Value(*e.args[0], inner);
    if (t.error()) return t;
    if (t.optional) {
      diags_.Report(DiagKind::PossiblyMissing, e.args[0]->span, fmt::format("{} over a value that may be missing", e.text),
                    "say what missing means, e.g. `?? 0`");
      return Type{};
    }
    bool condition = id == Builtin::Count || id == Builtin::Any || id == Builtin::All || id == Builtin::CountOther ||
                     id == Builtin::AnyOther;
    if (condition) {
      if (!t.is(Base::Bool)) return Mismatch(e.args[0]->span, fmt::format("{} needs a condition", e.text), t);
      return Type::Of((id == Builtin::Count || id == Builtin::CountOther) ? Base::Int : Base::Bool);
    }
    if (!t.is_numeric()) return Mismatch(e.args[0]->span, fmt::format("{} needs a number", e.text), t);
    return t;
  }

  // Symbols an expression names (after checking).
  std::vector<int> Referenced(const Expr& e) const {
    std::vector<int> out;
    if (e.kind == ExprKind::NameRef && e.resolved.symbol >= 0) out.push_back(e.resolved.symbol);
    for (const auto& a : e.args) {
      auto more = Referenced(*a);
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }

  // ---- group block and output -----------------------------------------------------------------

  void CheckGroup() {
    if (policy_.groups.empty()) return;
    auto& group = policy_.groups[0];
    auto it = names_.find(group.key.text);
    if (it == names_.end() || out_.symbols[it->second].kind != SymbolKind::Field ||
        !out_.symbols[it->second].type.is(Base::String)) {
      diags_.Report(DiagKind::BadGroupKey, group.key.span, fmt::format("'{}' is not a string input field", group.key.text),
                    "group by an input field of type string (or string?), e.g. group_id");
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
      Condition(*stmt.expr, scope, "a group `when`");
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
      diags_.Report(DiagKind::UnknownName, action.target.span, fmt::format("unknown name '{}'", action.target.text));
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
        diags_.Report(DiagKind::BadSetTarget, action.reason->span, "only a decision has a reason (`because`)");
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
        diags_.Report(DiagKind::DuplicateName, item.name.span, fmt::format("output column '{}' is listed twice", item.name.text))
            .notes.push_back({it->second, "first listed here"});
      seen[item.name.text] = item.name.span;
      Scope scope;
      if (!item.value) {
        item.value = std::make_unique<Expr>();
        item.value->kind = ExprKind::NameRef;
        item.value->text = item.name.text;
        item.value->span = item.name.span;
      }
      Type t = Value(*item.value, scope);
      (void)t;
    }
  }

  void ReportUnused() {
    for (auto& sym : out_.symbols)
      if (sym.kind == SymbolKind::Let && !sym.used)
        diags_.Report(DiagKind::UnusedValue, sym.span, fmt::format("'{}' is never used", sym.name),
                      "remove it, or use it in a rule, the decision or the output");
  }

  ast::Policy& policy_;
  CheckedPolicy& out_;
  Diagnostics& diags_;
  std::map<std::string, int> enum_ids_;
  std::map<std::string, int> names_;        // record scope
  std::map<std::string, int> group_names_;  // group lets
  std::map<std::string, Span> codes_;
  std::vector<int> state_;                  // per symbol: 0 unchecked, 1 checking, 2 done
  std::vector<int> stack_;
  std::map<const ast::Table*, std::pair<Type, Type>> table_types_;
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
