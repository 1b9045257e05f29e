// reject.h — why a record was rejected, in the author's terms: the reason rejects.csv writes,
// the offending cell and what the field or check expected (explanation.h's Reject).
#pragma once

#include <cstddef>
#include <string>

#include "compiler/explain/explanation.h"

namespace credo::explain {

// What a cell of `field` must look like to be read, in words ("a date as YYYY-MM-DD"); `empty`:
// the cell was empty (so the field is not optional).
std::string Expected(const rt::PolicyInfo& info, const rt::InputField& field, bool empty);

// Record `r` must be rejected (trace.status[r] != 0).
Reject DescribeReject(const Context& context, size_t r);

}  // namespace credo::explain
