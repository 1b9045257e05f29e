// arrow_run.h — a batch run over Arrow C Data Interface arrays: read the struct array, evaluate,
// unique keys, group pass, and the accepted rows and the rejects as Arrow struct arrays. The same
// records give the same outputs and reject reasons as `credo run` (runtime/exec/runner.h).
#pragma once

#include <cstddef>
#include <string>

#include "credo/credo.h"
#include "runtime/core/evaluator.h"

namespace credo::arrow {

enum class RunStatus { Ok, Schema, Resource };

// Evaluates every row of `in` (credo_evaluate_arrow in credo.h says what is read and written).
// On Ok the four out-structs own the results; otherwise they are untouched and `error` says why.
// `threads` >= 1.
RunStatus EvaluateArrow(rt::Evaluator& evaluator, const ArrowSchema& in_schema, const ArrowArray& in,
                        size_t threads, ArrowSchema* out_schema, ArrowArray* out, ArrowSchema* rejects_schema,
                        ArrowArray* rejects, std::string& error);

// The schemas of the three struct arrays, each field's preferred Arrow type.
void InputSchema(const rt::PolicyInfo& info, ArrowSchema* out);
void OutputSchema(const rt::PolicyInfo& info, ArrowSchema* out);
void RejectsSchema(ArrowSchema* out);

}  // namespace credo::arrow
