// lower.h — CheckedPolicy → ir::Program. Only a checked policy can be lowered.
#pragma once

#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"

namespace credo {

ir::Program Lower(const check::CheckedPolicy& policy);

struct LowerOptions {
  // Fill Program::probes (ir/probes.h) for explain and coverage. The probes' own instructions
  // are appended after the program's, whose hash Lower then sets (Program::hash): the same as
  // the program lowered without probes.
  bool probes = false;
  const SourceFile* source = nullptr;  // for the probes' text (may be null)
};
ir::Program Lower(const check::CheckedPolicy& policy, const LowerOptions& options);

}  // namespace credo
