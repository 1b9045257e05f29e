// replay.cc — `credo replay LOG`: options, then serve/replay.cc.
#define CREDO_IMPLEMENTATION  // the public API's names are written credo::v1:: here (cli/options.h is internal)
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "serve/replay.h"

namespace credo::cli {
namespace {

const char* kReplayUsage =
    "usage: credo replay LOG [--policies DIR | --policy FILE] [--json] [--engine jit|interp]\n"
    "\n"
    "Evaluates every decision of a `credo serve` decision log (- for stdin) again, with the\n"
    "current policy, and reports each one that comes out differently, field by field (outcome,\n"
    "each output, a reject's reason and field, the codes of what fired), with the logged and\n"
    "the current policy hash when they differ. Values are compared as the JSON text they were\n"
    "written as.\n"
    "\n"
    "which policy:\n"
    "  (default)             the file each log line names (as `credo serve` loaded it)\n"
    "  --policies DIR        the policy in DIR that declares the logged policy name\n"
    "  --policy FILE         this policy for every decision (e.g. a candidate version)\n"
    "\n"
    "options:\n"
    "  --json                a JSON report (docs/serve.md) instead of text\n"
    "  --engine=jit|interp   native code (default) or the reference interpreter\n"
    "\n"
    "exit codes: 0 every decision is the same again, 1 some differ or could not be replayed (a\n"
    "line that is not a decision, no such policy, a policy that does not compile), 2 usage\n"
    "error, 3 the log cannot be read\n";

}  // namespace

int Replay(const std::vector<std::string>& args) {
  serve::ReplayOptions options;
  auto usage = [](const std::string& why) { return UsageError("replay", kReplayUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string error;
    if (a == "--help" || a == "-h") {
      std::fputs(kReplayUsage, stdout);
      return kOk;
    } else if (a == "--policies" || a == "--policy") {
      if (i + 1 >= args.size()) return usage(fmt::format("{} needs a value", a));
      (a == "--policies" ? options.policies_dir : options.policy_file) = args[++i];
    } else if (a == "--json") {
      options.json = true;
    } else if (a == "--engine" || a.rfind("--engine=", 0) == 0) {
      Engine engine;
      if (!ParseEngineOption(args, i, engine, error)) return usage(error);
      options.engine = engine == Engine::Jit ? v1::Engine::jit : v1::Engine::interpreter;
    } else if (a != "-" && a.rfind("-", 0) == 0) {
      return usage(fmt::format("unknown option '{}'", a));
    } else if (options.log.empty()) {
      options.log = a;
    } else {
      return usage(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (options.log.empty()) return usage("which decision log? (LOG, or - for stdin)");
  if (!options.policies_dir.empty() && !options.policy_file.empty())
    return usage("--policies and --policy name the policy twice: give one");
  return serve::Replay(options);
}

}  // namespace credo::cli
