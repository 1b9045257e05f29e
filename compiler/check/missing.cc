// missing.cc — missing values: conditions that must be present, `??`, `is missing` and
// `is present`, and the narrowing that `and`, `or`, `not` and `if` give to what they guard.
#include "compiler/check/checker_impl.h"

#include <algorithm>

#include <fmt/format.h>

namespace credo::check {

namespace {

// `s is present or ...`: a common slip for `s is missing or ...`, which narrows.
bool TestsPresentThenOr(const Expr& e, int s) {
  if (e.kind != ExprKind::Or) return false;
  const Expr& left = *e.args[0];
  return left.kind == ExprKind::IsMissing && left.negated && left.args[0]->kind == ExprKind::NameRef &&
         left.args[0]->resolved.symbol == s;
}

}  // namespace

// A condition: bool, never missing.
void Checker::Condition(Expr& e, Scope& scope, const std::string& what, BlockMissingMode mode) {
  Type t = Value(e, scope);
  if (t.error()) return;
  if (!t.is(Base::Bool)) {
    diags_.Report(DiagKind::ConditionNotBool, e.span, fmt::format("{} is {}, not a bool", what, TypeName(t, out_.enums)),
                  t.is_numeric() ? fmt::format("compare it, e.g. `{} > 0`", Snippet(e.span, "x"))
                                 : "write a test, e.g. `x == value` or `x in [a, b]`");
  } else if (t.optional && mode != BlockMissingMode::False) {
    const Expr* source = MissingSource(e);
    std::string condition = ArgSnippet(e.span, "...");
    std::string hint = fmt::format("say what missing means, e.g. `({}) ?? false`", condition);
    bool slip = source->kind == ExprKind::NameRef && TestsPresentThenOr(e, source->resolved.symbol);
    if (slip)
      hint = fmt::format("the right side of `or` runs when the left is false, that is when `{0}` is missing: "
                         "write `{0} is missing or ...`, or `{0} is present and ...`", source->text);
    else if (source->kind == ExprKind::NameRef)
      hint += fmt::format(", or test `{} is present and ...` first", source->text);
    if (mode == BlockMissingMode::Checked && !slip)
      hint += "; or start the block with `missing means false` to make every missing condition in it false";
    diags_.Report(DiagKind::ConditionMayBeMissing, e.span,
                  fmt::format("{} may be missing: {} may be missing", what, Quoted(source->span)), hint);
  }
}

// The innermost part of an optional `e` that makes it so (after narrowing), for messages.
const Expr* Checker::MissingSource(const Expr& e) const {
  if (e.kind == ExprKind::Coalesce) return e.args[1]->type.optional ? MissingSource(*e.args[1]) : &e;
  for (const auto& a : e.args)
    if (a->type.optional && a->kind != ExprKind::MissingLit) return MissingSource(*a);
  return &e;
}

bool Checker::Present(const Scope& scope, int s) const {
  return std::find(scope.present.begin(), scope.present.end(), s) != scope.present.end();
}

// Symbols that are present when `e` evaluates to `when_true`.
std::vector<int> Checker::Facts(const Expr& e, bool when_true) const {
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

Scope Checker::With(const Scope& scope, const std::vector<int>& facts) {
  Scope s = scope;
  s.present.insert(s.present.end(), facts.begin(), facts.end());
  return s;
}

// Why a value that is not optional here is so: declared that way, or narrowed by a test.
std::string Checker::NeverMissing(const Expr& e, const Scope& scope) const {
  bool narrowed = e.kind == ExprKind::NameRef && e.resolved.symbol >= 0 && Present(scope, e.resolved.symbol) &&
                  out_.symbols[e.resolved.symbol].type.optional;
  return narrowed ? "is already known to be present here" : "is never missing";
}

// `a and b`, `a or b`: the right side is checked knowing what the left side proves when it runs.
Type Checker::Logical(Expr& e, Scope& scope) {
  Type a = Value(*e.args[0], scope);
  Scope right = With(scope, Facts(*e.args[0], e.kind == ExprKind::And));
  Type b = Value(*e.args[1], right);
  const char* op = e.kind == ExprKind::And ? "and" : "or";
  if (!a.error() && !a.is(Base::Bool)) return Mismatch(e.args[0]->span, fmt::format("'{}' needs bool operands", op), a, Base::Bool);
  if (!b.error() && !b.is(Base::Bool)) return Mismatch(e.args[1]->span, fmt::format("'{}' needs bool operands", op), b, Base::Bool);
  if (a.error() || b.error()) return Type{};
  return Type::Of(Base::Bool, a.optional || b.optional);
}

Type Checker::Coalesce(Expr& e, Scope& scope, const Type* hint) {
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

Type Checker::IsMissingTest(Expr& e, Scope& scope) {
  Type t = Value(*e.args[0], scope);
  if (!t.error() && !t.optional)
    diags_.Report(DiagKind::AlwaysPresent, e.span,
                  fmt::format("{} {}, so this test is always {}", Quoted(e.args[0]->span), NeverMissing(*e.args[0], scope),
                              e.negated ? "true" : "false"),
                  "remove the test, and whatever only it guards");
  return Type::Of(Base::Bool);
}

// Each branch is checked knowing what the condition proves when it is taken.
Type Checker::IfThenElse(Expr& e, Scope& scope, const Type* hint) {
  Condition(*e.args[0], scope, "this `if` condition");
  Scope then_scope = With(scope, Facts(*e.args[0], true));
  Scope else_scope = With(scope, Facts(*e.args[0], false));
  Type a = Value(*e.args[1], then_scope, hint);
  Type b = Value(*e.args[2], else_scope, a.is(Base::Enum) ? &a : hint);
  if (a.error() || b.error()) return Type{};
  return Unify(a, b, e.span, "the two branches of `if`", e.args[2].get(), e.args[1].get());
}

}  // namespace credo::check
