// evaluator.h — the interface every engine implements (interpreter and JIT alike).
#pragma once

#include <vector>

#include "runtime/core/batch.h"
#include "runtime/core/reference.h"

namespace credo::rt {

// The members of a group pass, in input order: batch after batch, each batch's rows ascending.
struct GroupMembers {
  struct Batch {
    StateBatch* state;
    size_t end;                  // its members end here; they begin where the previous batch's end
  };
  std::vector<Batch> batches;
  std::vector<uint32_t> rows;    // per member: its row in its batch
  std::vector<uint32_t> group;   // per member: its group, 0 .. groups-1
  size_t groups = 0;
  // Where the pass puts the strings it computes; null: the evaluator keeps them for its lifetime.
  // The embedding API passes the state's own arena, so that evaluating one record after another
  // neither locks nor keeps every record's strings.
  StringArena* arena = nullptr;

  size_t size() const { return rows.size(); }
  // Adds the rows r of `state` whose group[r] lies in [first, end) and whose status is 0, as
  // members of group group[r] - first. Branch-free: whether a row is a member is as good as random.
  void AddBatch(StateBatch* state, const int32_t* group_of_row, uint32_t first = 0, uint32_t end = UINT32_MAX) {
    size_t at = rows.size();
    rows.resize(at + state->rows);
    group.resize(at + state->rows);
    for (size_t r = 0; r < state->rows; ++r) {
      uint32_t g = uint32_t(group_of_row[r]) - first;  // no group (-1) wraps to a large value
      rows[at] = uint32_t(r);
      group[at] = g;
      at += (g < end - first) & (state->status[r] == 0);
    }
    rows.resize(at);
    group.resize(at);
    if (batches.empty() ? at > 0 : at > batches.back().end) batches.push_back({state, at});
  }
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

  // The reference data the program looks up (ir::Program::references), set before the run and
  // read-only while it runs. A program that declares references must have them.
  void SetReferences(std::shared_ptr<const References> references) { references_ = std::move(references); }
  const References* references() const { return references_.get(); }

 private:
  std::shared_ptr<const References> references_;
};

}  // namespace credo::rt
