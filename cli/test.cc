// `credo test [PATH...]`: runs policy test files (docs/testing.md) and reports failures, with
// structural coverage on request.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output_file.h"
#include "compiler/testing/discover.h"
#include "compiler/testing/results.h"
#include "compiler/testing/session.h"

namespace credo::cli {

namespace {

const char* kTestUsage =
    "usage: credo test [PATH...] [options]\n"
    "\n"
    "Runs the cases of policy test files (*.tests, see docs/testing.md) through the same CSV\n"
    "reading and evaluation as `credo run`, and reports every case whose outputs differ from\n"
    "what it expects. A PATH is a .tests file, a .credo file (its .tests file beside it) or a\n"
    "directory (every *.tests below it); with none, every *.tests under the current directory.\n"
    "\n"
    "options:\n"
    "  --engine E            jit (default), interp, or both: every case on both engines\n"
    "  --coverage            report which rules, missing branches, bins, band ranges, table\n"
    "                        entries and rows, decision arms, fallbacks, warnings and group\n"
    "                        actions no case exercised, per policy, by file:line:col (a test\n"
    "                        file's `uncovered \"NAME\" because \"WHY\"` excuses what no record\n"
    "                        can reach)\n"
    "  --min-coverage N      fail when a policy's coverage is below N percent (0 to 100;\n"
    "                        excused items do not count; implies --coverage)\n"
    "  --json                print the report as JSON instead of text (schema in docs/testing.md)\n"
    "  --junit FILE          also write the report as JUnit XML to FILE\n"
    "\n"
    "exit codes: 0 every case passed, 1 a case failed, a test file or policy has errors, or\n"
    "coverage is below --min-coverage; 2 usage error; 3 a file cannot be read or written\n";

// A percentage from 0 to 100, decimals allowed ("90", "97.5").
bool ParsePercent(const std::string& text, double& out) {
  if (text.empty() || text.size() > 10) return false;
  bool dot = false, digit = false;
  for (char c : text) {
    if (c == '.' && !dot) dot = true;
    else if (c >= '0' && c <= '9') digit = true;
    else return false;
  }
  if (!digit || text.back() == '.' || text.front() == '.') return false;
  out = std::stod(text);
  return out <= 100.0;
}

bool WriteJunit(const std::string& path, const std::string& xml, std::string& error) {
  OutputFile file;
  if (!file.Open(path, error)) return false;
  if (std::fwrite(xml.data(), 1, xml.size(), file.file()) != xml.size()) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  return file.Commit(error);
}

}  // namespace

int Test(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  testing::SessionOptions options;
  bool json = false;
  std::string junit;
  double min_coverage = 0;
  auto usage_error = [](const std::string& why) { return UsageError("test", kTestUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const std::string& option, std::string& target) {
      if (a.size() > option.size() && a.compare(0, option.size() + 1, option + "=") == 0) {
        target = a.substr(option.size() + 1);
        return true;
      }
      if (a != option || i + 1 >= args.size()) return false;
      target = args[++i];
      return true;
    };
    auto is = [&](const std::string& option) { return a == option || a.rfind(option + "=", 0) == 0; };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::fputs(kTestUsage, stdout);
      return kOk;
    } else if (is("--engine")) {
      if (!value("--engine", v)) return usage_error("--engine needs jit, interp or both");
      if (v == "jit") options.engines = {Engine::Jit};
      else if (v == "interp") options.engines = {Engine::Interpreter};
      else if (v == "both") options.engines = {Engine::Interpreter, Engine::Jit};
      else return usage_error(fmt::format("--engine needs jit, interp or both, not '{}'", v));
    } else if (a == "--coverage") {
      options.coverage = true;
    } else if (is("--min-coverage")) {
      if (!value("--min-coverage", v) || !ParsePercent(v, min_coverage))
        return usage_error(fmt::format("--min-coverage needs a percentage from 0 to 100, not '{}'", v));
      options.coverage = true;
    } else if (a == "--json") {
      json = true;
    } else if (is("--junit")) {
      if (!value("--junit", junit) || junit.empty()) return usage_error("--junit needs a file");
      if (junit == "-") return usage_error("--junit needs a file: stdout carries the report");
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else {
      paths.push_back(a);
    }
  }

  std::vector<std::string> files;
  std::string error;
  int exit = kOk;
  if (!testing::FindTestFiles(paths, files, error, exit)) {
    if (exit == kUsage) return usage_error(error);
    std::fprintf(stderr, "credo test: %s\n", error.c_str());
    return exit;
  }
  if (files.empty()) {
    std::fprintf(stderr, "credo test: no test files (*.tests) found under %s\n",
                 paths.empty() ? "the current directory" : fmt::format("{}", fmt::join(paths, ", ")).c_str());
    return kPolicyError;
  }

  testing::Session session(options);
  testing::Report report;
  report.coverage_on = options.coverage;
  report.min_coverage = min_coverage;
  for (const std::string& file : files) {
    std::string diagnostics;
    report.files.push_back(session.RunFile(file, diagnostics));
    std::fputs(diagnostics.c_str(), stderr);
  }
  std::string excuse_errors;
  report.coverage = session.Coverage(report.files, excuse_errors);
  std::fputs(excuse_errors.c_str(), stderr);
  std::string text = json ? testing::RenderJson(report) : testing::RenderText(report);
  std::fputs(text.c_str(), stdout);
  if (!junit.empty() && !WriteJunit(junit, testing::RenderJunit(report), error)) {
    std::fprintf(stderr, "credo test: %s\n", error.c_str());
    return kFailure;
  }
  if (session.failed()) return kFailure;
  return report.ok() ? kOk : kPolicyError;
}

}  // namespace credo::cli
