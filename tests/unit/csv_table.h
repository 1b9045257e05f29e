// csv_table.h — records as a CSV reader gave them (fields, lines, quoting errors), for the CSV
// reader tests to compare one way of reading with another.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/io/csv.h"

namespace credo::io::testing {

struct Table {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  std::vector<std::string> errors;
  bool operator==(const Table&) const = default;
};

inline void Collect(const TextBatch& b, Table& t) {
  for (size_t r = 0; r < b.rows(); ++r) {
    t.rows.emplace_back(b.row(r).begin(), b.row(r).end());
    t.lines.push_back(b.line[r]);
    t.errors.emplace_back(b.error[r]);
  }
}

// Splits records taken as text, as a worker does (nothing when it cannot split all of them).
inline Table Split(RecordText&& text) {
  const size_t rows = text.rows;
  TextBatch b;
  CsvReader split(std::move(text));
  Table t;
  if (split.ReadBatch(rows, b) == rows) Collect(b, t);
  return t;
}

inline void Append(Table& to, Table&& from) {
  to.rows.insert(to.rows.end(), from.rows.begin(), from.rows.end());
  to.lines.insert(to.lines.end(), from.lines.begin(), from.lines.end());
  to.errors.insert(to.errors.end(), from.errors.begin(), from.errors.end());
}

}  // namespace credo::io::testing
