// group_pass.h — the group pass, one driver for both engines.
//
// Members are visited in input order, so their record state is read and written almost
// sequentially (visiting them group by group would miss the cache at every member). Each step of
// the group program runs over all members, chunk by chunk, before the next step starts; the
// step's reductions accumulate per group as the chunks pass, so the next step sees complete group
// values. An engine supplies only one thing: "run step s's code over these member rows".
//
// Registers that a later step uses, or that the pass reduces or assigns, are "kept": the pass
// owns their arrays (value, validity, error) and the engine writes them there (and reads them
// from there in later steps). Constants are never kept; engines rematerialise them.
// A reduction skips members already rejected, and gives its group value the first error among
// the reduced values (or the sum's overflow); the error counts for a member where it is used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/core/evaluator.h"

namespace credo {

// What one step's code reads and writes for a chunk of consecutive members.
struct GroupRows {
  size_t rows = 0;
  const int64_t* const* state_v = nullptr;  // per record-state slot: the members' values (slots the code reads)
  const uint8_t* const* state_ok = nullptr; // and their validity
  const int64_t* scalars = nullptr;         // group value k of group g: scalars[k * groups + g]
  const int32_t* scalar_errors = nullptr;   // and its error (ir.h, "Errors are values")
  size_t groups = 0;
  const uint32_t* group_of = nullptr;       // per member: its group
  int64_t* const* reg_v = nullptr;          // per register: its kept array for these rows, or null
  uint8_t* const* reg_ok = nullptr;         // validity of a kept register (written when optional)
  int32_t* const* reg_err = nullptr;        // error of a kept register that may fail (ir::MayFail), or null
  int32_t* status = nullptr;                // per member; the first error wins
};

class GroupStepRunner {
 public:
  virtual ~GroupStepRunner() = default;
  // Runs the code of group step `step` over `rows`: a kept register defined before the step is
  // read from its array; a kept register the step defines is written to its array.
  virtual void RunStep(size_t step, const GroupRows& rows) = 0;
};

// Per group-program register: whether the pass keeps it (see above).
std::vector<bool> KeptGroupRegisters(const ir::Program& program);

// What the pass works out from the program alone: an engine makes it once, so that a pass over
// few members (one record, in the embedding API) costs only the members' work.
struct GroupPlan {
  explicit GroupPlan(const ir::Program& program);
  std::vector<bool> kept;    // per register: KeptGroupRegisters
  std::vector<bool> across;  // per register: a later step uses it (its array spans all members)
  std::vector<bool> fails;   // per register: ir::MayFail
  std::vector<bool> read, assigned;  // per record-state slot: the group code reads / assigns it
  std::vector<uint32_t> kept_list;   // the kept registers, ascending
};

// Runs the group pass of `program` over `members`, `chunk` members per RunStep call. Its work
// arrays are kept and reused by later passes on any thread.
void RunGroupPass(const ir::Program& program, const GroupPlan& plan, const rt::GroupMembers& members, size_t chunk,
                  GroupStepRunner& runner);
void RunGroupPass(const ir::Program& program, const rt::GroupMembers& members, size_t chunk, GroupStepRunner& runner);

// Three-way comparison of two values of one kind: Numbers as doubles, Strings by bytes.
int CompareValues(rt::Kind kind, int64_t a, int64_t b);

}  // namespace credo
