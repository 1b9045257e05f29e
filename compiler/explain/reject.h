// reject.h — why a record was rejected, in the author's terms: the reason rejects.csv writes,
// the offending cell and what the field or check expected (explanation.h's Reject).
#pragma once

#include <cstddef>

#include "compiler/explain/explanation.h"

namespace credo::explain {

// Record `r` must be rejected (trace.status[r] != 0).
Reject DescribeReject(const Context& context, size_t r);

}  // namespace credo::explain
