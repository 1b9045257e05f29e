#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/options.h"
#include "compiler/driver/compile.h"
#include "compiler/jit/jit.h"

namespace credo::cli {

namespace {
const char* kCheckUsage =
    "usage: credo check FILE... [--dump=ir|--dump=llvm|--dump=points]\n"
    "\n"
    "Parses and checks each policy and prints every diagnostic: file:line:col, the source line,\n"
    "a caret under the problem, a stable code (see docs/diagnostics.md) and a hint.\n"
    "\n"
    "  --dump=ir    print the lowered program of each policy that checks clean\n"
    "  --dump=llvm  print its optimised LLVM IR (the JIT's kernels)\n"
    "  --dump=points  print every scorecard's points table: characteristic, bin, weight of\n"
    "               evidence, points (unrounded and rounded for a scaled scorecard), best bin\n"
    "\n"
    "exit codes: 0 no errors (warnings may be printed), 1 errors found, 2 usage, 3 unreadable file\n"
    "or a dump that cannot be written\n";

// Writes a dump; a failed write (a full disk, a closed pipe) is reported with its reason.
bool WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) == text.size()) return true;
  std::fprintf(stderr, "credo: cannot write to stdout: %s\n", std::strerror(errno));
  return false;
}
}

int Check(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  bool dump_ir = false, dump_llvm = false, dump_points = false;
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::fputs(kCheckUsage, stdout);
      return kOk;
    }
    if (a == "--dump=ir") { dump_ir = true; continue; }
    if (a == "--dump=llvm") { dump_llvm = true; continue; }
    if (a == "--dump=points") { dump_points = true; continue; }
    if (a.rfind("--", 0) == 0) {
      return UsageError("check", kCheckUsage, fmt::format("unknown option '{}'", a));
    }
    files.push_back(a);
  }
  if (files.empty()) return UsageError("check", kCheckUsage, "no policy file");
  int exit = kOk;
  for (const auto& file : files) {
    Compilation c;
    if (CompilePolicy(file, c) == kFailure) {
      exit = kFailure;
      continue;
    }
    size_t errors = c.diagnostics.error_count();
    size_t warnings = c.diagnostics.all().size() - errors;
    if (errors) {
      std::fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", file.c_str(), errors, errors == 1 ? "" : "s", warnings,
                   warnings == 1 ? "" : "s");
      if (exit == kOk) exit = kPolicyError;
    } else {
      if ((dump_points && !WriteStdout(check::PointsTable(*c.checked))) || (dump_ir && !WriteStdout(ir::Print(*c.program))) ||
          (dump_llvm && !WriteStdout(DumpLlvm(*c.program))))
        return kFailure;
    }
  }
  return exit;
}

}  // namespace credo::cli
