// cells.h — the cell algebra of decision tables and generalised lookup tables: a column's domain
// cut into elementary segments by the values its cells name (runtime/core/dtable.h), each cell
// as the set of segments it matches, and a representative value of each segment for
// counterexamples. Used by the checker's proofs (decision_tables.cc) and compiled, unchanged,
// into the run-time matcher: what the checker proves is what runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "runtime/core/dtable.h"

namespace credo::check {

struct EnumInfo;

// A literal in a column's own terms.
struct CellKey {
  int64_t i = 0;     // Ordered: raw (int, scaled decimal, days); Direct: ordinal
  double f = 0;      // Float
  std::string s;     // Strings
};

// A cell resolved against its column: which segments it matches.
struct CellModel {
  ast::Cell::Kind kind = ast::Cell::Any;
  bool negated = false;
  bool lo_closed = true, hi_closed = false;
  ast::CompareOp op = ast::CompareOp::Eq;
  CellKey lo, hi;
  std::vector<CellKey> values;
};

// One input column (or key) of a table.
struct ColumnModel {
  Type type;                         // the column's value type; optional: `missing` is a value
  int enum_id = -1;
  std::vector<std::string> names;    // Direct: the value names (enum values, false/true)
  rt::TableColumn column;            // kind, sorted boundaries, segment count (masks set later)
  std::vector<bool> empty;           // per present segment: holds no value of the type
  std::vector<CellModel> bounds;     // what the input guarantees (a field's `where`): outside is empty

  // Converts a literal; returns "" or why it does not fit.
  std::string Key(const ast::BinValue& v, CellKey& out) const;
  // Adds the boundaries a cell names (before Finish).
  void AddPoints(const CellModel& c);
  // Sorts the boundaries, counts the segments and finds the empty ones.
  void Finish();
  // Position of a boundary value among the segments (2·index + 1), or -1.
  int32_t Position(const CellKey& k) const;
  bool Matches(const CellModel& c, int32_t segment) const;
  // A value in the segment, as policy text (`95`, `0.91`, `"other"`, `missing`, `date("…")`).
  std::string Example(int32_t segment) const;
  // Segments a proof must consider: present non-empty ones, then `missing` when optional.
  std::vector<int32_t> Domain() const;
};

// The column kind a type is matched as; false when a table cannot test values of that type.
bool ColumnKindOf(const Type& t, const std::vector<EnumInfo>& enums, ColumnModel& out);

}  // namespace credo::check
