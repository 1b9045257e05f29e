// trace_record.h — what fired for a record (EvaluateOptions::trace), and its explanation
// (Policy::explain), both from the policy lowered with probes (ir/probes.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/policy_impl.h"
#include "compiler/explain/explanation.h"

namespace credo::v1 {

// Explains record `r` (the group pass over it alone) as `credo explain` does and hands the
// explanation to `use`; false with `error` when it cannot (the probed program failed to compile).
bool ExplainRecord(const PolicyImpl& p, const Record::Impl& r, std::string& error,
                   const std::function<void(const explain::Explanation&)>& use);

// The probed program with each rule's, warning's and decision arm's "hit" register, and each
// scorecard's ranked reasons, kept as extra record-state slots, on the interpreter: a trace is
// one more evaluation of the record, not an explanation (microseconds, not a millisecond).
struct Tracer {
  std::unique_ptr<rt::Evaluator> evaluator;
  struct Item {
    size_t slot;        // the state slot holding its hit (or, for reasons, the ranked codes)
    bool reasons;       // a scorecard's reasons: one Fired per code, in rank order
    Fired fired;        // what it reports when it fired (for reasons: kind, section)
  };
  std::vector<Item> items;  // in policy order
  std::unordered_map<std::string, std::string> reason_titles;  // characteristic code → title
};
// `references`: the data the probed program's lookups read (PolicyImpl::probed_references).
std::shared_ptr<const Tracer> MakeTracer(const Compilation& probed, std::shared_ptr<const rt::References> references);

// The rules and warnings of the record program that fired for the one-row `input` (as it was
// evaluated), the scorecards' reasons in rank order and the decision arms or table rows taken.
// Nothing when the record program rejected the record. `state`: the thread's buffer for it.
void TraceRecord(const PolicyImpl& p, const rt::InputBatch& input, rt::StateBatch& state, std::vector<Fired>& fired);

}  // namespace credo::v1
