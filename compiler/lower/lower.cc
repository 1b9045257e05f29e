#include "compiler/lower/lower.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <map>
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "compiler/lower/lists_text.h"
#include "compiler/lower/lower_references.h"
#include "compiler/lower/lower_tables.h"
#include "compiler/lower/probes.h"
#include "runtime/core/calendar.h"
#include "compiler/lower/scaled.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/core/math.h"

namespace credo {
namespace {

using ast::Expr;
using ast::ExprKind;
using check::Builtin;
using check::MemberKind;
using check::SymbolKind;
using ir::Instr;
using ir::Op;
using rt::Kind;
using rt::ValueType;

// A value the record program computes and the group pass or the output may read.
using ValueKey = std::tuple<int, int, int>;  // symbol, member (-1: the value itself), index


// The policy's reject texts: its rejects block over today's words.
rt::RejectTexts RejectTextsOf(const ast::Policy& policy) {
  rt::RejectTexts texts;
  for (const auto& block : policy.rejects)
    for (const auto& t : block.texts)
      for (size_t k = 0; k < rt::kRejectKinds; ++k)
        if (rt::kRejectKindInfo[k].name == t.kind.text) texts.text[k] = t.text;
  return texts;
}

class Lowerer : public lower::Builder {
 public:
  Lowerer(const check::CheckedPolicy& cp, const LowerOptions& options) : cp_(cp), ast_(cp.ast()) {
    if (options.probes) probes_ = std::make_unique<lower::ProbeRecorder>(p_, options.source, group_);
    source_ = options.source;
  }

  ir::Program Run() {
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

 private:
  // ---- emitting -------------------------------------------------------------------------------

  int32_t Emit(Instr in) override {
    Fails().push_back(ir::MayFail(in, Fails(), scalar_fails_));
    code_->push_back(std::move(in));
    return static_cast<int32_t>(code_->size() - 1);
  }
  // ir::MayFail of each register of the program being emitted, kept as it grows.
  std::vector<bool>& Fails() { return code_ == &p_.code ? record_fails_ : group_fails_; }
  bool MayFail(int32_t r) { return Fails()[r]; }
  // A declared value is used: its error, if it may have one, becomes the record's status here
  // (ir.h, "Errors are values"); what is computed from it afterwards carries none.
  int32_t Commit(int32_t r) { return MayFail(r) ? Emit(Op::Use, TypeOf(r), {r}) : r; }
  int32_t Emit(Op op, ValueType type, std::vector<int32_t> args, int64_t imm = 0, int32_t site = 0) {
    Instr in{op, type, std::move(args)};
    in.imm = imm;
    in.site = site;
    return Emit(std::move(in));
  }
  const ValueType& TypeOf(int32_t r) const override { return (*code_)[r].type; }

  // ---- probes (lower/probes.h): only when lowered for explain or coverage --------------------

  // Adds a probe and makes it the parent of those added until CloseProbe; -1 without probes.
  int32_t OpenProbe(ir::ProbeKind kind, const std::string& name, Span span) {
    if (!probes_) return -1;
    int32_t i = probes_->Add(kind, name, span);
    probes_->Open(i);
    return i;
  }
  void CloseProbe(int32_t i, int32_t value = -1, int32_t hit = -1) {
    if (i < 0) return;
    probes_->Close();
    if (value >= 0) probes_->SetValue(i, value);
    if (hit >= 0) probes_->SetHit(i, hit);
  }
  // Probes' guard for the part of an expression lowered while it is open (ProbeRecorder::PushGuard).
  class Guard {
   public:
    Guard(lower::ProbeRecorder* probes, int32_t reg, lower::ProbeRecorder::GuardOn on) : probes_(probes) {
      if (probes_) probes_->PushGuard(reg, on);
    }
    void End() {
      if (probes_) probes_->PopGuard();
      probes_ = nullptr;
    }
    ~Guard() { End(); }

   private:
    lower::ProbeRecorder* probes_;
  };
  // A name's value or a shown sub-expression (a cap, a rounding, a choice, a function's result).
  int32_t Shown(const Expr& e, int32_t r) {
    if (!probes_) return r;
    if (e.kind == ExprKind::NameRef || e.kind == ExprKind::Member) {
      if (!e.resolved.enum_value && (e.kind == ExprKind::Member || cp_.symbols[e.resolved.symbol].kind != SymbolKind::Param))
        probes_->NameRead(e, r);
    } else {
      probes_->Step(e, r);
    }
    return r;
  }
  // A condition of a block with `missing means false`: a MissingFalse probe when it may be missing.
  void MissingFalse(const ast::MissingFalse& block, const std::string& name, Span span, int32_t raw) {
    if (!probes_ || !block.on || !Optional(raw)) return;
    int32_t i = probes_->Add(ir::ProbeKind::MissingFalse, name, span);
    probes_->HitLater(i, probes_->Guarded([raw](lower::HitBuilder& h) { return h.IsMissing(raw); }));
  }
  bool ProbingBins(const std::vector<ast::Bin>& bins) const { return probes_ && probes_->WantsBins(bins); }
  const rt::PolicyInfo& Info() const override { return p_.info; }
  bool Optional(int32_t r) const { return TypeOf(r).optional; }
  bool AnyOptional(std::initializer_list<int32_t> regs) const {
    for (int32_t r : regs)
      if (Optional(r)) return true;
    return false;
  }

  int32_t ConstOf(ValueType type, int64_t bits) {
    type.optional = false;
    auto key = std::make_tuple(static_cast<int>(type.kind), int(type.scale), int(type.names), bits);
    auto& memo = code_ == &p_.code ? const_memo_ : group_const_memo_;
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    return memo[key] = Emit(Op::Const, type, {}, bits);
  }
  int32_t Bool(bool b) { return ConstOf({Kind::Bool}, b); }
  int32_t Int(int64_t v) { return ConstOf({Kind::Int}, v); }
  int32_t Number(double d) { return ConstOf({Kind::Number}, std::bit_cast<int64_t>(d)); }
  int32_t String(const std::string& s) {
    auto [it, added] = string_ids_.try_emplace(s, int64_t(p_.strings.size()));
    if (added) p_.strings.push_back(s);
    return ConstOf({Kind::String}, it->second);
  }

  // The reject reason `text` (of input field `field`, or -1) as a status code, added once.
  int32_t Site(const std::string& text, int field = -1, std::string rule = "") {
    auto [it, added] = site_ids_.try_emplace({text, field}, int32_t(p_.info.reasons.size()));
    if (added) p_.info.reasons.push_back({text, field, std::move(rule)});
    return it->second;
  }
  // `keyword` and the expression at `span` on one line, for a reject's detail; "" without source.
  std::string Rule(std::string_view keyword, Span span) const {
    if (!source_) return "";
    return std::string(keyword) + " " + OnOneLine(source_->Slice(span), 200);
  }
  int32_t OverflowSite() {
    return Site(p_.info.rejects.Format(rt::RejectKind::Overflow, what_), -1,
                fmt::format("computing {} went beyond the range of its type", what_));
  }
  int32_t DateRangeSite() {
    return Site(p_.info.rejects.Format(rt::RejectKind::DateRange, what_), -1,
                fmt::format("the date computed for {} is outside 0000-01-01..9999-12-31", what_));
  }

  static ValueType ValueTypeOf(const Type& t) {
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

  // ---- conversions ----------------------------------------------------------------------------

  // Converts register r to the value type `to` (exactly, or Int/Decimal → Number).
  int32_t Convert(int32_t r, ValueType to) {
    ValueType from = TypeOf(r);
    bool exact_from = from.kind == Kind::Int || from.kind == Kind::Decimal;
    if (to.kind == Kind::Decimal && exact_from && to.scale > from.scale)
      return Emit(Op::Rescale, {Kind::Decimal, to.scale, from.optional}, {r}, to.scale - from.scale, OverflowSite());
    if (to.kind == Kind::Number && exact_from) return Emit(Op::ToNum, {Kind::Number, 0, from.optional}, {r}, from.scale);
    return r;
  }

  // A register that is never missing: where the checker proved presence but the physical
  // register carries validity (narrowing), its missing lanes are unreachable; fill them.
  int32_t Required(int32_t r) {
    if (!Optional(r)) return r;
    ValueType t = TypeOf(r);
    int32_t zero = t.kind == Kind::String ? String("") : ConstOf(t, 0);
    t.optional = false;
    return Emit(Op::Coalesce, t, {r, zero});
  }

  // Lowers `e` as a value of checker type `want` (coercing numbers, filling literals).
  int32_t LowerAs(const Expr& e, const Type& want) {
    ValueType to = ValueTypeOf(want);
    if (e.kind == ExprKind::MissingLit) {
      to.optional = true;
      return Emit(Op::Missing, to, {});
    }
    if (IsLiteral(e) && (to.kind == Kind::Number || to.kind == Kind::Decimal || to.kind == Kind::Int)) return Literal(e, to);
    int32_t r = Convert(Lower(e), to);
    return want.optional ? r : Required(r);
  }

  static bool IsLiteral(const Expr& e) {
    if (e.kind == ExprKind::Neg) return IsLiteral(*e.args[0]);
    return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
  }
  static void LiteralValue(const Expr& e, int64_t& scaled, int& scale) {
    if (e.kind == ExprKind::Neg) {
      LiteralValue(*e.args[0], scaled, scale);
      scaled = -scaled;
      return;
    }
    scaled = e.int_value;
    scale = e.kind == ExprKind::DecimalLit ? e.scale : 0;
  }
  int32_t Literal(const Expr& e, ValueType to) {
    int64_t scaled;
    int scale;
    LiteralValue(e, scaled, scale);
    return NumberConst(scaled, scale, to);
  }
  // scaled·10^-scale as a constant of type `to` (an exact double division for Number).
  int32_t NumberConst(int64_t scaled, int scale, ValueType to) {
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

  // ---- expressions ----------------------------------------------------------------------------

  int32_t Lower(const Expr& e) override {
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

  // A list chosen from lists keeps their code set and layout (the checker's type does not say them).
  ValueType ListType(ValueType t, std::initializer_list<int32_t> regs) const {
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

  // The common type two numeric operands are brought to before an op.
  ValueType Common(const Type& a, const Type& b) {
    if (a.is(Base::Number) || b.is(Base::Number)) return {Kind::Number};
    if (a.is(Base::Decimal) || b.is(Base::Decimal)) return {Kind::Decimal, int8_t(std::max(a.scale, b.scale))};
    return {Kind::Int};
  }

  int32_t Compare(ast::BinaryOp op, const Expr& ea, const Expr& eb) {
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

  // An operand converted to `common`, keeping its own missing-ness.
  int32_t Operand(const Expr& e, ValueType common) {
    if (IsLiteral(e)) return Literal(e, common);
    return Convert(Lower(e), common);
  }

  int32_t Binary(const Expr& e) {
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

  int32_t Call(const Expr& e) {
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

  static rt::RoundMode ModeOf(const Expr& e, Builtin id) {
    if (e.args.size() == 3) return static_cast<rt::RoundMode>(check::RoundModeOf(e.args[2]->text));  // round(x, unit, MODE)
    switch (id) {
      case Builtin::Floor: return rt::RoundMode::Floor;
      case Builtin::Ceil: return rt::RoundMode::Ceil;
      case Builtin::RoundHalfEven: return rt::RoundMode::HalfEven;
      default: return rt::RoundMode::HalfUp;
    }
  }

  // floor/ceil/round(x [, unit]): k = round(x / unit) exactly, result k·unit at the result scale.
  int32_t Rounding(const Expr& e, Builtin id) {
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

  // A table lookup as a select chain over its entries, first entry first: small, branch-free,
  // and the JIT folds it. The checker proved the entries (or `else`) cover every key.
  // lower_tables.cc's view of this lowerer.
  TableLowering Tables() {
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

  int32_t Index(const Expr& e) {
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

  // A user function's call, inlined: its arguments, converted to the parameters' types, are
  // what the parameters name while its body is lowered (docs/language.md, "Functions").
  int32_t InlineCall(const Expr& e) {
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

  // ---- names and members ----------------------------------------------------------------------

  int32_t NameRef(const Expr& e) {
    if (e.resolved.enum_value) return ConstOf(ValueTypeOf(e.type.Required()), e.resolved.index);
    int s = e.resolved.symbol;
    if (group_ && cp_.symbols[s].kind == SymbolKind::GroupLet) return group_regs_.at(s);
    if (cp_.symbols[s].kind == SymbolKind::Param) return param_regs_.at(s);
    return ValueOf({s, -1, -1});
  }

  int32_t MemberValue(const Expr& e) {
    return ValueOf({e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index});
  }

  // A record value: its register in the record program, or in the group program a read of
  // the record-state slot that holds it.
  int32_t ValueOf(ValueKey key) {
    if (!group_) return record_values_.at(key);
    int slot = StateSlot(key);
    if (auto it = state_reads_.find(slot); it != state_reads_.end()) return it->second;
    return state_reads_[slot] = Emit(Op::State, p_.info.state[slot], {}, slot);
  }

  int StateSlot(ValueKey key, const std::string& name = "") {
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

  std::string KeyName(ValueKey key) const {
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

  // ---- declarations -----------------------------------------------------------------------------

  void LowerInputs() {
    if (ast_.inputs.empty()) return;
    const auto& input = ast_.inputs[0];
    LowerFields(input.fields, cp_.field_symbols);
    for (const auto& check : input.checks) {
      what_ = "check";
      int32_t ok = Lower(*check.condition);
      int32_t bad = Required(Emit(Op::Not, TypeOf(ok), {ok}));
      Emit(Op::Fail, {Kind::Bool}, {bad}, 0,
           Site(p_.info.rejects.Format(rt::RejectKind::Inconsistent, check.reason), -1, Rule("fails check", check.condition->span)));
    }
    for (const auto& u : input.unique)
      for (size_t f = 0; f < input.fields.size(); ++f)
        if (input.fields[f].name.text == u.text) p_.info.unique_keys.push_back(int(f));
  }

  // Fields read as inputs (the record's, or a reference's rows), then their `where` checks.
  void LowerFields(const std::vector<ast::FieldDecl>& fields, const std::vector<int>& symbols) {
    for (size_t f = 0; f < fields.size(); ++f) {
      int s = symbols[f];
      ValueType t = ValueTypeOf(cp_.symbols[s].type);
      p_.info.inputs.push_back({fields[f].name.text, t, fields[f].where != nullptr, fields[f].type.name.text == "percent"});
      record_values_[{s, -1, -1}] = Emit(Op::Input, t, {}, int64_t(f));
      if (probes_) probes_->Add(ir::ProbeKind::Input, fields[f].name.text, fields[f].name.span, record_values_[{s, -1, -1}]);
    }
    // Declared validation first, so a rejected record reports its input problem, not an
    // arithmetic error that the bad input caused.
    for (size_t f = 0; f < fields.size(); ++f) {
      const auto& field = fields[f];
      if (!field.where) continue;
      what_ = field.name.text;
      int32_t ok = Lower(*field.where);
      int32_t bad = Required(Emit(Op::Not, TypeOf(ok), {ok}));
      std::string reason =
          field.reason.empty() ? p_.info.rejects.Format(rt::RejectKind::OutOfRange, field.name.text) : field.reason;
      Emit(Op::Fail, {Kind::Bool}, {bad}, 0, Site(reason, int(f), Rule("where", field.where->span)));
    }
  }

  // Each reference: how its rows are read and checked (a program of its own), and its key. The
  // columns the record program reads are added as its lookups are lowered.
  void LowerReferences() {
    for (size_t r = 0; r < ast_.references.size(); ++r) {
      const auto& decl = ast_.references[r];
      p_.references.push_back({decl.name.text, decl.title, decl.many, cp_.references[r].key, nullptr, {}});
      p_.info.references.push_back(decl.name.text);
    }
    row_values_.resize(ast_.references.size());
  }

  // Once every lookup is lowered: each reference's row program, with the expressions of a row
  // that the lookups aggregate (lower_references.h).
  void LowerReferenceRows() {
    for (size_t r = 0; r < p_.references.size(); ++r)
      p_.references[r].rows = std::make_shared<ir::Program>(Lowerer(cp_, {}).RunReferenceRows(int(r), row_values_[r]));
  }
  int RowValue(int r, const Expr& e) {
    auto& values = row_values_[size_t(r)];
    for (size_t i = 0; i < values.size(); ++i)
      if (values[i] == &e) return int(i);
    values.push_back(&e);
    return int(values.size() - 1);
  }

 public:
  ir::Program RunReferenceRows(int r, const std::vector<const Expr*>& row_values) {
    const auto& ref = ast_.references[r];
    p_.info.name = ref.name.text;
    p_.info.reasons.push_back({"", -1});
    for (const auto& e : cp_.enums) p_.info.enums.push_back({e.name, e.values});
    p_.info.code_sets.push_back({});
    code_ = &p_.code;
    p_.info.rejects = RejectTextsOf(ast_);
    LowerFields(ref.fields, cp_.references[r].field_symbols);
    for (size_t i = 0; i < row_values.size(); ++i) {  // state slot i: expression i of a row
      what_ = ref.name.text;
      int32_t reg = Commit(LowerAs(*row_values[i], row_values[i]->type));
      p_.state_regs.push_back(reg);
      p_.info.state.push_back(TypeOf(reg));
      p_.info.state_names.push_back(fmt::format("row value {}", i));
    }
    p_.hash = ir::Hash(p_);
    return std::move(p_);
  }

 private:
  lower::ReferenceLowering References() {
    return {p_, *this, [this](ValueType t, int64_t bits) { return ConstOf(t, bits); },
            [](const Type& t) { return ValueTypeOf(t); }, [this]() { return OverflowSite(); },
            code_ == &p_.code ? record_finds_ : group_finds_, [this](int r, const Expr& e) { return RowValue(r, e); }};
  }

  void LowerSymbol(int s) {
    const check::Symbol& sym = cp_.symbols[s];
    what_ = sym.name;
    switch (sym.kind) {
      case SymbolKind::Let: {
        int32_t probe = OpenProbe(ir::ProbeKind::Let, sym.name, ast_.lets[sym.decl].name.span);
        record_values_[{s, -1, -1}] = Commit(LowerAs(*ast_.lets[sym.decl].value, sym.type));
        CloseProbe(probe, record_values_[{s, -1, -1}]);
        break;
      }
      case SymbolKind::RuleSet: LowerRuleSet(s, ast_.rule_sets[sym.decl]); break;
      case SymbolKind::Scorecard: LowerScorecard(s, sym.decl); break;
      case SymbolKind::Band: {
        const auto& band = ast_.bands[sym.decl];
        int32_t probe = OpenProbe(ir::ProbeKind::Band, sym.name, band.name.span);
        if (probes_) probes_->ExpectBins(&band.bins, ir::ProbeKind::BandRange);
        record_values_[{s, -1, -1}] = Commit(Bins(*band.subject, band.bins, sym.type));
        CloseProbe(probe, record_values_[{s, -1, -1}]);
        break;
      }
      case SymbolKind::Decision: LowerDecision(s, ast_.decisions[sym.decl]); break;
      case SymbolKind::DecisionTable: {
        TableLowering tables = Tables();
        int32_t probe = OpenProbe(ir::ProbeKind::DecisionTable, sym.name, ast_.decision_tables[sym.decl].name.span);
        for (auto [member, reg] : LowerDecisionTable(tables, cp_, sym.decl)) {
          record_values_[{s, member.first, member.second}] = reg;
          if (probes_) probes_->Add(ir::ProbeKind::Step, KeyName({s, member.first, member.second}), {}, reg);
        }
        CloseProbe(probe);
        break;
      }
      case SymbolKind::Warnings: {
        int32_t codes = ConstOf({Kind::Codes, 0, false, 0}, 0);
        if (!ast_.warnings.empty())
          for (size_t w = 0; w < ast_.warnings[0].warnings.size(); ++w) {
            const auto& warning = ast_.warnings[0].warnings[w];
            int32_t probe = OpenProbe(ir::ProbeKind::Warning, warning.code.text, warning.code.span);
            int32_t raw = Lower(*warning.when);
            MissingFalse(ast_.warnings[0].missing_false, warning.code.text, warning.code.span, raw);
            int32_t when = Commit(Required(raw));
            CloseProbe(probe, when, when);
            codes = Emit(Op::CodesAdd, {Kind::Codes, 0, false, 0}, {codes, when}, int64_t(1) << w);
          }
        record_values_[{s, -1, -1}] = codes;
        break;
      }
      default: break;
    }
  }

  void LowerRuleSet(int s, const ast::RuleSet& set) {
    int16_t code_set = static_cast<int16_t>(p_.info.code_sets.size());
    p_.info.code_sets.emplace_back();
    int32_t fired = Bool(false), first = String(""), count = Int(0), codes = ConstOf({Kind::Codes, 0, false, code_set}, 0);
    std::vector<int32_t> hits;
    for (size_t r = 0; r < set.rules.size(); ++r) {
      what_ = set.rules[r].code.text;
      int32_t probe = OpenProbe(ir::ProbeKind::Rule, what_, set.rules[r].code.span);
      int32_t raw = Lower(*set.rules[r].when);
      MissingFalse(set.missing_false, what_, set.rules[r].code.span, raw);
      int32_t hit = Commit(Required(raw));  // every rule is evaluated
      CloseProbe(probe, hit, hit);
      hits.push_back(hit);
      record_values_[{s, int(MemberKind::RuleHit), int(r)}] = hit;
      p_.info.code_sets[code_set].push_back(set.rules[r].code.text);
      fired = Emit(Op::Or, {Kind::Bool}, {fired, hit});
      count = Emit(Op::Add, {Kind::Int}, {count, Emit(Op::Select, {Kind::Int}, {hit, Int(1), Int(0)})});  // at most 64
      codes = Emit(Op::CodesAdd, {Kind::Codes, 0, false, code_set}, {codes, hit}, int64_t(1) << r);
    }
    for (size_t r = set.rules.size(); r-- > 0;)
      first = Emit(Op::Select, {Kind::String}, {hits[r], String(set.rules[r].code.text), first});
    static const char* kEffects[] = {"decline", "refer", "flag"};
    for (int effect = 0; effect < 3; ++effect) {
      int32_t any = Bool(false);
      for (size_t r = 0; r < set.rules.size(); ++r)
        if (set.rules[r].effect.text == kEffects[effect]) any = Emit(Op::Or, {Kind::Bool}, {any, hits[r]});
      record_values_[{s, int(MemberKind::RulesEffect), effect}] = any;
    }
    record_values_[{s, int(MemberKind::RulesFired), -1}] = fired;
    record_values_[{s, int(MemberKind::RulesFirst), -1}] = first;
    record_values_[{s, int(MemberKind::RulesCount), -1}] = count;
    record_values_[{s, int(MemberKind::RulesCodes), -1}] = codes;
  }

  // A scorecard: point or scaled (the checker's points table, lower/scaled.h). Both kinds end in
  // the same shape: points per characteristic, the score, and RankReason over int shortfalls.
  void LowerScorecard(int s, int index) {
    const auto& card = ast_.scorecards[index];
    const auto& info = cp_.scorecards[index];
    const check::Scaling& scaling = cp_.scalings[index];
    bool unrounded = scaling.scaled && scaling.rounding != check::Scaling::PerBin;  // number points
    std::vector<std::vector<int64_t>> keys = unrounded ? lower::ShortfallKeys(info) : std::vector<std::vector<int64_t>>{};
    int32_t total = unrounded ? Number(0.0) : Int(card.baseline.value_or(0));
    std::vector<std::pair<std::string, int32_t>> shortfalls;
    int32_t card_probe = OpenProbe(ir::ProbeKind::Scorecard, card.name.text, card.name.span);
    for (size_t c = 0; c < card.characteristics.size(); ++c) {
      const auto& ch = card.characteristics[c];
      what_ = ch.code.text;
      int32_t probe = OpenProbe(ir::ProbeKind::Characteristic, ch.code.text, ch.code.span);
      if (probes_) probes_->ExpectBins(&ch.bins, ir::ProbeKind::Bin);
      int32_t points, shortfall = -1;
      if (!scaling.scaled) {
        points = Commit(Bins(*ch.subject, ch.bins, Type::Of(Base::Int), /*disjoint=*/true));
      } else {
        int32_t subject = Lower(*ch.subject);
        points = Commit(Bins(*ch.subject, ch.bins, Type::Of(unrounded ? Base::Number : Base::Int), true, subject,
                             [&](size_t b) { return unrounded ? Number(info[c].points[b]) : Int(info[c].rounded[b]); }));
        if (unrounded)  // shortfalls of unrounded points, ranked as ints (lower/scaled.h)
          shortfall = Commit(Bins(*ch.subject, ch.bins, Type::Of(Base::Int), true, subject, [&](size_t b) { return Int(keys[c][b]); }));
      }
      record_values_[{s, int(MemberKind::ScorePoints), int(c)}] = points;
      total = Commit(Emit(Op::Add, {unrounded ? Kind::Number : Kind::Int}, {total, points}, 0, OverflowSite()));
      if (!unrounded) shortfall = Commit(Emit(Op::Sub, {Kind::Int}, {Int(info[c].max_points), points}, 0, OverflowSite()));
      shortfalls.push_back({ch.code.text, shortfall});
      if (probes_) probes_->Add(ir::ProbeKind::Step, "shortfall", {}, shortfall);
      CloseProbe(probe, points);
    }
    what_ = card.name.text;
    if (scaling.scaled && scaling.rounding == check::Scaling::Total) {  // the sum, half away from zero
      Instr in{Op::NumRound, {Kind::Int}, {total}};
      in.imm = int64_t(rt::RoundMode::HalfUp);
      in.fimm = 1.0;
      in.site = OverflowSite();
      total = Commit(Emit(std::move(in)));
    }
    record_values_[{s, int(MemberKind::ScoreTotal), -1}] = total;
    CloseProbe(card_probe, total);
    if (scaling.scaled) LowerOdds(s, total, scaling);
    // Reasons rank by shortfall, ties in declaration order: RankReason's operands in that order.
    std::vector<int32_t> args, ids;
    for (auto& [code, reg] : shortfalls) {
      args.push_back(reg);
      String(code);
      ids.push_back(int32_t(std::find(p_.strings.begin(), p_.strings.end(), code) - p_.strings.begin()));
    }
    p_.reason_sets.push_back(ids);
    int ranks = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
    for (int rank = 1; rank <= ranks; ++rank) {
      Instr in{Op::RankReason, {Kind::String}, args};
      in.imm = rank;
      in.imm2 = int64_t(p_.reason_sets.size() - 1);
      record_values_[{s, int(MemberKind::ScoreReason), rank}] = Emit(std::move(in));
    }
    int32_t reasons = -1;  // its value: the ranked list, or the first reason where the list cannot hold them
    if (ranks <= rt::kMaxRanked) {  // `.reasons`: the same ranking as a ranked list over the codes in args order
      int16_t code_set = static_cast<int16_t>(p_.info.code_sets.size());
      p_.info.code_sets.emplace_back();
      for (auto& [code, reg] : shortfalls) p_.info.code_sets.back().push_back(code);
      Instr in{Op::RankCodes, {Kind::Codes, 0, false, code_set, true}, args};
      in.imm = ranks;
      in.imm2 = int64_t(p_.reason_sets.size() - 1);
      record_values_[{s, int(MemberKind::ScoreReasons), ranks}] = reasons = Emit(std::move(in));
    }
    if (probes_) {
      if (reasons < 0) reasons = record_values_[{s, int(MemberKind::ScoreReason), 1}];
      int32_t i = probes_->Add(ir::ProbeKind::Reasons, card.name.text + ".reasons", card.name.span, reasons);
      p_.probes[size_t(i)].parent = card_probe;
    }
  }

  // A bin's value: its expression, or (scaled scorecards) the constant `bin_value_` gives it.
  int32_t BinValue(const ast::Bin& bin, const Type& want) {
    return bin_value_ ? (*bin_value_)(bin) : LowerAs(*bin.result, want);
  }

  // .odds = exp((score − offset) / factor), .pd = 1 / (1 + odds); used, as the score is.
  void LowerOdds(int s, int32_t score, const check::Scaling& scaling) {
    what_ = cp_.symbols[s].name + ".odds";
    int32_t x = Convert(score, {Kind::Number});
    int32_t z = Emit(Op::Sub, {Kind::Number}, {x, Number(scaling.offset)}, 0, OverflowSite());
    z = Required(Emit(Op::Div, {Kind::Number, 0, true}, {z, Number(scaling.factor)}, 0, OverflowSite()));
    int32_t odds = Commit(Emit(Op::Math, {Kind::Number}, {z}, int64_t(rt::MathFn::Exp), OverflowSite()));
    int32_t one = Number(1.0);
    int32_t pd = Commit(Required(Emit(Op::Div, {Kind::Number, 0, true}, {one, Emit(Op::Add, {Kind::Number}, {one, odds}, 0, OverflowSite())}, 0, OverflowSite())));
    record_values_[{s, int(MemberKind::ScoreOdds), -1}] = odds;
    record_values_[{s, int(MemberKind::ScorePd), -1}] = pd;
  }

  // Bins → a select chain; the first bin that matches wins (scorecard bins are disjoint, so
  // order does not matter there). The checker proved the bins cover every value. `subject_reg`:
  // the subject already lowered (-1: lower it); `value_of`: the bins' values (null: as written).
  int32_t Bins(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint = false,
               int32_t subject_reg = -1, const std::function<int32_t(size_t bin)>& value_of = nullptr) {
    std::function<int32_t(const ast::Bin&)> by_bin = [&](const ast::Bin& bin) { return value_of(size_t(&bin - bins.data())); };
    bin_value_ = value_of ? &by_bin : nullptr;
    int32_t r = BinsOf(subject_expr, bins, result, disjoint, subject_reg);
    bin_value_ = nullptr;
    return r;
  }
  int32_t BinsOf(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint,
                 int32_t subject_reg) {
    int32_t subject = subject_reg >= 0 ? subject_reg : Lower(subject_expr);
    if (ProbingBins(bins)) probes_->BinSubject(subject);
    int32_t value = Required(subject);
    Type want = result.Required();
    int32_t acc = -1, missing_value = -1;
    if (disjoint && subject_expr.type.is_numeric()) acc = Ladder(bins, value, subject_expr.type, want);
    if (acc >= 0) {
      for (const auto& bin : bins)
        for (const auto& t : bin.tests)
          if (t.kind == ast::BinTest::Missing) missing_value = BinValue(bin, want);
    } else {
      if (ProbingBins(bins)) probes_->BinSubject(subject);  // a ladder given up: its tests are not the bins'
      acc = Chain(bins, value, subject_expr.type, want, missing_value);
    }
    if (acc < 0) acc = missing_value;
    if (Optional(subject) && missing_value >= 0)
      acc = Emit(Op::Select, TypeOf(acc), {Emit(Op::IsMissing, {Kind::Bool}, {subject}), missing_value, acc});
    if (ProbingBins(bins)) probes_->BinsDone();
    return acc;
  }

  // The lower end of a numeric bin test: (value, closed); nullopt for an unbounded one.
  static std::optional<std::pair<ast::BinValue, bool>> LowerEnd(const ast::BinTest& t) {
    if (t.kind == ast::BinTest::Interval) return std::make_pair(t.lo, t.lo_closed);
    if (t.kind == ast::BinTest::Value) return std::make_pair(t.value, true);
    if (t.op == ast::CompareOp::Gt) return std::make_pair(t.value, false);
    if (t.op == ast::CompareOp::Ge || t.op == ast::CompareOp::Eq) return std::make_pair(t.value, true);
    return std::nullopt;  // < and <= start at -infinity
  }

  // Disjoint bins that cover every value (proved by the checker), each a single range, as a
  // ladder: sorted by lower end, bin j applies below bin j+1's lower end. One comparison per
  // boundary instead of two per interval. Returns -1 when the bins do not have that shape.
  int32_t Ladder(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want) {
    struct Rung {
      std::optional<std::pair<ast::BinValue, bool>> lo;
      const ast::Bin* bin;
    };
    std::vector<Rung> rungs;
    for (const auto& bin : bins) {
      const ast::BinTest* range = nullptr;
      for (const auto& t : bin.tests) {
        if (t.kind == ast::BinTest::Missing) continue;
        bool simple = t.kind == ast::BinTest::Interval || t.kind == ast::BinTest::Value ||
                      (t.kind == ast::BinTest::Compare && t.op != ast::CompareOp::Ne);
        if (!simple || range) return -1;
        range = &t;
      }
      if (range) rungs.push_back({LowerEnd(*range), &bin});
    }
    if (rungs.size() < 2) return -1;
    auto scaled = [](const ast::BinValue& v) { return __int128(v.scaled) * rt::Pow10(18 - v.scale); };
    std::stable_sort(rungs.begin(), rungs.end(), [&](const Rung& a, const Rung& b) {
      if (!a.lo || !b.lo) return !a.lo && b.lo;
      if (scaled(a.lo->first) != scaled(b.lo->first)) return scaled(a.lo->first) < scaled(b.lo->first);
      return a.lo->second && !b.lo->second;  // [x before (x
    });
    int32_t acc = BinValue(*rungs.back().bin, want);
    for (size_t j = rungs.size() - 1; j-- > 0;) {
      const auto& next = rungs[j + 1].lo;
      if (!next) return -1;  // two unbounded-below bins cannot be disjoint
      ast::BinTest below;
      below.kind = ast::BinTest::Compare;
      below.op = next->second ? ast::CompareOp::Lt : ast::CompareOp::Le;
      below.value = next->first;
      int32_t test = BinTest(below, value, subject);
      acc = Emit(Op::Select, TypeOf(acc), {test, BinValue(*rungs[j].bin, want), acc});
      if (ProbingBins(bins)) probes_->LadderRung(size_t(rungs[j].bin - bins.data()), j, test);
    }
    if (ProbingBins(bins)) probes_->LadderRung(size_t(rungs.back().bin - bins.data()), rungs.size() - 1, -1);
    return acc;
  }

  // Bins as a select chain, tried in order (first match wins); `else` is the default.
  int32_t Chain(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want,
                int32_t& missing_value) {
    int32_t acc = -1;
    for (const auto& bin : bins)
      for (const auto& t : bin.tests)
        if (t.kind == ast::BinTest::Else) acc = BinValue(bin, want);
    for (size_t b = bins.size(); b-- > 0;) {
      int32_t test = -1;
      for (const auto& t : bins[b].tests) {
        if (t.kind == ast::BinTest::Missing) missing_value = BinValue(bins[b], want);
        if (t.kind == ast::BinTest::Missing || t.kind == ast::BinTest::Else) continue;
        int32_t one = BinTest(t, value, subject);
        test = test < 0 ? one : Emit(Op::Or, {Kind::Bool}, {test, one});
      }
      if (test < 0) continue;
      if (ProbingBins(bins)) probes_->ChainTest(b, test);
      int32_t v = BinValue(bins[b], want);
      // Without an else bin the last value bin needs no test: the bins cover every value.
      acc = acc < 0 ? v : Emit(Op::Select, TypeOf(v), {test, v, acc});
    }
    return acc;
  }

  // One bin test over a present subject value.
  int32_t BinTest(const ast::BinTest& t, int32_t value, const Type& subject) {
    auto constant = [&](const ast::BinValue& v) {
      switch (v.kind) {
        case ast::BinValue::String: return String(v.text);
        case ast::BinValue::Bool: return Bool(v.bool_value);
        case ast::BinValue::Name: {
          const auto& values = cp_.enums[subject.enum_id].values;
          return ConstOf({Kind::Enum, 0, false, subject.enum_id}, std::find(values.begin(), values.end(), v.text) - values.begin());
        }
        case ast::BinValue::Number: break;
        case ast::BinValue::Date: break;  // only in decision-table cells, which check/cells.cc reads
      }
      return NumberConst(v.scaled, v.scale, TypeOf(value));
    };
    auto cmp = [&](Op op, const ast::BinValue& v) {
      ValueType vt = TypeOf(value);
      if (v.kind == ast::BinValue::Number && vt.kind != Kind::Number && v.scale > vt.scale)
        return FinerBound(op, value, v.scaled, rt::Pow10(v.scale - vt.scale));
      return Emit(op, {Kind::Bool}, {value, constant(v)});
    };
    switch (t.kind) {
      case ast::BinTest::Interval: {
        int32_t lo = cmp(t.lo_closed ? Op::Ge : Op::Gt, t.lo);
        int32_t hi = cmp(t.hi_closed ? Op::Le : Op::Lt, t.hi);
        return Emit(Op::And, {Kind::Bool}, {lo, hi});
      }
      case ast::BinTest::Compare: {
        static const Op ops[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
        return cmp(ops[static_cast<int>(t.op)], t.value);
      }
      default: return cmp(Op::Eq, t.value);
    }
  }

  // x·d OP c for an exact x and a bound c on a finer grid (d = 10^k > 1), as a comparison of x
  // with a bound on x's own grid: exact, and it cannot overflow as x·d could.
  int32_t FinerBound(Op op, int32_t x, int64_t c, int64_t d) {
    int64_t floor = c / d - (c % d != 0 && c < 0), ceil = c / d + (c % d != 0 && c > 0);
    ValueType vt = TypeOf(x);
    switch (op) {
      case Op::Lt: return Emit(Op::Lt, {Kind::Bool}, {x, ConstOf(vt, ceil)});
      case Op::Le: return Emit(Op::Le, {Kind::Bool}, {x, ConstOf(vt, floor)});
      case Op::Gt: return Emit(Op::Gt, {Kind::Bool}, {x, ConstOf(vt, floor)});
      case Op::Ge: return Emit(Op::Ge, {Kind::Bool}, {x, ConstOf(vt, ceil)});
      default:  // Eq, Ne: only a bound on x's grid can be equal
        if (c % d != 0) return Bool(op == Op::Ne);
        return Emit(op, {Kind::Bool}, {x, ConstOf(vt, c / d)});
    }
  }

  void LowerDecision(int s, const ast::Decision& d) {
    Type type = cp_.symbols[s].type;
    const auto& values = cp_.enums[type.enum_id].values;
    ValueType vt = ValueTypeOf(type);
    int32_t value = -1, reason = -1;
    int32_t probe = OpenProbe(ir::ProbeKind::Decision, d.name.text, d.name.span);
    std::vector<int32_t> arm_probes;
    // The arms' conditions, -1 for the default arm; shared with the probes' guards, which are
    // built once every condition is lowered (the arms are lowered last to first).
    auto conditions = std::make_shared<std::vector<int32_t>>(d.arms.size(), -1);
    for (size_t a = 0; a < d.arms.size() && probes_; ++a)
      arm_probes.push_back(probes_->Add(ir::ProbeKind::DecisionArm, "arm " + std::to_string(a + 1), d.arms[a].span));
    // Arm a is tried when no earlier arm is taken; taken when, besides, its condition holds.
    auto arm_guard = [conditions](size_t a, bool taken) {
      return [conditions, a, taken](lower::HitBuilder& h) {
        std::vector<int32_t> earlier(conditions->begin(), conditions->begin() + std::ptrdiff_t(a));
        return h.AllNone({taken ? (*conditions)[a] : -1}, earlier);
      };
    };
    for (size_t a = d.arms.size(); a-- > 0;) {
      const auto& arm = d.arms[a];
      if (probes_) probes_->Open(arm_probes[a]);
      int32_t outcome = ConstOf(vt, std::find(values.begin(), values.end(), arm.outcome.text) - values.begin());
      if (probes_) probes_->PushGuard(arm_guard(a, true));
      int32_t why = arm.reason ? LowerAs(*arm.reason, Type::Of(Base::String)) : String("");
      if (probes_) probes_->PopGuard();
      if (!arm.condition || value < 0) {
        value = outcome;
        reason = why;
        if (probes_) probes_->Close();
        continue;
      }
      if (probes_) probes_->PushGuard(arm_guard(a, false));
      int32_t raw = Lower(*arm.condition);
      MissingFalse(d.missing_false, "arm " + std::to_string(a + 1), arm.span, raw);
      if (probes_) probes_->PopGuard();
      int32_t c = (*conditions)[a] = Required(raw);
      if (probes_) probes_->Close();
      value = Emit(Op::Select, vt, {c, outcome, value});
      reason = Emit(Op::Select, {Kind::String}, {c, why, reason});
    }
    // The chain carries the error of the conditions tried and of the chosen arm's reason only.
    record_values_[{s, -1, -1}] = Commit(value);
    record_values_[{s, int(MemberKind::DecisionReason), -1}] = Commit(reason);
    if (!probes_) return;
    probes_->Add(ir::ProbeKind::Step, d.name.text + ".reason", {}, record_values_[{s, int(MemberKind::DecisionReason), -1}]);
    CloseProbe(probe, record_values_[{s, -1, -1}]);
    for (size_t a = 0; a < d.arms.size(); ++a) probes_->HitLater(arm_probes[a], arm_guard(a, true));
  }

  // ---- group pass -----------------------------------------------------------------------------

  int32_t Aggregate(const Expr& e, Builtin id) {
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

  // Lowers every aggregate inside `e` into the current step's reductions.
  void CollectAggregates(const Expr& e, ir::GroupStep& step) {
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

  void LowerGroup() {
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

  void LowerUpdate(const ast::GroupStmt& stmt, ir::GroupStep& step) {
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

  // ---- output ---------------------------------------------------------------------------------

  // The group `let`s the record output names (as a column or in a column's expression); those
  // shown as a column by name get a record-state slot.
  std::set<int> GroupLetsInOutput() {
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
  bool UsesGroupLet(const Expr& e) const {
    if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0 &&
        cp_.symbols[e.resolved.symbol].kind == SymbolKind::GroupLet)
      return true;
    return std::any_of(e.args.begin(), e.args.end(), [&](const auto& a) { return UsesGroupLet(*a); });
  }

  // Register r as a value the group step starting at `begin` defines, for an assignment: a
  // constant, a read of the state or of a group value, or a register of an earlier step is
  // copied (group_pass.h: a step writes only the kept registers it defines; assignments
  // elsewhere are always computed values).
  int32_t Fresh(int32_t r, int32_t begin) {
    Op op = (*code_)[r].op;
    if (r >= begin && op != Op::Const && op != Op::State && op != Op::GroupValue && op != Op::Missing) return r;
    return Emit(Op::Select, TypeOf(r), {Bool(true), r, r});
  }

  // `output NAME per group`: the aggregates of its columns over the members' final values, then
  // the columns for every member, written to record-state slots that the runner reads from each
  // group's first accepted member (docs/language.md, "Several outputs").
  void LowerGroupOutputs() {
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

  void LowerOutput() {
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

  // An output column computed from values the group pass may `set` or `warn` (`decision == REFER`,
  // `count(warnings)`)
  // must see the values after the pass: for group members a last group step computes it again
  // from the record state. (Records in no group keep the record program's value: nothing set
  // theirs.)
  void RecomputeAfterGroup(const std::vector<std::pair<const ast::OutputItem*, int>>& computed) {
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

  const check::CheckedPolicy& cp_;
  const ast::Policy& ast_;
  ir::Program p_;
  std::vector<Instr>* code_ = nullptr;
  bool group_ = false;
  std::string what_;
  std::map<ValueKey, int32_t> record_values_;
  std::map<ValueKey, int> state_slots_;
  std::map<int, int32_t> state_reads_;
  std::map<int, int32_t> group_regs_;
  std::set<int> shown_lets_;  // group lets the record output shows by name
  std::map<int, int32_t> param_regs_;  // a user function's parameters while its body is lowered
  std::map<const Expr*, std::pair<int32_t, int32_t>> aggregate_scalars_;
  const std::function<int32_t(const ast::Bin&)>* bin_value_ = nullptr;  // see BinValue
  std::unique_ptr<lower::ProbeRecorder> probes_;  // null unless lowered with probes
  std::map<std::tuple<int, int, int, int64_t>, int32_t> const_memo_, group_const_memo_;
  std::map<std::pair<int, int32_t>, int32_t> record_finds_, group_finds_;  // lower_references.h
  std::vector<std::vector<const Expr*>> row_values_;  // per reference: the expressions of a row it aggregates
  std::vector<bool> record_fails_, group_fails_, scalar_fails_;  // per register / group value: ir::MayFail
  std::map<std::pair<std::string, int>, int32_t> site_ids_;  // reject reason → index in info.reasons
  const SourceFile* source_ = nullptr;  // for the rules' text in reject details
  std::map<std::string, int64_t> string_ids_;                // string constant → index in strings
};

}  // namespace

ir::Program Lower(const check::CheckedPolicy& policy) { return Lowerer(policy, {}).Run(); }

ir::Program Lower(const check::CheckedPolicy& policy, const LowerOptions& options) { return Lowerer(policy, options).Run(); }

}  // namespace credo
