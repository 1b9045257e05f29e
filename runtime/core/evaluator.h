// evaluator.h — the interface every engine implements (interpreter and JIT alike).
#pragma once

#include <vector>

#include "runtime/core/batch.h"

namespace credo::rt {

// A member of a group: where its record state lives.
struct RecordRef {
  StateBatch* batch;
  uint32_t row;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual const PolicyInfo& info() const = 0;
  // Evaluates every record of `in` into `out` (resized to in.rows). Never throws for a bad
  // record: per-record failures become a status code.
  virtual void Evaluate(const InputBatch& in, StateBatch& out) = 0;
  // The group pass. `members` lists the members of every group, group after group, each
  // group's members in input order; group g is members[group_begin[g] .. group_begin[g+1]).
  virtual void EvaluateGroups(const std::vector<RecordRef>& members, const std::vector<uint32_t>& group_begin) = 0;
};

}  // namespace credo::rt
