// compare.cc — `credo compare`: a champion and a challenger policy over the same portfolio
// (compiler/portfolio/), as text, JSON, a file of changed records and an HTML report.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/portfolio_args.h"
#include "cli/read_input.h"
#include "cli/same_file.h"
#include "compiler/portfolio/render.h"

namespace credo::cli {

namespace {
const std::string kCompareUsage = std::string(
    "usage: credo compare CHAMPION CHALLENGER --in PORTFOLIO.csv [options]\n"
    "\n"
    "Runs both policies over the same portfolio, in process, and joins them record by record:\n"
    "the swap set (decision x decision: records and amounts), grade migration, approval rate and\n"
    "approved amount before and after, limits by grade, the shift of decision and scorecard\n"
    "reasons, the score distributions and their population stability index (PSI). A record\n"
    "either policy rejects is counted as (rejected), never dropped. Both policies read the same\n"
    "file, each its own input columns; the header must fit each of them.\n"
    "\n"
    "options:\n"
    "  --in FILE             the portfolio (- for stdin)\n"
    "  --json                JSON (schema credo.compare/1, docs/cli.md) instead of text\n"
    "  --changed FILE        write the records whose outcome changed (acceptance, decision, grade,\n"
    "                        amount or decision reason), both sides, as CSV\n"
    "  --report FILE         write the comparison as one self-contained HTML page\n"
    "                        (either may be - for stdout, which then carries only that file)\n"
    "  --engine jit|interp   the engine that runs the policies (default jit)\n") +
    kRoleHelp +
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit a policy, 2 usage error,\n"
    "3 I/O failure\n";
}  // namespace

int Compare(const std::vector<std::string>& args) {
  std::vector<std::string> policies;
  std::string in, changed, report;
  bool json = false;
  portfolio::RunOptions options;
  auto usage_error = [](const std::string& why) { return UsageError("compare", kCompareUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size() || args[i + 1].empty()) return false;
      target = args[++i];
      return true;
    };
    std::string why;
    if (a == "--help" || a == "-h") {
      std::fputs(kCompareUsage.c_str(), stdout);
      return kOk;
    } else if (a == "--in") {
      if (!value(in)) return usage_error("--in needs a file (or - for stdin)");
    } else if (a == "--changed") {
      if (!value(changed)) return usage_error("--changed needs a file");
    } else if (a == "--report") {
      if (!value(report)) return usage_error("--report needs a file");
    } else if (a == "--json") {
      json = true;
    } else if (a == "--engine" || a.rfind("--engine=", 0) == 0) {
      if (!ParseEngineOption(args, i, options.engine, why)) return usage_error(why);
    } else if (ParseRoleOption(args, i, options.roles, why)) {
      if (!why.empty()) return usage_error(why);
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policies.size() < 2) {
      policies.push_back(a);
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policies.size() < 2) return usage_error("give two policies: the champion and the challenger");
  if (in.empty()) return usage_error("--in is required");
  if (changed == "-" && report == "-") return usage_error("--changed and --report cannot both be stdout");
  // A file written to stdout takes the place of the figures there.
  bool figures = changed != "-" && report != "-";
  std::vector<std::pair<std::string, std::string>> outputs;
  if (!changed.empty()) outputs.push_back({"--changed", changed});
  if (!report.empty()) outputs.push_back({"--report", report});
  for (const std::string& source : {in, policies[0], policies[1]})
    if (std::string why = CheckDistinctFiles(source, outputs); !why.empty()) return usage_error(why);

  std::string csv, error;
  if (!ReadInput(in, csv, error)) {
    std::fprintf(stderr, "credo compare: %s\n", error.c_str());
    return kFailure;
  }
  options.bins = !report.empty();
  portfolio::Run champion, challenger;
  if (int code = RunPolicyOver("compare", policies[0], in, csv, options, champion); code != kOk) return code;
  if (int code = RunPolicyOver("compare", policies[1], in, csv, options, challenger); code != kOk) return code;
  if (champion.size() != challenger.size()) {
    std::fprintf(stderr, "credo compare: internal error: the policies read %zu and %zu records of %s\n",
                 champion.size(), challenger.size(), in.c_str());
    return kFailure;
  }
  portfolio::Comparison comparison = portfolio::Compare(champion, challenger);

  if (!changed.empty())
    if (int code = WriteResult("compare", changed, portfolio::ChangedCsv(comparison)); code != kOk) return code;
  if (!report.empty()) {
    portfolio::Report page;
    page.comparison = comparison;
    if (int code = WriteResult("compare", report, portfolio::RenderHtml(page)); code != kOk) return code;
  }
  if (!figures) return kOk;
  std::string text = json ? portfolio::RenderJson(comparison) : portfolio::RenderText(comparison);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "credo compare: cannot write stdout\n");
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
