// report.cc — `credo report`: one policy over a portfolio as an HTML page with charts
// (compiler/portfolio/), with the stability against a baseline portfolio when one is given.
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
const std::string kReportUsage = std::string(
    "usage: credo report POLICY --in PORTFOLIO --out REPORT.html [options]\n"
    "\n"
    "Runs POLICY over the portfolio and writes one self-contained HTML page (inline SVG charts,\n"
    "no script, no network; it prints): score histogram, decision and grade mix, top reasons,\n"
    "limits by grade, rejects, and each scorecard characteristic's bins (records, share, average\n"
    "points, and the bad rate with --outcome). With --baseline, the population stability index of\n"
    "the score (PSI) and of each characteristic (CSI) between the baseline and this portfolio.\n"
    "The figures also go to stdout, as text or --json. The portfolio is read as `credo run`\n"
    "reads its input: CSV or JSON Lines, either gzip-compressed, columns found by name.\n"
    "\n"
    "options:\n"
    "  --in FILE             the portfolio (- for stdin)\n"
    "  --out FILE            the HTML page to write (- for stdout: then the figures are not printed)\n"
    "  --baseline FILE       an earlier portfolio of the same policy, to measure stability against\n"
    "                        (read as --in is; --format applies to both)\n"
    "  --outcome COL         a column of the portfolio with the observed outcome (1/true/yes/bad =\n"
    "                        bad, 0/false/no/good = good, anything else = not known); in JSON\n"
    "                        Lines, a key of the records\n"
    "  --json                the figures as JSON (schema credo.report/1, docs/cli.md) on stdout\n") +
    kPortfolioFormatHelp + kPortfolioRunHelp + kRoleHelp +
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit the policy, 2 usage\n"
    "error, 3 I/O failure\n";
}  // namespace

int Report(const std::vector<std::string>& args) {
  std::string policy_path, out, baseline;
  PortfolioArgs shared;
  auto usage_error = [](const std::string& why) { return UsageError("report", kReportUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size() || args[i + 1].empty()) return false;
      target = args[++i];
      return true;
    };
    std::string why;
    if (a == "--help" || a == "-h") {
      std::fputs(kReportUsage.c_str(), stdout);
      return kOk;
    } else if (Parsed p = ParsePortfolioOption(args, i, shared, /*takes_outcome=*/true, why); p != Parsed::No) {
      if (p == Parsed::Error) return usage_error(why);
    } else if (a == "--out") {
      if (!value(out)) return usage_error("--out needs a file");
    } else if (a == "--baseline") {
      if (!value(baseline)) return usage_error("--baseline needs a file");
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policy_path.empty()) {
      policy_path = a;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policy_path.empty()) return usage_error("no policy file");
  if (shared.in.empty()) return usage_error("--in is required");
  if (out.empty()) return usage_error("--out is required");
  if (shared.in == "-" && baseline == "-") return usage_error("--in and --baseline cannot both be stdin");
  std::vector<std::string> sources = {shared.in, policy_path, baseline};
  for (const auto& [name, file] : shared.references) sources.push_back(file);
  for (const std::string& source : sources)
    if (!source.empty())
      if (std::string why = CheckDistinctFiles(source, {{"--out", out}}); !why.empty()) return usage_error(why);

  PortfolioPolicy policy{policy_path, {}};
  if (int code = CompilePolicy(policy.path, policy.compilation, LowerOptions{.probes = true}); code != kOk) return code;
  if (std::string why = CheckReferenceOptions({&policy}, shared.references); !why.empty()) return usage_error(why);
  Portfolio portfolio;
  if (int code = ReadPortfolio("report", shared.in, shared.format, portfolio); code != kOk) return code;
  portfolio::RunOptions options = shared.options;
  options.bins = true;
  portfolio::Run current;
  if (int code = RunPolicyOver("report", policy, portfolio, shared.references, options, current); code != kOk)
    return code;
  NoteReferencesSetAside("report", policy, current);  // (the baseline's run sets the same rows aside)
  portfolio = Portfolio{};  // run: its text is no longer needed
  portfolio::Report page;
  page.summary = portfolio::Summarize(current);
  if (!baseline.empty()) {
    Portfolio base_portfolio;
    if (int code = ReadPortfolio("report", baseline, shared.format, base_portfolio); code != kOk) return code;
    portfolio::RunOptions base_options = options;
    base_options.outcome.clear();  // the baseline's outcomes are not shown
    portfolio::Run base;
    if (int code = RunPolicyOver("report", policy, base_portfolio, shared.references, base_options, base); code != kOk)
      return code;
    page.stability = portfolio::CompareStability(base, current);
    page.baseline_path = baseline;
  }
  if (int code = WriteResult("report", out, portfolio::RenderHtml(page)); code != kOk) return code;
  if (out == "-") return kOk;  // the page is stdout
  std::string text = shared.json ? portfolio::RenderJson(page) : portfolio::RenderText(page);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "credo report: cannot write stdout\n");
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
