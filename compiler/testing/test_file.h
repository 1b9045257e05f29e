// test_file.h — a policy test file (`*.tests`, docs/testing.md) as written: named base records,
// cases (a record, or a base record plus overrides, and the outputs expected of it), group
// blocks (cases evaluated together in one run) and excuses for coverage items no case can
// reach. ParseTestFile reads the text; bind.h checks the names against the policy.
#pragma once

#include <string>
#include <vector>

#include "compiler/base/source.h"

namespace credo::testing {

// A mistake in a test file, shown like a policy diagnostic (file:line:col, caret, hint).
struct TestFileError {
  Span span;
  std::string message;
  std::string hint;
};
// Renders `errors` in file order: `file:line:col: error: message`, the line with a caret, the hint.
std::string RenderErrors(const SourceFile& source, const std::vector<TestFileError>& errors);

// `name = text`: one input field's CSV text (empty: a missing cell).
struct FieldValue {
  std::string name;
  Span name_span;
  std::string text;
};

// `expect TARGET = text`.
struct Expectation {
  enum class Target { Column, Reject, GroupColumn };
  Target target = Target::Column;
  std::string column;  // Column, GroupColumn: the output column
  std::string output;  // GroupColumn: the per-group output's name
  std::string key;     // GroupColumn: the group key of the row
  std::string expected;
  Span span;           // the target as written
  // The target as written in the file: `decision`, `reject`, `groups[G1].exposure`.
  std::string Label() const;
};

// A named base record: `record NAME [from BASE] ... end`.
struct RecordDef {
  std::string name;
  Span span;
  std::string from;  // "" when it lists every field itself
  Span from_span;
  std::vector<FieldValue> fields;
};

// `case "NAME" [from BASE] ... end`.
struct CaseDef {
  std::string name;
  Span span;
  uint32_t line = 0;
  std::string from;
  Span from_span;
  std::vector<FieldValue> fields;
  std::vector<Expectation> expects;
  int group = -1;  // index into TestFile::groups, -1 outside a group
};

// `group "NAME" ... end`: its cases run together, in the order written; its own expectations
// name rows of per-group outputs.
struct GroupDef {
  std::string name;
  Span span;
  uint32_t line = 0;
  std::vector<size_t> cases;  // indexes into TestFile::cases
  std::vector<Expectation> expects;
};

// `uncovered "ITEM" because "WHY"` or `uncovered line N because "WHY"`: a coverage item (or
// every item on line N of the policy) that no case can exercise, and why (docs/testing.md).
struct Excuse {
  std::string item;   // the item as the coverage report names it; "" when by line
  uint32_t line = 0;  // by line: the policy's line
  std::string because;
  Span span;          // the item or line as written
};

// `reference NAME` then CSV lines (a header naming the columns, then rows) then `end`: the
// reference data the policy declares as NAME (docs/language.md, "Reference data"), for every
// case of the file.
struct ReferenceDef {
  std::string name;
  Span span;
  std::string csv;  // the lines as written, blanks around each removed
};

struct TestFile {
  std::string policy;  // as written in `policy "..."`, "" when not given
  Span policy_span;
  std::vector<RecordDef> records;
  std::vector<CaseDef> cases;  // in file order, group members included
  std::vector<GroupDef> groups;
  std::vector<Excuse> excuses;
  std::vector<ReferenceDef> references;
};

// Parses the text of `source`; every mistake found is added to `errors` (the parse goes on at
// the next line, so one run reports them all).
TestFile ParseTestFile(const SourceFile& source, std::vector<TestFileError>& errors);

}  // namespace credo::testing
