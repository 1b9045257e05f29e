#include "oracle_diff.h"

namespace credo::diff {

void CompareWithOracle(const std::string& policy, const std::string& csv, DiffOutcome& outcome,
                       oracle::ErrorRule rule) {
  if (!outcome.compiled || outcome.runs.empty()) return;
  if (outcome.references) return;  // the oracle reads no reference data: engine against engine only
  oracle::OracleRun run = oracle::RunOracle(policy, csv, rule);
  const EngineOutput& reference = outcome.runs[0];
  if (!run.ok) {
    outcome.agree = false;
    outcome.detail += "the AST oracle could not run the policy: " + run.error + "\n";
    return;
  }
  for (size_t k = 0; k < run.group_outputs.size(); ++k)  // as the engine runs append them
    run.out += "--- per-group output " + std::to_string(k) + " ---\n" + run.group_outputs[k];
  if (run.out == reference.out && run.rejects == reference.rejects) return;
  outcome.agree = false;
  if (run.out != reference.out)
    outcome.detail +=
        "output of the oracle differs from " + reference.name + " at " + FirstDifference(reference.out, run.out) + "\n";
  if (run.rejects != reference.rejects)
    outcome.detail += "rejects of the oracle differ from " + reference.name + " at " +
                      FirstDifference(reference.rejects, run.rejects) + "\n";
  outcome.runs.push_back({"oracle", run.out, run.rejects});
}

}  // namespace credo::diff
