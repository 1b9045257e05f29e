// ast_oracle_group.cc — the oracle's group pass: aggregates over the members, the statements in
// order, and the group values members read (ast_oracle_impl.h).
#include "ast_oracle_impl.h"

namespace credo::oracle {

namespace {

// The aggregates of one group statement, outermost only (they do not nest).
void CollectAggregates(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::Call && check::IsAggregate(static_cast<check::Builtin>(e.resolved.index))) {
    out.push_back(&e);
    return;
  }
  for (const auto& a : e.args) CollectAggregates(*a, out);
}

}  // namespace

// The members are the accepted records with a group key, in input order. Statements run in
// order; each is evaluated for every member against the values from before it (its aggregates
// first, over the whole group), then its changes apply.
void Oracle::GroupPass() {
  const ast::GroupBlock& block = ast_.groups[0];
  size_t m = in_group_.size();
  std::map<std::string, size_t> ids;
  std::vector<size_t> group_of(m);
  for (size_t k = 0; k < m; ++k) group_of[k] = ids.emplace(records_[in_group_[k]].group, ids.size()).first->second;
  std::vector<std::map<int, Value>> lets(m);
  std::vector<std::map<const Expr*, Value>> aggregates(m);
  auto env_of = [&](size_t k) {
    Env env = RecordEnv(records_[in_group_[k]]);
    env.group_let = [&lets, k](int s) -> const Value& { return lets[k].at(s); };
    env.aggregate = [&aggregates, k](const Expr& e) { return aggregates[k].at(&e); };
    return env;
  };
  bool sets = false;  // a `set` or a `warn` changes what output expressions compute
  for (const auto& stmt : block.stmts) sets |= !stmt.actions.empty();
  for (const auto& item : ast_.outputs[0].items) sets |= !IsStoredValue(*item.value) && UsesGroupLet(*item.value);
  for (size_t i = 0; i < block.stmts.size(); ++i) {
    const ast::GroupStmt& stmt = block.stmts[i];
    std::string what = stmt.kind == ast::GroupStmt::Let ? stmt.name.text : "group";
    std::vector<const Expr*> found;
    CollectAggregates(*stmt.expr, found);
    for (const auto& a : stmt.actions) {
      if (a.value) CollectAggregates(*a.value, found);
      if (a.reason) CollectAggregates(*a.reason, found);
    }
    for (const Expr* a : found) Reduce(*a, what, group_of, ids.size(), env_of, aggregates);
    for (size_t k = 0; k < m; ++k) {
      Record& rec = records_[in_group_[k]];
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      if (stmt.kind == ast::GroupStmt::Let) {
        int s = cp_.group_lets[i];
        rec.sink->Use(lets[k][s] = eval.Eval(*stmt.expr, env, what));
        rec.values[{s, -1, -1}] = lets[k][s];  // shown by the record output
      } else

        Update(stmt, rec, eval, env);
    }
  }
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    if (sets) {  // output expressions see the values the pass left
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      const auto& items = ast_.outputs[0].items;
      for (auto& [c, value] : rec.columns) {
        value = eval.EvalAs(*items[c].value, items[c].value->type, env, items[c].name.text);
        rec.sink->Use(value);
      }
    }
  }
  // Per-group outputs, in declaration order: their aggregates over the members' final values,
  // then every column for every member (the same value for each: the checker sees to it).
  for (const auto& out : ast_.group_outputs) {
    std::vector<const Expr*> found;
    for (const auto& item : out.items) {
      size_t before = found.size();
      CollectAggregates(*item.value, found);
      for (size_t a = before; a < found.size(); ++a) Reduce(*found[a], item.name.text, group_of, ids.size(), env_of, aggregates);
    }
    for (size_t k = 0; k < m; ++k) {
      Record& rec = records_[in_group_[k]];
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      auto& cells = rec.group_columns.emplace_back();
      for (const auto& item : out.items) {
        cells.push_back(eval.EvalAs(*item.value, item.value->type, env, item.name.text));
        rec.sink->Use(cells.back());
      }
    }
  }
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    if (rec.sink->first().set()) Reject(rec, rec.sink->first().reason);
  }
}

// Per-group output `o`: a row per group with an accepted member (after the group pass), from
// its first accepted member, in that member's input order, stably sorted by the declared keys
// (missing last in either direction).
std::string Oracle::GroupOutput(size_t o) const {
  const ast::OutputBlock& block = ast_.group_outputs[o];
  std::string text;
  for (size_t c = 0; c < block.items.size(); ++c) {
    if (c) text += ',';
    io::AppendCsvField(text, block.items[c].name.text);
  }
  text += '\n';
  std::vector<const Record*> rows;
  std::set<std::string> seen;
  for (size_t k : in_group_) {
    const Record& rec = records_[k];
    if (rec.accepted && seen.insert(rec.group).second) rows.push_back(&rec);
  }
  std::vector<std::pair<size_t, bool>> keys;
  for (const auto& key : block.order)
    for (size_t c = 0; c < block.items.size(); ++c)
      if (block.items[c].name.text == key.column.text) keys.push_back({c, key.descending});
  auto compare = [](const Value& a, const Value& b) {
    if (a.base == Base::Number) return a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
    if (a.base == Base::String) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
    for (auto [c, descending] : keys) {
      const Value& va = a->group_columns[o][c];
      const Value& vb = b->group_columns[o][c];
      if (va.present != vb.present) return va.present;
      if (!va.present) continue;
      int r = compare(va, vb);
      if (r != 0) return descending ? r > 0 : r < 0;
    }
    return false;
  });
  for (const Record* rec : rows) {
    for (size_t c = 0; c < block.items.size(); ++c) {
      if (c) text += ',';
      io::AppendCsvField(text, Format(rec->group_columns[o][c], block.items[c].value->type));
    }
    text += '\n';
  }
  return text;
}

// One aggregate over every group. Each member's argument is computed, but only the members not
// yet rejected take part; the first error among their arguments (in input order), else a `sum`
// that overflows, is an error of the group's value: it counts for the members that use it.
void Oracle::Reduce(const Expr& a, const std::string& what, const std::vector<size_t>& group_of, size_t groups,
                    const std::function<Env(size_t)>& env_of, std::vector<std::map<const Expr*, Value>>& out) {
  using check::Builtin;
  auto id = static_cast<Builtin>(a.resolved.index);
  size_t m = group_of.size();
  std::vector<Value> args(m);
  std::vector<bool> kept(m);
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    kept[k] = !rec.sink->first().set();
    ExprEval eval(cp_, *rec.sink);
    args[k] = eval.Eval(*a.args[0], env_of(k), what);
  }
  struct Acc {
    Value v;
    bool seen = false, overflow = false;
    int64_t count = 0, members = 0;
    Error error;
  };
  Value zero = MissingValue(a.args[0]->type);
  zero.present = true;
  std::vector<Acc> acc(groups, Acc{zero, false, false, 0, 0, {}});
  for (size_t k = 0; k < m; ++k) {
    if (!kept[k]) continue;
    Acc& g = acc[group_of[k]];
    const Value& x = args[k];
    if (!g.error.set()) g.error = x.error;
    ++g.members;
    g.count += x.i != 0;
    if (id == Builtin::Sum) {
      if (x.base == Base::Number)
        g.v.d += x.d, g.overflow |= !std::isfinite(g.v.d);  // no inf or NaN reaches a record
      else
        g.overflow |= __builtin_add_overflow(g.v.i, x.i, &g.v.i);
    } else if (id == Builtin::MinOf || id == Builtin::MaxOf) {
      bool less = x.base == Base::Number ? x.d < g.v.d : x.i < g.v.i;
      bool more = x.base == Base::Number ? x.d > g.v.d : x.i > g.v.i;
      if (!g.seen || (id == Builtin::MinOf ? less : more)) g.v = x;
      g.seen = true;
    }
  }
  for (size_t k = 0; k < m; ++k) {
    const Acc& g = acc[group_of[k]];
    int64_t own = args[k].i != 0;
    Value v;
    switch (id) {
      case Builtin::Sum:
      case Builtin::MinOf:
      case Builtin::MaxOf:
        v = g.v;
        break;
      case Builtin::Count:
        v = IntValue(g.count);
        break;
      case Builtin::CountOther:
        v = IntValue(g.count - own);
        break;
      case Builtin::Any:
        v = BoolValue(g.count > 0);
        break;
      case Builtin::All:
        v = BoolValue(g.count == g.members);
        break;
      case Builtin::AnyOther:
        v = BoolValue(g.count - own > 0);
        break;
      default:
        break;
    }
    v.error = g.error.set() ? g.error : g.overflow ? records_[in_group_[k]].sink->Raise(what) : Error{};
    out[k][&a] = v;
  }
}

// A `when` statement for one member: its condition is used; its actions are computed, and used
// and applied only when the condition holds. `set decision` without `because` clears the reason.
void Oracle::Update(const ast::GroupStmt& stmt, Record& rec, ExprEval& eval, const Env& env) {
  ErrorSink& sink = *rec.sink;
  Value when = eval.Eval(*stmt.expr, env, "group");
  sink.Use(when);
  bool applies = when.i != 0;
  std::vector<std::pair<Key, Value>> writes;
  Key warnings{cp_.warnings_symbol, -1, -1};
  Value codes = cp_.warnings_symbol >= 0 ? rec.values.at(warnings) : Value{};
  for (const auto& action : stmt.actions) {
    if (action.kind == ast::GroupAction::Warn) {
      auto bit =
          std::find(cp_.warning_codes.begin(), cp_.warning_codes.end(), action.target.text) - cp_.warning_codes.begin();
      if (applies) codes.i |= int64_t(1) << bit, writes.push_back({warnings, codes});
      continue;
    }
    int s = -1;
    for (size_t k = 0; k < cp_.symbols.size(); ++k)
      if (cp_.symbols[k].name == action.target.text && cp_.symbols[k].kind != SymbolKind::GroupLet) s = int(k);
    Value v = eval.EvalAs(*action.value, cp_.symbols[size_t(s)].type, env, "group");
    bool decision = cp_.symbols[size_t(s)].kind == SymbolKind::Decision;
    Value reason = action.reason ? eval.EvalAs(*action.reason, Type::Of(Base::String), env, "group") : StringValue("");
    if (!applies) continue;
    sink.Use(v);
    writes.push_back({{s, -1, -1}, v});
    if (decision) {  // a new outcome, and its reason: the `because`, or none
      sink.Use(reason);
      writes.push_back({{s, int(MemberKind::DecisionReason), -1}, reason});
    }
  }
  for (auto& [key, value] : writes) rec.values[key] = value;
}

}  // namespace credo::oracle
