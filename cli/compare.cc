// compare.cc — `credo compare`: a champion and a challenger policy over the same portfolio
// (compiler/portfolio/), as text, JSON, a file of changed records and an HTML report.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/options.h"
#include "cli/portfolio_args.h"
#include "cli/same_file.h"
#include "compiler/portfolio/render.h"

namespace credo::cli {

namespace {
const std::string kCompareUsage = std::string(
    "usage: credo compare CHAMPION CHALLENGER --in PORTFOLIO [options]\n"
    "\n"
    "Runs both policies over the same portfolio, in process, and joins them record by record:\n"
    "the swap set (decision x decision: records and amounts), grade migration, approval rate and\n"
    "approved amount before and after, limits by grade, the shift of decision and scorecard\n"
    "reasons, the score distributions and their population stability index (PSI). A record\n"
    "either policy rejects is counted as (rejected), never dropped. Both policies read the same\n"
    "file as `credo run` reads its input, each its own input columns (found by name in a CSV\n"
    "header or a JSON Lines record's keys): the file must hold the inputs of each of them.\n"
    "\n"
    "options:\n"
    "  --in FILE             the portfolio (- for stdin): CSV or JSON Lines, either gzip-compressed\n"
    "  --json                JSON (schema credo.compare/1, docs/cli.md) instead of text\n"
    "  --changed FILE        write the records whose outcome changed (acceptance, decision, grade,\n"
    "                        amount or decision reason), both sides, as CSV; `line` is the line\n"
    "                        of the portfolio file the record starts on\n"
    "  --report FILE         write the comparison as one self-contained HTML page\n"
    "                        (either may be - for stdout, which then carries only that file)\n") +
    kPortfolioFormatHelp + kPortfolioRunHelp +
    "                        (each policy is given the references it declares: a --ref neither\n"
    "                        declares is an error, one only the other declares is not)\n" +
    kRoleHelp +
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit a policy, 2 usage error,\n"
    "3 I/O failure\n";
}  // namespace

int Compare(const std::vector<std::string>& args) {
  std::vector<std::string> policies;
  std::string changed, report;
  PortfolioArgs shared;
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
    } else if (Parsed p = ParsePortfolioOption(args, i, shared, /*takes_outcome=*/false, why); p != Parsed::No) {
      if (p == Parsed::Error) return usage_error(why);
    } else if (a == "--changed") {
      if (!value(changed)) return usage_error("--changed needs a file");
    } else if (a == "--report") {
      if (!value(report)) return usage_error("--report needs a file");
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policies.size() < 2) {
      policies.push_back(a);
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policies.size() < 2) return usage_error("give two policies: the champion and the challenger");
  if (shared.in.empty()) return usage_error("--in is required");
  if (changed == "-" && report == "-") return usage_error("--changed and --report cannot both be stdout");
  // A file written to stdout takes the place of the figures there.
  bool figures = changed != "-" && report != "-";
  std::vector<std::pair<std::string, std::string>> outputs;
  if (!changed.empty()) outputs.push_back({"--changed", changed});
  if (!report.empty()) outputs.push_back({"--report", report});
  std::vector<std::string> sources = {shared.in, policies[0], policies[1]};
  for (const auto& [name, file] : shared.references) sources.push_back(file);
  for (const std::string& source : sources)
    if (std::string why = CheckDistinctFiles(source, outputs); !why.empty()) return usage_error(why);

  PortfolioPolicy champion_policy{policies[0], {}}, challenger_policy{policies[1], {}};
  for (PortfolioPolicy* p : {&champion_policy, &challenger_policy})
    if (int code = CompilePolicy(p->path, p->compilation, LowerOptions{.probes = true}); code != kOk) return code;
  if (std::string why = CheckReferenceOptions({&champion_policy, &challenger_policy}, shared.references); !why.empty())
    return usage_error(why);
  Portfolio portfolio;
  if (int code = ReadPortfolio("compare", shared.in, shared.format, portfolio); code != kOk) return code;
  portfolio::RunOptions options = shared.options;
  options.bins = !report.empty();
  portfolio::Run champion, challenger;
  if (int code = RunPolicyOver("compare", champion_policy, portfolio, shared.references, options, champion); code != kOk)
    return code;
  if (int code = RunPolicyOver("compare", challenger_policy, portfolio, shared.references, options, challenger);
      code != kOk)
    return code;
  NoteReferencesSetAside("compare", champion_policy, champion);
  NoteReferencesSetAside("compare", challenger_policy, challenger);
  if (champion.size() != challenger.size()) {
    std::fprintf(stderr, "credo compare: internal error: the policies read %zu and %zu records of %s\n",
                 champion.size(), challenger.size(), shared.in.c_str());
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
  std::string text = shared.json ? portfolio::RenderJson(comparison) : portfolio::RenderText(comparison);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "credo compare: cannot write stdout\n");
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
