// csv_to_arrow.h — a policy's CSV input as an Arrow struct array, for the C ABI's tests and
// benchmark: every column utf8, or typed (the input schema's preferred type) wherever every cell
// of the column has a typed form that reads the same.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <credo/credo.h>

namespace cabi_test {

struct Variant {
  bool typed = false;     // typed columns where possible (else every column utf8)
  bool alternate = false; // int32 for small ints, large_utf8 for text, columns reversed, padded offsets
  unsigned threads = 1;
};

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;   // per row: its line in the file
  std::set<int64_t> malformed;  // lines of the rows left out (bad quotes, a wrong field count)
};

// The file's well-formed rows; an empty header when it cannot be read.
Csv ReadCsv(const std::string& path);

// The rows as one struct array (exported into *schema and *array, released by the caller); ""
// or what went wrong.
std::string ToArrow(const credo_policy* policy, const Csv& csv, const Variant& variant, ArrowSchema* schema,
                    ArrowArray* array);

}  // namespace cabi_test
