#include "oracle_diff.h"

#include <sstream>

namespace credo::diff {
namespace {

// "line N: a | b" for the first line where the two texts differ.
std::string FirstDifferentLine(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool more_a = bool(std::getline(x, la)), more_b = bool(std::getline(y, lb));
    if (!more_a && !more_b) return "";
    if (!more_a) la = "<end>";
    if (!more_b) lb = "<end>";
    if (la != lb) return "line " + std::to_string(line) + ": engines `" + la + "`, oracle `" + lb + "`";
  }
}

}  // namespace

void CompareWithOracle(const std::string& policy, const std::string& csv, DiffOutcome& outcome,
                       oracle::ErrorRule rule) {
  if (!outcome.compiled || outcome.runs.empty()) return;
  oracle::OracleRun run = oracle::RunOracle(policy, csv, rule);
  const EngineOutput& reference = outcome.runs[0];
  if (!run.ok) {
    outcome.agree = false;
    outcome.detail += "the AST oracle could not run the policy: " + run.error + "\n";
    return;
  }
  if (run.out == reference.out && run.rejects == reference.rejects) return;
  outcome.agree = false;
  if (run.out != reference.out)
    outcome.detail += "oracle vs " + reference.name + ", output " + FirstDifferentLine(reference.out, run.out) + "\n";
  if (run.rejects != reference.rejects)
    outcome.detail +=
        "oracle vs " + reference.name + ", rejects " + FirstDifferentLine(reference.rejects, run.rejects) + "\n";
  outcome.runs.push_back({"oracle", run.out, run.rejects});
}

}  // namespace credo::diff
