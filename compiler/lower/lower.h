// lower.h — CheckedPolicy → ir::Program. Only a checked policy can be lowered.
#pragma once

#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"

namespace credo {

ir::Program Lower(const check::CheckedPolicy& policy);

}  // namespace credo
