// trace.h — every register of one evaluation, for `credo explain` and the structural coverage of
// `credo test`. The interpreter runs a batch as a run does (the record program, then the group
// pass over the accepted members) and the trace keeps, per row, the value, validity and error of
// every register of the record program and of the group program. With a program lowered with
// probes (LowerOptions::probes), the probes (ir/probes.h) say which registers mean what.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/core/evaluator.h"

namespace credo {

struct Trace {
  size_t rows = 0;
  // The value bits, validity and error site (0: none) of register `reg` at `row`; `group`: the
  // group program's register (not present for a row that took no part in the group pass).
  int64_t Value(int32_t reg, size_t row, bool group = false) const;
  bool Present(int32_t reg, size_t row, bool group = false) const;
  int32_t Error(int32_t reg, size_t row, bool group = false) const;

  // Per row, its final status: 0 accepted; k > 0 rejected for PolicyInfo::reasons[k] (by the
  // record program or the group pass); kUnparsed: a field did not parse (TraceBatch's
  // `unparsed`); kDuplicate - k: the value of `unique` key k (PolicyInfo::unique_keys[k]) that an
  // earlier accepted row already has.
  static constexpr int32_t kUnparsed = -1, kDuplicate = -2;
  std::vector<int32_t> status;
  std::vector<int32_t> record_status;  // per row: the status the record program gave it
  std::vector<int32_t> member;         // per row: its index in the group pass, -1: not a member
  rt::StateBatch state;                // the record state after the group pass (output values)
  // Keeps alive the interpreter that ran, which owns the constant and group-pass strings values
  // may point at (input strings live in the batch, which must outlive the trace).
  std::shared_ptr<const void> strings;

  // Storage: per register, its values over the rows (the group program's over the members), its
  // validity (empty: never missing) and errors (empty: never an error).
  struct Registers {
    std::vector<std::vector<int64_t>> values;
    std::vector<std::vector<uint8_t>> valid;
    std::vector<std::vector<int32_t>> errors;
  };
  Registers record, group;
};

// Runs the interpreter over `batch` (then the group pass over all its accepted rows, as a run
// does) keeping every register. The batch's group ids are used when set (InputBatch::group, as
// the runner sets them), else computed from the policy's group key.
Trace TraceBatch(const ir::Program& program, const rt::InputBatch& batch);
// As a run of a CSV file: rows with unparsed[r] set (a field did not parse; their fields from
// that one on read as missing) are rejected (Trace::kUnparsed) and, like rows with a duplicate
// `unique` key, take no part in the group pass.
// `references`: the reference data the program looks up (null when it declares none).
Trace TraceBatch(const ir::Program& program, const rt::InputBatch& batch, const std::vector<uint8_t>& unparsed,
                 std::shared_ptr<const rt::References> references = nullptr);

}  // namespace credo
