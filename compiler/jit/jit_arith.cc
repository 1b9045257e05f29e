// jit_arith.cc — Codegen's arithmetic: integer, money, decimal and number operations, rounding
// of quotients and to units, with their overflow checks (jit_codegen.h).
#include "compiler/jit/jit_codegen.h"

#include "compiler/interp/group_pass.h"
#include "compiler/jit/jit_helpers.h"
#include "compiler/jit/jit_tables.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/math.h"
#include "runtime/core/text.h"

namespace credo::jit {

llvm::Value* Codegen::Arithmetic(const Instr& in, Kind kind, Kind arg_kind, std::vector<Val>& a, llvm::Value* ok) {
  bool num = arg_kind == Kind::Number;
  llvm::Value* x = a.size() > 0 ? a[0].v : nullptr;
  llvm::Value* y = a.size() > 1 ? a[1].v : nullptr;
  switch (in.op) {
    case Op::Add:
      if (kind == Kind::Date) return InDateRange(Checked(Arith::Add, x, y, ok, in.site), ok, in.site);
      return num ? Finite(B.CreateFAdd(x, y), ok, in.site) : Checked(Arith::Add, x, y, ok, in.site);
    case Op::Sub:
      if (kind == Kind::Date) return InDateRange(Checked(Arith::Sub, x, y, ok, in.site), ok, in.site);
      return num ? Finite(B.CreateFSub(x, y), ok, in.site) : Checked(Arith::Sub, x, y, ok, in.site);
    case Op::Mul: return num ? Finite(B.CreateFMul(x, y), ok, in.site) : Checked(Arith::Mul, x, y, ok, in.site);
    case Op::Neg: return num ? B.CreateFNeg(x) : Checked(Arith::Sub, B.getInt64(0), x, ok, in.site);
    case Op::Abs: {
      if (num) return Intrinsic(llvm::Intrinsic::fabs, f64, {x});
      llvm::Value* negated = Checked(Arith::Sub, B.getInt64(0), x, nullptr, 0);
      Fail(B.CreateICmpEQ(x, B.getInt64(INT64_MIN)), ok, in.site);
      return B.CreateSelect(B.CreateICmpSGE(x, B.getInt64(0)), x, negated);
    }
    case Op::Min:
    case Op::Max: {
      llvm::Value* le = num ? B.CreateFCmpOLE(x, y)
                            : arg_kind == Kind::String ? Compare(Op::Le, Kind::String, x, y) : B.CreateICmpSLE(x, y);
      return in.op == Op::Min ? B.CreateSelect(le, x, y) : B.CreateSelect(le, y, x);
    }
    case Op::Rescale: return Checked(Arith::Mul, x, B.getInt64(rt::Pow10(int(in.imm))), ok, in.site);
    case Op::ToNum: {
      llvm::Value* d = B.CreateSIToFP(x, f64);
      return in.imm ? B.CreateFDiv(d, llvm::ConstantFP::get(f64, double(rt::Pow10(int(in.imm))))) : d;
    }
    case Op::Div: {  // checked only where the divisor is not zero (that gives missing)
      llvm::Value* q = B.CreateFDiv(x, y);
      llvm::Value* nonzero = B.CreateFCmpUNE(y, llvm::ConstantFP::get(f64, 0.0));
      Finite(q, ok ? B.CreateAnd(ok, nonzero) : nonzero, in.site);
      return q;
    }
    case Op::RoundQuot: {
      // round(x·m / u) with constants: inline when it needs no 128-bit product (the common
      // case: u divides m or m divides u once the fraction is reduced).
      int64_t g = std::gcd(in.imm2, in.imm3), m = in.imm2 / g, u = in.imm3 / g;
      if (IsConstOne(in.args[1]) && IsConstOne(in.args[2]) && (m == 1 || u == 1)) {
        round_quot_ok_ = in.type.optional ? ok : nullptr;
        return RoundToUnit(x, m, u, static_cast<rt::RoundMode>(in.imm), ok, in.site);
      }
      auto [k, missing, overflow] = RoundQuotient(in, x, y, a[2].v);
      Fail(overflow, ok, in.site);
      round_quot_ok_ = in.type.optional ? (ok ? B.CreateAnd(ok, B.CreateNot(missing)) : B.CreateNot(missing)) : nullptr;
      return k;
    }
    case Op::NumRound: {
      llvm::Value* q = B.CreateFDiv(x, llvm::ConstantFP::get(f64, in.fimm));
      llvm::Value* k;
      switch (static_cast<rt::RoundMode>(in.imm)) {
        case rt::RoundMode::Floor: k = Intrinsic(llvm::Intrinsic::floor, f64, {q}); break;
        case rt::RoundMode::Ceil: k = Intrinsic(llvm::Intrinsic::ceil, f64, {q}); break;
        case rt::RoundMode::Down: k = Intrinsic(llvm::Intrinsic::trunc, f64, {q}); break;
        case rt::RoundMode::Up:
          k = B.CreateSelect(B.CreateFCmpOLT(q, llvm::ConstantFP::get(f64, 0.0)), Intrinsic(llvm::Intrinsic::floor, f64, {q}),
                             Intrinsic(llvm::Intrinsic::ceil, f64, {q}));
          break;
        case rt::RoundMode::HalfUp: k = Intrinsic(llvm::Intrinsic::round, f64, {q}); break;
        case rt::RoundMode::HalfDown: {  // as rt::RoundDouble: a tie is q − trunc(q) = ±0.5
          llvm::Value* t = Intrinsic(llvm::Intrinsic::trunc, f64, {q});
          llvm::Value* tie = B.CreateFCmpOEQ(Intrinsic(llvm::Intrinsic::fabs, f64, {B.CreateFSub(q, t)}), llvm::ConstantFP::get(f64, 0.5));
          k = B.CreateSelect(tie, t, Intrinsic(llvm::Intrinsic::round, f64, {q}));
          break;
        }
        default: k = Intrinsic(llvm::Intrinsic::rint, f64, {q}); break;
      }
      llvm::Value* in_range = B.CreateFCmpOLT(Intrinsic(llvm::Intrinsic::fabs, f64, {k}), llvm::ConstantFP::get(f64, 4611686018427387904.0));
      Fail(B.CreateNot(in_range), ok, in.site);
      return B.CreateSelect(in_range, B.CreateFPToSI(k, i64), B.getInt64(0));
    }
    case Op::Math: {  // an opaque call (see credo_jit_math); an infinite result overflows
      llvm::FunctionCallee fn = Helper("credo_jit_math", f64, {i64, f64, f64});
      if (auto* f = llvm::dyn_cast<llvm::Function>(fn.getCallee())) f->setDoesNotThrow();
      llvm::Value* d = B.CreateCall(fn, {B.getInt64(in.imm), x, y ? y : llvm::ConstantFP::get(f64, 0.0)});
      llvm::Value* infinite = B.CreateFCmpOEQ(Intrinsic(llvm::Intrinsic::fabs, f64, {d}), llvm::ConstantFP::getInfinity(f64));
      Fail(infinite, ok, in.site);
      return B.CreateSelect(infinite, llvm::ConstantFP::get(f64, 0.0), d);
    }
    case Op::Eq:
    case Op::Ne:
      if (arg_kind == Kind::String) {
        llvm::Value* equal = StringEquals(in, x, y);
        return in.op == Op::Eq ? equal : B.CreateNot(equal);
      }
      return Compare(in.op, arg_kind, x, y);
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
      return Compare(in.op, arg_kind, x, y);
    case Op::Not: return B.CreateNot(x);
    case Op::ListCount:
    case Op::ListContains:
    case Op::ListFirst:
    case Op::Text: return ListOrText(in, a);
    case Op::Calendar: {
      llvm::Value* months = y ? y : B.getInt64(0);
      auto fn = static_cast<rt::CalendarFn>(in.imm);
      if (rt::CalendarCanFail(fn)) {  // outside the date range: fails, as the interpreter
        llvm::Value* too_far = B.CreateICmpEQ(
            B.CreateCall(Helper("credo_jit_calendar_in_range", i64, {i64, i64, i64}), {B.getInt64(in.imm), x, months}),
            B.getInt64(0));
        Fail(too_far, ok, in.site);
        months = B.CreateSelect(too_far, B.getInt64(0), months);
        llvm::Value* date = B.CreateCall(Helper("credo_jit_calendar", i64, {i64, i64, i64}), {B.getInt64(in.imm), x, months});
        return B.CreateSelect(too_far, B.getInt64(0), date);
      }
      return B.CreateCall(Helper("credo_jit_calendar", i64, {i64, i64, i64}), {B.getInt64(in.imm), x, months});
    }
    default: return Zero(kind);
  }
  (void)kind;
}

std::tuple<llvm::Value*, llvm::Value*, llvm::Value*> Codegen::RoundQuotient(const Instr& in, llvm::Value* a, llvm::Value* b,
                                                                   llvm::Value* c) {
  auto multiply = [&](llvm::Value* x, llvm::Value* y, llvm::Value*& overflow) {
    llvm::Value* r = B.CreateCall(llvm::Intrinsic::getDeclaration(&M, llvm::Intrinsic::smul_with_overflow, {i64}), {x, y});
    overflow = overflow ? B.CreateOr(overflow, B.CreateExtractValue(r, 1)) : B.CreateExtractValue(r, 1);
    return B.CreateExtractValue(r, 0);
  };
  llvm::Value* wide = nullptr;
  llvm::Value* num = multiply(a, b, wide);
  if (in.imm2 != 1) num = multiply(num, B.getInt64(in.imm2), wide);
  llvm::Value* den = in.imm3 == 1 ? c : multiply(c, B.getInt64(in.imm3), wide);
  llvm::Value* divisible = B.CreateAnd(B.CreateICmpNE(den, B.getInt64(0)),
                                       B.CreateNot(B.CreateAnd(B.CreateICmpEQ(num, B.getInt64(INT64_MIN)),
                                                               B.CreateICmpEQ(den, B.getInt64(-1)))));
  llvm::Value* fast = wide ? B.CreateAnd(B.CreateNot(wide), divisible) : divisible;
  llvm::BasicBlock* here = B.GetInsertBlock();
  auto* inline_block = llvm::BasicBlock::Create(C, "roundquot.inline", here->getParent());
  auto* helper_block = llvm::BasicBlock::Create(C, "roundquot.helper", here->getParent());
  auto* join = llvm::BasicBlock::Create(C, "roundquot.join", here->getParent());
  B.CreateCondBr(fast, inline_block, helper_block);

  B.SetInsertPoint(inline_block);
  llvm::Value* k_inline = RoundDivision(num, den, static_cast<rt::RoundMode>(in.imm));
  B.CreateBr(join);
  inline_block = B.GetInsertBlock();

  B.SetInsertPoint(helper_block);
  llvm::Value* k_helper = B.CreateCall(Helper("credo_jit_round_quot", i64, {i64, i64, i64, i64, i64, i64, ptr}),
                                       {a, b, c, B.getInt64(in.imm2), B.getInt64(in.imm3), B.getInt64(in.imm), slot_});
  llvm::Value* flags = B.CreateLoad(i64, slot_);
  llvm::Value* missing_helper = B.CreateICmpEQ(flags, B.getInt64(1));
  llvm::Value* overflow_helper = B.CreateICmpEQ(flags, B.getInt64(2));
  B.CreateBr(join);

  B.SetInsertPoint(join);
  auto phi = [&](llvm::Type* t, llvm::Value* from_inline, llvm::Value* from_helper) {
    auto* p = B.CreatePHI(t, 2);
    p->addIncoming(from_inline, inline_block);
    p->addIncoming(from_helper, helper_block);
    return p;
  };
  llvm::Value* k = phi(i64, k_inline, k_helper);
  llvm::Value* missing = phi(i1, B.getFalse(), missing_helper);
  llvm::Value* overflow = phi(i1, B.getFalse(), overflow_helper);
  return {k, missing, overflow};
}

llvm::Value* Codegen::RoundDivision(llvm::Value* num, llvm::Value* den, rt::RoundMode mode) {
  llvm::Value* q = B.CreateSDiv(num, den);
  llvm::Value* r = B.CreateSRem(num, den);
  llvm::Value* zero = B.getInt64(0);
  llvm::Value* negative = B.CreateXor(B.CreateICmpSLT(num, zero), B.CreateICmpSLT(den, zero));
  llvm::Value* away = B.CreateSelect(negative, B.CreateSub(q, B.getInt64(1)), B.CreateAdd(q, B.getInt64(1)));
  llvm::Value* inexact = B.CreateICmpNE(r, zero);
  llvm::Value* up;  // whether an inexact quotient moves away from zero
  switch (mode) {
    case rt::RoundMode::Floor: up = negative; break;
    case rt::RoundMode::Ceil: up = B.CreateNot(negative); break;
    case rt::RoundMode::Down: up = B.getFalse(); break;
    case rt::RoundMode::Up: up = B.getTrue(); break;
    default: {  // half-way: compare |r| with |den| - |r| (unsigned: no overflow)
      llvm::Value* abs_r = B.CreateSelect(B.CreateICmpSLT(r, zero), B.CreateSub(zero, r), r);
      llvm::Value* abs_den = B.CreateSelect(B.CreateICmpSLT(den, zero), B.CreateSub(zero, den), den);
      llvm::Value* rest = B.CreateSub(abs_den, abs_r);
      llvm::Value* tie_up = mode == rt::RoundMode::HalfUp     ? B.getTrue()
                            : mode == rt::RoundMode::HalfDown ? B.getFalse()
                                                              : B.CreateICmpNE(B.CreateAnd(q, B.getInt64(1)), zero);
      up = B.CreateSelect(B.CreateICmpEQ(abs_r, rest), tie_up, B.CreateICmpUGT(abs_r, rest));
    }
  }
  return B.CreateSelect(B.CreateAnd(inexact, up), away, q);
}

}  // namespace credo::jit
