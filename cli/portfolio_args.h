// portfolio_args.h — what `credo compare`, `credo report` and `credo explain` share: the options
// saying what the portfolio is and how to read it (--in, --format, --strict, --ref, --engine,
// --json; and for compare and report --outcome and the roles), parsed in one place; reading the portfolio as `credo run` reads its input
// (cli/read_input.h); running a policy over it; and writing a result file safely.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/portfolio/portfolio.h"

namespace credo::cli {

struct PortfolioArgs {
  std::string in;                                 // --in FILE (- for stdin)
  std::optional<exec::Format> format;             // --format; unset: each file's name says
  std::map<std::string, std::string> references;  // --ref NAME=FILE
  bool json = false;                              // --json
  portfolio::RunOptions options;                  // --engine, --strict, --outcome, the roles
};

enum class Parsed { No, Yes, Error };

// Reads the option at args[i] that says what the portfolio is and how to read it (--in,
// --format, --strict, --ref, --engine, --json: what every command reading records takes, `credo
// explain` too) into `parsed`, advancing i past its value. No when args[i] is not one; Error
// with `error` when it is one but its value is missing or wrong.
Parsed ParsePortfolioInputOption(const std::vector<std::string>& args, size_t& i, PortfolioArgs& parsed,
                                 std::string& error);
// The same, and the roles and --outcome (unless the command takes none: `takes_outcome`), for
// the commands that measure a portfolio.
Parsed ParsePortfolioOption(const std::vector<std::string>& args, size_t& i, PortfolioArgs& parsed,
                            bool takes_outcome, std::string& error);

// A policy of the command, compiled with probes, and the path it was read from.
struct PortfolioPolicy {
  std::string path;
  Compilation compilation;
};

// "" when every reference each policy declares is given with --ref, and every --ref names a
// reference one of them declares (a policy is given only those it declares); otherwise the usage
// error, naming the reference and which policy reads it.
std::string CheckReferenceOptions(const std::vector<const PortfolioPolicy*>& policies,
                                  const std::map<std::string, std::string>& references);

// The portfolio as read: its text (decompressed) and its format.
struct Portfolio {
  std::string path, text;
  exec::Format format = exec::Format::Csv;
};
// Reads `path` as `credo run` reads --in: gzip found by its first bytes, the format by
// `format` or else the name. Returns an exit code; on failure the reason is printed as
// `credo COMMAND: ...`.
int ReadPortfolio(const char* command, const std::string& path, const std::optional<exec::Format>& format,
                  Portfolio& portfolio);

// Runs `policy` over `portfolio` with `options` (its format and the references the policy
// declares filled in from `portfolio` and `references`). Returns an exit code; on failure the
// reason is printed as `credo COMMAND: ...`.
int RunPolicyOver(const char* command, const PortfolioPolicy& policy, const Portfolio& portfolio,
                  const std::map<std::string, std::string>& references, portfolio::RunOptions options,
                  portfolio::Run& run);
// Counts the reference rows `run` set aside (failed their checks), on one line of stderr.
void NoteReferencesSetAside(const char* command, const PortfolioPolicy& policy, const portfolio::Run& run);

// Writes `text` to `path` through OutputFile (never renamed over a device or pipe). Returns an
// exit code; on failure the reason is printed.
int WriteResult(const char* command, const std::string& path, const std::string& text);

// The shared options as the commands' help lists them (--in, --outcome and --json, whose
// wording differs, are each command's own): how the portfolio is written, then (for compare and
// report) how it is run.
inline constexpr const char* kPortfolioFormatHelp =
    "  --format csv|jsonl    how the portfolio is written (default: by its name; JSON Lines when it\n"
    "                        ends .jsonl or .ndjson, also before .gz, else CSV). Either may be\n"
    "                        gzip-compressed (found by its first bytes). CSV columns are found by\n"
    "                        their header names, in any order; other columns are ignored\n"
    "  --strict              the CSV header must be exactly each policy's inputs, in their order\n";
inline constexpr const char* kPortfolioRunHelp =
    "  --engine jit|interp   the engine that runs the policies (default jit; both give the same\n"
    "                        figures)\n"
    "  --ref NAME=FILE       the reference data NAME a policy declares, as for `credo run`;\n"
    "                        repeatable, each declared one required. Rows that fail their checks\n"
    "                        are set aside and counted on stderr\n";

inline constexpr const char* kRoleHelp =
    "\n"
    "which output is which (detected from the policy; name it when it cannot be told):\n"
    "  --decision COL        the decision (default: the output holding the decision block's value)\n"
    "  --grade COL           the grade (default: the output holding a band's value)\n"
    "  --score COL           the score (default: the output holding a scorecard's score)\n"
    "  --amount COL          the approved amount (default: the money output named *approv*, or the\n"
    "                        only money output)\n"
    "  --approve VALUE       the decision value that approves (default: the one named APPROVE/ACCEPT)\n"
    "  --id FIELD            the input field naming a record (default: the first string input)\n";

}  // namespace credo::cli
