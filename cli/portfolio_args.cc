// portfolio_args.cc — see portfolio_args.h.
#include "cli/portfolio_args.h"

#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/output_file.h"

namespace credo::cli {

bool ParseRoleOption(const std::vector<std::string>& args, size_t& i, portfolio::RoleNames& names,
                     std::string& error) {
  const std::string& a = args[i];
  std::string* target = a == "--decision" ? &names.decision
                        : a == "--grade"  ? &names.grade
                        : a == "--score"  ? &names.score
                        : a == "--amount" ? &names.amount
                        : a == "--id"     ? &names.id
                        : a == "--approve" ? &names.approve
                                           : nullptr;
  if (!target) return false;
  if (i + 1 >= args.size() || args[i + 1].empty()) error = a + " needs a column name";
  else *target = args[++i];
  return true;
}

int RunPolicyOver(const char* command, const std::string& policy, const std::string& in, const std::string& csv,
                  const portfolio::RunOptions& options, portfolio::Run& run) {
  Compilation c;
  if (int compiled = CompilePolicy(policy, c, LowerOptions{.probes = true}); compiled != kOk) return compiled;
  std::string error;
  bool input_error = false;
  if (!portfolio::RunPortfolio(c, policy, csv, options, run, error, input_error)) {
    std::fprintf(stderr, "credo %s: %s: %s\n", command, input_error ? in.c_str() : policy.c_str(), error.c_str());
    if (input_error) std::fprintf(stderr, "  (the input does not fit %s)\n", policy.c_str());
    return input_error || error.find("internal error") == std::string::npos ? kPolicyError : kFailure;
  }
  return kOk;
}

int WriteResult(const char* command, const std::string& path, const std::string& text) {
  OutputFile file;
  std::string error;
  if (!file.Open(path, error) || std::fwrite(text.data(), 1, text.size(), file.file()) != text.size() ||
      !file.Commit(error)) {
    std::fprintf(stderr, "credo %s: %s\n", command, error.empty() ? ("cannot write " + path).c_str() : error.c_str());
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
