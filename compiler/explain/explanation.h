// explanation.h — why one record got its outputs: a plain tree built from the probes of a
// program lowered with probes (ir/probes.h) and a trace of the whole input (interp/trace.h).
// Renderers (render.h) turn it into text or JSON; docs/explain.md documents both.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "compiler/explain/records.h"
#include "compiler/interp/trace.h"

namespace credo::explain {

// A value of the record, as text (CSV-style: decimals with their scale, enums by name, code
// lists joined with ';'). Missing: not present. An error: the reject reason its evaluation hit.
struct Value {
  bool present = false;
  std::string text;
  std::string error;
};

// One element of the policy as the record met it (one probe).
struct Node {
  ir::ProbeKind kind;
  std::string name;            // "K01", "current_ratio", "bin 3", "arm 2"
  std::string title;           // the author's quoted title, when it has one
  std::string section;         // Rule: its rule set's name
  std::string text;            // its source text, on one line
  std::string expr;            // what it computes or tests, as written: a let's value, a rule's or
                               // warning's condition, a group update's `when`
  std::string at;              // line:col in the policy's file (file:line:col in an imported one)
  bool group = false;          // evaluated by the group pass
  std::optional<Value> value;  // its value for the record, when the probe has one
  std::optional<bool> hit;     // fired / taken / fell in it, when the probe says
  std::vector<Node> children;  // nested probes: the values a condition read, steps, arms, and of
                               // bins, ranges, table entries and rows only those the record met

  // Characteristic: its points against the best it could score.
  struct Score {
    std::string points, max_points, shortfall;  // as text; shortfall = max_points − points
    std::string bin;                            // the text of the bin the record fell in
  };
  std::optional<Score> score;
  // Reasons: the characteristics in the order they rank (largest shortfall first, ties in
  // declaration order); only positive shortfalls give a reason.
  struct Ranked {
    std::string code, title, shortfall;
    int rank = 0;  // 1-based position among the reasons given; 0: beyond the `reasons N` kept
  };
  std::vector<Ranked> ranking;
};

// Why a record was rejected, with the offending text and what was expected.
struct Reject {
  std::string reason;               // exactly as rejects.csv writes it
  std::string kind;                 // "parse" (a field did not read), "check" (a `where` or `check` failed),
                                    // "duplicate" (a `unique` key seen before), "error" (an evaluation error)
  std::string field;                // the field it is about, or ""
  std::optional<std::string> text;  // the offending cell as written (absent: no such cell)
  std::string expected;             // what the field or check requires, in words or as the policy says it
  std::string at;                   // the policy's file:line:col of that requirement, or ""
  int64_t first_line = 0;           // duplicate: the line of the earlier record with the same key
};

// An input field as read.
struct InputValue {
  std::string name, type;
  std::optional<std::string> text;  // the cell as written (absent when the row has no such cell)
  Value value;
  bool read = true;  // false: the row was rejected at an earlier field, so this one was not read
};

// The record's output column: its final value and, when the group pass changed it, before.
struct OutputValue {
  std::string name, value;
  std::optional<std::string> before_group;
};

// The group pass as this record saw it.
struct GroupPart {
  std::string key;                    // the group key's value
  std::vector<int64_t> member_lines;  // the lines of the group's accepted members
  std::vector<Node> nodes;            // group values and updates/warnings, with their values for it
};

struct Explanation {
  std::string policy, version, file;
  uint64_t hash = 0;
  int64_t row = 0, line = 0;  // 1-based data row; the line it starts on (as rejects.csv)
  std::string id, id_field;
  bool accepted = false;
  std::optional<Reject> reject;
  std::vector<InputValue> inputs;
  std::vector<Node> nodes;         // every element of the record program, in policy order
  std::string group_key;           // the policy's group key field ("": no group pass)
  std::optional<GroupPart> group;  // absent: no group pass, or the record took no part in it
  std::vector<OutputValue> outputs;
  std::string output_row;  // the row `credo run` writes for it (accepted), or its rejects.csv row
};

// What an explanation is built from: the compilation (with probes), the input read as a run
// reads it, and the trace of the whole input.
struct Context {
  const Compilation& compilation;
  const Records& records;
  const Trace& trace;
};

// Explains records of one trace; what does not depend on the record (the policy's layout, its
// titles and locations) is worked out once.
class Explainer {
 public:
  explicit Explainer(const Context& context);
  ~Explainer();
  // Record `r` (0-based) of the trace.
  Explanation Explain(size_t r) const;

  struct Layout;

 private:
  const Context& context_;
  std::unique_ptr<Layout> layout_;
};

}  // namespace credo::explain
