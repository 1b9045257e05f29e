// declarations.cc — declarations and name resolution: the symbol table (enums, input fields,
// values, codes, blocks), type names, what a scope may name, and "did you mean" suggestions.
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "compiler/base/spelling.h"

namespace credo::check {

namespace {

// Names from other languages that authors reach for, with what credo writes instead.
const std::map<std::string, std::string> kTypeAliases = {
    {"integer", "write `int`"},     {"long", "write `int`"},         {"float", "write `number`"},
    {"double", "write `number`"},   {"boolean", "write `bool`"},     {"text", "write `string`"},
    {"decimal", "write `money` for amounts (exact, 2 fraction digits), `decimal(N)` for N exact fraction digits "
                "(0 to 9), or `number` for ratios"},
    {"percentage", "write `percent`: a cell `12.5` or `12.5%` is the exact fraction 0.125"},
    {"datetime", "write `date`: credo has calendar days, not times"},
};

}  // namespace

std::string Suggest(const std::string& name, const std::vector<std::string>& candidates) {
  // Close enough to be a typo, and never a complete rewrite (`F` is no typo of `A`).
  int best = Closest(name, candidates, std::min(std::max<size_t>(2, name.size() / 3) + 1, name.size()));
  return best < 0 ? "" : fmt::format("did you mean '{}'?", candidates[size_t(best)]);
}

// A suggestion, or the list of every candidate when none is close.
std::string SuggestOrList(const std::string& name, const std::vector<std::string>& candidates, const char* what) {
  std::string s = Suggest(name, candidates);
  return s.empty() ? fmt::format("{} {}", what, fmt::join(candidates, ", ")) : s;
}

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int Checker::Declare(SymbolKind kind, const ast::Name& name, int decl, std::map<std::string, int>& table) {
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

void Checker::DeclareEnums() {
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
Type Checker::ResolveType(const ast::TypeRef& ref, bool allow_decimal) {
  static const std::map<std::string, Type> builtin = {
      {"bool", Type::Of(Base::Bool)},     {"int", Type::Of(Base::Int)},
      {"number", Type::Of(Base::Number)}, {"money", Type{Base::Decimal, 2, false, -1, true}},
      {"string", Type::Of(Base::String)}, {"date", Type::Of(Base::Date)}};
  Type t;
  if (ref.size >= 0 || ref.name.text == "percent") return SizedType(ref);
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

std::string Checker::UnknownTypeHint(const std::string& name) const {
  if (auto it = kTypeAliases.find(Lowercase(name)); it != kTypeAliases.end()) return it->second;
  std::vector<std::string> names = {"bool", "int", "number", "money", "percent", "string", "date"};
  for (auto& [n, _] : enum_ids_) names.push_back(n);
  std::string s = Suggest(name, names);
  return s.empty() ? "the types are bool, int, number, money, decimal(N), percent, string, date and declared enums" : s;
}

void Checker::DeclareInput() {
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
void Checker::CheckInputConditions() {
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
bool Checker::InScope(const Scope& scope, int s, Span use) {
  const Symbol& sym = out_.symbols[s];
  if (scope.row_of >= 0 && sym.kind != SymbolKind::RefField) {
    const auto& ref = policy_.references[scope.row_of];
    diags_.Report(DiagKind::RowExpressionScope, use,
                  fmt::format("an expression of a {} row may name only its fields, not '{}'", ref.name.text, sym.name),
                  "it is computed once per row when the reference is loaded: compare the aggregate with the record's "
                  "value outside, e.g. `max_of(R[k], limit - utilisation) > amount`");
    return false;
  }
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

std::vector<std::string> Checker::FieldNames() const {
  std::vector<std::string> names;
  for (int s : out_.field_symbols) names.push_back(out_.symbols[s].name);
  return names;
}

void Checker::DeclareCode(const ast::Name& code) {
  if (auto it = codes_.find(code.text); it != codes_.end()) {
    diags_.Report(DiagKind::DuplicateCode, code.span, fmt::format("code {} is already used", code.text),
                  "reason, rule and warning codes must be unique in a policy")
        .notes.push_back({it->second, "first used here"});
    return;
  }
  codes_[code.text] = code.span;
}

void Checker::DuplicateBlock(Span again, Span first, const char* block, const char* hint) {
  diags_.Report(DiagKind::DuplicateBlock, again, fmt::format("a policy has one {} block", block), hint)
      .notes.push_back({first, "the first one"});
}

void Checker::DeclareValues() {
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
  out_.scalings.resize(policy_.scorecards.size());
  for (size_t i = 0; i < policy_.bands.size(); ++i) Declare(SymbolKind::Band, policy_.bands[i].name, int(i), names_);
  for (size_t i = 0; i < policy_.tables.size(); ++i) Declare(SymbolKind::Table, policy_.tables[i].name, int(i), names_);
  out_.lookup_table_ids.assign(policy_.tables.size(), -1);
  for (size_t i = 0; i < policy_.decision_tables.size(); ++i) {
    Declare(SymbolKind::DecisionTable, policy_.decision_tables[i].name, int(i), names_);
    out_.decision_table_ids.push_back(int(out_.tables.size()));
    out_.tables.emplace_back();
    for (auto& r : policy_.decision_tables[i].rows) DeclareCode(r.code);
  }
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

// "did you mean ...?" among the declared names (and the group lets), or "". Each search
// reads every name, so a policy with many declarations and many unknown names would check in
// quadratic time: a name is searched once, and only the first kMaxNameSearches names are.
std::string Checker::SuggestDeclared(const std::string& name, bool with_group) {
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

Type Checker::NameRef(Expr& e, Scope& scope, const Type* hint) {
  if (Type t; RefFieldName(e, scope, t)) return t;  // references.cc: a reference field's own `where`
  if (Type t; ReuseNameRef(e, scope, t)) return t;  // a parameter, or a name a const or function may not use
  if (ConstAsLiteral(e)) return Infer(e, scope, hint);  // reuse.cc: `const MAX_DTI = 0.45` is the literal where used
  if (scope.group || scope.output)
    if (auto it = group_names_.find(e.text); it != group_names_.end()) {
      e.resolved.symbol = it->second;
      out_.symbols[it->second].used = true;
      Type t = out_.symbols[it->second].type;
      // In an output, a record in no group has no group values (docs/language.md, "Output").
      if (scope.output && !scope.group && group_key_optional_ && !t.error()) t.optional = true;
      if (t.optional && Present(scope, it->second)) t.optional = false;  // `if total is present then ...`
      return t;
    }
  if (auto it = names_.find(e.text); it != names_.end()) {
    int s = it->second;
    e.resolved.symbol = s;
    if (!InScope(scope, s, e.span)) return Type{};
    const Symbol& sym = out_.symbols[s];
    if (sym.kind == SymbolKind::Reference) {
      diags_.Report(DiagKind::ReferenceUse, e.span, fmt::format("'{}' is reference data, not a value by itself", e.text),
                    fmt::format("look a key up in it: {0}[KEY].FIELD, count({0}[KEY]), or `KEY in {0}`", e.text));
      return Type{};
    }
    if (sym.kind == SymbolKind::RuleSet || sym.kind == SymbolKind::Scorecard || sym.kind == SymbolKind::Table ||
        sym.kind == SymbolKind::DecisionTable) {
      const char* hint_text = sym.kind == SymbolKind::RuleSet ? "use one of its members: .fired, .first, .count, .codes"
                              : sym.kind == SymbolKind::Scorecard ? "use .score, .reason(1) or a characteristic's points"
                              : sym.kind == SymbolKind::DecisionTable ? "use an output (.NAME) or .row, .rows, .count, .matched"
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
  std::string suggestion = SuggestDeclared(e.text, scope.group || scope.output);
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

}  // namespace credo::check
