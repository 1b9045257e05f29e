// frame.h — the interpreter's registers of one run, and a way to watch them (for traces,
// compiler/interp/trace.h). Internal to compiler/interp.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "compiler/interp/group_pass.h"
#include "compiler/ir/ir.h"
#include "runtime/core/evaluator.h"

namespace credo::interp {

// Registers of one run: a value array per instruction and, when it may be missing, a
// validity array. Inputs and states are aliased, not copied.
struct Frame {
  uint64_t owner = 0;               // id of the program whose constants are filled in
  std::vector<size_t> filled;       // rows of each constant register already filled
  size_t capacity = 0;
  std::vector<std::vector<int64_t>> values;
  std::vector<std::vector<uint8_t>> valid;
  std::vector<std::vector<int32_t>> errors;
  std::vector<const int64_t*> v;
  std::vector<const uint8_t*> ok;  // null: never missing
  std::vector<const int32_t*> err; // null: never an error (ir.h, "Errors are values")

  void Prepare(uint64_t program, size_t regs, size_t rows) {
    if (owner != program) {
      owner = program;
      filled.assign(regs, 0);
    }
    if (values.size() < regs) { values.resize(regs); valid.resize(regs); errors.resize(regs); }
    if (rows > capacity) capacity = rows;
    v.assign(regs, nullptr);
    ok.assign(regs, nullptr);
    err.assign(regs, nullptr);
  }
  int64_t* Out(size_t r) {
    if (values[r].size() < capacity) values[r].resize(capacity);
    v[r] = values[r].data();
    return values[r].data();
  }
  uint8_t* OutValid(size_t r) {
    if (valid[r].size() < capacity) valid[r].resize(capacity);
    ok[r] = valid[r].data();
    return valid[r].data();
  }
  int32_t* OutError(size_t r) {
    if (errors[r].size() < capacity) errors[r].resize(capacity);
    err[r] = errors[r].data();
    return errors[r].data();
  }
};

// Sees every register after each chunk the interpreter runs. A plain run has no observer; a
// trace's copies the registers out (the interpreter reuses its frames chunk after chunk).
class FrameObserver {
 public:
  virtual ~FrameObserver() = default;
  // The record program ran over the rows [begin, begin + rows) of the batch.
  virtual void RecordChunk(size_t begin, size_t rows, const Frame& frame) = 0;
  // Group step `step` ran over `rows`: the next rows.rows members of the pass (group_pass.h runs
  // a step over all members, chunk after chunk in member order, before the next step).
  virtual void GroupChunk(size_t step, const GroupRows& rows, const Frame& frame) = 0;
};

// An interpreter (interpreter.h) that reports to `observer`, which must outlive it.
std::unique_ptr<rt::Evaluator> MakeObservedInterpreter(ir::Program program, FrameObserver& observer);

}  // namespace credo::interp
