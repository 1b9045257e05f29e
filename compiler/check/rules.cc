// rules.cc — rule sets, the decision and the warnings block: effects, conditions that can never
// hold, arms after `else` or repeating an earlier condition, and a total decision.
#include "compiler/check/checker_impl.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace credo::check {

namespace {

// An expression's structure without positions or layout, so that `a>1` and `(a > 1)` give the
// same key; numeric literals by value (`1_000` is `1000`).
void AppendStructure(const Expr& e, std::string& key) {
  bool number = e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
  std::string_view text = number ? std::string_view() : std::string_view(e.text);
  key += fmt::format("({} {} {:d}{:d}{:d}{:d} {}:{} {}:{} {} {}", int(e.kind), int(e.op), e.negated, e.is_call, e.lo_closed,
                     e.hi_closed, text.size(), text, e.member.text.size(), e.member.text, e.int_value, e.scale);
  for (const auto& arg : e.args) AppendStructure(*arg, key);
  key += ')';
}

std::string Structure(const Expr& e) {
  std::string key;
  AppendStructure(e, key);
  return key;
}

}  // namespace

Type Checker::CheckRuleSet(ast::RuleSet& set) {
  if (set.rules.size() > kMaxCodes)
    diags_.Report(DiagKind::TooManyCodes, set.name.span,
                  fmt::format("rule set {} has {} rules; a rule set holds at most {}", set.name.text, set.rules.size(),
                              kMaxCodes),
                  "split it into several rule sets, e.g. by theme");
  for (auto& rule : set.rules) {
    Scope scope;
    Condition(*rule.when, scope, fmt::format("the condition of rule {}", rule.code.text), BlockMissing(set.missing_false));
    if (rule.when->kind == ExprKind::BoolLit && rule.when->int_value == 0)
      diags_.Report(DiagKind::UnreachableArm, rule.when->span, fmt::format("rule {} can never fire", rule.code.text),
                    "remove the rule or give it a real condition");
    const std::string& e = rule.effect.text;
    if (e != "decline" && e != "refer" && e != "flag")
      diags_.Report(DiagKind::UnknownEffect, rule.effect.span, fmt::format("unknown rule effect '{}'", e),
                    "a rule's effect is decline, refer or flag");
  }
  std::vector<const Expr*> conditions;
  for (auto& rule : set.rules) conditions.push_back(rule.when.get());
  UnneededMissingFalse(set.missing_false, conditions, fmt::format("rule set {}", set.name.text));
  return Type{};
}

Type Checker::CheckDecision(ast::Decision& d) {
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
      Condition(*arm.condition, scope, "this decision arm's condition", BlockMissing(d.missing_false));
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
  std::vector<const Expr*> arm_conditions;
  for (auto& arm : d.arms)
    if (arm.condition) arm_conditions.push_back(arm.condition.get());
  UnneededMissingFalse(d.missing_false, arm_conditions, "the decision");
  if (!after_else)
    diags_.Report(DiagKind::DecisionIncomplete, d.name.span, "the decision has no `else` arm, so some records get no outcome",
                  "end the decision with `else => ...`");
  return type;
}

void Checker::RequireString(const Type& t, Span span, const char* what) {
  if (t.error()) return;
  if (!t.is(Base::String))
    diags_.Report(DiagKind::TypeMismatch, span, fmt::format("{} must be a string, not {}", what, TypeName(t, out_.enums)),
                  "give a reason code in quotes, e.g. because \"K01\"");
  else if (t.optional)
    diags_.Report(DiagKind::PossiblyMissing, span, fmt::format("{} may be missing", what),
                  fmt::format("say what a missing reason reads as, e.g. `{} ?? \"\"`", Snippet(span, "x")));
}

Type Checker::CheckWarnings() {
  if (!policy_.warnings.empty()) {
    auto& block = policy_.warnings[0];
    std::vector<const Expr*> conditions;
    for (auto& w : block.warnings) conditions.push_back(w.when.get());
    for (auto& w : block.warnings) {
      Scope scope;
      Condition(*w.when, scope, fmt::format("the condition of warning {}", w.code.text), BlockMissing(block.missing_false));
      if (w.when->kind == ExprKind::BoolLit && w.when->int_value == 0)
        diags_.Report(DiagKind::UnreachableArm, w.when->span, fmt::format("warning {} can never be raised", w.code.text),
                      "remove the warning or give it a real condition");
    }
    UnneededMissingFalse(block.missing_false, conditions, "the warnings block");
  }
  return CodesOf(out_.warnings_symbol);
}

}  // namespace credo::check
