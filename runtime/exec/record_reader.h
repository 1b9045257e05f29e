// record_reader.h — the records of an input as `credo run` reads them, CSV or JSON Lines, as
// rows of text cells with the columns found by name (columns.h): what `credo compare`,
// `credo report` and the traces of `credo explain` read, so that they split, number and map an
// input's records exactly as the run that decides them.
//
// CSV: the header names the columns (any order, other columns ignored, or exactly the policy's
// inputs with ColumnOptions::strict). JSON Lines: each line an object whose keys name the cells;
// its rows hold the policy's inputs in order, then the kept columns, then the extra ones. Line
// numbers are the file's: a CSV record's first line (the header is 1), a JSON Lines record's line.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "runtime/exec/columns.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"
#include "runtime/io/jsonl.h"

namespace credo::exec {

class RecordReader {
 public:
  // Does not own `in`. `extra`: columns wanted beside the policy's inputs and kept columns (an
  // outcome, say), found by name: a CSV header may lack them (extra_cell is then -1), a JSON
  // Lines record lacking one reads it as an empty cell.
  RecordReader(std::FILE* in, const rt::PolicyInfo& info, Format format, const ColumnOptions& options,
               std::vector<std::string> extra = {});

  // CSV: reads the header and maps its columns; false with `error` as `credo run` says it (no
  // header line, a missing column, a bad --keep name). JSON Lines: checks the kept names.
  bool Start(std::string& error);
  // Up to max_rows records into `out` (cleared first); 0 at the end of the input.
  size_t ReadBatch(size_t max_rows, io::TextBatch& out);
  // Field f of the policy reads cell columns().column_of[f] of a row.
  const ColumnMap& columns() const { return columns_; }
  // The cell of extra column k in a row, or -1 when the CSV header has no such column.
  int extra_cell(size_t k) const { return extra_cells_[k]; }
  // errno of a failed read (0 if none).
  int read_error() const { return json_ ? json_->read_error() : csv_->read_error(); }

 private:
  const rt::PolicyInfo& info_;
  ColumnOptions options_;
  std::vector<std::string> extra_;
  std::unique_ptr<io::CsvReader> csv_;
  std::unique_ptr<io::JsonlReader> json_;
  std::vector<std::string> keys_;  // JSON Lines: the key of each cell
  ColumnMap columns_;
  std::vector<int> extra_cells_;
};

}  // namespace credo::exec
