// jsonl.h — JSON Lines input as rows of text cells, and JSON text for output.
//
// Each line is one JSON object whose keys are column names, in any order. JsonlReader turns a
// line into a row of the cells asked for (TextBatch, as CsvReader does), so the runner parses
// JSON Lines and CSV with the same code:
// - a string is its unescaped text; a number its exact text as written (money is never read
//   through a double); true/false the words; null, "" and an absent key an empty cell (missing);
// - keys not asked for are skipped whatever their value; a key given twice keeps the last value;
// - an empty or blank line is skipped (it is no record, as in most JSON Lines tools);
// - a line that is not one well-formed object, or whose asked-for key holds an object or an
//   array, is a bad row: TextBatch::error[r] is kBadJson, and the row holds the cells read so
//   far (the rest empty) plus one more cell, last, that says what is wrong and where.
// Line numbers are physical lines, the first line being 1 (there is no header).
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/io/csv.h"

namespace credo::io {

inline constexpr std::string_view kBadJson = "bad_json";

class JsonlReader {
 public:
  // Does not own `in`. Cells of each row are the values of `keys`, in that order.
  JsonlReader(std::FILE* in, const std::vector<std::string>& keys);

  // Reads up to max_rows records into `out` (cleared first); 0 at end of input.
  size_t ReadBatch(size_t max_rows, TextBatch& out);
  int read_error() const { return read_errno_; }

 private:
  bool NextLine(std::string& line);
  // Parses `line` into cells_ (views into scratch_ or the line); returns "" or what is wrong.
  std::string ParseLine(std::string_view line);

  std::FILE* in_;
  std::unordered_map<std::string, size_t> index_;  // key → cell
  size_t width_;
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, pos_ = 0, end_ = 0;
  bool eof_ = false, filled_ = false;
  int read_errno_ = 0;
  int64_t line_ = 0;
  std::vector<std::string> cells_;  // the current line's cells
};

// Whether a file's name says JSON Lines: it ends `.jsonl` or `.ndjson`, also before `.gz`.
bool IsJsonLinesName(std::string_view path);

// Appends `text` as a JSON string: quoted, with ", \ and control bytes escaped.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace credo::io
