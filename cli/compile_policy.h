// compile_policy.h — the first step of every command that takes a policy: compile it and show
// its diagnostics on stderr exactly as `credo check` shows them.
#pragma once

#include <string>

#include "compiler/driver/compile.h"

namespace credo::cli {

// Compiles the policy at `path` into `c` and prints its diagnostics (errors and warnings) to
// stderr. Returns kOk when it compiled without errors, kPolicyError when it has errors (`c` holds
// them), kFailure when it could not be read (the reason is printed).
int CompilePolicy(const std::string& path, Compilation& c, const LowerOptions& options = {});

}  // namespace credo::cli
