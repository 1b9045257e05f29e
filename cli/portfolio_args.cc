// portfolio_args.cc — see portfolio_args.h.
#include "cli/portfolio_args.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "cli/read_input.h"

namespace credo::cli {

namespace {
// A role option (--decision, --grade, --score, --amount, --id, --approve) names its target.
std::string* RoleTarget(const std::string& option, portfolio::RoleNames& names) {
  return option == "--decision"  ? &names.decision
         : option == "--grade"   ? &names.grade
         : option == "--score"   ? &names.score
         : option == "--amount"  ? &names.amount
         : option == "--id"      ? &names.id
         : option == "--approve" ? &names.approve
                                 : nullptr;
}

// The value of the option at args[i]: the next argument, which must not be empty.
Parsed OptionValue(const std::vector<std::string>& args, size_t& i, std::string& target, const char* needs,
                   std::string& error) {
  if (i + 1 >= args.size() || args[i + 1].empty()) {
    error = args[i] + " needs " + needs;
    return Parsed::Error;
  }
  target = args[++i];
  return Parsed::Yes;
}
}  // namespace

Parsed ParsePortfolioInputOption(const std::vector<std::string>& args, size_t& i, PortfolioArgs& parsed,
                                 std::string& error) {
  const std::string& a = args[i];
  if (a == "--in") return OptionValue(args, i, parsed.in, "a file (or - for stdin)", error);
  if (a == "--json") {
    parsed.json = true;
    return Parsed::Yes;
  }
  if (a == "--strict") {
    parsed.options.strict = true;
    return Parsed::Yes;
  }
  if (a == "--format") {
    std::string f = i + 1 < args.size() ? args[++i] : "";
    parsed.format = FormatOfOption(f);
    if (parsed.format) return Parsed::Yes;
    error = fmt::format("--format needs csv or jsonl, not '{}'", f);
    return Parsed::Error;
  }
  if (a == "--ref") {
    std::string spec = i + 1 < args.size() ? args[++i] : "";
    return ParseRefOption(spec, parsed.references, error) ? Parsed::Yes : Parsed::Error;
  }
  if (a == "--engine" || a.rfind("--engine=", 0) == 0)
    return ParseEngineOption(args, i, parsed.options.engine, error) ? Parsed::Yes : Parsed::Error;
  return Parsed::No;
}

Parsed ParsePortfolioOption(const std::vector<std::string>& args, size_t& i, PortfolioArgs& parsed,
                            bool takes_outcome, std::string& error) {
  if (Parsed p = ParsePortfolioInputOption(args, i, parsed, error); p != Parsed::No) return p;
  const std::string& a = args[i];
  if (a == "--outcome" && takes_outcome) return OptionValue(args, i, parsed.options.outcome, "a column name", error);
  if (std::string* role = RoleTarget(a, parsed.options.roles))
    return OptionValue(args, i, *role, "a column name", error);
  return Parsed::No;
}

std::string CheckReferenceOptions(const std::vector<const PortfolioPolicy*>& policies,
                                  const std::map<std::string, std::string>& references) {
  if (policies.size() == 1) return CheckRefOptions(policies[0]->compilation.program->info.references, references);
  // Several policies: a --ref is for whichever declares it, so it is wrong only when none does.
  auto declares = [](const PortfolioPolicy* p, const std::string& name) {
    const auto& declared = p->compilation.program->info.references;
    return std::find(declared.begin(), declared.end(), name) != declared.end();
  };
  for (const auto& [name, file] : references)
    if (std::none_of(policies.begin(), policies.end(), [&](const PortfolioPolicy* p) { return declares(p, name); })) {
      std::vector<std::string> all;
      for (const PortfolioPolicy* p : policies)
        for (const auto& r : p->compilation.program->info.references)
          if (std::find(all.begin(), all.end(), r) == all.end()) all.push_back(r);
      return all.empty() ? fmt::format("--ref {}: neither policy declares reference data", name)
                         : fmt::format("--ref {}: neither policy has a reference '{}'; their references are: {}", name,
                                       name, fmt::join(all, ", "));
    }
  for (const PortfolioPolicy* p : policies)
    for (const auto& name : p->compilation.program->info.references)
      if (!references.count(name))
        return fmt::format("{} reads reference data '{}': give it with --ref {}=FILE", p->path, name, name);
  return "";
}

int ReadPortfolio(const char* command, const std::string& path, const std::optional<exec::Format>& format,
                  Portfolio& portfolio) {
  portfolio.path = path;
  portfolio.format = format.value_or(FormatOfName(path));
  std::string error;
  if (!ReadRecordsInput(path, portfolio.text, error)) {
    std::fprintf(stderr, "credo %s: %s\n", command, error.c_str());
    return kFailure;
  }
  return kOk;
}

int RunPolicyOver(const char* command, const PortfolioPolicy& policy, const Portfolio& portfolio,
                  const std::map<std::string, std::string>& references, portfolio::RunOptions options,
                  portfolio::Run& run) {
  options.format = portfolio.format;
  options.references.clear();
  for (const auto& name : policy.compilation.program->info.references)
    if (auto it = references.find(name); it != references.end()) options.references.insert(*it);
  std::string error;
  portfolio::RunFailure failure;
  if (!portfolio::RunPortfolio(policy.compilation, policy.path, portfolio.text, options, run, error, failure)) {
    using portfolio::RunFailure;
    const std::string& about = failure == RunFailure::Input ? (portfolio.path == "-" ? "stdin" : portfolio.path)
                                                            : policy.path;
    if (failure == RunFailure::Reference || failure == RunFailure::Read)  // the error names the file
      std::fprintf(stderr, "credo %s: %s\n", command, error.c_str());
    else
      std::fprintf(stderr, "credo %s: %s: %s\n", command, about.c_str(), error.c_str());
    if (failure == RunFailure::Input) std::fprintf(stderr, "  (the input does not fit %s)\n", policy.path.c_str());
    return failure == RunFailure::Read || failure == RunFailure::Internal ? kFailure : kPolicyError;
  }
  return kOk;
}

void NoteReferencesSetAside(const char* command, const PortfolioPolicy& policy, const portfolio::Run& run) {
  std::string set_aside;  // one line per policy, however many references
  for (const auto& r : run.references)
    if (r.rejected) set_aside += fmt::format("{}{} {} of {}", set_aside.empty() ? "" : ", ", r.name, r.rejected, r.rows);
  if (!set_aside.empty())
    std::fprintf(stderr, "credo %s: %s: reference rows set aside: %s (`credo run --ref-rejects` lists them)\n", command,
                 policy.path.c_str(), set_aside.c_str());
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
