// lower_group.cc — the Lowerer's group pass (aggregates, updates, group values) and the record
// and per-group outputs, with what is recomputed after the group pass (lowerer.h).
#include "compiler/lower/lowerer.h"

namespace credo::lower {

int32_t Lowerer::Aggregate(const Expr& e, Builtin id) {
  auto it = aggregate_scalars_.find(&e);
  int32_t scalar = it->second.first;
  int32_t own = it->second.second;  // the member's own argument register
  ValueType t = ValueTypeOf(e.type);
  int32_t total = Emit(Op::GroupValue, id == Builtin::CountOther || id == Builtin::AnyOther ? ValueType{Kind::Int} : t, {}, scalar);
  if (id != Builtin::CountOther && id != Builtin::AnyOther) return total;
  int32_t mine = Emit(Op::Select, {Kind::Int}, {own, Int(1), Int(0)});
  int32_t others = Emit(Op::Sub, {Kind::Int}, {total, mine}, 0, OverflowSite());
  return id == Builtin::CountOther ? others : Emit(Op::Gt, {Kind::Bool}, {others, Int(0)});
}

void Lowerer::CollectAggregates(const Expr& e, ir::GroupStep& step) {
  if (e.kind == ExprKind::Call && check::IsAggregate(static_cast<Builtin>(e.resolved.index))) {
    auto id = static_cast<Builtin>(e.resolved.index);
    int32_t arg = Required(Lower(*e.args[0]));
    using R = ir::Reduction;
    R::Kind kind = id == Builtin::Sum ? R::Sum : id == Builtin::Any ? R::Any : id == Builtin::All ? R::All
                   : id == Builtin::MinOf ? R::Min : id == Builtin::MaxOf ? R::Max : R::Count;
    if (id == Builtin::AnyOther) kind = R::Count;
    int32_t scalar = p_.group_scalars++;
    // A sum can overflow; its error then counts for every member that uses it.
    step.reductions.push_back({kind, arg, scalar, kind == R::Sum ? OverflowSite() : 0});
    scalar_fails_.push_back(ir::MayFail(step.reductions.back(), Fails()));
    aggregate_scalars_[&e] = {scalar, arg};
    return;
  }
  for (const auto& a : e.args) CollectAggregates(*a, step);
}

void Lowerer::LowerGroup() {
  if (ast_.groups.empty()) return;
  const auto& group = ast_.groups[0];
  for (size_t f = 0; f < ast_.inputs[0].fields.size(); ++f)
    if (ast_.inputs[0].fields[f].name.text == group.key.text) p_.info.group_key = int(f);
  code_ = &p_.code;
  // A group `let` the record output shows is missing in the record program (a record in no
  // group has none); the group pass writes the members' values (docs/language.md, "Output").
  for (int s : GroupLetsInOutput()) {
    ValueType t = ValueTypeOf(cp_.symbols[s].type);
    t.optional = true;
    record_values_[{s, -1, -1}] = Emit(Op::Missing, t, {});
  }
  // Every value the group pass reads or sets lives in the record state.
  group_ = true;
  code_ = &p_.group_code;
  // A step that neither reduces nor assigns needs no barrier after it: the next step starts
  // where it started (fewer passes over the members).
  int32_t open = -1;
  auto finish = [&](ir::GroupStep& step, bool last) {
    step.end = int32_t(code_->size());
    if (step.reductions.empty() && step.assignments.empty() && !last) {
      open = step.begin;
      return;
    }
    p_.group_steps.push_back(std::move(step));
    open = -1;
  };
  for (size_t i = 0; i < group.stmts.size(); ++i) {
    const auto& stmt = group.stmts[i];
    what_ = stmt.kind == ast::GroupStmt::Let ? stmt.name.text : "group";
    state_reads_.clear();
    ir::GroupStep step;
    step.begin = open >= 0 ? open : int32_t(code_->size());
    std::vector<const Expr*> exprs = {stmt.expr.get()};
    for (const auto& a : stmt.actions) {
      if (a.value) exprs.push_back(a.value.get());
      if (a.reason) exprs.push_back(a.reason.get());
    }
    for (const Expr* e : exprs) CollectAggregates(*e, step);
    if (!step.reductions.empty()) {
      finish(step, false);
      step = ir::GroupStep{};
      step.begin = int32_t(code_->size());
    }
    if (stmt.kind == ast::GroupStmt::Let) {
      int s = cp_.group_lets[i];
      int32_t probe = OpenProbe(ir::ProbeKind::GroupLet, stmt.name.text, stmt.name.span);
      group_regs_[s] = Commit(Lower(*stmt.expr));
      CloseProbe(probe, group_regs_[s]);
      if (shown_lets_.count(s)) step.assignments.push_back({Fresh(group_regs_[s], step.begin), StateSlot({s, -1, -1})});
    } else {
      LowerUpdate(stmt, step);
    }
    finish(step, i + 1 == group.stmts.size());
  }
  group_ = false;
  code_ = &p_.code;
}

void Lowerer::LowerUpdate(const ast::GroupStmt& stmt, ir::GroupStep& step) {
  std::vector<int32_t> probes;  // one per action, hit when the statement's `when` holds
  for (const auto& a : stmt.actions)
    if (probes_) probes.push_back(probes_->Add(ir::ProbeKind::GroupAction, (a.kind == ast::GroupAction::Warn ? "warn " : "set ") + a.target.text, a.span));
  if (probes_ && !probes.empty()) probes_->Open(probes[0]);
  int32_t when = Commit(Required(Lower(*stmt.expr)));
  if (probes_ && !probes.empty()) probes_->Close();
  for (int32_t i : probes) {
    probes_->SetValue(i, when);
    probes_->SetHit(i, when);
  }
  std::map<int, int32_t> latest;  // state slot → newest value in this statement
  auto current = [&](ValueKey key) {
    if (auto it = latest.find(StateSlot(key)); it != latest.end()) return it->second;
    return ValueOf(key);
  };
  auto assign = [&](ValueKey key, int32_t value) {
    int32_t old = current(key);
    // The value's error counts only for members whose `when` holds.
    latest[StateSlot(key)] = Commit(Emit(Op::Select, TypeOf(old), {when, Convert(value, TypeOf(old)), old}));
  };
  for (size_t k = 0; k < stmt.actions.size(); ++k) {
    const auto& action = stmt.actions[k];
    if (action.kind == ast::GroupAction::Warn) {
      ValueKey warnings{cp_.warnings_symbol, -1, -1};
      auto& codes = cp_.warning_codes;
      int bit = int(std::find(codes.begin(), codes.end(), action.target.text) - codes.begin());
      int32_t old = current(warnings);
      latest[StateSlot(warnings)] = Emit(Op::CodesAdd, TypeOf(old), {old, when}, int64_t(1) << bit);
      continue;
    }
    int s = -1;
    for (size_t i = 0; i < cp_.symbols.size(); ++i)
      if (cp_.symbols[i].name == action.target.text && cp_.symbols[i].kind != SymbolKind::GroupLet) s = int(i);
    Guard for_members_it_applies_to(probes_.get(), when, lower::ProbeRecorder::GuardOn::Holds);
    if (probes_) probes_->Open(probes[k]);  // the value's probes (a `??`) belong to the action
    assign({s, -1, -1}, LowerAs(*action.value, cp_.symbols[s].type));
    // A new outcome never keeps the old reason: without `because` it has none (docs/language.md).
    if (cp_.symbols[s].kind == SymbolKind::Decision)
      assign({s, int(MemberKind::DecisionReason), -1},
             action.reason ? LowerAs(*action.reason, Type::Of(Base::String)) : String(""));
    if (probes_) probes_->Close();
    for_members_it_applies_to.End();
  }
  for (auto& [slot, reg] : latest) step.assignments.push_back({reg, slot});
}

std::set<int> Lowerer::GroupLetsInOutput() {
  std::set<int> used;
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0 &&
        cp_.symbols[e.resolved.symbol].kind == SymbolKind::GroupLet)
      used.insert(e.resolved.symbol);
    for (const auto& a : e.args) walk(*a);
  };
  for (const auto& block : ast_.outputs)
    for (const auto& item : block.items) {
      walk(*item.value);
      if (item.value->kind == ExprKind::NameRef && used.count(item.value->resolved.symbol))
        shown_lets_.insert(item.value->resolved.symbol);
    }
  return used;
}

bool Lowerer::UsesGroupLet(const Expr& e) const {
  if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0 &&
      cp_.symbols[e.resolved.symbol].kind == SymbolKind::GroupLet)
    return true;
  return std::any_of(e.args.begin(), e.args.end(), [&](const auto& a) { return UsesGroupLet(*a); });
}

int32_t Lowerer::Fresh(int32_t r, int32_t begin) {
  Op op = (*code_)[r].op;
  if (r >= begin && op != Op::Const && op != Op::State && op != Op::GroupValue && op != Op::Missing) return r;
  return Emit(Op::Select, TypeOf(r), {Bool(true), r, r});
}

void Lowerer::LowerGroupOutputs() {
  for (const auto& block : ast_.group_outputs) {
    rt::GroupOutput out;
    out.name = block.name.text;
    group_ = true;
    code_ = &p_.group_code;
    state_reads_.clear();
    ir::GroupStep step;
    step.begin = int32_t(code_->size());
    for (const auto& item : block.items) {
      what_ = item.name.text;
      CollectAggregates(*item.value, step);
    }
    if (!step.reductions.empty()) {
      step.end = int32_t(code_->size());
      p_.group_steps.push_back(std::move(step));
      step = ir::GroupStep{};
      step.begin = int32_t(code_->size());
    }
    std::vector<int32_t> regs;
    for (const auto& item : block.items) {
      what_ = item.name.text;
      int32_t probe = OpenProbe(ir::ProbeKind::Output, block.name.text + "." + item.name.text, item.name.span);
      regs.push_back(Fresh(Commit(LowerAs(*item.value, item.value->type)), step.begin));
      CloseProbe(probe, regs.back());
    }
    step.end = int32_t(code_->size());
    group_ = false;
    code_ = &p_.code;
    for (size_t c = 0; c < block.items.size(); ++c) {
      ValueType t = ValueTypeOf(block.items[c].value->type);
      t.optional = true;  // records in no group have no value here
      ValueKey key{-1'000'000 - int(p_.info.group_outputs.size()), int(c), -1};
      record_values_[key] = Emit(Op::Missing, t, {});
      int slot = StateSlot(key, block.name.text + "." + block.items[c].name.text);
      step.assignments.push_back({regs[c], slot});
      out.columns.push_back({block.items[c].name.text, slot});
    }
    p_.group_steps.push_back(std::move(step));
    for (const auto& key : block.order)
      for (size_t c = 0; c < block.items.size(); ++c)
        if (block.items[c].name.text == key.column.text) out.order.push_back({int(c), key.descending});
    p_.info.group_outputs.push_back(std::move(out));
  }
}

void Lowerer::LowerOutput() {
  if (ast_.outputs.empty()) return;
  std::vector<std::pair<const ast::OutputItem*, int>> computed;  // expression columns, their slots
  for (const auto& item : ast_.outputs[0].items) {
    const Expr& e = *item.value;
    int slot;
    int32_t probe = OpenProbe(ir::ProbeKind::Output, item.name.text, item.name.span);
    if (e.kind == ExprKind::NameRef && !e.resolved.enum_value) {
      slot = StateSlot({e.resolved.symbol, -1, -1});
    } else if (e.kind == ExprKind::Member) {
      slot = StateSlot({e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index});
    } else {
      what_ = item.name.text;
      ValueKey key{-2 - int(p_.info.outputs.size()), -1, -1};
      record_values_[key] = Commit(LowerAs(e, e.type));
      slot = StateSlot(key, item.name.text);
      computed.push_back({&item, slot});
    }
    p_.info.outputs.push_back({item.name.text, slot});
    CloseProbe(probe, p_.state_regs[size_t(slot)]);
  }
  RecomputeAfterGroup(computed);
}

void Lowerer::RecomputeAfterGroup(const std::vector<std::pair<const ast::OutputItem*, int>>& computed) {
  bool sets = false;
  for (const auto& g : ast_.groups)
    for (const auto& stmt : g.stmts) sets |= !stmt.actions.empty();  // a `set`, or a `warn` (count(warnings) sees it)
  for (const auto& [item, slot] : computed) sets |= UsesGroupLet(*item->value);
  if (!sets || computed.empty()) return;
  group_ = true;
  code_ = &p_.group_code;
  state_reads_.clear();
  ir::GroupStep step;
  step.begin = int32_t(code_->size());
  for (const auto& [item, slot] : computed) {
    what_ = item->name.text;
    step.assignments.push_back({Fresh(Commit(LowerAs(*item->value, item->value->type)), step.begin), slot});
  }
  step.end = int32_t(code_->size());
  p_.group_steps.push_back(std::move(step));
  group_ = false;
  code_ = &p_.code;
}

}  // namespace credo::lower
