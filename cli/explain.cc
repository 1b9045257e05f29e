// explain.cc — `credo explain`: why one record got its outputs (compiler/explain/), its input read
// as `credo run`, compare and report read theirs (cli/portfolio_args.h), checked against the
// engine's own run of the same input.
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/compile_policy.h"
#include "cli/options.h"
#include "cli/portfolio_args.h"
#include "compiler/base/spelling.h"
#include "compiler/driver/reference_data.h"
#include "compiler/explain/agreement.h"
#include "compiler/explain/explanation.h"
#include "compiler/explain/render.h"

namespace credo::cli {

namespace {
const std::string kExplainUsage = std::string(
    "usage: credo explain POLICY --in IN (--row N | --line L | --id ID | --all) [options]\n"
    "\n"
    "Explains how POLICY decided one record of IN, in the order of the policy: the input as read\n"
    "(or why the record was rejected), every derived value, every rule with the values its\n"
    "condition read, each scorecard characteristic with its bin, points and shortfall, the\n"
    "reasons and their ranking, the decision path, the steps of each value (caps, roundings),\n"
    "the warnings, the group pass's part, and the output row. IN is read as `credo run` reads its\n"
    "input (CSV or JSON Lines, either gzip-compressed, - for stdin) and evaluated whole, as a run\n"
    "evaluates it (group values depend on every member); the explanation is checked against the\n"
    "engine's own run: a disagreement is an internal error (exit 3).\n"
    "\n"
    "which record:\n"
    "  --row N               the N-th data record (1 = the first after a CSV header)\n"
    "  --line L              the record starting on line L of the file (a CSV header is line 1),\n"
    "                        as rejects.csv's `line` column gives it\n"
    "  --id ID               the first record whose first input field (the rejects' id) is ID\n"
    "  --all                 every record, one JSON object per line (JSON Lines)\n"
    "\n"
    "options:\n"
    "  --in FILE             the portfolio: the records to explain (- for stdin)\n"
    "  --json                JSON (schema credo.explain/1, docs/explain.md) instead of text\n") +
    kPortfolioFormatHelp +
    "  --ref NAME=FILE       the reference data NAME the policy declares, as for `credo run`;\n"
    "                        repeatable, each declared one required. Rows that fail their\n"
    "                        checks are set aside and counted on stderr\n"
    "  --engine jit|interp   the engine whose run the explanation must agree with: native code\n"
    "                        (default) or the reference interpreter\n"
    "\n"
    "exit codes: 0 success, 1 policy errors, an input that does not fit the policy, or no such\n"
    "record, 2 usage error, 3 I/O failure or an internal disagreement with the run\n";

int Fail(const std::string& why, int code) {
  std::fprintf(stderr, "credo explain: %s\n", why.c_str());
  return code;
}

struct Choice {
  enum Kind { None, Row, Line, Id, All } kind = None;
  uint64_t number = 0;
  std::string id;
};

// The record `choice` names, or an error message (exit 1) saying why there is none.
std::optional<size_t> Find(const explain::Records& records, const Choice& choice, const std::string& in,
                           std::string& error) {
  size_t n = records.size();
  if (choice.kind == Choice::Row) {
    if (choice.number <= n) return size_t(choice.number - 1);
    error = fmt::format("--row {}: {} has {} record(s)", choice.number, in, n);
    return std::nullopt;
  }
  if (choice.kind == Choice::Line) {
    for (size_t r = 0; r < n; ++r)
      if (uint64_t(records.line[r]) == choice.number) return r;
    error = fmt::format("--line {}: no record of {} starts on that line", choice.number, in);
    if (n > 0 && uint64_t(records.line[n - 1]) < choice.number)
      error += fmt::format(" (the last record starts on line {})", records.line[n - 1]);
    // Before the first record: the CSV header (or a blank JSON Lines line). Between two: inside
    // a CSV record of several lines (every CSV line is in a record), or a blank JSON Lines line.
    bool csv = records.how.format == exec::Format::Csv;
    for (size_t r = 0; r < n; ++r)
      if (uint64_t(records.line[r]) > choice.number) {
        if (csv)
          error += r == 0 ? fmt::format(" (line 1 is the header; the first record starts on line {})", records.line[0])
                          : fmt::format(" (the record on line {} spans it)", records.line[r - 1]);
        else
          error += r == 0 ? fmt::format(" (it is blank; the first record is on line {})", records.line[0])
                          : fmt::format(" (it is blank; the records around it are on lines {} and {})",
                                        records.line[r - 1], records.line[r]);
        break;
      }
    return std::nullopt;
  }
  std::vector<size_t> same;
  for (size_t r = 0; r < n; ++r)
    if (records.ids[r] == choice.id) same.push_back(r);
  if (same.size() > 1) {
    std::string lines;
    for (size_t r : same) lines += (lines.empty() ? "" : ", ") + std::to_string(records.line[r]);
    std::fprintf(
        stderr, "credo explain: %zu records have %s %s (lines %s); explaining the first (--line L for another)\n",
        same.size(), records.header.empty() ? "id" : records.header[0].c_str(), choice.id.c_str(), lines.c_str());
  }
  if (!same.empty()) return same[0];
  error = fmt::format("--id {}: no record of {} has that {}", choice.id, in,
                      records.header.empty() ? "id" : records.header[0]);
  if (int at = Closest(choice.id, records.ids, std::max<size_t>(1, choice.id.size() / 3) + 1); at >= 0)
    error += fmt::format("; did you mean '{}'?", records.ids[size_t(at)]);
  return std::nullopt;
}
}  // namespace

int Explain(const std::vector<std::string>& args) {
  std::string policy;
  Choice choice;
  PortfolioArgs shared;  // --in, --format, --strict, --ref, --engine and --json, as compare and report read them
  auto usage_error = [](const std::string& why) { return UsageError("explain", kExplainUsage, why); };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto pick = [&](Choice::Kind kind) {
      if (choice.kind != Choice::None) return false;
      choice.kind = kind;
      return true;
    };
    std::string why;
    if (a == "--help" || a == "-h") {
      std::fputs(kExplainUsage.c_str(), stdout);
      return kOk;
    } else if (a == "--row" || a == "--line") {
      if (!pick(a == "--row" ? Choice::Row : Choice::Line))
        return usage_error("give one of --row, --line, --id and --all");
      std::string v = i + 1 < args.size() ? args[++i] : "";
      auto n = ParseCount(a, v, 1, std::numeric_limits<int64_t>::max(), why);
      if (!n) return usage_error(why);
      choice.number = *n;
    } else if (a == "--id") {  // a record here, not the id field the portfolio commands' --id names
      if (!pick(Choice::Id)) return usage_error("give one of --row, --line, --id and --all");
      if (i + 1 >= args.size()) return usage_error("--id needs a value");
      choice.id = args[++i];
    } else if (a == "--all") {
      if (!pick(Choice::All)) return usage_error("give one of --row, --line, --id and --all");
    } else if (Parsed p = ParsePortfolioInputOption(args, i, shared, why); p != Parsed::No) {
      if (p == Parsed::Error) return usage_error(why);
    } else if (a.rfind("--", 0) == 0) {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (policy.empty()) {
      policy = a;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", a));
    }
  }
  if (policy.empty()) return usage_error("no policy file");
  if (shared.in.empty()) return usage_error("--in is required");
  if (choice.kind == Choice::None) return usage_error("say which record: --row N, --line L, --id ID or --all");

  PortfolioPolicy probed{policy, {}};
  Compilation& c = probed.compilation;
  if (int compiled = CompilePolicy(policy, c, LowerOptions{.probes = true}); compiled != kOk) return compiled;
  if (std::string why = CheckReferenceOptions({&probed}, shared.references); !why.empty()) return usage_error(why);
  // The input as `credo run` reads it: gzip by its first bytes, CSV or JSON Lines by --format or
  // its name, CSV columns by name unless --strict.
  Portfolio portfolio;
  if (int code = ReadPortfolio("explain", shared.in, shared.format, portfolio); code != kOk) return code;
  const std::string in = shared.in == "-" ? "stdin" : shared.in;
  explain::ReadOptions how{.format = portfolio.format, .columns = {.strict = shared.options.strict, .keep = {}}};
  explain::Records records;
  std::string error;
  if (!explain::ReadRecords(c.program->info, portfolio.text, how, records, error)) {
    std::fprintf(stderr, "credo explain: %s: %s\n  (the input does not fit %s)\n", in.c_str(), error.c_str(),
                 policy.c_str());
    return kPolicyError;
  }
  std::optional<size_t> chosen;
  if (choice.kind != Choice::All && !(chosen = Find(records, choice, in, error))) return Fail(error, kPolicyError);

  // The whole input, as a run evaluates it; then the same input through the engine, unprobed.
  Compilation plain = CompileSource(c.source->path(), c.source->text());
  if (!plain.ok()) return Fail("internal error: the policy compiled with probes but not without", kFailure);
  std::shared_ptr<const rt::References> probed_refs, plain_refs;
  if (!shared.references.empty()) {  // loaded for each program: their lookups read columns of their own
    std::vector<ReferenceLoadStats> stats, again;
    std::FILE* discard = std::fopen("/dev/null", "wb");
    bool io_failure = false;
    probed_refs = LoadReferences(*c.program, shared.references, discard, stats, error, &io_failure);
    if (probed_refs) plain_refs = LoadReferences(*plain.program, shared.references, discard, again, error, &io_failure);
    if (discard) std::fclose(discard);
    if (!plain_refs) return Fail(error, io_failure ? kFailure : kPolicyError);
    for (const auto& s : stats)
      if (s.rejected)
        std::fprintf(stderr, "credo explain: reference %s: %llu of %llu rows set aside (`credo run --ref-rejects` lists them)\n",
                     s.name.c_str(), (unsigned long long)s.rejected, (unsigned long long)s.rows);
  }
  Trace trace = TraceBatch(*c.program, records.batch, records.unparsed, probed_refs);
  const Engine engine = shared.options.engine;
  const char* name = engine == Engine::Jit ? "jit" : "interp";
  explain::Agreement agreement =
      explain::CompareWithRun(std::move(*plain.program), engine, portfolio.text, records, trace, plain_refs);
  if (!agreement.engine_error.empty())
    return Fail(fmt::format("the {} engine could not run the input: {}", name, agreement.engine_error), kFailure);
  if (!agreement.difference.empty())
    return Fail(fmt::format("internal error: the explanation disagrees with the {} engine's run ({}); please report "
                            "it\n{}",
                            name, policy, agreement.difference),
                kFailure);

  explain::Context context{c, records, trace};
  explain::Explainer explainer(context);
  if (choice.kind == Choice::All) {
    for (size_t r = 0; r < records.size(); ++r) {
      std::string line = explain::RenderJson(explainer.Explain(r), false) + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
    return kOk;
  }
  explain::Explanation e = explainer.Explain(*chosen);
  std::string text = shared.json ? explain::RenderJson(e, true) + "\n" : explain::RenderText(e);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return kOk;
}

}  // namespace credo::cli
