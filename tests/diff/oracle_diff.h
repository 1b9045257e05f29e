// oracle_diff.h — the AST oracle as a third party of a differential run.
#pragma once

#include <string>

#include "ast_oracle.h"
#include "policy_gen.h"

namespace credo::diff {

// Runs the AST oracle on `policy` over `csv` and compares its output and rejects with the
// outcome's first run (the interpreter); a difference makes `outcome` disagree, with the
// oracle's files added to its runs (so SaveCase saves them) and the first differing line in
// its detail.
void CompareWithOracle(const std::string& policy, const std::string& csv, DiffOutcome& outcome,
                       oracle::ErrorRule rule = oracle::ErrorRule::WhereUsed);

}  // namespace credo::diff
