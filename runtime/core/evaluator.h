// evaluator.h — the interface every engine implements (interpreter and JIT alike).
#pragma once

#include <vector>

#include "runtime/core/batch.h"

namespace credo::rt {

// A record of a batch: where its state lives.
struct RecordRef {
  StateBatch* batch;
  uint32_t row;
};

// The members of a group pass: records in input order, each with its group (0 .. groups-1).
struct GroupMembers {
  std::vector<RecordRef> records;
  std::vector<uint32_t> group;
  size_t groups = 0;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual const PolicyInfo& info() const = 0;
  // Evaluates every record of `in` into `out` (resized to in.rows). Never throws for a bad
  // record: per-record failures become a status code.
  virtual void Evaluate(const InputBatch& in, StateBatch& out) = 0;
  // The group pass over `members` (whole groups: every member of each group is listed).
  virtual void EvaluateGroups(const GroupMembers& members) = 0;
};

}  // namespace credo::rt
