// jit_codegen.cc — Codegen's kernel functions and loops, operands and their registers, errors,
// checked operations, comparisons and the switch over instructions (jit_codegen.h).
#include "compiler/jit/jit_codegen.h"

#include "compiler/interp/group_pass.h"
#include "compiler/jit/jit_helpers.h"
#include "compiler/jit/jit_tables.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/math.h"
#include "runtime/core/text.h"

namespace credo::jit {

void Codegen::EmitFunction(size_t f) {
  const std::vector<size_t>& segments = plan_.functions[f];
  auto* type = llvm::FunctionType::get(B.getVoidTy(), {ptr, ptr, i64, ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, fmt::format("{}{}", plan_.prefix(), f), M);
  for (auto& arg : fn->args()) arg.addAttr(llvm::Attribute::NoUndef);
  auto arg = fn->arg_begin();
  in_v_ = arg++; in_ok_ = arg++;
  llvm::Value* n = arg++;
  reg_v_ = arg++; reg_ok_ = arg++;
  llvm::Value* status = arg++;
  llvm::Value* ctx = arg++;
  ctx_ = ctx;
  st_v_ = arg++;
  st_ok_ = arg++;
  llvm::Value* group = arg++;
  reg_err_ = arg++;

  entry_ = llvm::BasicBlock::Create(C, "entry", fn);
  auto* exit = llvm::BasicBlock::Create(C, "exit", fn);
  B.SetInsertPoint(entry_);
  ctx_strings_ = B.CreateLoad(ptr, B.CreateStructGEP(ContextType(), ctx, 0));
  ctx_reasons_ = B.CreateLoad(ptr, B.CreateStructGEP(ContextType(), ctx, 1));
  ctx_empty_ = B.CreateLoad(i64, B.CreateStructGEP(ContextType(), ctx, 2));
  ctx_tables_ = B.CreateLoad(ptr, B.CreateStructGEP(ContextType(), ctx, 5));
  ctx_references_ = B.CreateLoad(ptr, B.CreateStructGEP(ContextType(), ctx, 6));
  llvm::Value* selected = nullptr;
  if (plan_.group) {
    auto* group_type = llvm::StructType::get(C, {ptr, ptr, i64, i64, ptr});
    group_scalars_ = B.CreateLoad(ptr, B.CreateStructGEP(group_type, group, 0));
    group_errors_ = B.CreateLoad(ptr, B.CreateStructGEP(group_type, group, 4));
    group_of_ = B.CreateLoad(ptr, B.CreateStructGEP(group_type, group, 1));
    groups_ = B.CreateLoad(i64, B.CreateStructGEP(group_type, group, 2));
    selected = B.CreateLoad(i64, B.CreateStructGEP(group_type, group, 3));
  }
  size_t widest = 1;
  for (size_t s : segments)
    for (size_t r = plan_.segments[s].first; r < plan_.segments[s].second; ++r)
      widest = std::max(widest, code_[r].args.size());
  shortfalls_ = B.CreateAlloca(i64, B.getInt64(widest));
  arg_ok_ = B.CreateAlloca(B.getInt8Ty(), B.getInt64(widest));
  arg_err_ = B.CreateAlloca(i32, B.getInt64(widest + 2));
  slot_ = B.CreateAlloca(i64);
  llvm::Value* any = B.CreateICmpSGT(n, B.getInt64(0));
  if (segments.size() == 1) {
    auto* loop = llvm::BasicBlock::Create(C, "loop", fn);
    B.CreateCondBr(any, loop, exit);
    EmitLoop(segments[0], entry_, loop, exit, n, status);
  } else {
    auto* choice = B.CreateSwitch(selected, exit, unsigned(segments.size()));
    for (size_t s : segments) {
      auto* guard = llvm::BasicBlock::Create(C, fmt::format("segment{}", s), fn);
      auto* loop = llvm::BasicBlock::Create(C, "loop", fn);
      choice->addCase(B.getInt64(int64_t(s)), guard);
      B.SetInsertPoint(guard);
      B.CreateCondBr(any, loop, exit);
      EmitLoop(s, guard, loop, exit, n, status);
    }
  }
  B.SetInsertPoint(exit);
  B.CreateRetVoid();
}

void Codegen::EmitLoop(size_t s, llvm::BasicBlock* from, llvm::BasicBlock* loop, llvm::BasicBlock* exit, llvm::Value* n,
              llvm::Value* status) {
  auto [begin, end] = plan_.segments[s];
  B.SetInsertPoint(loop);
  auto* i = B.CreatePHI(i64, 2);
  i->addIncoming(B.getInt64(0), from);
  index_ = i;
  access_group_ = llvm::MDNode::getDistinct(C, {});
  vals_.assign(code_.size(), Val{});
  picks_.clear();
  status_ = Load(i32, status);
  for (size_t r = begin; r < end; ++r) {
    vals_[r] = Emit(int32_t(r));
    Kind kind = code_[r].type.kind;
    llvm::Value* ok = vals_[r].ok ? vals_[r].ok : B.getTrue();
    if (plan_.spilled[r]) {
      Store(ToStorage(vals_[r].v, kind), Preload(reg_v_, r));
      if (code_[r].type.optional) Store(B.CreateZExt(ok, i8), Preload(reg_ok_, r));
      if (vals_[r].err) Store(vals_[r].err, Preload(reg_err_, r));
    }
    for (int64_t slot : plan_.slots_of[r]) {
      Store(ToStorage(vals_[r].v, kind), Preload(st_v_, slot));
      if (p_.info.state[slot].optional) Store(B.CreateZExt(ok, i8), Preload(st_ok_, slot));
    }
  }
  Store(status_, status);
  llvm::Value* next = B.CreateAdd(i, B.getInt64(1));
  i->addIncoming(next, B.GetInsertBlock());
  auto* br = B.CreateCondBr(B.CreateICmpSLT(next, n), loop, exit);
  // The loop's accesses are independent across iterations: let the vectoriser skip its checks.
  llvm::MDNode* parallel = llvm::MDNode::get(C, {llvm::MDString::get(C, "llvm.loop.parallel_accesses"), access_group_});
  llvm::MDNode* self = llvm::MDNode::getDistinct(C, {nullptr, parallel});
  self->replaceOperandWith(0, self);
  br->setMetadata(llvm::LLVMContext::MD_loop, self);
}

Codegen::Val Codegen::Materialize(int32_t r) {
  const Instr& in = code_[r];
  Val out;
  if (in.op == Op::Input || in.op == Op::State) {  // State: the member columns are passed as inputs
    out.v = FromStorage(Load(i64, Preload(in_v_, in.imm)), in.type.kind);
    if (in.type.optional) out.ok = B.CreateICmpNE(Load(i8, Preload(in_ok_, in.imm)), B.getInt8(0));
    return out;
  }
  switch (in.type.kind) {
    case Kind::Number: out.v = llvm::ConstantFP::get(f64, std::bit_cast<double>(in.imm)); break;
    case Kind::Bool: out.v = B.getInt1(in.imm != 0); break;
    case Kind::String: {
      llvm::IRBuilderBase::InsertPointGuard guard(B);
      B.SetInsertPoint(entry_->getTerminator());
      out.v = B.CreateLoad(i64, B.CreateConstInBoundsGEP1_64(i64, ctx_strings_, in.imm));
      break;
    }
    default: out.v = B.getInt64(in.imm); break;
  }
  return out;
}

llvm::Value* Codegen::OperandErrors(const Instr& in, const std::vector<Val>& a) {
  switch (in.op) {
    case Op::Select:
      if (!a[1].err && !a[2].err) return ErrorOf(a[0]);
      return FirstError(a[0].err, B.CreateSelect(a[0].v, ErrorOf(a[1]), ErrorOf(a[2])));
    case Op::Coalesce:
    case Op::And:
    case Op::Or: {  // the second operand's error only where the first does not decide
      if (!a[1].err) return ErrorOf(a[0]);
      llvm::Value* present = a[0].ok ? a[0].ok : B.getTrue();
      llvm::Value* decided = in.op == Op::Coalesce ? present
                             : B.CreateAnd(present, in.op == Op::Or ? a[0].v : B.CreateNot(a[0].v));
      return FirstError(a[0].err, B.CreateSelect(decided, B.getInt32(0), a[1].err));
    }
    case Op::Pick: {  // the index's error, then the chosen value's
      bool values_fail = false;
      for (size_t k = 1; k < a.size(); ++k) values_fail |= a[k].err != nullptr;
      if (!values_fail) return ErrorOf(a[0]);
      llvm::Value* at = PickIndex(a);
      for (size_t k = 1; k < a.size(); ++k)
        B.CreateStore(ErrorOf(a[k]), B.CreateInBoundsGEP(i32, arg_err_, B.getInt64(int64_t(k - 1))));
      llvm::Value* chosen = B.CreateLoad(i32, B.CreateInBoundsGEP(i32, arg_err_, at));
      llvm::Value* index_ok = a[0].ok ? a[0].ok : B.getTrue();
      return FirstError(a[0].err, B.CreateSelect(index_ok, chosen, B.getInt32(0)));
    }
    default: {
      size_t count = in.op == Op::TableAgg ? p_.tables[in.imm].columns.size() : a.size();  // rows' errors: see Table
      llvm::Value* e = B.getInt32(0);
      for (size_t k = count; k-- > 0;) e = FirstError(a[k].err, e);
      return e;
    }
  }
}

llvm::Value* Codegen::Checked(Arith op, llvm::Value* a, llvm::Value* b, llvm::Value* ok, int32_t site) {
  llvm::Value* r;
  llvm::Value* overflow;
  if (op == Arith::Mul && (llvm::isa<llvm::ConstantInt>(a) || llvm::isa<llvm::ConstantInt>(b))) {
    // By a constant c: overflow iff the other operand lies outside [INT64_MIN / c, INT64_MAX / c].
    auto* c = llvm::cast<llvm::ConstantInt>(llvm::isa<llvm::ConstantInt>(a) ? a : b);
    llvm::Value* x = c == a ? b : a;
    int64_t k = c->getSExtValue();
    r = B.CreateMul(x, c);
    if (k == 0 || k == 1) {
      overflow = B.getFalse();
    } else if (k == -1) {
      overflow = B.CreateICmpEQ(x, B.getInt64(INT64_MIN));
    } else {
      int64_t hi = k > 0 ? INT64_MAX / k : INT64_MIN / k, lo = k > 0 ? INT64_MIN / k : INT64_MAX / k;
      overflow = B.CreateOr(B.CreateICmpSGT(x, B.getInt64(hi)), B.CreateICmpSLT(x, B.getInt64(lo)));
    }
  } else if (op == Arith::Mul) {
    llvm::Type* i128 = B.getInt128Ty();
    llvm::Value* wide = B.CreateMul(B.CreateSExt(a, i128), B.CreateSExt(b, i128));
    r = B.CreateTrunc(wide, i64);
    overflow = B.CreateICmpNE(B.CreateSExt(r, i128), wide);
  } else if (op == Arith::Add) {
    r = B.CreateAdd(a, b);
    overflow = B.CreateICmpSLT(B.CreateAnd(B.CreateXor(a, r), B.CreateXor(b, r)), B.getInt64(0));
  } else {
    r = B.CreateSub(a, b);
    overflow = B.CreateICmpSLT(B.CreateAnd(B.CreateXor(a, b), B.CreateXor(a, r)), B.getInt64(0));
  }
  Fail(overflow, ok, site);
  return r;
}

llvm::Value* Codegen::Compare(Op op, Kind kind, llvm::Value* a, llvm::Value* b) {
  using P = llvm::CmpInst::Predicate;
  if (kind == Kind::Number) {
    static const P preds[] = {P::FCMP_OLT, P::FCMP_OLE, P::FCMP_OGT, P::FCMP_OGE, P::FCMP_OEQ, P::FCMP_UNE};
    return B.CreateFCmp(preds[int(op) - int(Op::Lt)], a, b);
  }
  if (kind == Kind::String) {
    a = B.CreateCall(Helper("credo_jit_str_cmp", i64, {i64, i64}), {a, b});
    b = B.getInt64(0);
  }
  static const P preds[] = {P::ICMP_SLT, P::ICMP_SLE, P::ICMP_SGT, P::ICMP_SGE, P::ICMP_EQ, P::ICMP_NE};
  return B.CreateICmp(preds[int(op) - int(Op::Lt)], a, b);
}

llvm::Value* Codegen::StringEquals(const Instr& in, llvm::Value* a, llvm::Value* b) {
  auto constant = ShortConstant(in.args[1]);
  if (!constant) {
    constant = ShortConstant(in.args[0]);
    std::swap(a, b);
  }
  if (constant) {
    uint64_t bits = 0, mask = 0;
    std::memcpy(&bits, constant->data(), constant->size());
    std::memset(&mask, 0xFF, constant->size());
    llvm::Value* str = B.CreateIntToPtr(a, ptr);
    llvm::Value* size = B.CreateLoad(i32, str);
    auto* word = B.CreateAlignedLoad(i64, B.CreateConstInBoundsGEP1_64(i8, str, offsetof(rt::Str, data)), llvm::Align(1));
    llvm::Value* same_bytes = B.CreateICmpEQ(B.CreateAnd(word, B.getInt64(mask)), B.getInt64(bits));
    return B.CreateAnd(B.CreateICmpEQ(size, B.getInt32(uint32_t(constant->size()))), same_bytes);
  }
  llvm::Value* same = B.CreateICmpEQ(a, b);
  llvm::Value* size_a = B.CreateLoad(i32, B.CreateIntToPtr(a, ptr));
  llvm::Value* size_b = B.CreateLoad(i32, B.CreateIntToPtr(b, ptr));
  llvm::Value* decided = B.CreateOr(same, B.CreateICmpNE(size_a, size_b));
  llvm::BasicBlock* fast = B.GetInsertBlock();
  auto* slow = llvm::BasicBlock::Create(C, "streq.bytes", fast->getParent());
  auto* join = llvm::BasicBlock::Create(C, "streq.join", fast->getParent());
  B.CreateCondBr(decided, join, slow);
  B.SetInsertPoint(slow);
  llvm::Value* bytes = B.CreateICmpNE(B.CreateCall(Helper("credo_jit_str_bytes_eq", i64, {i64, i64}), {a, b}), B.getInt64(0));
  B.CreateBr(join);
  B.SetInsertPoint(join);
  auto* equal = B.CreatePHI(i1, 2);
  equal->addIncoming(same, fast);
  equal->addIncoming(bytes, slow);
  return equal;
}

Codegen::Val Codegen::Emit(int32_t r) {
  const Instr& in = code_[r];
  std::vector<Val> a;
  for (int32_t x : in.args) a.push_back(Get(x));
  err_ = plan_.fails[r] ? OperandErrors(in, a) : B.getInt32(0);
  Val out = EmitValue(r, a);
  if (plan_.fails[r] && in.op != Op::GroupValue) out.err = err_;
  return out;
}

Codegen::Val Codegen::EmitValue(int32_t r, std::vector<Val>& a) {
  const Instr& in = code_[r];
  Kind kind = in.type.kind;
  Kind arg_kind = in.args.empty() ? kind : code_[in.args[0]].type.kind;
  auto propagate = [&]() {
    llvm::Value* ok = nullptr;
    for (auto& v : a) ok = AndOk(ok, v.ok);
    return in.type.optional ? ok : nullptr;
  };
  Val out;
  switch (in.op) {
    case Op::Input:
    case Op::State:
    case Op::Const: return Materialize(r);
    case Op::GroupValue: {  // scalars[imm * groups + group_of[i]]
      llvm::Value* g = B.CreateZExt(Load(i32, group_of_), i64);
      llvm::Value* at = B.CreateAdd(B.CreateMul(B.getInt64(in.imm), groups_), g);
      auto* value = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, group_scalars_, at));
      value->setMetadata(llvm::LLVMContext::MD_access_group, access_group_);
      Val out{FromStorage(value, kind), nullptr};
      if (plan_.fails[r]) {
        auto* error = B.CreateLoad(i32, B.CreateInBoundsGEP(i32, group_errors_, at));
        error->setMetadata(llvm::LLVMContext::MD_access_group, access_group_);
        out.err = error;
      }
      return out;
    }
    case Op::Missing: return {Zero(kind), B.getFalse()};
    case Op::IsMissing: return {a[0].ok ? B.CreateNot(a[0].ok) : B.getFalse(), nullptr};
    case Op::Coalesce: {
      out.v = a[0].ok ? B.CreateSelect(a[0].ok, a[0].v, a[1].v) : a[0].v;
      if (in.type.optional) out.ok = a[0].ok ? (a[1].ok ? B.CreateOr(a[0].ok, a[1].ok) : B.getTrue()) : B.getTrue();
      return out;
    }
    case Op::Select: {
      out.v = B.CreateSelect(a[0].v, a[1].v, a[2].v);
      if (in.type.optional)
        out.ok = B.CreateSelect(a[0].v, a[1].ok ? a[1].ok : B.getTrue(), a[2].ok ? a[2].ok : B.getTrue());
      return out;
    }
    case Op::And:
    case Op::Or: {
      bool is_and = in.op == Op::And;
      if (!in.type.optional) return {is_and ? B.CreateAnd(a[0].v, a[1].v) : B.CreateOr(a[0].v, a[1].v), nullptr};
      // Kleene: a present false decides `and`, a present true decides `or`.
      auto decides = [&](const Val& x) {
        llvm::Value* d = is_and ? B.CreateNot(x.v) : x.v;
        return x.ok ? B.CreateAnd(x.ok, d) : d;
      };
      llvm::Value* decided = B.CreateOr(decides(a[0]), decides(a[1]));
      llvm::Value* both = AndOk(a[0].ok, a[1].ok);
      out.ok = B.CreateOr(decided, both ? both : B.getTrue());
      out.v = is_and ? B.CreateNot(decided) : decided;
      out.v = B.CreateAnd(out.v, out.ok);
      return out;
    }
    case Op::CodesAdd: return {B.CreateOr(a[0].v, B.CreateSelect(a[1].v, B.getInt64(in.imm), B.getInt64(0))), nullptr};
    case Op::Fail: {
      llvm::Value* failed = a[0].ok ? B.CreateAnd(a[0].v, a[0].ok) : a[0].v;
      Commit(FirstError(a[0].err, B.CreateSelect(failed, B.getInt32(in.site), B.getInt32(0))));
      return {a[0].v, nullptr};
    }
    case Op::Use:
      if (a[0].err) Commit(a[0].err);
      return {a[0].v, a[0].ok};
    case Op::RankReason: return Rank(in, a);
    case Op::RankCodes: return RankList(in, a);
    case Op::TableRow:
    case Op::Pick:
    case Op::TableAgg: return Table(in, a);
    case Op::RefFind:
    case Op::RefGet: return Reference(in, a);
    default: break;
  }
  out.ok = propagate();
  out.v = Arithmetic(in, kind, arg_kind, a, out.ok);
  if (in.op == Op::Div) {  // a zero divisor gives missing
    llvm::Value* nonzero = B.CreateFCmpUNE(a[1].v, llvm::ConstantFP::get(f64, 0.0));
    out.ok = out.ok ? B.CreateAnd(out.ok, nonzero) : nonzero;
  }
  if (in.op == Op::RoundQuot) out.ok = round_quot_ok_;
  if (in.op == Op::Math && in.type.optional) {  // NaN: no real result, missing
    llvm::Value* real = B.CreateFCmpORD(out.v, out.v);
    out.ok = out.ok ? B.CreateAnd(out.ok, real) : real;
  }
  if (out.ok) out.v = B.CreateSelect(out.ok, out.v, Zero(kind));
  return out;
}

}  // namespace credo::jit
