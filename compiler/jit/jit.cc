// jit.cc — lowering ir::Program to LLVM IR, optimising it for the host CPU and running it.
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
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include "compiler/interp/group_pass.h"
#include "compiler/jit/jit_tables.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/core/math.h"

namespace credo {
namespace {

constexpr const char* kEngineVersion = "credo-jit-3";
constexpr size_t kSegment = 256;  // instructions per kernel function
constexpr size_t kChunk = 1024;   // records per call: the spilled registers stay in cache

using ir::Instr;
using ir::Op;
using rt::Kind;

// What generated code reads besides its arguments.
struct JitContext {
  const int64_t* strings;         // Str bits of the program's string constants
  const int64_t* const* reasons;  // per reason set: Str bits of its codes, in operand order
  int64_t empty;                  // Str bits of ""
  rt::StringArena* arena;         // computed strings of this call (text functions)
  const rt::PolicyInfo* info;     // enum and code names, for text(x) and join
  const rt::CompiledTable* tables;  // the program's decision and lookup tables
  const rt::References* references;  // the loaded reference data (RefFind, RefGet)
};

// What group kernels read besides the member columns (passed as their inputs).
struct JitGroupArgs {
  const int64_t* scalars;     // group value k of group g at [k * groups + g]
  const uint32_t* group_of;   // per member of the chunk
  int64_t groups;
  int64_t segment;            // which of the function's segments to run
  const int32_t* scalar_errors;  // the error of group value k of group g, as `scalars`
};

using SegmentFn = void (*)(const int64_t* const*, const uint8_t* const*, int64_t, int64_t* const*,
                           uint8_t* const*, int32_t*, const JitContext*, int64_t* const*, uint8_t* const*,
                           const JitGroupArgs*, int32_t* const*);

// ---- helpers the generated code calls ----------------------------------------------------------

// RefFind / RefGet (ir.h): the reference's index, shared with the interpreter. A run without the
// reference loaded finds no key (the runner refuses such a run before it starts).
extern "C" int64_t credo_jit_ref_find(const rt::References* refs, int64_t ref, int64_t key, int64_t key_ok) {
  if (!key_ok || !refs) return -1;
  return refs->tables[size_t(ref)].Find(key);
}
// The column's value for the slot; *state = bit 0: present, bit 1: its aggregate overflowed.
extern "C" int64_t credo_jit_ref_get(const rt::References* refs, int64_t ref, int64_t column, int64_t slot, int64_t ok,
                                     int32_t* state) {
  if (!ok) {
    *state = 0;
    return 0;
  }
  const auto& c = refs->tables[size_t(ref)].columns[size_t(column)];
  *state = int32_t(c.valid[size_t(slot)]) | (int32_t(c.failed[size_t(slot)]) << 1);
  return c.valid[size_t(slot)] ? c.values[size_t(slot)] : 0;
}

// Strings of equal length: whether their bytes are equal. Codes and keys are short: a plain loop
// beats a call to memcmp.
extern "C" int64_t credo_jit_str_bytes_eq(int64_t a, int64_t b) {
  const rt::Str *x = rt::StrOf(a), *y = rt::StrOf(b);
  for (uint32_t i = 0; i < x->size; ++i)
    if (x->data[i] != y->data[i]) return 0;
  return 1;
}

extern "C" int64_t credo_jit_str_cmp(int64_t a, int64_t b) {
  std::string_view x = rt::StrOf(a)->view(), y = rt::StrOf(b)->view();
  return x < y ? -1 : x > y ? 1 : 0;
}

// round_mode(a·b·M / (c·U)); flags |= 1 when c == 0 (missing), 2 on overflow.
extern "C" int64_t credo_jit_round_quot(int64_t a, int64_t b, int64_t c, int64_t m, int64_t u, int64_t mode,
                                        int64_t* flags) {
  *flags = 0;
  if (c == 0) { *flags = 1; return 0; }
  __int128 num, den;
  if (__builtin_mul_overflow(__int128(a), __int128(b), &num) || __builtin_mul_overflow(num, __int128(m), &num) ||
      __builtin_mul_overflow(__int128(c), __int128(u), &den)) {
    *flags = 2;
    return 0;
  }
  __int128 k = rt::DivRound(num, den, static_cast<rt::RoundMode>(mode));
  if (k > INT64_MAX || k < INT64_MIN) { *flags = 2; return 0; }
  return int64_t(k);
}

// rt::Math itself, so that both engines compute ln / exp / pow / sqrt with the same code: LLVM
// sees an opaque function (not an intrinsic it could fold or vectorise with another libm).
extern "C" double credo_jit_math(int64_t fn, double a, double b) {
  return rt::Math(static_cast<rt::MathFn>(fn), a, b);
}

extern "C" int64_t credo_jit_calendar(int64_t fn, int64_t a, int64_t b) {
  return rt::Calendar(static_cast<rt::CalendarFn>(fn), a, b);
}

extern "C" int64_t credo_jit_calendar_in_range(int64_t fn, int64_t date, int64_t b) {
  return rt::CalendarInRange(static_cast<rt::CalendarFn>(fn), date, b);
}

// Text functions, join and text(x) (runtime/core/text.h); `type` is rt::PackType of operand a's.
extern "C" int64_t credo_jit_text(int64_t fn, int64_t type, int64_t a, int64_t b, int64_t c, const JitContext* ctx) {
  return rt::Text(static_cast<rt::TextFn>(fn), rt::UnpackType(type), a, b, c, {ctx->arena, ctx->info});
}

// Ranked lists: 0 count, 1 contains code n, 2 first n.
extern "C" int64_t credo_jit_ranked_list(int64_t what, int64_t list, int64_t n) {
  if (what == 0) return rt::ListCount(uint64_t(list), true);
  if (what == 1) return rt::ListContains(uint64_t(list), true, n);
  return int64_t(rt::ListFirst(uint64_t(list), true, n));
}

extern "C" int64_t credo_jit_first_codes(int64_t list, int64_t n) { return int64_t(rt::ListFirst(uint64_t(list), false, n)); }

// The arena of the group pass running on this thread (set by EvaluateGroups).
thread_local rt::StringArena* group_arena = nullptr;

// ---- kernel plans --------------------------------------------------------------------------------

// How a program (the record program or the group program) is cut into kernels, and which of its
// registers live in arrays rather than only in the loop body.
struct KernelPlan {
  bool group = false;
  const std::vector<Instr>* code = nullptr;
  std::vector<std::pair<size_t, size_t>> segments;  // instruction ranges, one kernel each
  std::vector<size_t> step_segments;                // group: first segment of each step, then the end
  std::vector<bool> spilled;                        // stored to reg_v / reg_ok (and reg_err when it may fail)
  std::vector<bool> fails;                          // ir::MayFail: the register carries an error
  std::vector<std::vector<int64_t>> slots_of;       // record: register → record-state slots it fills
  // The kernel functions: the segments each one runs. A record function runs one segment; a
  // group function packs consecutive small step segments (at most kSegment instructions in all)
  // and picks one by JitGroupArgs::segment, as LLVM pays per function too.
  std::vector<std::vector<size_t>> functions;
  std::vector<size_t> function_of;                  // segment → its function

  // Rematerialised in every segment that uses it instead of stored: constants, and the record
  // program's inputs. (The group program's State reads are stored: an assignment in a later step
  // may change the slot.)
  bool Rematerialized(int32_t r) const {
    Op op = (*code)[r].op;
    return op == Op::Const || (!group && op == Op::Input);
  }
  const char* prefix() const { return group ? "group" : "segment"; }
};

// A run of Math instructions (each an opaque call, which the loop vectoriser cannot widen) gets
// a segment of its own, so that the code around it still vectorises; at most kCallSegments such
// runs per plan, as every segment is a kernel loop to compile.
constexpr size_t kCallSegments = 8;

// Cuts [begin, end) into segments of at most kSegment instructions.
void Cut(KernelPlan& plan, size_t begin, size_t end, size_t& call_segments) {
  const auto& code = *plan.code;
  auto is_call = [&](size_t r) { return code[r].op == Op::Math; };
  size_t b = begin;
  bool in_call = false;
  for (size_t r = begin; r < end; ++r) {
    bool call = is_call(r) && (in_call || call_segments < kCallSegments);
    if (r > b && (r - b == kSegment || call != in_call)) {
      plan.segments.push_back({b, r});
      b = r;
    }
    if (call && !in_call) ++call_segments;
    in_call = call;
  }
  if (b < end) plan.segments.push_back({b, end});
}

KernelPlan PlanKernels(const ir::Program& p, bool group) {
  KernelPlan plan;
  plan.group = group;
  plan.code = group ? &p.group_code : &p.code;
  const auto& code = *plan.code;
  size_t call_segments = 0;
  if (group) {
    for (const auto& step : p.group_steps) {
      plan.step_segments.push_back(plan.segments.size());
      Cut(plan, size_t(step.begin), size_t(step.end), call_segments);
    }
    plan.step_segments.push_back(plan.segments.size());
  } else {
    Cut(plan, 0, code.size(), call_segments);
  }
  std::vector<size_t> segment_of(code.size(), 0);
  for (size_t s = 0; s < plan.segments.size(); ++s)
    for (size_t r = plan.segments[s].first; r < plan.segments[s].second; ++r) segment_of[r] = s;
  plan.spilled = group ? KeptGroupRegisters(p) : std::vector<bool>(code.size(), false);
  plan.fails = ir::MayFail(p, code);
  for (size_t i = 0; i < code.size(); ++i)
    for (int32_t a : code[i].args)
      if (segment_of[a] != segment_of[i] && !plan.Rematerialized(a)) plan.spilled[a] = true;
  plan.slots_of.assign(code.size(), {});
  if (!group)
    for (size_t s = 0; s < p.state_regs.size(); ++s) plan.slots_of[p.state_regs[s]].push_back(int64_t(s));
  size_t size = kSegment;  // instructions in the function being filled
  for (size_t s = 0; s < plan.segments.size(); ++s) {
    size_t length = plan.segments[s].second - plan.segments[s].first;
    if (!group || size + length > kSegment) {
      plan.functions.emplace_back();
      size = 0;
    }
    plan.functions.back().push_back(s);
    plan.function_of.push_back(plan.functions.size() - 1);
    size += length;
  }
  return plan;
}

// ---- code generation ---------------------------------------------------------------------------

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
  void EmitFunction(size_t f) {
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

  // The loop over the chunk's records for segment s, entered from `from`.
  void EmitLoop(size_t s, llvm::BasicBlock* from, llvm::BasicBlock* loop, llvm::BasicBlock* exit, llvm::Value* n,
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

  Val Materialize(int32_t r) {
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
  llvm::Value* OperandErrors(const Instr& in, const std::vector<Val>& a) {
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

  llvm::Value* Intrinsic(llvm::Intrinsic::ID id, llvm::Type* t, std::vector<llvm::Value*> args) {
    return B.CreateCall(llvm::Intrinsic::getDeclaration(&M, id, {t}), args);
  }

  // Checked 64-bit arithmetic: the wrapped result, and the record fails on overflow. Written
  // with plain operations (not the *.with.overflow intrinsics) so that loops vectorise.
  enum class Arith { Add, Sub, Mul };
  llvm::Value* Checked(Arith op, llvm::Value* a, llvm::Value* b, llvm::Value* ok, int32_t site) {
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

  llvm::FunctionCallee Helper(const char* name, llvm::Type* result, std::vector<llvm::Type*> params) {
    return M.getOrInsertFunction(name, llvm::FunctionType::get(result, params, false));
  }

  llvm::Value* Compare(Op op, Kind kind, llvm::Value* a, llvm::Value* b) {
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
  llvm::Value* StringEquals(const Instr& in, llvm::Value* a, llvm::Value* b) {
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

  // One instruction of the row program: its value, validity and error.
  Val Emit(int32_t r) {
    const Instr& in = code_[r];
    std::vector<Val> a;
    for (int32_t x : in.args) a.push_back(Get(x));
    err_ = plan_.fails[r] ? OperandErrors(in, a) : B.getInt32(0);
    Val out = EmitValue(r, a);
    if (plan_.fails[r] && in.op != Op::GroupValue) out.err = err_;
    return out;
  }

  Val EmitValue(int32_t r, std::vector<Val>& a) {
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

  llvm::Value* Arithmetic(const Instr& in, Kind kind, Kind arg_kind, std::vector<Val>& a, llvm::Value* ok) {
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

  // RoundQuot with variable operands: {k, missing, overflow}. Inline in 64-bit arithmetic when
  // a·b·M and c·U fit (the common case); otherwise, or for a zero divisor, the 128-bit helper.
  // A division does not vectorise anyway, so the branch costs nothing.
  std::tuple<llvm::Value*, llvm::Value*, llvm::Value*> RoundQuotient(const Instr& in, llvm::Value* a, llvm::Value* b,
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

  // round_mode(num / den) for den != 0 and not INT64_MIN / -1, as rt::DivRound.
  llvm::Value* RoundDivision(llvm::Value* num, llvm::Value* den, rt::RoundMode mode) {
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
  Val Rank(const Instr& in, std::vector<Val>& a) {
    Pick previous{nullptr, nullptr};
    for (int64_t rank = 1; rank <= in.imm; ++rank) {
      auto key = std::make_pair(in.imm2, rank);
      auto it = picks_.find(key);
      if (it == picks_.end()) it = picks_.emplace(key, NextPick(a, previous)).first;
      previous = it->second;
    }
    llvm::Value* code = ctx_empty_;
    for (size_t i = 0; i < a.size(); ++i)
      code = B.CreateSelect(B.CreateICmpEQ(previous.index, B.getInt64(int64_t(i))), ReasonString(in.imm2, i), code);
    return {code, nullptr};
  }

  // RankCodes: the same picks as RankReason, packed as a ranked list (byte k = 1 + pick k).
  Val RankList(const Instr& in, std::vector<Val>& a) {
    Pick previous{nullptr, nullptr};
    llvm::Value* list = B.getInt64(0);
    for (int64_t rank = 1; rank <= in.imm; ++rank) {
      auto key = std::make_pair(in.imm2, rank);
      auto it = picks_.find(key);
      if (it == picks_.end()) it = picks_.emplace(key, NextPick(a, previous)).first;
      previous = it->second;
      llvm::Value* entry = B.CreateAdd(previous.index, B.getInt64(1));  // none (-1) packs as 0
      list = B.CreateOr(list, B.CreateShl(entry, B.getInt64(8 * (rank - 1))));
    }
    return {list, nullptr};
  }

  // Lists of codes and text (runtime/core/text.h): bit-set counts and tests inline, the rest
  // through helpers that the interpreter calls too.
  llvm::Value* ListOrText(const Instr& in, std::vector<Val>& a) {
    const rt::ValueType& t = code_[in.args[0]].type;
    llvm::Value* x = ToStorage(a[0].v, t.kind);
    switch (in.op) {
      case Op::ListCount:
        if (!t.ranked) return Intrinsic(llvm::Intrinsic::ctpop, i64, {x});
        return B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(0), x, B.getInt64(0)});
      case Op::ListContains:
        if (!t.ranked) {
          if (in.imm < 0 || in.imm >= 64) return B.getFalse();
          return B.CreateICmpNE(B.CreateAnd(B.CreateLShr(x, B.getInt64(in.imm)), B.getInt64(1)), B.getInt64(0));
        }
        return FromStorage(B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(1), x, B.getInt64(in.imm)}),
                           Kind::Bool);
      case Op::ListFirst:
        if (!t.ranked) return B.CreateCall(Helper("credo_jit_first_codes", i64, {i64, i64}), {x, B.getInt64(in.imm)});
        return B.CreateCall(Helper("credo_jit_ranked_list", i64, {i64, i64, i64}), {B.getInt64(2), x, B.getInt64(in.imm)});
      default: {
        llvm::Value* args[3] = {x, B.getInt64(0), B.getInt64(0)};
        for (size_t k = 1; k < a.size() && k < 3; ++k) args[k] = ToStorage(a[k].v, code_[in.args[k]].type.kind);
        llvm::Value* v = B.CreateCall(Helper("credo_jit_text", i64, {i64, i64, i64, i64, i64, ptr}),
                                      {B.getInt64(in.imm), B.getInt64(rt::PackType(t)), args[0], args[1], args[2], ctx_});
        return FromStorage(v, in.type.kind);
      }
    }
  }

  Pick NextPick(std::vector<Val>& a, Pick previous) {
    llvm::Value* best_index = B.getInt64(-1);
    llvm::Value* best_value = B.getInt64(0);
    for (size_t i = 0; i < a.size(); ++i) {
      llvm::Value* s = a[i].v;
      llvm::Value* index = B.getInt64(int64_t(i));
      // Keys are (value, -index): a later index wins only with a strictly larger value.
      llvm::Value* better = B.CreateICmpSGT(s, best_value);
      if (previous.index) {
        llvm::Value* below = B.CreateOr(B.CreateICmpSLT(s, previous.value),
                                        B.CreateAnd(B.CreateICmpEQ(s, previous.value), B.CreateICmpSGT(index, previous.index)));
        better = B.CreateAnd(better, below);
      }
      best_index = B.CreateSelect(better, index, best_index);
      best_value = B.CreateSelect(better, s, best_value);
    }
    // No pick at all: later ranks find none either (every key is below "none").
    llvm::Value* none = B.CreateICmpSLT(best_index, B.getInt64(0));
    return {best_index, B.CreateSelect(none, B.getInt64(0), best_value)};
  }

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
  std::optional<Val> InlineTableRow(const Instr& in, std::vector<Val>& a) {
    const rt::CompiledTable& t = p_.tables[size_t(in.imm)];
    auto mode = static_cast<rt::TableMode>(in.imm2);
    bool identity = true;
    for (int32_t b = 0; b < t.rows; ++b) identity &= t.order[size_t(b)] == b;
    if (mode == rt::TableMode::Rows && !identity) return std::nullopt;
    for (const auto& col : t.columns)
      if (col.kind == rt::TableColumn::Strings) return std::nullopt;
    size_t words = size_t(t.words);
    std::vector<llvm::Value*> mask(words, nullptr);
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const rt::TableColumn& col = t.columns[c];
      llvm::Value* x = a[c].v;
      llvm::Value* seg;
      if (col.kind == rt::TableColumn::Direct) {
        seg = x->getType() == i64 ? x : B.CreateZExt(x, i64);  // a bool is i1, an enum i64 already
      } else {
        bool fl = col.kind == rt::TableColumn::Float;
        size_t k = fl ? col.fpoints.size() : col.points.size();
        std::vector<uint64_t> bits;
        for (size_t i = 0; i < k; ++i) bits.push_back(fl ? std::bit_cast<uint64_t>(col.fpoints[i]) : uint64_t(col.points[i]));
        auto less = [&](llvm::Value* p) {  // boundary p < x
          return fl ? B.CreateFCmpOLT(B.CreateBitCast(p, f64), x) : B.CreateICmpSLT(p, x);
        };
        auto equal = [&](llvm::Value* p) { return fl ? B.CreateFCmpOEQ(B.CreateBitCast(p, f64), x) : B.CreateICmpEQ(p, x); };
        if (k == 0) {
          seg = B.getInt64(0);
        } else {
          llvm::GlobalVariable* points = ConstArray(bits);
          llvm::Value* base = B.getInt64(0);
          for (size_t len = k; len > 1;) {
            size_t half = len / 2;
            llvm::Value* probe = B.CreateAdd(base, B.getInt64(int64_t(half)));
            base = B.CreateSelect(less(LoadAt(points, k, probe)), probe, base);
            len -= half;
          }
          llvm::Value* at_base = LoadAt(points, k, base);
          llvm::Value* below = B.CreateZExt(less(at_base), i64);  // lower_bound = base + below
          llvm::Value* i = B.CreateAdd(base, below);
          llvm::Value* next = LoadAt(points, k, B.CreateSelect(B.CreateICmpULT(i, B.getInt64(int64_t(k))), i, B.getInt64(int64_t(k - 1))));
          llvm::Value* eq = B.CreateAnd(B.CreateICmpULT(i, B.getInt64(int64_t(k))), equal(next));
          seg = B.CreateAdd(B.CreateShl(i, 1), B.CreateZExt(eq, i64));
        }
      }
      llvm::Value* segments = B.getInt64(col.segments);
      if (col.kind == rt::TableColumn::Direct)  // out of range counts as missing, as Segment()
        seg = B.CreateSelect(B.CreateICmpULT(seg, segments), seg, segments);
      if (a[c].ok) seg = B.CreateSelect(a[c].ok, seg, segments);
      llvm::GlobalVariable* masks = ConstArray(std::vector<uint64_t>(col.masks.begin(), col.masks.end()));
      llvm::Value* at = B.CreateMul(seg, B.getInt64(int64_t(words)));
      for (size_t w = 0; w < words; ++w) {
        llvm::Value* m = LoadAt(masks, col.masks.size(), B.CreateAdd(at, B.getInt64(int64_t(w))));
        mask[w] = mask[w] ? B.CreateAnd(mask[w], m) : m;
      }
    }
    if (t.columns.empty())
      for (size_t w = 0; w < words; ++w) {
        uint64_t all = 0;
        for (int32_t b = int32_t(w * 64); b < t.rows && b < int32_t(w * 64 + 64); ++b) all |= uint64_t(1) << (b % 64);
        mask[w] = B.getInt64(int64_t(all));
      }
    switch (mode) {
      case rt::TableMode::Count: {
        llvm::Value* n = B.getInt64(0);
        for (auto* m : mask) n = B.CreateAdd(n, Intrinsic(llvm::Intrinsic::ctpop, i64, {m}));
        return Val{n, nullptr};
      }
      case rt::TableMode::Rows: return Val{mask[0], nullptr};
      case rt::TableMode::Matched: {
        llvm::Value* any = B.getInt64(0);
        for (auto* m : mask) any = B.CreateOr(any, m);
        return Val{B.CreateICmpNE(any, B.getInt64(0)), nullptr};
      }
      case rt::TableMode::Row: break;
    }
    llvm::Value* bit = B.getInt64(-1);
    for (size_t w = words; w-- > 0;) {
      llvm::Value* low = B.CreateAdd(B.getInt64(int64_t(w * 64)), Intrinsic(llvm::Intrinsic::cttz, i64, {mask[w], B.getTrue()}));
      bit = B.CreateSelect(B.CreateICmpNE(mask[w], B.getInt64(0)), low, bit);
    }
    llvm::Value* none = B.CreateICmpSLT(bit, B.getInt64(0));
    llvm::Value* row = bit;
    if (!identity) {
      std::vector<uint64_t> order(t.order.begin(), t.order.end());
      row = LoadAt(ConstArray(order), order.size(), B.CreateSelect(none, B.getInt64(0), bit));
    }
    if (t.has_else) return Val{B.CreateSelect(none, B.getInt64(t.rows), row), nullptr};
    if (!in.type.optional) return Val{B.CreateSelect(none, B.getInt64(0), row), nullptr};
    return Val{B.CreateSelect(none, B.getInt64(0), row), B.CreateNot(none)};
  }

  // Pick over constants only (the usual table output): one load from a constant array, no stores.
  llvm::Value* ConstantPick(const Instr& in, llvm::Value* at) {
    std::vector<uint64_t> bits;
    for (size_t k = 1; k < in.args.size(); ++k) {
      const Instr& c = code_[in.args[k]];
      if (c.op != Op::Const || c.type.optional) return nullptr;
      bits.push_back(uint64_t(c.imm));  // as stored; a string: its constant's id
    }
    auto* type = llvm::ArrayType::get(i64, bits.size());
    auto* table = new llvm::GlobalVariable(M, type, true, llvm::GlobalValue::PrivateLinkage,
                                           llvm::ConstantDataArray::get(C, llvm::ArrayRef<uint64_t>(bits)));
    llvm::Value* v = B.CreateLoad(i64, B.CreateInBoundsGEP(type, table, {B.getInt64(0), at}));
    if (in.type.kind == Kind::String) v = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, ctx_strings_, v));
    return v;
  }

  // TableRow and TableAgg call the shared matcher (jit_tables.h) with the operands stored in the
  // function's scratch arrays; Pick stores its values there and loads the chosen one: no branch.
  Val Table(const Instr& in, std::vector<Val>& a) {
    Kind kind = in.type.kind;
    if (in.op == Op::Pick)
      if (llvm::Value* v = ConstantPick(in, PickIndex(a))) {
        Val out{FromStorage(v, kind), in.type.optional ? (a[0].ok ? a[0].ok : B.getTrue()) : nullptr};
        if (out.ok) out.v = B.CreateSelect(out.ok, out.v, Zero(kind));
        return out;
      }
    size_t first = in.op == Op::Pick ? 1 : 0;
    for (size_t k = first; k < a.size(); ++k) {
      Kind kind = code_[in.args[k]].type.kind;
      B.CreateStore(ToStorage(a[k].v, kind), B.CreateInBoundsGEP(i64, shortfalls_, B.getInt64(int64_t(k - first))));
      llvm::Value* ok = a[k].ok ? B.CreateZExt(a[k].ok, B.getInt8Ty()) : B.getInt8(1);
      B.CreateStore(ok, B.CreateInBoundsGEP(B.getInt8Ty(), arg_ok_, B.getInt64(int64_t(k - first))));
    }
    if (in.op == Op::Pick) {
      llvm::Value* at = PickIndex(a);
      llvm::Value* v = B.CreateLoad(i64, B.CreateInBoundsGEP(i64, shortfalls_, at));
      llvm::Value* ok = B.CreateICmpNE(B.CreateLoad(B.getInt8Ty(), B.CreateInBoundsGEP(B.getInt8Ty(), arg_ok_, at)), B.getInt8(0));
      if (a[0].ok) ok = B.CreateAnd(ok, a[0].ok);
      Val out{FromStorage(v, kind), in.type.optional ? ok : nullptr};
      if (out.ok) out.v = B.CreateSelect(out.ok, out.v, Zero(kind));
      return out;
    }
    if (in.op == Op::TableRow)
      if (auto inline_row = InlineTableRow(in, a)) return *inline_row;
    llvm::Value* table = B.CreateInBoundsGEP(B.getInt8Ty(), ctx_tables_, B.getInt64(int64_t(in.imm * sizeof(rt::CompiledTable))));
    if (in.op == Op::TableRow) {
      llvm::Value* r = B.CreateCall(Helper("credo_jit_table_row", i64, {ptr, ptr, ptr, i64}),
                                    {table, shortfalls_, arg_ok_, B.getInt64(in.imm2)});
      if (kind == Kind::Bool) return {B.CreateICmpNE(r, B.getInt64(0)), nullptr};
      if (!in.type.optional) return {r, nullptr};
      llvm::Value* ok = B.CreateICmpSGE(r, B.getInt64(0));
      return {B.CreateSelect(ok, r, B.getInt64(0)), ok};
    }
    for (size_t k = 0; k < a.size(); ++k)
      B.CreateStore(ErrorOf(a[k]), B.CreateInBoundsGEP(i32, arg_err_, B.getInt64(int64_t(k))));
    llvm::Value* result = B.CreateInBoundsGEP(i32, arg_err_, B.getInt64(int64_t(a.size())));
    llvm::Value* bits = B.CreateCall(Helper("credo_jit_table_agg", i64, {ptr, i64, i64, ptr, ptr, ptr, i64, ptr}),
                                     {table, B.getInt64(in.imm2), B.getInt64(kind == Kind::Number), shortfalls_, arg_ok_,
                                      arg_err_, B.getInt64(in.site), result});
    llvm::Value* rows_error = B.CreateLoad(i32, result);
    llvm::Value* present = B.CreateICmpNE(B.CreateLoad(i32, B.CreateInBoundsGEP(i32, result, B.getInt64(1))), B.getInt32(0));
    if (err_) err_ = B.CreateSelect(B.CreateICmpNE(err_, B.getInt32(0)), err_, rows_error);
    Val out{FromStorage(bits, kind), in.type.optional ? present : nullptr};
    return out;
  }

  // RefFind / RefGet call the shared index (reference_ops below): one hash probe, one load.
  Val Reference(const Instr& in, std::vector<Val>& a) {
    llvm::Value* key_ok = a[0].ok ? B.CreateZExt(a[0].ok, i64) : B.getInt64(1);
    if (in.op == Op::RefFind) {
      Kind key_kind = code_[in.args[0]].type.kind;
      llvm::Value* slot = B.CreateCall(Helper("credo_jit_ref_find", i64, {ptr, i64, i64, i64}),
                                       {ctx_references_, B.getInt64(in.imm), ToStorage(a[0].v, key_kind), key_ok});
      llvm::Value* found = B.CreateICmpSGE(slot, B.getInt64(0));
      return {B.CreateSelect(found, slot, B.getInt64(0)), found};
    }
    llvm::Value* bits = B.CreateCall(Helper("credo_jit_ref_get", i64, {ptr, i64, i64, i64, i64, ptr}),
                                     {ctx_references_, B.getInt64(in.imm), B.getInt64(in.imm2), a[0].v, key_ok, arg_err_});
    llvm::Value* state = B.CreateLoad(i32, arg_err_);
    llvm::Value* valid = B.CreateICmpNE(B.CreateAnd(state, B.getInt32(1)), B.getInt32(0));
    if (err_ && in.site) {
      llvm::Value* failed = B.CreateICmpNE(B.CreateAnd(state, B.getInt32(2)), B.getInt32(0));
      err_ = B.CreateSelect(B.CreateICmpNE(err_, B.getInt32(0)), err_,
                            B.CreateSelect(failed, B.getInt32(in.site), B.getInt32(0)));
    }
    if (in.type.kind == Kind::String) bits = B.CreateSelect(valid, bits, ctx_empty_);
    Val out{FromStorage(bits, in.type.kind), in.type.optional ? valid : nullptr};
    return out;
  }

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

// ---- compiled code and the compile cache -------------------------------------------------------

uint64_t NextCompiledId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

struct Compiled {
  uint64_t id = NextCompiledId();                   // tells the threads' scratch arrays which code they fit
  std::unique_ptr<llvm::orc::LLJIT> jit;
  KernelPlan record, group;                         // plans (their code pointers are not used)
  std::vector<SegmentFn> segments, group_functions;  // the kernel functions of each plan, in order
  size_t functions() const { return segments.size() + group_functions.size(); }
};

bool InitLlvm() {
  static bool ok = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  return ok;
}

std::string HostKey() {
  std::string key = llvm::sys::getHostCPUName().str();
  for (auto& [feature, on] : llvm::sys::getHostCPUFeatures())
    if (on) key += "+" + feature.str();
  return key;
}

// Programs larger than this many instructions get the short pipeline below: O2's time grows with
// the program (InstCombine, run nine times, takes over half of it), and for a big rule book
// compile time matters more than the last 10-15% of evaluation speed.
constexpr size_t kLargeProgram = 2048;
constexpr const char* kShortPipeline =
    "function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,"
    "loop-vectorize<interleave-forced-only>,instcombine<no-verify-fixpoint>,simplifycfg)";

bool Optimize(llvm::Module& m, llvm::TargetMachine* tm, bool large, std::string& error) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = false;  // the loop vectoriser does the work; SLP only costs time
  tuning.LoopInterleaving = false;  // wider code, little gain on these loop bodies
  llvm::PassBuilder pb(tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager passes;
  if (!large) {
    passes = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  } else if (auto e = pb.parsePassPipeline(passes, kShortPipeline)) {
    error = "bad pass pipeline: " + llvm::toString(std::move(e));
    return false;
  }
  passes.run(m, mam);
  return true;
}

// The module (part) of each kernel function, numbered across both plans: largest first, each to
// the part with the fewest instructions so far, so the parallel optimisations end together.
std::vector<size_t> AssignParts(const KernelPlan& record, const KernelPlan& group, size_t parts) {
  std::vector<size_t> sizes;
  for (const KernelPlan* plan : {&record, &group})
    for (const auto& function : plan->functions) {
      size_t size = 0;
      for (size_t s : function) size += plan->segments[s].second - plan->segments[s].first;
      sizes.push_back(size);
    }
  std::vector<size_t> order(sizes.size()), part_of(sizes.size()), load(parts, 0);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
  for (size_t k : order) {
    part_of[k] = size_t(std::min_element(load.begin(), load.end()) - load.begin());
    load[part_of[k]] += sizes[k];
  }
  return part_of;
}

// Generates and optimises part `part` of `parts` of the kernels for the host.
// `part_of` gives each kernel function's part, numbered across the record and group plans.
bool BuildModule(const ir::Program& program, const KernelPlan& record, const KernelPlan& group,
                 const std::vector<size_t>& part_of, size_t part, llvm::TargetMachine& tm, llvm::Module& module,
                 std::string& error) {
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple().str());
  size_t kernel = 0;
  for (const KernelPlan* plan : {&record, &group}) {
    Codegen codegen(program, *plan, module.getContext(), module);
    for (size_t f = 0; f < plan->functions.size(); ++f)
      if (part_of[kernel++] == part) codegen.EmitFunction(f);
  }
  std::string verify;
  llvm::raw_string_ostream os(verify);
  if (llvm::verifyModule(module, &os)) {
    error = "invalid LLVM IR: " + verify;
    return false;
  }
  return Optimize(module, &tm, program.code.size() + program.group_code.size() > kLargeProgram, error);
}

// Builds the kernels in `parts` modules, optimising them on parallel threads (each module has
// its own LLVMContext, so they share nothing).
bool BuildModules(const ir::Program& program, const KernelPlan& record, const KernelPlan& group,
                  llvm::orc::JITTargetMachineBuilder jtmb, size_t parts, std::vector<llvm::orc::ThreadSafeModule>& modules,
                  std::string& error) {
  std::vector<size_t> part_of = AssignParts(record, group, parts);
  std::vector<std::unique_ptr<llvm::LLVMContext>> contexts(parts);
  std::vector<std::unique_ptr<llvm::Module>> built(parts);
  std::vector<std::string> errors(parts);
  auto build = [&](size_t part) {
    auto tm = jtmb.createTargetMachine();
    if (!tm) { errors[part] = llvm::toString(tm.takeError()); return; }
    contexts[part] = std::make_unique<llvm::LLVMContext>();
    built[part] = std::make_unique<llvm::Module>(fmt::format("policy{}", part), *contexts[part]);
    if (!BuildModule(program, record, group, part_of, part, **tm, *built[part], errors[part])) built[part].reset();
  };
  std::vector<std::thread> threads;
  for (size_t part = 1; part < parts; ++part) threads.emplace_back(build, part);
  build(0);
  for (auto& t : threads) t.join();
  for (size_t part = 0; part < parts; ++part) {
    if (!built[part]) {
      error = errors[part];
      return false;
    }
    modules.emplace_back(std::move(built[part]), std::move(contexts[part]));
  }
  return true;
}

std::shared_ptr<Compiled> Compile(const ir::Program& program, std::string& error, size_t& functions) {
  InitLlvm();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) { error = llvm::toString(jtmb.takeError()); return nullptr; }
  // The IR arrives optimised and vectorised (O2); instruction selection without its own
  // optimisations produces code as fast here, in a fraction of the time.
  jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::None);
  auto compiled = std::make_shared<Compiled>();
  compiled->record = PlanKernels(program, false);
  compiled->group = PlanKernels(program, true);
  functions = compiled->record.functions.size() + compiled->group.functions.size();
  size_t parts = std::max<size_t>(1, std::min<size_t>(functions, std::thread::hardware_concurrency()));
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(*jtmb).setNumCompileThreads(unsigned(parts)).create();
  if (!jit) { error = llvm::toString(jit.takeError()); return nullptr; }
  std::vector<llvm::orc::ThreadSafeModule> modules;
  if (!BuildModules(program, compiled->record, compiled->group, *jtmb, parts, modules, error)) return nullptr;

  llvm::orc::SymbolMap helpers;
  auto define = [&](const char* name, auto* fn) {
    helpers[(*jit)->mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(fn), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
  };
  define("credo_jit_str_cmp", &credo_jit_str_cmp);
  define("credo_jit_str_bytes_eq", &credo_jit_str_bytes_eq);
  define("credo_jit_round_quot", &credo_jit_round_quot);
  define("credo_jit_calendar", &credo_jit_calendar);
  define("credo_jit_calendar_in_range", &credo_jit_calendar_in_range);
  define("credo_jit_text", &credo_jit_text);
  define("credo_jit_ranked_list", &credo_jit_ranked_list);
  define("credo_jit_first_codes", &credo_jit_first_codes);
  define("credo_jit_math", &credo_jit_math);
  define("credo_jit_table_row", &credo_jit_table_row);
  define("credo_jit_table_agg", &credo_jit_table_agg);
  define("credo_jit_ref_find", &credo_jit_ref_find);
  define("credo_jit_ref_get", &credo_jit_ref_get);
  if (auto e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(helpers)))) {
    error = llvm::toString(std::move(e));
    return nullptr;
  }
  for (auto& m : modules)
    if (auto e = (*jit)->addIRModule(std::move(m))) {
      error = llvm::toString(std::move(e));
      return nullptr;
    }
  // One lookup for every kernel, so that the compile threads generate the modules' code together.
  llvm::orc::SymbolLookupSet names;
  std::vector<llvm::orc::SymbolStringPtr> order;
  for (const KernelPlan* plan : {&compiled->record, &compiled->group})
    for (size_t f = 0; f < plan->functions.size(); ++f) {
      order.push_back((*jit)->mangleAndIntern(fmt::format("{}{}", plan->prefix(), f)));
      names.add(order.back());
    }
  auto& es = (*jit)->getExecutionSession();
  auto found = es.lookup(llvm::orc::makeJITDylibSearchOrder(&(*jit)->getMainJITDylib()), std::move(names));
  if (!found) { error = llvm::toString(found.takeError()); return nullptr; }
  for (size_t k = 0; k < order.size(); ++k) {
    auto fn = (*found)[order[k]].getAddress().toPtr<SegmentFn>();
    (k < compiled->record.functions.size() ? compiled->segments : compiled->group_functions).push_back(fn);
  }
  compiled->jit = std::move(*jit);
  compiled->record.code = compiled->group.code = nullptr;  // the cache outlives `program`
  return compiled;
}

std::shared_ptr<Compiled> CompileCached(const ir::Program& program, std::string& error, JitStats& stats) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<Compiled>> cache;
  static const std::string host = HostKey();
  uint64_t hash = program.hash ? program.hash : ir::Hash(program);
  std::string key = fmt::format("{:016x}/{}/{}", hash, kEngineVersion, host);
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) {
    stats.cached = true;
    stats.functions = it->second->functions();
    return it->second;
  }
  auto compiled = Compile(program, error, stats.functions);
  if (compiled) cache[key] = compiled;
  return compiled;
}

// ---- the evaluator -----------------------------------------------------------------------------

class JitEvaluator : public rt::Evaluator, public GroupStepRunner {
 public:
  JitEvaluator(ir::Program program, std::shared_ptr<Compiled> code) : code_(std::move(code)), p_(std::move(program)) {
    for (const auto& s : p_.strings) strings_.push_back(rt::StrBits(arena_.Add(s)));
    for (const auto& set : p_.reason_sets) {
      reason_bits_.emplace_back();
      for (int32_t id : set) reason_bits_.back().push_back(strings_[id]);
    }
    for (auto& r : reason_bits_) reason_tables_.push_back(r.data());
    context_ = {strings_.data(), reason_tables_.data(), rt::StrBits(arena_.Add("")), nullptr, &p_.info, p_.tables.data(), nullptr};
  }

  const rt::PolicyInfo& info() const override { return p_.info; }

  void Evaluate(const rt::InputBatch& in, rt::StateBatch& out) override {
    thread_local Scratch scratch;
    size_t n = in.rows;
    out.Reset(in, p_.info.state);
    scratch.Prepare(code_->id, code_->record.spilled, code_->record.fails);
    // Reused per thread: a call for a single record (the embedding API) allocates nothing here.
    thread_local std::vector<const int64_t*> in_v;
    thread_local std::vector<const uint8_t*> in_ok;
    thread_local std::vector<int64_t*> st_v;
    thread_local std::vector<uint8_t*> st_ok;
    in_v.resize(in.fields.size());
    in_ok.resize(in.fields.size());
    st_v.resize(out.slots.size());
    st_ok.resize(out.slots.size());
    JitContext context = context_;
    context.arena = out.computed.get();
    context.references = references();
    for (size_t begin = 0; begin < n; begin += kChunk) {
      size_t rows = std::min(kChunk, n - begin);
      for (size_t f = 0; f < in.fields.size(); ++f) {
        in_v[f] = in.fields[f].values.data() + begin;
        in_ok[f] = in.fields[f].valid.data() + begin;
      }
      for (size_t s = 0; s < out.slots.size(); ++s) {
        st_v[s] = out.slots[s].values.data() + begin;
        st_ok[s] = out.slots[s].valid.empty() ? nullptr : out.slots[s].valid.data() + begin;  // optional slots only
      }
      for (SegmentFn segment : code_->segments)
        segment(in_v.data(), in_ok.data(), int64_t(rows), scratch.v.data(), scratch.ok.data(), out.status.data() + begin,
                &context, st_v.data(), st_ok.data(), nullptr, scratch.err.data());
    }
  }

  void EvaluateGroups(const rt::GroupMembers& members) override {
    group_arena = members.arena ? members.arena : group_arenas_.New();
    RunGroupPass(p_, group_plan_, members, kChunk, *this);
  }

  // One group step over a chunk of members: the pass's kept registers, plus scratch arrays for
  // the registers that only cross kernels inside the step.
  void RunStep(size_t step, const GroupRows& rows) override {
    thread_local Scratch scratch;
    thread_local std::vector<int64_t*> reg_v;
    thread_local std::vector<uint8_t*> reg_ok;
    thread_local std::vector<int32_t*> reg_err;
    scratch.Prepare(code_->id, code_->group.spilled, code_->group.fails);
    reg_v.assign(rows.reg_v, rows.reg_v + p_.group_code.size());
    reg_ok.assign(rows.reg_ok, rows.reg_ok + p_.group_code.size());
    reg_err.assign(rows.reg_err, rows.reg_err + p_.group_code.size());
    for (size_t r = 0; r < reg_v.size(); ++r)
      if (!reg_v[r]) {
        reg_v[r] = scratch.v[r];
        reg_ok[r] = scratch.ok[r];
        reg_err[r] = scratch.err[r];
      }
    JitGroupArgs group{rows.scalars, rows.group_of, int64_t(rows.groups), 0, rows.scalar_errors};
    JitContext context = context_;
    context.arena = group_arena;
    context.references = references();
    const auto& first = code_->group.step_segments;
    for (size_t s = first[step]; s < first[step + 1]; ++s) {
      group.segment = int64_t(s);
      SegmentFn kernel = code_->group_functions[code_->group.function_of[s]];
      kernel(rows.state_v, rows.state_ok, int64_t(rows.rows), reg_v.data(), reg_ok.data(), rows.status, &context,
             nullptr, nullptr, &group, reg_err.data());
    }
  }

 private:
  // Arrays for the registers that cross segments, one chunk long.
  struct Scratch {
    std::vector<std::vector<int64_t>> values;
    std::vector<std::vector<uint8_t>> valid;
    std::vector<std::vector<int32_t>> errors;
    std::vector<int64_t*> v;
    std::vector<uint8_t*> ok;
    std::vector<int32_t*> err;
    uint64_t prepared_for = 0;  // the Compiled::id the arrays were last laid out for
    // Lays the arrays out for a plan's registers; a no-op when they already are (the same code
    // again on this thread), which matters when a call evaluates one record.
    void Prepare(uint64_t code, const std::vector<bool>& spilled, const std::vector<bool>& fails) {
      if (prepared_for == code) return;
      prepared_for = code;
      size_t regs = spilled.size();
      values.resize(std::max(values.size(), regs));
      valid.resize(std::max(valid.size(), regs));
      errors.resize(std::max(errors.size(), regs));
      v.assign(regs, nullptr);
      ok.assign(regs, nullptr);
      err.assign(regs, nullptr);
      for (size_t r = 0; r < regs; ++r) {
        if (!spilled[r]) continue;
        values[r].resize(kChunk);
        valid[r].resize(kChunk);
        v[r] = values[r].data();
        ok[r] = valid[r].data();
        if (!fails[r]) continue;
        errors[r].resize(kChunk);
        err[r] = errors[r].data();
      }
    }
  };

  std::shared_ptr<Compiled> code_;
  ir::Program p_;
  GroupPlan group_plan_{p_};  // after p_: made from it
  rt::StringArena arena_;
  std::vector<int64_t> strings_;
  std::vector<std::vector<int64_t>> reason_bits_;
  std::vector<const int64_t*> reason_tables_;
  JitContext context_{};
  rt::ArenaPool group_arenas_;
};

}  // namespace

const char* JitEngineVersion() { return kEngineVersion; }

std::string DumpLlvm(const ir::Program& program) {
  InitLlvm();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return llvm::toString(jtmb.takeError());
  auto tm = jtmb->createTargetMachine();
  if (!tm) return llvm::toString(tm.takeError());
  llvm::LLVMContext context;
  llvm::Module module("policy", context);
  std::string error;
  KernelPlan record = PlanKernels(program, false), group = PlanKernels(program, true);
  std::vector<size_t> one_part(record.functions.size() + group.functions.size(), 0);
  if (!BuildModule(program, record, group, one_part, 0, **tm, module, error)) return error;
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, nullptr);
  return text;
}

std::unique_ptr<rt::Evaluator> MakeJitEvaluator(ir::Program program, std::string& error, JitStats* stats) {
  JitStats local;
  JitStats& s = stats ? *stats : local;
  auto start = std::chrono::steady_clock::now();
  auto code = CompileCached(program, error, s);
  s.compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!code) return nullptr;
  return std::make_unique<JitEvaluator>(std::move(program), std::move(code));
}

}  // namespace credo
