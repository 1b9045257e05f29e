// outputs.cc — per-group outputs: `output NAME per group [order by COL [asc|desc], ...] { ... }`.
// A column is computed once per group, so outside an aggregate it may use only what is the same
// for every member: the group key, constants, and group `let`s that are themselves computed
// from aggregates, the key and constants (docs/language.md, "Several outputs").
#include "compiler/check/checker_impl.h"

#include <fmt/format.h>

namespace credo::check {

// Whether `e` (checked in the group scope) has the same value for every member of a group;
// otherwise `why` names the member's own value it uses.
bool Checker::GroupUniform(const Expr& e, std::string& why, Span& at) const {
  at = e.span;
  if (e.kind == ExprKind::Call && e.resolved.index >= 0 && IsAggregate(static_cast<Builtin>(e.resolved.index))) {
    auto id = static_cast<Builtin>(e.resolved.index);
    if (id != Builtin::CountOther && id != Builtin::AnyOther) return true;
    why = fmt::format("{}() (it counts the members other than one member)", e.text);
    return false;
  }
  if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0) {
    const Symbol& sym = out_.symbols[e.resolved.symbol];
    if (sym.kind == SymbolKind::Table) return true;
    if (sym.kind == SymbolKind::Field && !policy_.groups.empty() && sym.name == policy_.groups[0].key.text) return true;
    if (sym.kind == SymbolKind::GroupLet) {
      const auto& lets = out_.group_lets;
      for (size_t i = 0; i < lets.size(); ++i)
        if (lets[i] == e.resolved.symbol) {
          std::string inner;
          Span inner_at;
          if (GroupUniform(*policy_.groups[0].stmts[i].expr, inner, inner_at)) return true;
          why = fmt::format("'{}' (a group `let` that uses {})", sym.name, inner);
          return false;
        }
    }
    why = fmt::format("'{}'", sym.name);
    return false;
  }
  if (e.kind == ExprKind::Member) {
    why = fmt::format("'{}.{}'", e.args[0]->text, e.member.text);
    return false;
  }
  for (const auto& a : e.args)
    if (!GroupUniform(*a, why, at)) return false;
  return true;
}

void Checker::CheckGroupOutputs() {
  std::map<std::string, Span> names;
  for (auto& block : policy_.group_outputs) {
    if (auto it = names.find(block.name.text); it != names.end()) {
      diags_.Report(DiagKind::DuplicateName, block.name.span, fmt::format("output '{}' is declared twice", block.name.text),
                    "give each per-group output its own name: it names the output on the command line")
          .notes.push_back({it->second, "first declared here"});
      continue;
    }
    names[block.name.text] = block.name.span;
    if (policy_.groups.empty()) {
      diags_.Report(DiagKind::GroupOutputWithoutGroup, block.name.span,
                    fmt::format("output '{}' has a row per group, but the policy has no group block", block.name.text),
                    "declare the groups with `group by FIELD { ... }`, or list the columns in the record output");
      continue;
    }
    std::map<std::string, std::pair<Span, Type>> columns;
    for (auto& item : block.items) {
      if (auto it = columns.find(item.name.text); it != columns.end()) {
        diags_.Report(DiagKind::DuplicateName, item.name.span,
                      fmt::format("output column '{}' is listed twice", item.name.text),
                      "give the column its own header, e.g. `total_exposure = sum(exposure)`")
            .notes.push_back({it->second.first, "first listed here"});
        continue;
      }
      if (!item.value) {
        item.value = std::make_unique<Expr>();
        item.value->kind = ExprKind::NameRef;
        item.value->text = item.name.text;
        item.value->span = item.name.span;
      }
      Scope scope;
      scope.group = true;
      Type t = Value(*item.value, scope);
      columns[item.name.text] = {item.name.span, t};
      if (t.error()) continue;
      std::string why;
      Span at;
      if (!GroupUniform(*item.value, why, at))
        diags_.Report(DiagKind::MemberValueInGroupOutput, at,
                      fmt::format("column '{}' of output '{}' has one value per group, but uses {}, which differs from "
                                  "member to member", item.name.text, block.name.text, why),
                      fmt::format("combine the members' values with an aggregate, e.g. `{} = sum(...)` or `max_of(...)`, "
                                  "or use the group key and group `let`s computed from aggregates", item.name.text));
    }
    std::map<std::string, Span> ordered;
    std::vector<std::string> column_names;
    for (const auto& item : block.items) column_names.push_back(item.name.text);
    for (const auto& key : block.order) {
      auto it = columns.find(key.column.text);
      if (it == columns.end()) {
        diags_.Report(DiagKind::BadOrderColumn, key.column.span,
                      fmt::format("output '{}' has no column '{}' to order by", block.name.text, key.column.text),
                      SuggestOrList(key.column.text, column_names, "order by its columns:"));
      } else if (ordered.count(key.column.text)) {
        diags_.Report(DiagKind::BadOrderColumn, key.column.span,
                      fmt::format("'{}' is already in the `order by`", key.column.text),
                      "a later key only breaks the ties of the earlier ones: list each column once")
            .notes.push_back({ordered[key.column.text], "first listed here"});
      } else if (it->second.second.is(Base::Codes)) {
        diags_.Report(DiagKind::BadOrderColumn, key.column.span,
                      fmt::format("column '{}' holds codes, which have no order", key.column.text),
                      "order by a number, string, date, bool or enum column, e.g. `count(...)` of the codes");
      }
      ordered.emplace(key.column.text, key.column.span);
    }
  }
}

}  // namespace credo::check
