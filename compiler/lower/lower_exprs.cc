// lower_exprs.cc — the Lowerer's expressions: operators, builtin calls, rounding, tables and
// indexing, function calls inlined, names, member values and record-state slots (lowerer.h).
#include "compiler/lower/lowerer.h"

namespace credo::lower {

int32_t Lowerer::Lower(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return Int(e.int_value);
    case ExprKind::DecimalLit: return ConstOf({Kind::Decimal, int8_t(e.scale)}, e.int_value);
    case ExprKind::StringLit: return String(e.text);
    case ExprKind::BoolLit: return Bool(e.int_value != 0);
    case ExprKind::MissingLit: return Emit(Op::Missing, {Kind::Int, 0, true}, {});
    case ExprKind::NameRef: return Shown(e, NameRef(e));
    case ExprKind::Member:
      if (e.resolved.member == int(MemberKind::ReferenceField)) {
        lower::ReferenceLowering refs = References();
        return Shown(e, lower::LowerReferenceField(refs, cp_, e));
      }
      return Shown(e, MemberValue(e));
    case ExprKind::InReference: {
      lower::ReferenceLowering refs = References();
      return lower::LowerInReference(refs, cp_, e);
    }
    case ExprKind::Call: {
      auto id = static_cast<Builtin>(e.resolved.index);
      bool shown = id == Builtin::Min || id == Builtin::Max || id == Builtin::User || id == Builtin::Floor ||
                   id == Builtin::Ceil || id == Builtin::Round || id == Builtin::RoundHalfEven;
      return shown ? Shown(e, Call(e)) : Call(e);
    }
    case ExprKind::Index: return Index(e);
    case ExprKind::Neg: {
      if (IsLiteral(e)) return Literal(e, ValueTypeOf(e.type));
      int32_t a = Lower(*e.args[0]);
      return Emit(Op::Neg, TypeOf(a), {a}, 0, TypeOf(a).kind == Kind::Number ? 0 : OverflowSite());
    }
    case ExprKind::Not: {
      int32_t a = Lower(*e.args[0]);
      return Emit(Op::Not, TypeOf(a), {a});
    }
    case ExprKind::Binary: return Binary(e);
    case ExprKind::And:
    case ExprKind::Or: {
      int32_t a = Lower(*e.args[0]), b = Lower(*e.args[1]);
      return Emit(e.kind == ExprKind::And ? Op::And : Op::Or, {Kind::Bool, 0, AnyOptional({a, b})}, {a, b});
    }
    case ExprKind::Coalesce: {
      Type t = e.type.Optional(true);
      int32_t a = LowerAs(*e.args[0], t);
      if (probes_) probes_->Fallback(e, a);
      Guard only_when_missing(probes_.get(), a, lower::ProbeRecorder::GuardOn::Missing);
      int32_t b = LowerAs(*e.args[1], e.type);
      only_when_missing.End();
      ValueType vt = ListType(ValueTypeOf(e.type), {a, b});
      vt.optional = Optional(b);
      return Emit(Op::Coalesce, vt, {a, b});
    }
    case ExprKind::IsMissing: {
      int32_t a = Lower(*e.args[0]);
      int32_t m = Emit(Op::IsMissing, {Kind::Bool}, {a});
      return e.negated ? Emit(Op::Not, {Kind::Bool}, {m}) : m;
    }
    case ExprKind::In: {
      int32_t any = -1;
      for (size_t i = 1; i < e.args.size(); ++i) {
        int32_t eq = Compare(ast::BinaryOp::Eq, *e.args[0], *e.args[i]);
        any = any < 0 ? eq : Emit(Op::Or, {Kind::Bool, 0, AnyOptional({any, eq})}, {any, eq});
      }
      return e.negated ? Emit(Op::Not, TypeOf(any), {any}) : any;
    }
    case ExprKind::InRange: {  // `x >= lo and x < hi`: Kleene, the lower bound's test first
      int32_t lo = Compare(e.lo_closed ? ast::BinaryOp::Ge : ast::BinaryOp::Gt, *e.args[0], *e.args[1]);
      int32_t hi = Compare(e.hi_closed ? ast::BinaryOp::Le : ast::BinaryOp::Lt, *e.args[0], *e.args[2]);
      int32_t both = Emit(Op::And, {Kind::Bool, 0, AnyOptional({lo, hi})}, {lo, hi});
      return e.negated ? Emit(Op::Not, TypeOf(both), {both}) : both;
    }
    case ExprKind::If: {
      int32_t c = Required(Lower(*e.args[0]));
      Guard then(probes_.get(), c, lower::ProbeRecorder::GuardOn::Holds);
      int32_t a = LowerAs(*e.args[1], e.type);
      then.End();
      Guard otherwise(probes_.get(), c, lower::ProbeRecorder::GuardOn::Fails);
      int32_t b = LowerAs(*e.args[2], e.type);
      otherwise.End();
      ValueType t = ListType(ValueTypeOf(e.type), {a, b});
      t.optional = AnyOptional({a, b});
      return Shown(e, Emit(Op::Select, t, {c, a, b}));
    }
  }
  return Int(0);
}

ValueType Lowerer::ListType(ValueType t, std::initializer_list<int32_t> regs) const {
  if (t.kind != Kind::Codes) return t;
  for (int32_t r : regs)
    if (TypeOf(r).kind == Kind::Codes) {
      bool optional = t.optional;
      t = TypeOf(r);
      t.optional = optional;
      break;
    }
  return t;
}

ValueType Lowerer::Common(const Type& a, const Type& b) {
  if (a.is(Base::Number) || b.is(Base::Number)) return {Kind::Number};
  if (a.is(Base::Decimal) || b.is(Base::Decimal)) return {Kind::Decimal, int8_t(std::max(a.scale, b.scale))};
  return {Kind::Int};
}

int32_t Lowerer::Compare(ast::BinaryOp op, const Expr& ea, const Expr& eb) {
  static const Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
  int32_t a, b;
  if (ea.type.is_numeric() && eb.type.is_numeric()) {
    ValueType common = Common(ea.type, eb.type);
    a = Operand(ea, common);
    b = Operand(eb, common);
  } else {
    a = Lower(ea);
    b = Lower(eb);
  }
  return Emit(ops[static_cast<int>(op)], {Kind::Bool, 0, AnyOptional({a, b})}, {a, b});
}

int32_t Lowerer::Operand(const Expr& e, ValueType common) {
  if (IsLiteral(e)) return Literal(e, common);
  return Convert(Lower(e), common);
}

int32_t Lowerer::Binary(const Expr& e) {
  using B = ast::BinaryOp;
  if (e.op >= B::Lt) return Compare(e.op, *e.args[0], *e.args[1]);
  if (e.type.is(Base::String)) return lower::LowerConcat(e, *this);
  const Type& ta = e.args[0]->type;
  const Type& tb = e.args[1]->type;
  ValueType result = ValueTypeOf(e.type);
  if (ta.is(Base::Date)) {  // date - date → days, date ± days → date
    int32_t a = Lower(*e.args[0]), b = Lower(*e.args[1]);
    result.optional = AnyOptional({a, b});
    int32_t site = result.kind == Kind::Date ? DateRangeSite() : OverflowSite();
    return Emit(e.op == B::Sub ? Op::Sub : Op::Add, result, {a, b}, 0, site);
  }
  if (e.op == B::Div) {
    int32_t a, b;
    if (ta.is_exact() && tb.is_exact()) {  // same scale, then raw integers as doubles
      ValueType common = Common(ta, tb);
      a = Operand(*e.args[0], common);
      b = Operand(*e.args[1], common);
      a = Emit(Op::ToNum, {Kind::Number, 0, Optional(a)}, {a}, 0);
      b = Emit(Op::ToNum, {Kind::Number, 0, Optional(b)}, {b}, 0);
    } else {
      a = Operand(*e.args[0], {Kind::Number});
      b = Operand(*e.args[1], {Kind::Number});
    }
    return Emit(Op::Div, {Kind::Number, 0, true}, {a, b}, 0, OverflowSite());
  }
  int32_t a, b;
  if (e.op == B::Mul && result.kind == Kind::Decimal) {  // raw product: scales add up
    a = Lower(*e.args[0]);
    b = Lower(*e.args[1]);
  } else {
    a = Operand(*e.args[0], result);
    b = Operand(*e.args[1], result);
  }
  result.optional = AnyOptional({a, b});
  Op op = e.op == B::Add ? Op::Add : e.op == B::Sub ? Op::Sub : Op::Mul;
  return Emit(op, result, {a, b}, 0, OverflowSite());  // numbers fail when not finite
}

int32_t Lowerer::Call(const Expr& e) {
  auto id = static_cast<Builtin>(e.resolved.index);
  if (check::IsAggregate(id)) return Aggregate(e, id);
  if (check::IsReferenceAggregate(id)) {
    lower::ReferenceLowering refs = References();
    return lower::LowerReferenceAggregate(refs, cp_, e, id);
  }
  if (id == Builtin::User) return InlineCall(e);
  if (check::IsListOrText(id)) return lower::LowerListOrText(e, id, *this);
  ValueType result = ValueTypeOf(e.type);
  switch (id) {
    case Builtin::Min:
    case Builtin::Max: {
      int32_t acc = Operand(*e.args[0], result);
      for (size_t i = 1; i < e.args.size(); ++i) {
        int32_t next = Operand(*e.args[i], result);
        ValueType t = result;
        t.optional = AnyOptional({acc, next});
        acc = Emit(id == Builtin::Min ? Op::Min : Op::Max, t, {acc, next});
      }
      return acc;
    }
    case Builtin::Abs: {
      int32_t a = Lower(*e.args[0]);
      return Emit(Op::Abs, TypeOf(a), {a}, 0, TypeOf(a).kind == Kind::Number ? 0 : OverflowSite());
    }
    case Builtin::ToNumber: return Convert(Lower(*e.args[0]), {Kind::Number});
    case Builtin::DaysBetween: {
      int32_t a = Lower(*e.args[0]), b = Lower(*e.args[1]);
      return Emit(Op::Sub, {Kind::Int, 0, AnyOptional({a, b})}, {b, a}, 0, OverflowSite());
    }
    case Builtin::Year:
    case Builtin::Month:
    case Builtin::Day:
    case Builtin::YearsBetween:
    case Builtin::MonthsBetween:
    case Builtin::AddMonths:
    case Builtin::AddDays:
    case Builtin::AddYears:
    case Builtin::EndOfMonth:
    case Builtin::DayOfWeek: {
      static const std::map<Builtin, rt::CalendarFn> fns = {
          {Builtin::Year, rt::CalendarFn::Year},       {Builtin::Month, rt::CalendarFn::Month},
          {Builtin::Day, rt::CalendarFn::Day},         {Builtin::YearsBetween, rt::CalendarFn::YearsBetween},
          {Builtin::MonthsBetween, rt::CalendarFn::MonthsBetween}, {Builtin::AddMonths, rt::CalendarFn::AddMonths},
          {Builtin::AddDays, rt::CalendarFn::AddDays}, {Builtin::AddYears, rt::CalendarFn::AddYears},
          {Builtin::EndOfMonth, rt::CalendarFn::EndOfMonth}, {Builtin::DayOfWeek, rt::CalendarFn::DayOfWeek}};
      std::vector<int32_t> args;
      for (const auto& a : e.args) args.push_back(Lower(*a));
      result.optional = false;
      for (int32_t a : args) result.optional |= Optional(a);
      rt::CalendarFn fn = fns.at(id);
      return Emit(Op::Calendar, result, args, int64_t(fn), rt::CalendarCanFail(fn) ? DateRangeSite() : 0);
    }
    case Builtin::Date: {
      int y = 0, m = 0, d = 0;
      std::sscanf(e.args[0]->text.c_str(), "%d-%d-%d", &y, &m, &d);
      return ConstOf({Kind::Date}, rt::DaysFromCivil(y, m, d));
    }
    case Builtin::Ln:
    case Builtin::Exp:
    case Builtin::Pow:
    case Builtin::Sqrt: {  // rt::Math; missing where there is no real result, overflow when infinite
      static const std::map<Builtin, rt::MathFn> fns = {
          {Builtin::Ln, rt::MathFn::Ln}, {Builtin::Exp, rt::MathFn::Exp}, {Builtin::Pow, rt::MathFn::Pow}, {Builtin::Sqrt, rt::MathFn::Sqrt}};
      std::vector<int32_t> args;
      for (const auto& a : e.args) args.push_back(Operand(*a, {Kind::Number}));
      return Emit(Op::Math, result, args, int64_t(fns.at(id)), OverflowSite());
    }
    default: return Rounding(e, id);
  }
}

rt::RoundMode Lowerer::ModeOf(const Expr& e, Builtin id) {
  if (e.args.size() == 3) return static_cast<rt::RoundMode>(check::RoundModeOf(e.args[2]->text));  // round(x, unit, MODE)
  switch (id) {
    case Builtin::Floor: return rt::RoundMode::Floor;
    case Builtin::Ceil: return rt::RoundMode::Ceil;
    case Builtin::RoundHalfEven: return rt::RoundMode::HalfEven;
    default: return rt::RoundMode::HalfUp;
  }
}

int32_t Lowerer::Rounding(const Expr& e, Builtin id) {
  int64_t unit = 1;
  int unit_scale = 0;
  if (e.args.size() >= 2) LiteralValue(*e.args[1], unit, unit_scale);
  ValueType result = ValueTypeOf(e.type);
  const Expr& x = *e.args[0];
  int32_t k;
  auto mode = static_cast<int64_t>(ModeOf(e, id));
  if (x.resolved.exact_quotient || x.type.is_exact()) {
    // value = n1·n2 / d with scales sn1+sn2 and sd;  k = n1·n2·10^(sd+su) / (d·u·10^(sn1+sn2))
    int32_t n1, n2, d;
    int sn, sd;
    const Expr* numerator = x.resolved.exact_quotient ? x.args[0].get() : &x;
    if (numerator->kind == ExprKind::Binary && numerator->op == ast::BinaryOp::Mul && numerator->type.is_exact()) {
      n1 = Lower(*numerator->args[0]);
      n2 = Lower(*numerator->args[1]);
      sn = TypeOf(n1).scale + TypeOf(n2).scale;
    } else {
      n1 = Lower(*numerator);
      n2 = Int(1);
      sn = TypeOf(n1).scale;
    }
    if (x.resolved.exact_quotient) {
      d = Lower(*x.args[1]);
      sd = TypeOf(d).scale;
    } else {
      d = Int(1);
      sd = 0;
    }
    // A quotient may be missing (a zero divisor) only where the checker typed it so.
    bool may_be_missing = AnyOptional({n1, n2, d}) || (x.resolved.exact_quotient && x.type.optional);
    Instr in{Op::RoundQuot, {Kind::Int, 0, may_be_missing}, {n1, n2, d}};
    in.imm = mode;
    // M / U as a reduced fraction; the checker proved it fits in 64 bits.
    rt::ReducedRatio ratio = rt::Reduce(__int128(rt::Pow10(sd + unit_scale)), __int128(unit) * rt::Pow10(sn));
    in.imm2 = int64_t(ratio.num);
    in.imm3 = int64_t(ratio.den);
    in.site = OverflowSite();
    k = Emit(std::move(in));
  } else {
    int32_t a = Convert(Lower(x), {Kind::Number});
    Instr in{Op::NumRound, {Kind::Int, 0, Optional(a)}, {a}};
    in.imm = mode;
    in.fimm = double(unit) / double(rt::Pow10(unit_scale));
    in.site = OverflowSite();
    k = Emit(std::move(in));
  }
  // result = k·unit at scale unit_scale, then widened to the result scale
  ValueType t{unit_scale == 0 ? Kind::Int : Kind::Decimal, int8_t(unit_scale), Optional(k)};
  int32_t value = unit == 1 && unit_scale == 0 ? k : Emit(Op::Mul, t, {k, ConstOf({Kind::Int}, unit)}, 0, OverflowSite());
  return Convert(value, result);
}

TableLowering Lowerer::Tables() {
  return {p_,
          [this](Instr in) { return Emit(std::move(in)); },
          [this](const Expr& e, const Type& t) { return LowerAs(e, t); },
          [this](const std::string& s) { return String(s); },
          [this](int32_t r) { return Commit(r); },
          [](const Type& t) { return ValueTypeOf(t); },
          [this](int32_t r) { return TypeOf(r); },
          [this]() { return OverflowSite(); },
          probes_.get()};
}

int32_t Lowerer::Index(const Expr& e) {
  int decl = cp_.symbols[e.args[0]->resolved.symbol].decl;
  if (cp_.lookup_table_ids[decl] >= 0) {
    TableLowering tables = Tables();
    return LowerLookup(tables, cp_, decl, e);
  }
  const auto& table = ast_.tables[decl];
  Type required = cp_.symbols[e.args[0]->resolved.symbol].type.Required();
  std::vector<int32_t> keys, present;
  for (size_t i = 1; i < e.args.size(); ++i) {
    keys.push_back(Lower(*e.args[i]));
    present.push_back(Required(keys.back()));
  }
  int32_t acc = -1;
  std::vector<int32_t> entry_matches(table.entries.size(), -1);  // for probes: -1 the default entry
  for (const auto& entry : table.entries)
    if (entry.keys.empty()) acc = LowerAs(*entry.value, required);
  for (auto it = table.entries.rbegin(); it != table.entries.rend(); ++it) {
    if (it->keys.empty()) continue;
    int32_t v = LowerAs(*it->value, required);
    if (acc < 0) {  // the last entry: whatever no earlier entry takes
      acc = v;
      continue;
    }
    int32_t matches = -1;
    for (const auto& tuple : it->keys) {
      int32_t all = -1;
      for (size_t i = 0; i < tuple.size(); ++i) {
        if (tuple[i].text == "_") continue;
        int id = e.args[i + 1]->type.enum_id;
        const auto& values = cp_.enums[id].values;
        int64_t ordinal = std::find(values.begin(), values.end(), tuple[i].text) - values.begin();
        int32_t eq = Emit(Op::Eq, {Kind::Bool}, {present[i], ConstOf({Kind::Enum, 0, false, int16_t(id)}, ordinal)});
        all = all < 0 ? eq : Emit(Op::And, {Kind::Bool}, {all, eq});
      }
      if (all < 0) all = Bool(true);
      matches = matches < 0 ? all : Emit(Op::Or, {Kind::Bool}, {matches, all});
    }
    acc = Emit(Op::Select, TypeOf(v), {matches, v, acc});
    if (probes_) entry_matches[table.entries.size() - 1 - size_t(it - table.entries.rbegin())] = matches;
  }
  int32_t missing_key = -1;
  for (int32_t k : keys) {
    if (!Optional(k)) continue;
    int32_t m = Emit(Op::IsMissing, {Kind::Bool}, {k});
    missing_key = missing_key < 0 ? m : Emit(Op::Or, {Kind::Bool}, {missing_key, m});
  }
  int32_t result = acc;
  if (missing_key >= 0) {
    ValueType t = TypeOf(acc);
    t.optional = true;
    result = Emit(Op::Select, t, {missing_key, Emit(Op::Missing, t, {}), acc});
  }
  if (probes_) probes_->EnumLookup(table, decl, entry_matches, missing_key, result);
  return result;
}

int32_t Lowerer::InlineCall(const Expr& e) {
  const auto& fn = cp_.functions[e.resolved.symbol];
  std::vector<int32_t> args;
  for (size_t i = 0; i < e.args.size(); ++i) args.push_back(LowerAs(*e.args[i], cp_.symbols[fn.params[i]].type));
  std::vector<std::pair<int, std::optional<int32_t>>> saved;
  for (size_t i = 0; i < args.size(); ++i) {
    auto it = param_regs_.find(fn.params[i]);
    saved.push_back({fn.params[i], it == param_regs_.end() ? std::nullopt : std::optional<int32_t>(it->second)});
    param_regs_[fn.params[i]] = args[i];
  }
  int32_t r = LowerAs(*ast_.functions[e.resolved.symbol].body, fn.result);
  for (auto& [s, old] : saved) {
    if (old) param_regs_[s] = *old;
    else param_regs_.erase(s);
  }
  return r;
}

int32_t Lowerer::NameRef(const Expr& e) {
  if (e.resolved.enum_value) return ConstOf(ValueTypeOf(e.type.Required()), e.resolved.index);
  int s = e.resolved.symbol;
  if (group_ && cp_.symbols[s].kind == SymbolKind::GroupLet) return group_regs_.at(s);
  if (cp_.symbols[s].kind == SymbolKind::Param) return param_regs_.at(s);
  return ValueOf({s, -1, -1});
}

int32_t Lowerer::MemberValue(const Expr& e) {
  return ValueOf({e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index});
}

int32_t Lowerer::ValueOf(ValueKey key) {
  if (!group_) return record_values_.at(key);
  int slot = StateSlot(key);
  if (auto it = state_reads_.find(slot); it != state_reads_.end()) return it->second;
  return state_reads_[slot] = Emit(Op::State, p_.info.state[slot], {}, slot);
}

int Lowerer::StateSlot(ValueKey key, const std::string& name) {
  if (auto it = state_slots_.find(key); it != state_slots_.end()) return it->second;
  int32_t reg = record_values_.at(key);
  int slot = static_cast<int>(p_.state_regs.size());
  p_.state_regs.push_back(reg);
  // A `let` may be missing as its declared type says, whatever its expression: the group pass
  // can `set` it to missing (`let capped: money? = min(limit, 5_000.00)`).
  ValueType type = p_.code[reg].type;
  int s = std::get<0>(key);
  if (s >= 0 && std::get<1>(key) < 0 && cp_.symbols[s].kind == SymbolKind::Let) type.optional |= cp_.symbols[s].type.optional;
  p_.info.state.push_back(type);
  p_.info.state_names.push_back(name.empty() ? KeyName(key) : name);
  state_slots_[key] = slot;
  return slot;
}

std::string Lowerer::KeyName(ValueKey key) const {
  auto [s, member, index] = key;
  std::string base = s >= 0 ? cp_.symbols[s].name : "value";
  if (member < 0) return base;
  switch (static_cast<MemberKind>(member)) {
    case MemberKind::RulesFired: return base + ".fired";
    case MemberKind::RulesEffect: return base + (index == 0 ? ".declined" : index == 1 ? ".referred" : ".flagged");
    case MemberKind::RulesFirst: return base + ".first";
    case MemberKind::RulesCount: return base + ".count";
    case MemberKind::RulesCodes: return base + ".codes";
    case MemberKind::RuleHit: return base + "." + ast_.rule_sets[cp_.symbols[s].decl].rules[index].code.text;
    case MemberKind::ScoreTotal: return base + ".score";
    case MemberKind::ScoreReason: return fmt::format("{}.reason({})", base, index);
    case MemberKind::ScoreReasons: return base + ".reasons";
    case MemberKind::ScorePoints: return base + "." + ast_.scorecards[cp_.symbols[s].decl].characteristics[index].code.text;
    case MemberKind::DecisionReason: return base + ".reason";
    case MemberKind::ScoreOdds: return base + ".odds";
    case MemberKind::ScorePd: return base + ".pd";
    case MemberKind::TableOutput: return base + "." + ast_.decision_tables[cp_.symbols[s].decl].outputs[index].text;
    case MemberKind::TableRow: return base + ".row";
    case MemberKind::TableRows: return base + ".rows";
    case MemberKind::TableCount: return base + ".count";
    case MemberKind::TableMatched: return base + ".matched";
    case MemberKind::ReferenceField: return base;
  }
  return base;
}

}  // namespace credo::lower
