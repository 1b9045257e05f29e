// results.h — what `credo test` found, in the form the three reports (text, JSON, JUnit) share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace credo::testing {

// One expectation that did not hold.
struct Mismatch {
  enum class Got {
    Value,     // the record (or group row) has another value
    Rejected,  // the record was rejected (`actual` is the reason); `label` empty: no reject was expected
    Accepted,  // a reject was expected and the record was accepted
    NoRow,     // a per-group output has no row for the key
  };
  std::string label;  // the expectation's target as written: `decision`, `reject`, `groups[G1].exposure`
  std::string expected, actual;
  Got got = Got::Value;
  bool operator==(const Mismatch&) const = default;
};

// A line of the diff of a failing case: the record's actual outputs, with `-` expected / `+`
// actual pairs where an expectation differs and ` ` for the others.
struct DiffLine {
  char mark = ' ';
  std::string label, value;
  bool operator==(const DiffLine&) const = default;
};

struct Failure {
  std::string engine;  // "" when every engine run gave this result
  std::vector<Mismatch> mismatches;
  std::vector<DiffLine> diff;
};

struct CaseResult {
  std::string name;   // the case's name; for a group's own expectations, the group's
  std::string group;  // the enclosing group's name, "" outside a group
  bool group_checks = false;  // this result is the group block's own expectations
  uint32_t line = 0;
  std::vector<Failure> failures;  // empty: passed
  bool passed() const { return failures.empty(); }
};

struct FileError {
  uint32_t line = 0, column = 0;
  std::string message;
};

struct FileResult {
  std::string path;           // the test file
  std::string policy;         // the policy it tests ("" when it could not be named)
  std::string rendered;       // its errors as printed (test-file errors, the policy's diagnostics)
  std::vector<FileError> errors;
  std::vector<CaseResult> cases;
};

// A coverage item: its place in the policy, its kind ("rule", "bin", ...), its name as reports
// print it and `uncovered` lines name it (unique in the policy: "rule K01", "bin 2 of C01",
// "decision arm 3"), and its source text on one line.
struct Uncovered {
  std::string file;
  uint32_t line = 0, column = 0;
  std::string kind, name, text;
};

// An item no case exercised that a test file's `uncovered` line excuses.
struct Excused {
  Uncovered item;
  std::string because;  // the excuse's reason
  std::string by;       // where the excuse is written: FILE:LINE
};

struct PolicyCoverage {
  std::string policy;
  size_t covered = 0, total = 0;     // total: every item, the excused ones included
  std::vector<Uncovered> uncovered;  // neither covered nor excused, in the policy's order
  std::vector<Excused> excused;      // in the policy's order
  // The percentage is of the items a case can exercise: excused items count neither way.
  size_t countable() const { return total - excused.size(); }
  double percent() const { return countable() == 0 ? 100.0 : 100.0 * double(covered) / double(countable()); }
  bool Below(double minimum) const { return double(covered) * 100.0 < minimum * double(countable()); }
};

struct Report {
  std::vector<FileResult> files;
  bool coverage_on = false;
  std::vector<PolicyCoverage> coverage;
  double min_coverage = 0;  // 0: not asked for

  size_t passed() const;
  size_t failed() const;
  size_t file_errors() const;  // test files with errors (their cases did not run)
  bool coverage_short() const; // some policy below min_coverage
  bool ok() const { return failed() == 0 && file_errors() == 0 && !coverage_short(); }
};

// A failing case as the text report shows it: a FAIL line, what differs, the diff.
void RenderCaseText(std::string& out, const FileResult& file, const CaseResult& result);
// An uncovered item as the text and JUnit reports list it: `FILE:LINE:COL: not covered: NAME: TEXT`.
std::string UncoveredLine(const Uncovered& u);
// The report as text (failures with their diffs, coverage, the summary line).
std::string RenderText(const Report& report);
// The report as JSON (schema in docs/testing.md).
std::string RenderJson(const Report& report);
// The report as JUnit XML: one <testsuite> per test file, one <testcase> per case.
std::string RenderJunit(const Report& report);

}  // namespace credo::testing
