#include "cli/compile_policy.h"

#include <cstdio>

#include "cli/commands.h"

namespace credo::cli {

int CompilePolicy(const std::string& path, Compilation& c, const LowerOptions& options) {
  std::string error;
  if (!CompileFile(path, c, error, options)) {
    std::fprintf(stderr, "credo: %s\n", error.c_str());
    return kFailure;
  }
  std::fputs(c.diagnostics.Render(*c.source).c_str(), stderr);
  return c.ok() ? kOk : kPolicyError;
}

}  // namespace credo::cli
