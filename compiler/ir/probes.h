// probes.h — where the policy's structure lives in its program, for `credo explain` and the
// structural coverage of `credo test`. A probe names one element an author wrote (a rule, a bin,
// a table row, a decision arm, a `??` fallback, ...) and the registers that hold, for a record,
// its value and whether the record exercised it. Probes only point into the program: a program
// lowered with probes computes exactly what it computes without them (same Use/Fail ops, same
// hash); the registers a probe needs that the program would not otherwise compute are pure.
#pragma once

#include <cstdint>
#include <string>

namespace credo::ir {

enum class ProbeKind : uint8_t {
  Input,           // an input field as read
  Let,             // a derived value (also a function call's result where it is shown)
  Step,            // a sub-expression of a let shown in an explanation (e.g. a cap or a rounding)
  Rule,            // hit: the rule fired
  MissingFalse,    // hit: a rule's `missing false` made its condition false
  Characteristic,  // value: its points
  Bin,             // hit: the record fell in this bin (parent: its characteristic)
  Scorecard,       // value: the score
  Reasons,         // value: the ranked reason codes
  Band,            // value: the band's result
  BandRange,       // hit: the record fell in this range (parent: its band)
  Table,           // a lookup table; value: the looked-up result
  TableEntry,      // hit: this entry was the one looked up (parent: its table)
  DecisionTable,   // value: the chosen row (or the aggregate)
  DecisionRow,     // hit: the row matched (parent: its decision table); the `else` row too
  Decision,        // value: the decision
  DecisionArm,     // hit: this arm was taken (parent: the decision)
  Fallback,        // hit: a `??` used its fallback (the left side was missing)
  Warning,         // hit: the warning was raised
  Output,          // value: an output column
  GroupLet,        // group program: a group value
  GroupAction,     // group program: hit: an update/warn fired for the member
};

struct Probe {
  ProbeKind kind;
  std::string name;        // as the author wrote it: "KO_DEFAULT", "revenue", "row 3", "arm 2"
  std::string text;        // the element's source text, shortened to one line (for reports)
  uint32_t offset = 0;     // source offset (SourceFile::Locate gives file:line:col)
  int32_t parent = -1;     // index of the enclosing probe, -1 at the top
  int32_t value = -1;      // register holding its value for the record, -1 when none
  int32_t hit = -1;        // Bool register, true when the record exercised it; -1: not a
                           // coverage item
  bool group = false;      // the registers are the group program's (Program::group_code)
};

}  // namespace credo::ir
