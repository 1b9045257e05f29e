// jit_codegen.h — Codegen: one kernel plan (jit_kernels.h) as LLVM IR functions. Its members are
// defined in jit_codegen.cc (kernel loops, registers, errors, comparisons, the instruction
// switch), jit_arith.cc (arithmetic and rounding) and jit_lists_tables.cc (ranked lists, text,
// decision and lookup tables, reference data).
//
// ## Kernel ABI
// The record program is cut into segments of at most kSegment instructions; each segment is one
// function, a loop over the records of a chunk, equivalent to this C:
//
//   void segment(const int64_t* const* in_v, const uint8_t* const* in_ok, int64_t n,
//                int64_t* const* reg_v, uint8_t* const* reg_ok, int32_t* status,
//                const JitContext* ctx, int64_t* const* st_v, uint8_t* const* st_ok,
//                const JitGroupArgs* group /* group kernels only */, int32_t* const* reg_err) {
//     for (int64_t i = 0; i < n; ++i) {
//       int32_t st = status[i];
//       // each instruction, as SSA values: %r = op(%a, %b) with a validity bit where it may be
//       // missing and an error code where it may fail (ir::MayFail); values from earlier
//       // segments are loaded from reg_v[r][i] / reg_ok[r][i] / reg_err[r][i];
//       // checked ops: err = operands' error (as ir.h says), else (overflow && valid ? site : 0);
//       // use / fail: if (st == 0) st = err;
//       // values needed by a later segment are stored to reg_v[r][i]; record-state values
//       // straight into the output columns st_v[slot][i] / st_ok[slot][i].
//       status[i] = st;
//     }
//   }
//
// Cutting the program keeps compile time linear: LLVM's optimiser is superlinear in function
// size. A run of Math instructions (calls of rt::Math, which must stay calls) is cut into a
// segment of its own, so that one call does not keep the loop around it from vectorising. The loop body is branch-free (selects; only equality of two non-constant strings
// branches, around a call), and every memory access in it is tagged as
// free of loop-carried dependences, so the loop vectoriser can work without runtime checks.
// The semantics are those of the interpreter (ir.h), which the differential tests hold it to;
// the group program is cut the same way, one or more kernels per step, and run by the shared
// group-pass driver (group_pass.h): its kernels read member columns as inputs, group values from
// JitGroupArgs, and write the registers the driver keeps through reg_v / reg_ok.
#include "compiler/jit/jit.h"
#pragma once

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <numeric>
#include <bit>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>

#include "compiler/jit/jit_kernels.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::jit {

class Codegen {
 public:
  Codegen(const ir::Program& p, const KernelPlan& plan, llvm::LLVMContext& c, llvm::Module& m)
      : p_(p), plan_(plan), code_(*plan.code), C(c), M(m), B(c) {
    i1 = B.getInt1Ty();
    i8 = B.getInt8Ty();
    i32 = B.getInt32Ty();
    i64 = B.getInt64Ty();
    f64 = B.getDoubleTy();
    ptr = B.getPtrTy();
  }

  // Emits kernel function f of the plan as `<prefix><f>`: one loop per segment it runs.
  void EmitFunction(size_t f);

  // The loop over the chunk's records for segment s, entered from `from`.
  void EmitLoop(size_t s, llvm::BasicBlock* from, llvm::BasicBlock* loop, llvm::BasicBlock* exit, llvm::Value* n,
                llvm::Value* status);

 private:
  struct Val {
    llvm::Value* v = nullptr;
    llvm::Value* ok = nullptr;   // i1; null: never missing
    llvm::Value* err = nullptr;  // i32 error code (ir.h, "Errors are values"); null: never fails
  };

  llvm::Type* TypeOf(Kind k) const { return k == Kind::Bool ? i1 : k == Kind::Number ? f64 : i64; }
  llvm::Value* Zero(Kind k) {
    if (k == Kind::String) return ctx_empty_;
    return llvm::Constant::getNullValue(TypeOf(k));
  }
  // As stored in memory: every value is 64 bits.
  llvm::Value* ToStorage(llvm::Value* v, Kind k) {
    if (k == Kind::Bool) return B.CreateZExt(v, i64);
    if (k == Kind::Number) return B.CreateBitCast(v, i64);
    return v;
  }
  llvm::Value* FromStorage(llvm::Value* v, Kind k) {
    if (k == Kind::Bool) return B.CreateICmpNE(v, B.getInt64(0));
    if (k == Kind::Number) return B.CreateBitCast(v, f64);
    return v;
  }

  // Loads and stores in the loop body, tagged as free of loop-carried dependences.
  llvm::Value* Load(llvm::Type* t, llvm::Value* base) {
    auto* at = B.CreateInBoundsGEP(t, base, index_);
    auto* l = B.CreateLoad(t, at);
    l->setMetadata(llvm::LLVMContext::MD_access_group, access_group_);
    return l;
  }
  void Store(llvm::Value* v, llvm::Value* base) {
    auto* at = B.CreateInBoundsGEP(v->getType(), base, index_);
    auto* s = B.CreateStore(v, at);
    s->setMetadata(llvm::LLVMContext::MD_access_group, access_group_);
  }
  // A pointer from a pointer array argument, loaded once before the loop.
  llvm::Value* Preload(llvm::Value* array, int64_t index) {
    llvm::IRBuilderBase::InsertPointGuard guard(B);
    B.SetInsertPoint(entry_->getTerminator());
    return B.CreateLoad(ptr, B.CreateConstInBoundsGEP1_64(ptr, array, index));
  }

  llvm::Value* AndOk(llvm::Value* a, llvm::Value* b) { return !a ? b : !b ? a : B.CreateAnd(a, b); }

  // Operand r inside the current segment.
  Val Get(int32_t r) {
    if (vals_[r].v) return vals_[r];
    const Instr& in = code_[r];
    Val out;
    if (plan_.Rematerialized(r)) {
      out = Materialize(r);
    } else {  // computed by an earlier segment
      out.v = FromStorage(Load(i64, Preload(reg_v_, r)), in.type.kind);
      if (in.type.optional) out.ok = B.CreateICmpNE(Load(i8, Preload(reg_ok_, r)), B.getInt8(0));
      if (plan_.fails[r]) out.err = Load(i32, Preload(reg_err_, r));
    }
    vals_[r] = out;
    return out;
  }

  Val Materialize(int32_t r);

  // The current instruction fails where `failed` (and its operands are present): its error
  // becomes `site` unless its operands' error or an earlier failure of its own is there.
  void Fail(llvm::Value* failed, llvm::Value* ok, int32_t site) {
    if (!site) return;
    if (ok) failed = B.CreateAnd(failed, ok);
    llvm::Value* first = B.CreateAnd(failed, B.CreateICmpEQ(err_, B.getInt32(0)));
    err_ = B.CreateSelect(first, B.getInt32(site), err_);
  }

  // `e` if `e` is an error, else `otherwise`.
  llvm::Value* FirstError(llvm::Value* e, llvm::Value* otherwise) {
    if (!e) return otherwise;
    return B.CreateSelect(B.CreateICmpNE(e, B.getInt32(0)), e, otherwise);
  }
  llvm::Value* ErrorOf(const Val& x) { return x.err ? x.err : B.getInt32(0); }

  // The record's status takes error `e` unless it is already set (a use, ir.h).
  void Commit(llvm::Value* e) {
    status_ = B.CreateSelect(B.CreateICmpEQ(status_, B.getInt32(0)), e, status_);
  }

  // The error instruction `in` gets from its operands, before its own failures (ir.h).
  llvm::Value* OperandErrors(const Instr& in, const std::vector<Val>& a);

  llvm::Value* Intrinsic(llvm::Intrinsic::ID id, llvm::Type* t, std::vector<llvm::Value*> args) {
    return B.CreateCall(llvm::Intrinsic::getDeclaration(&M, id, {t}), args);
  }

  // Checked 64-bit arithmetic: the wrapped result, and the record fails on overflow. Written
  // with plain operations (not the *.with.overflow intrinsics) so that loops vectorise.
  enum class Arith { Add, Sub, Mul };
  llvm::Value* Checked(Arith op, llvm::Value* a, llvm::Value* b, llvm::Value* ok, int32_t site);

  llvm::FunctionCallee Helper(const char* name, llvm::Type* result, std::vector<llvm::Type*> params) {
    return M.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  }

  llvm::Value* Compare(Op op, Kind kind, llvm::Value* a, llvm::Value* b);

  // The bytes of string constant register r when it has at most 8 (else nullopt).
  std::optional<std::string> ShortConstant(int32_t r) const {
    const Instr& in = code_[r];
    if (in.op != Op::Const || p_.strings[in.imm].size() > 8) return std::nullopt;
    return p_.strings[in.imm];
  }

  // String equality. Against a constant of at most 8 bytes it is branch-free: the length, and one
  // word of the bytes masked to that length (every Str has 8 readable bytes, rt::Str). Otherwise
  // it calls out only for equal lengths at different addresses (equal constants share an address);
  // that branch costs nothing, as a loop with a call is not vectorised anyway.
  llvm::Value* StringEquals(const Instr& in, llvm::Value* a, llvm::Value* b);

  // One instruction of the row program: its value, validity and error.
  Val Emit(int32_t r);

  Val EmitValue(int32_t r, std::vector<Val>& a);

  llvm::Value* Arithmetic(const Instr& in, Kind kind, Kind arg_kind, std::vector<Val>& a, llvm::Value* ok);

  // RoundQuot with variable operands: {k, missing, overflow}. Inline in 64-bit arithmetic when
  // a·b·M and c·U fit (the common case); otherwise, or for a zero divisor, the 128-bit helper.
  // A division does not vectorise anyway, so the branch costs nothing.
  std::tuple<llvm::Value*, llvm::Value*, llvm::Value*> RoundQuotient(const Instr& in, llvm::Value* a, llvm::Value* b,
                                                                     llvm::Value* c);

  // round_mode(num / den) for den != 0 and not INT64_MIN / -1, as rt::DivRound.
  llvm::Value* RoundDivision(llvm::Value* num, llvm::Value* den, rt::RoundMode mode);

  // A date result outside the date range fails (as does an overflow, which Checked reports).
  llvm::Value* InDateRange(llvm::Value* d, llvm::Value* ok, int32_t site) {
    llvm::Value* outside = B.CreateOr(B.CreateICmpSLT(d, B.getInt64(rt::kMinDate)), B.CreateICmpSGT(d, B.getInt64(rt::kMaxDate)));
    Fail(outside, ok, site);
    return B.CreateSelect(outside, B.getInt64(0), d);
  }

  // Number results must be finite: inf or NaN fails the record.
  llvm::Value* Finite(llvm::Value* d, llvm::Value* ok, int32_t site) {
    llvm::Value* finite = B.CreateFCmpOLT(Intrinsic(llvm::Intrinsic::fabs, f64, {d}),
                                          llvm::ConstantFP::getInfinity(f64));
    Fail(B.CreateNot(finite), ok, site);
    return d;
  }

  bool IsConstOne(int32_t r) const { return code_[r].op == Op::Const && code_[r].imm == 1; }

  // round_mode(x·m / u) for constants m, u > 0 with m == 1 or u == 1, in 64-bit arithmetic
  // (division by a constant compiles to multiplications, and the loop still vectorises). With
  // u == 1 the product is k itself, so its overflow is exactly k's.
  llvm::Value* RoundToUnit(llvm::Value* x, int64_t m, int64_t u, rt::RoundMode mode, llvm::Value* ok, int32_t site) {
    llvm::Value* n = m == 1 ? x : Checked(Arith::Mul, x, B.getInt64(m), ok, site);
    return u == 1 ? n : RoundDivision(n, B.getInt64(u), mode);
  }

  // RankReason as a selection network: rank k picks the largest (shortfall, -index) key below
  // the key rank k-1 picked, among positive shortfalls. No calls, no branches.
  struct Pick {
    llvm::Value* index;  // -1: none
    llvm::Value* value;
  };
  Val Rank(const Instr& in, std::vector<Val>& a);

  // RankCodes: the same picks as RankReason, packed as a ranked list (byte k = 1 + pick k).
  Val RankList(const Instr& in, std::vector<Val>& a);

  // Lists of codes and text (runtime/core/text.h): bit-set counts and tests inline, the rest
  // through helpers that the interpreter calls too.
  llvm::Value* ListOrText(const Instr& in, std::vector<Val>& a);

  Pick NextPick(std::vector<Val>& a, Pick previous);

  // Pick's index clamped to its values (a missing index is 0), for branch-free loads.
  llvm::Value* PickIndex(const std::vector<Val>& a) {
    llvm::Value* i = a[0].v;
    llvm::Value* last = B.getInt64(int64_t(a.size()) - 2);
    llvm::Value* in_range = B.CreateAnd(B.CreateICmpSGE(i, B.getInt64(0)), B.CreateICmpSLE(i, last));
    return B.CreateSelect(in_range, i, B.getInt64(0));
  }

  llvm::GlobalVariable* ConstArray(const std::vector<uint64_t>& bits) {
    auto* type = llvm::ArrayType::get(i64, bits.size());
    return new llvm::GlobalVariable(M, type, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantDataArray::get(C, llvm::ArrayRef<uint64_t>(bits)));
  }
  llvm::Value* LoadAt(llvm::GlobalVariable* array, size_t size, llvm::Value* at) {
    return B.CreateLoad(i64, B.CreateInBoundsGEP(llvm::ArrayType::get(i64, size), array, {B.getInt64(0), at}));
  }

  // TableRow inline and branch-free (runtime/core/dtable.h's matcher, unrolled for this table):
  // per column its segment by a branch-free binary search over the sorted boundaries (enums and
  // bools index directly), one mask load per word, the AND, then the mode. Tables with string
  // columns, or `.rows` of a priority table, call the shared helper instead.
  std::optional<Val> InlineTableRow(const Instr& in, std::vector<Val>& a);

  // Pick over constants only (the usual table output): one load from a constant array, no stores.
  llvm::Value* ConstantPick(const Instr& in, llvm::Value* at);

  // TableRow and TableAgg call the shared matcher (jit_tables.h) with the operands stored in the
  // function's scratch arrays; Pick stores its values there and loads the chosen one: no branch.
  Val Table(const Instr& in, std::vector<Val>& a);

  // RefFind / RefGet call the shared index (reference_ops below): one hash probe, one load.
  Val Reference(const Instr& in, std::vector<Val>& a);

  llvm::Value* ReasonString(int64_t set, size_t i) {
    llvm::IRBuilderBase::InsertPointGuard guard(B);
    B.SetInsertPoint(entry_->getTerminator());
    llvm::Value* table = B.CreateLoad(ptr, B.CreateConstInBoundsGEP1_64(ptr, ctx_reasons_, set));
    return B.CreateLoad(i64, B.CreateConstInBoundsGEP1_64(i64, table, i));
  }

  llvm::StructType* ContextType() {
    if (!context_type_) context_type_ = llvm::StructType::get(C, {ptr, ptr, i64, ptr, ptr, ptr, ptr});
    return context_type_;
  }

  const ir::Program& p_;
  const KernelPlan& plan_;
  const std::vector<Instr>& code_;
  llvm::LLVMContext& C;
  llvm::Module& M;
  llvm::IRBuilder<> B;
  llvm::Type *i1, *i8, *i32, *i64, *f64, *ptr;
  llvm::StructType* context_type_ = nullptr;
  std::vector<Val> vals_;
  llvm::BasicBlock* entry_ = nullptr;
  llvm::Value *in_v_, *in_ok_, *reg_v_, *reg_ok_, *st_v_, *st_ok_, *index_ = nullptr, *status_ = nullptr;
  llvm::Value *ctx_strings_, *ctx_reasons_, *ctx_empty_, *shortfalls_, *slot_, *ctx_ = nullptr;
  llvm::Value* ctx_references_ = nullptr;
  llvm::Value *ctx_tables_ = nullptr, *arg_ok_ = nullptr, *arg_err_ = nullptr;  // tables: their scratch arrays
  llvm::Value *group_scalars_ = nullptr, *group_errors_ = nullptr, *group_of_ = nullptr, *groups_ = nullptr;
  llvm::Value *reg_err_ = nullptr, *err_ = nullptr;  // the kernel's reg_err; the current instruction's error
  llvm::Value* round_quot_ok_ = nullptr;
  llvm::MDNode* access_group_ = nullptr;
  std::map<std::pair<int64_t, int64_t>, Pick> picks_;  // (reason set, rank) → pick, this row
};

}  // namespace credo::jit
