// dtable.h — the compiled form of a decision table or generalised lookup table, and its
// branch-free matcher (docs/language.md, "Decision tables"; ir.h, TableRow / TableAgg).
//
// Each input column's domain is cut into the elementary segments its cells induce: for ordered
// values (int, decimal, date, number) the sorted cell boundaries p0 < p1 < … give segments
// (-inf, p0), {p0}, (p0, p1), {p1}, …, (pk, +inf), numbered 0 … 2k: a value's segment is
// 2·(number of boundaries below it) + (it equals the next one). Enums and bools are their own
// segment (the ordinal); strings are looked up in the sorted list of the strings the cells name
// (one more segment for every other string). The last segment of every column is `missing`.
// Per column and segment, `masks` holds the bit set of the rows whose cell there matches. A
// record's matching rows are the AND of one mask per column: no per-row test at run time.
// Rows are laid out in bit order `order` (bit b is row order[b]): row order, or for a `priority`
// table highest priority first, so the chosen row is always the lowest set bit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace credo::rt {

struct TableColumn {
  enum Kind : uint8_t { Ordered, Float, Strings, Direct } kind = Ordered;
  std::vector<int64_t> points;       // Ordered: sorted boundaries (raw int64: ints, scaled decimals, days)
  std::vector<double> fpoints;       // Float: sorted boundaries
  std::vector<std::string> strings;  // Strings: sorted
  int32_t segments = 0;              // present segments; segment `segments` is missing
  std::vector<uint64_t> masks;       // (segments + 1) · words

  // The segment of a value (bits as in a register: Number as the double's bits, String a Str*).
  int32_t Segment(int64_t bits, bool present) const;
};

struct CompiledTable {
  int32_t rows = 0;                  // not counting `else`
  int32_t words = 1;                 // 64-bit words per row set
  bool has_else = false;
  std::vector<TableColumn> columns;
  std::vector<int32_t> order;        // bit position → row index

  // The matching rows of one record, in bit order, into `mask` (words entries).
  void Match(const int64_t* values, const uint8_t* present, uint64_t* mask) const;
  // The chosen row (lowest set bit, as a row index), or -1 when no row matches.
  int32_t Chosen(const uint64_t* mask) const;
  int32_t Count(const uint64_t* mask) const;
  // The matching rows in row order as a codes bit set (tables of at most 64 rows).
  uint64_t Rows(const uint64_t* mask) const;
};

// TableRow modes (ir.h): the chosen row (rows = else, -1 = none), the count, the rows, matched.
enum class TableMode : int64_t { Row = 0, Count = 1, Rows = 2, Matched = 3 };
int64_t TableRow(const CompiledTable& t, TableMode mode, const int64_t* values, const uint8_t* present);

// TableAgg: aggregates of one output's row values over the matching rows (ir.h).
enum class TableAggKind : int64_t { Sum = 0, Min = 1, Max = 2 };
struct AggResult {
  int64_t value = 0;
  bool present = true;
  int32_t error = 0;       // the first error of a matching row's value, in row order
  bool overflow = false;
};
// `kind_number`: values are doubles; else exact int64 (same scale). Row values `vals[r]`,
// r < rows, then the else value at vals[rows] when has_else.
AggResult TableAgg(const CompiledTable& t, TableAggKind kind, bool kind_number, const int64_t* values,
                   const uint8_t* present, const int64_t* vals, const uint8_t* vals_ok, const int32_t* vals_err);

}  // namespace credo::rt
