#include "compiler/check/dependencies.h"

#include <utility>

namespace credo::check {
namespace {

// The symbols an expression names, in the order the checker meets them.
void NamesIn(const ast::Expr& e, const std::map<std::string, int>& names, std::vector<int>& out) {
  if (e.kind == ast::ExprKind::NameRef)
    if (auto it = names.find(e.text); it != names.end()) out.push_back(it->second);
  for (const auto& arg : e.args) NamesIn(*arg, names, out);
}

// What the declaration of `symbol` names: every expression the checker resolves with it.
std::vector<int> Uses(const ast::Policy& policy, const Symbol& symbol, const std::map<std::string, int>& names) {
  std::vector<int> out;
  auto add = [&](const ast::ExprPtr& e) {
    if (e) NamesIn(*e, names, out);
  };
  auto add_bins = [&](const std::vector<ast::Bin>& bins) {
    for (const auto& bin : bins) add(bin.result);
  };
  switch (symbol.kind) {
    case SymbolKind::Let: add(policy.lets[symbol.decl].value); break;
    case SymbolKind::RuleSet:
      for (const auto& rule : policy.rule_sets[symbol.decl].rules) add(rule.when);
      break;
    case SymbolKind::Scorecard:
      for (const auto& c : policy.scorecards[symbol.decl].characteristics) {
        add(c.subject);
        add_bins(c.bins);
      }
      break;
    case SymbolKind::Band:
      add(policy.bands[symbol.decl].subject);
      add_bins(policy.bands[symbol.decl].bins);
      break;
    case SymbolKind::Table:
      for (const auto& entry : policy.tables[symbol.decl].entries) add(entry.value);
      break;
    case SymbolKind::DecisionTable: {
      const auto& t = policy.decision_tables[symbol.decl];
      for (const auto& in : t.inputs) add(in);
      for (const auto& row : t.rows)
        for (const auto& v : row.values) add(v);
      if (t.else_row)
        for (const auto& v : t.else_row->values) add(v);
      break;
    }
    case SymbolKind::Decision:
      for (const auto& arm : policy.decisions[symbol.decl].arms) {
        add(arm.condition);
        add(arm.reason);
      }
      break;
    case SymbolKind::Warnings:
      for (const auto& block : policy.warnings)
        for (const auto& w : block.warnings) add(w.when);
      break;
    default: break;  // fields and group lets name nothing the order depends on
  }
  return out;
}

}  // namespace

DependencyOrder OrderByDependencies(const ast::Policy& policy, const std::vector<Symbol>& symbols,
                                    const std::map<std::string, int>& names) {
  size_t n = symbols.size();
  std::vector<std::vector<int>> uses(n);
  for (size_t s = 0; s < n; ++s) uses[s] = Uses(policy, symbols[s], names);
  DependencyOrder order;
  order.reaches_cycle.assign(n, false);
  enum : uint8_t { Unvisited, Open, Done };
  std::vector<uint8_t> state(n, Unvisited);
  // Depth-first from each symbol in declaration order, with an explicit stack of (symbol, next
  // use); a symbol is finished after everything it uses: post-order is dependency order.
  std::vector<std::pair<int, size_t>> stack;
  for (size_t root = 0; root < n; ++root) {
    if (state[root] != Unvisited) continue;
    state[root] = Open;
    stack.push_back({int(root), 0});
    while (!stack.empty()) {
      auto& [s, next] = stack.back();
      if (next < uses[s].size()) {
        int used = uses[s][next++];
        if (state[used] == Open) order.reaches_cycle[s] = true;  // back to a symbol being visited
        if (state[used] == Unvisited) {
          state[used] = Open;
          stack.push_back({used, 0});
        }
        continue;
      }
      int done = s;
      stack.pop_back();
      state[done] = Done;
      for (int used : uses[done]) order.reaches_cycle[done] = order.reaches_cycle[done] || order.reaches_cycle[used];
      if (!order.reaches_cycle[done]) order.acyclic.push_back(done);
    }
  }
  return order;
}

}  // namespace credo::check
