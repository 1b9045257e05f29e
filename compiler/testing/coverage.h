// coverage.h — the structural coverage of one policy (docs/testing.md, "Structural coverage").
// Its items are the probes (ir/probes.h) of its program lowered with probes that have a hit
// register: rules, missing-false branches, bins, band ranges, table entries, decision-table
// rows, decision arms, `??` fallbacks, warnings and group actions. Each case's records are
// traced (interp/trace.h) as a run evaluates them, and an item is covered when an accepted
// record exercised it; the items of all the test files of the policy add up. Test files'
// `uncovered` lines excuse the items no case can exercise.
#pragma once

#include <map>
#include <memory>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/compile.h"
#include "compiler/testing/results.h"
#include "compiler/testing/test_file.h"

namespace credo::testing {

struct CoverageItem {
  // Its probes: one, or one per program for a table both the record and the group program use.
  std::vector<int32_t> probes;
  Uncovered where;         // its place, kind, name (unique in the policy) and source text
  std::string covered_by;  // the first case that exercised it, `"NAME" (FILE:LINE)`; "" if none
};

// An excuse and the test file it is written in (its text, for diagnostics).
struct ExcuseAt {
  Excuse excuse;
  const SourceFile* file = nullptr;
  size_t result = 0;  // index of the test file's FileResult in the report
};

class CoverageTracker {
 public:
  // `probed`: the policy compiled with LowerOptions::probes; `path`: the policy as reports show it.
  CoverageTracker(std::string path, Compilation probed);

  // Traces the records of `csv` (a unit's CSV: the policy's header, one row per case) and marks
  // the items its accepted records exercised. `cases` names the case of each row, for hints.
  // False, with `error` set, when the records cannot be read.
  bool Mark(std::string_view csv, const std::vector<std::string>& cases, std::string& error);
  // The reference data the traces read (texts: name → CSV), loaded for the probed program.
  bool UseReferences(const std::map<std::string, std::string>& texts, std::string& error);

  const std::vector<CoverageItem>& items() const { return items_; }

  // The policy's coverage; `excuses` excuse uncovered items, and an excuse that names no item,
  // or only covered ones, is an error of its test file, added to `errors` (one list per
  // FileResult index, sized by the caller).
  PolicyCoverage Summarize(const std::vector<ExcuseAt>& excuses,
                           std::vector<std::vector<TestFileError>>& errors) const;

 private:
  std::string path_;
  Compilation probed_;
  std::vector<CoverageItem> items_;  // in the policy's order
  std::shared_ptr<const rt::References> references_;
};

}  // namespace credo::testing
