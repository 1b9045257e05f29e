// group.cc — the group block: its key, group `let`s, `when` statements and their actions
// (`set`, `warn`), and the aggregates that only the group pass may call.
#include "compiler/check/checker_impl.h"

#include <algorithm>

#include <fmt/format.h>

namespace credo::check {

void Checker::CheckGroup() {
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
    group_key_optional_ = out_.symbols[it->second].type.optional;
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

void Checker::CheckAction(ast::GroupAction& action, Scope& scope) {
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

Type Checker::Aggregate(Expr& e, Builtin id, Scope& scope) {
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

}  // namespace credo::check
