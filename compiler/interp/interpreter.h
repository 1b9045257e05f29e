// interpreter.h — ir::Program → Evaluator: the reference semantics of credo.
//
// Runs the program instruction-at-a-time over whole columns (a vectorised interpreter): each
// instruction is one tight loop over the batch, so dispatch costs once per batch, not per record.
#pragma once

#include <memory>

#include "compiler/ir/ir.h"
#include "runtime/core/evaluator.h"

namespace credo {

std::unique_ptr<rt::Evaluator> MakeInterpreter(ir::Program program);

}  // namespace credo
