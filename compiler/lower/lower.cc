// lower.cc — Lower (lower.h): runs the Lowerer (lowerer.h); its run over the policy, and its
// helpers for instructions, probes, sites, constants, literals and type conversions.
#include "compiler/lower/lower.h"

#include "compiler/lower/lowerer.h"

namespace credo::lower {

// The policy's reject texts: its rejects block over today's words.
rt::RejectTexts RejectTextsOf(const ast::Policy& policy) {
  rt::RejectTexts texts;
  for (const auto& block : policy.rejects)
    for (const auto& t : block.texts)
      for (size_t k = 0; k < rt::kRejectKinds; ++k)
        if (rt::kRejectKindInfo[k].name == t.kind.text) texts.text[k] = t.text;
  return texts;
}

ir::Program Lowerer::Run() {
  p_.info.name = ast_.name.text;
  p_.info.version = ast_.version;
  for (const auto& lib : ast_.libraries) p_.libraries.push_back({lib.name, lib.version});
  p_.info.reasons.push_back({"", -1});  // status 0: evaluated
  for (const auto& e : cp_.enums) p_.info.enums.push_back({e.name, e.values});
  p_.info.code_sets.push_back(cp_.warning_codes);
  code_ = &p_.code;
  p_.info.rejects = RejectTextsOf(ast_);
  LowerInputs();
  LowerReferences();
  for (int s : cp_.record_order) LowerSymbol(s);
  LowerGroup();
  LowerOutput();
  LowerGroupOutputs();
  LowerReferenceRows();
  if (probes_) {  // the program's own code is complete: its hash, then the probes' code after it
    p_.hash = ir::Hash(p_);
    probes_->Finish();
  }
  return std::move(p_);
}

int32_t Lowerer::Shown(const Expr& e, int32_t r) {
  if (!probes_) return r;
  if (e.kind == ExprKind::NameRef || e.kind == ExprKind::Member) {
    if (!e.resolved.enum_value && (e.kind == ExprKind::Member || cp_.symbols[e.resolved.symbol].kind != SymbolKind::Param))
      probes_->NameRead(e, r);
  } else {
    probes_->Step(e, r);
  }
  return r;
}

int32_t Lowerer::ConstOf(ValueType type, int64_t bits) {
  type.optional = false;
  auto key = std::make_tuple(static_cast<int>(type.kind), int(type.scale), int(type.names), bits);
  auto& memo = code_ == &p_.code ? const_memo_ : group_const_memo_;
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  return memo[key] = Emit(Op::Const, type, {}, bits);
}

ValueType Lowerer::ValueTypeOf(const Type& t) {
  ValueType v;
  switch (t.base) {
    case Base::Bool: v.kind = Kind::Bool; break;
    case Base::Int: v.kind = Kind::Int; break;
    case Base::Number: v.kind = Kind::Number; break;
    case Base::Decimal: v.kind = Kind::Decimal; v.scale = t.scale; break;
    case Base::String: v.kind = Kind::String; break;
    case Base::Date: v.kind = Kind::Date; break;
    case Base::Enum: v.kind = Kind::Enum; v.names = t.enum_id; break;
    case Base::Codes: v.kind = Kind::Codes; v.names = 0; break;
    default: v.kind = Kind::Int; break;
  }
  v.optional = t.optional;
  return v;
}

int32_t Lowerer::Convert(int32_t r, ValueType to) {
  ValueType from = TypeOf(r);
  bool exact_from = from.kind == Kind::Int || from.kind == Kind::Decimal;
  if (to.kind == Kind::Decimal && exact_from && to.scale > from.scale)
    return Emit(Op::Rescale, {Kind::Decimal, to.scale, from.optional}, {r}, to.scale - from.scale, OverflowSite());
  if (to.kind == Kind::Number && exact_from) return Emit(Op::ToNum, {Kind::Number, 0, from.optional}, {r}, from.scale);
  return r;
}

int32_t Lowerer::Required(int32_t r) {
  if (!Optional(r)) return r;
  ValueType t = TypeOf(r);
  int32_t zero = t.kind == Kind::String ? String("") : ConstOf(t, 0);
  t.optional = false;
  return Emit(Op::Coalesce, t, {r, zero});
}

int32_t Lowerer::LowerAs(const Expr& e, const Type& want) {
  ValueType to = ValueTypeOf(want);
  if (e.kind == ExprKind::MissingLit) {
    to.optional = true;
    return Emit(Op::Missing, to, {});
  }
  if (IsLiteral(e) && (to.kind == Kind::Number || to.kind == Kind::Decimal || to.kind == Kind::Int)) return Literal(e, to);
  int32_t r = Convert(Lower(e), to);
  return want.optional ? r : Required(r);
}

void Lowerer::LiteralValue(const Expr& e, int64_t& scaled, int& scale) {
  if (e.kind == ExprKind::Neg) {
    LiteralValue(*e.args[0], scaled, scale);
    scaled = -scaled;
    return;
  }
  scaled = e.int_value;
  scale = e.kind == ExprKind::DecimalLit ? e.scale : 0;
}

int32_t Lowerer::NumberConst(int64_t scaled, int scale, ValueType to) {
  if (to.kind == Kind::Number) return Number(double(scaled) / double(rt::Pow10(scale)));
  if (to.kind == Kind::Decimal && to.scale >= scale) {
    int64_t wide;
    if (!__builtin_mul_overflow(scaled, rt::Pow10(to.scale - scale), &wide)) return ConstOf(to, wide);
    // Not representable at this scale: the record fails as an overflow, as any other would.
    int32_t narrow = ConstOf({Kind::Decimal, int8_t(scale)}, scaled);
    return Emit(Op::Rescale, to, {narrow}, to.scale - scale, OverflowSite());
  }
  if (to.kind == Kind::Decimal || scale > 0) return ConstOf({Kind::Decimal, int8_t(scale)}, scaled);
  return Int(scaled);
}

}  // namespace credo::lower

namespace credo {

ir::Program Lower(const check::CheckedPolicy& policy) { return lower::Lowerer(policy, {}).Run(); }

ir::Program Lower(const check::CheckedPolicy& policy, const LowerOptions& options) { return lower::Lowerer(policy, options).Run(); }

}  // namespace credo
