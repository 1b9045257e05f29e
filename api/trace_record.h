// trace_record.h — one record through the probed interpreter, as `credo explain` runs it: its
// explanation (Policy::explain) and what fired (EvaluateOptions::trace).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/policy_impl.h"
#include "compiler/explain/explanation.h"

namespace credo::v1 {

// Explains record `r` (the group pass over it alone) and hands the explanation to `use`; false
// with `error` when it cannot (the probed program failed to compile).
bool ExplainRecord(const PolicyImpl& p, const Record::Impl& r, std::string& error,
                   const std::function<void(const explain::Explanation&)>& use);

// The rules and warnings that fired for `r`, its reasons and the decision arms taken.
void TraceRecord(const PolicyImpl& p, const Record::Impl& r, std::vector<Fired>& fired);

}  // namespace credo::v1
