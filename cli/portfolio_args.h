// portfolio_args.h — what `credo compare` and `credo report` share: the options naming output
// roles, running a policy over a portfolio file, and writing a result file safely.
#pragma once

#include <string>
#include <vector>

#include "compiler/portfolio/portfolio.h"

namespace credo::cli {

// Reads a role option (--decision, --grade, --score, --amount, --id, --approve COL) at args[i]
// into `names`, advancing i. Returns false when args[i] is not one; sets `error` when it is but
// has no value.
bool ParseRoleOption(const std::vector<std::string>& args, size_t& i, portfolio::RoleNames& names, std::string& error);

// Compiles `policy` (with probes) and runs it over `in` (its text in `csv`). Returns an exit
// code; on failure the reason is printed as `credo COMMAND: ...`.
int RunPolicyOver(const char* command, const std::string& policy, const std::string& in, const std::string& csv,
                  const portfolio::RunOptions& options, portfolio::Run& run);

// Writes `text` to `path` through OutputFile (never renamed over a device or pipe). Returns an
// exit code; on failure the reason is printed.
int WriteResult(const char* command, const std::string& path, const std::string& text);

// The role options as the commands' help lists them.
inline constexpr const char* kRoleHelp =
    "which output is which (detected from the policy; name it when it cannot be told):\n"
    "  --decision COL        the decision (default: the output holding the decision block's value)\n"
    "  --grade COL           the grade (default: the output holding a band's value)\n"
    "  --score COL           the score (default: the output holding a scorecard's score)\n"
    "  --amount COL          the approved amount (default: the money output named *approv*, or the\n"
    "                        only money output)\n"
    "  --approve VALUE       the decision value that approves (default: the one named APPROVE/ACCEPT)\n"
    "  --id FIELD            the input field naming a record (default: the first string input)\n";

}  // namespace credo::cli
