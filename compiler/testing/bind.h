// bind.h — a parsed test file checked against its policy: every field an input field, every
// record complete, every expectation an output the policy writes. The result is what the
// runner needs: each case's CSV cells in input order and its expectations as column indexes.
#pragma once

#include <string>
#include <vector>

#include "compiler/testing/test_file.h"
#include "runtime/core/batch.h"

namespace credo::testing {

struct BoundCheck {
  const Expectation* expect;
  int column = -1;      // Column: index in PolicyInfo::outputs; GroupColumn: in the output's columns
  int output = -1;      // GroupColumn: index in PolicyInfo::group_outputs
  int key_column = -1;  // GroupColumn: the output's column holding the group key
};

struct BoundCase {
  const CaseDef* def;
  std::vector<std::string> cells;  // one CSV text per input field, in declared order
  std::vector<BoundCheck> checks;
};

// What one run evaluates: a case alone, or a group block's cases together.
struct RunUnit {
  int group = -1;                   // index into TestFile::groups, -1 for a case alone
  std::vector<size_t> cases;        // indexes into BoundFile::cases, in file order
  std::vector<BoundCheck> checks;   // the group block's own expectations
};

struct BoundFile {
  std::vector<BoundCase> cases;  // in TestFile::cases order
  std::vector<RunUnit> units;    // in file order
};

// Checks `file` against the policy described by `info`; mistakes go to `errors` (the result is
// only meant to be run when none were added).
BoundFile Bind(const TestFile& file, const rt::PolicyInfo& info, std::vector<TestFileError>& errors);

}  // namespace credo::testing
