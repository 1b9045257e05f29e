// jit_kernels.h — what the JIT's parts share: how a program is cut into kernel functions
// (KernelPlan; jit_codegen.h describes the kernels' ABI) and what the generated code reads
// besides its arguments (JitContext, JitGroupArgs). Internal to compiler/jit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/core/dtable.h"

namespace credo::jit {

constexpr size_t kSegment = 256;  // instructions per kernel function

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

// Cuts the record program (group: the group program, step by step) into kernels.
KernelPlan PlanKernels(const ir::Program& p, bool group);

}  // namespace credo::jit
