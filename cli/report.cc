// report.cc — `credo report`: one policy over a portfolio as an HTML page with charts
// (compiler/portfolio/), with the stability against a baseline portfolio when one is given.
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
const std::string kReportUsage = std::string(
    "usage: credo report POLICY --in PORTFOLIO.csv --out REPORT.html [options]\n"
    "\n"
    "Runs POLICY over the portfolio and writes one self-contained HTML page (inline SVG charts,\n"
    "no script, no network; it prints): score histogram, decision and grade mix, top reasons,\n"
    "limits by grade, rejects, and each scorecard characteristic's bins (records, share, average\n"
    "points, and the bad rate with --outcome). With --baseline, the population stability index of\n"
    "the score (PSI) and of each characteristic (CSI) between the baseline and this portfolio.\n"
    "The figures also go to stdout, as text or --json.\n"
    "\n"
    "options:\n"
    "  --in FILE             the portfolio (- for stdin)\n"
    "  --out FILE            the HTML page to write (- for stdout: then the figures are not printed)\n"
    "  --baseline FILE       an earlier portfolio of the same policy, to measure stability against\n"
    "  --outcome COL         a column of the portfolio with the observed outcome (1/true/yes/bad =\n"
    "                        bad, 0/false/no/good = good, anything else = not known)\n"
    "  --json                the figures as JSON (schema credo.report/1, docs/cli.md) on stdout\n"
    "  --engine jit|interp   the engine that runs the policy (default jit)\n") +
    kRoleHelp +
    "\n"
    "exit codes: 0 success, 1 policy errors or an input that does not fit the policy, 2 usage\n"
    "error, 3 I/O failure\n";
}  // namespace

int Report(const std::vector<std::string>& args) {
  std::string policy, in, out, baseline;
  bool json = false;
  portfolio::RunOptions options;
  options.bins = true;
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
    } else if (a == "--in") {
      if (!value(in)) return usage_error("--in needs a file (or - for stdin)");
    } else if (a == "--out") {
      if (!value(out)) return usage_error("--out needs a file");
    } else if (a == "--baseline") {
      if (!value(baseline)) return usage_error("--baseline needs a file");
    } else if (a == "--outcome") {
      if (!value(options.outcome)) return usage_error("--outcome needs a column name");
    } else if (a == "--json") {
      json = true;
    } else if (a == "--engine" || a.rfind("--engine=", 0) == 0) {
      if (!ParseEngineOption(args, i, options.engine, why)) return usage_error(why);
    } else if (ParseRoleOption(args, i, options.roles, why)) {
      if (!why.empty()) return usage_error(why);
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policy.empty()) {
      policy = a;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policy.empty()) return usage_error("no policy file");
  if (in.empty()) return usage_error("--in is required");
  if (out.empty()) return usage_error("--out is required");
  if (in == "-" && baseline == "-") return usage_error("--in and --baseline cannot both be stdin");
  for (const std::string& source : {in, policy, baseline})
    if (!source.empty())
      if (std::string why = CheckDistinctFiles(source, {{"--out", out}}); !why.empty()) return usage_error(why);

  std::string csv, error;
  if (!ReadInput(in, csv, error)) {
    std::fprintf(stderr, "credo report: %s\n", error.c_str());
    return kFailure;
  }
  portfolio::Run current;
  if (int code = RunPolicyOver("report", policy, in, csv, options, current); code != kOk) return code;
  portfolio::Report page;
  page.summary = portfolio::Summarize(current);
  if (!baseline.empty()) {
    std::string base_csv;
    if (!ReadInput(baseline, base_csv, error)) {
      std::fprintf(stderr, "credo report: %s\n", error.c_str());
      return kFailure;
    }
    portfolio::RunOptions base_options = options;
    base_options.outcome.clear();  // the baseline's outcomes are not shown
    portfolio::Run base;
    if (int code = RunPolicyOver("report", policy, baseline, base_csv, base_options, base); code != kOk) return code;
    page.stability = portfolio::CompareStability(base, current);
    page.baseline_path = baseline;
  }
  if (int code = WriteResult("report", out, portfolio::RenderHtml(page)); code != kOk) return code;
  if (out == "-") return kOk;  // the page is stdout
  std::string text = json ? portfolio::RenderJson(page) : portfolio::RenderText(page);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "credo report: cannot write stdout\n");
    return kFailure;
  }
  return kOk;
}

}  // namespace credo::cli
