// checker.cc — the checker's driver: `Check`, the order of its passes, symbols resolved on demand
// in dependency order, the output block and unused values. The other passes are in the files
// listed in checker_impl.h.
#include "compiler/check/checker.h"

#include <algorithm>

#include <fmt/format.h>

#include "compiler/check/checker_impl.h"
#include "compiler/check/dependencies.h"

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

void Checker::Run() {
  DeclareEnums();
  DeclareInput();
  DeclareReferences();
  DeclareValues();
  DeclareFunctions();
  ConstsInBins();  // before any bin is checked: a const that is a literal stands for it there
  CheckInputConditions();  // after every name is known, so a misplaced `let` is named as such
  CheckReferenceConditions();
  // Dependencies first, so that checking a value does not recurse into the values it names;
  // the values that reach a cycle then in declaration order, where the cycle is reported.
  for (int s : OrderByDependencies(policy_, out_.symbols, names_).acyclic) Resolve(s);
  for (size_t s = 0; s < out_.symbols.size(); ++s) Resolve(static_cast<int>(s));
  CheckFunctions();  // those no value called
  CheckGroup();
  if (out_.warning_codes.size() > kMaxCodes)
    diags_.Report(DiagKind::TooManyCodes, policy_.warnings.empty() ? policy_.groups[0].span : policy_.warnings[0].span,
                  fmt::format("the policy has {} warning codes; a record can carry at most {}",
                              out_.warning_codes.size(), kMaxCodes),
                  "turn rarely used warnings into `flag` rules of a rule set");
  CheckOutput();
  CheckGroupOutputs();
  CheckRejects();
  ReportUnused();
  ReportUnusedFunctions();
}

void Checker::Resolve(int s) {
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
    case SymbolKind::DecisionTable: type = CheckDecisionTable(sym.decl); break;
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
Type Checker::UseSymbol(int s, Span use) {
  if (state_[s] == 1) {
    std::string path;
    auto from = std::find(stack_.begin(), stack_.end(), s);
    for (auto it = from; it != stack_.end(); ++it) path += out_.symbols[*it].name + " → ";
    path += out_.symbols[s].name;
    // A rule set that reads the decision while the decision reads the set: post-decision rules
    // need a rules block of their own.
    const Symbol* rules = nullptr;
    bool decision = false;
    for (auto it = from; it != stack_.end(); ++it) {
      if (out_.symbols[*it].kind == SymbolKind::RuleSet && !rules) rules = &out_.symbols[*it];
      decision |= out_.symbols[*it].kind == SymbolKind::Decision;
    }
    std::string hint = rules && decision
                           ? fmt::format("rules that read the decision go in a rules block of their own, which the "
                                         "decision does not use: move them out of '{}'", rules->name)
                           : "break the cycle: a value cannot depend on itself";
    diags_.Report(DiagKind::CyclicDefinition, use,
                  fmt::format("'{}' is defined in terms of itself: {}", out_.symbols[s].name, path), hint);
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

Type Checker::CheckLet(ast::LetDecl& let) {
  Scope scope;
  if (let.is_const) scope.constant = &let;
  // The declared type tells which enum a bare value belongs to (`let r: Review = REFER`).
  Type declared = let.type ? ResolveType(*let.type) : Type{};
  Type t = Value(*let.value, scope, declared.is(Base::Enum) ? &declared : nullptr);
  if (!let.type || t.error() || declared.error()) return t;
  return Fit(t, declared, let.value->span, fmt::format("'{}'", let.name.text));
}

std::string_view Checker::source_text(Span span) const { return source_ ? source_->Slice(span) : std::string_view(); }

// The source text of `span` for a message, or `fallback` when it is long or spans lines.
std::string Checker::Snippet(Span span, const char* fallback) const {
  std::string_view text = source_text(span);
  bool readable = !text.empty() && text.size() <= 40 && text.find('\n') == std::string_view::npos;
  return readable ? std::string(text) : fallback;
}

// Snippet() without the parentheses around all of it, for use as a call argument.
std::string Checker::ArgSnippet(Span span, const char* fallback) const {
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
std::string Checker::Quoted(Span span) const {
  std::string text = Snippet(span, "");
  return text.empty() ? "this value" : "`" + text + "`";
}

void Checker::CheckOutput() {
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
    scope.output = true;
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
void Checker::ReportUnused() {
  for (auto& sym : out_.symbols) {
    if (sym.used || Imported(sym.span)) continue;  // a library's declarations are there to be picked from
    const char* what = sym.kind == SymbolKind::Let         ? "value"
                       : sym.kind == SymbolKind::RuleSet   ? "rule set"
                       : sym.kind == SymbolKind::Scorecard ? "scorecard"
                       : sym.kind == SymbolKind::Band      ? "band"
                       : sym.kind == SymbolKind::Table || sym.kind == SymbolKind::DecisionTable ? "table"
                       : sym.kind == SymbolKind::Reference ? "reference data"
                                                           : nullptr;
    if (!what) continue;
    diags_.Report(DiagKind::UnusedValue, sym.span, fmt::format("{} '{}' is never used", what, sym.name),
                  sym.kind == SymbolKind::RuleSet ? "test it in the decision (e.g. `" + sym.name + ".fired => ...`) or output its codes"
                  : sym.kind == SymbolKind::Reference
                      ? "remove it: a run must be given every declared reference (--ref " + sym.name + "=FILE)"
                      : "remove it, or use it in a rule, the decision or the output");
  }
}

std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                                  Diagnostics& diags) {
  CheckedPolicy out(std::move(policy));
  size_t errors = diags.error_count();
  Checker(*out.ast_, out, diags, source).Run();
  if (diags.error_count() != errors) return std::nullopt;
  return out;
}

CheckedPolicy CheckForTools(std::unique_ptr<ast::Policy> policy, const SourceFile& source, Diagnostics& diags) {
  CheckedPolicy out(std::move(policy));
  Checker(*out.ast_, out, diags, source).Run();
  return out;
}

}  // namespace credo::check
