// arrow_input.h — reading a policy's input records from an Arrow C Data Interface struct array
// into InputBatches, with the reasons `credo run` gives for the same cells.
//
// A column is matched to an input field by name; which Arrow types can hold which field is the
// table in docs/c-abi.md. A cell is read as a CSV cell would be: null (or an empty string) is a
// missing value, text is parsed by exec::ParseField, and typed values pass the same range checks
// (a decimal128 is rescaled exactly to the field's scale; one that does not fit is a reject).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "credo/credo.h"
#include "runtime/core/batch.h"

namespace credo::arrow {

// Rows [first, first + input.rows) of the array, read: the rows that failed have the field they
// failed at (else -1), their reason and, when a value was read, that value as text.
struct ReadBatch {
  int64_t first = 0;
  rt::InputBatch input;
  std::vector<int32_t> fail_field;
  std::vector<std::string> fail_reason;
  std::vector<std::string> fail_detail;
};

// What one input field is read from.
struct Source {
  enum class Format : uint8_t { Int32, Int64, Float64, Decimal128, Date32, Bool, Utf8, LargeUtf8 };
  Format format = Format::Int64;
  int decimal_scale = 0;
  const ArrowArray* array = nullptr;
  int64_t offset = 0;                  // the child's offset plus the struct's
  const uint8_t* struct_validity = nullptr;  // the struct's own bitmap (a null row: every cell null)
  int64_t struct_offset = 0;
};

class ArrowInput {
 public:
  // Binds every input field of `info` to its column of `array` (a struct array described by
  // `schema`); false with `error` naming the column when one is missing, of a type that cannot
  // hold its field, or malformed (buffers missing, too short, released).
  bool Bind(const rt::PolicyInfo& info, const ArrowSchema& schema, const ArrowArray& array, std::string& error);

  int64_t rows() const { return rows_; }

  // Reads rows [first, first + count) into `out`. Safe to call from several threads at once.
  void Read(int64_t first, int64_t count, ReadBatch& out) const;

  // The text of field f's cell at `row`, as the rejects' id column shows it ("" when null).
  std::string CellText(size_t f, int64_t row) const;

 private:
  // Reads field f's cell at `row` (of the array) into `batch` row `at`; on failure sets `why`.
  int ReadCell(size_t f, int64_t row, rt::InputBatch& batch, size_t at) const;

  const rt::PolicyInfo* info_ = nullptr;
  std::vector<Source> sources_;  // one per input field
  int64_t rows_ = 0;
};

// Arrow's name for a format string, for messages: "l" → "int64", "d:10,2" → "decimal128(10, 2)".
std::string FormatName(const char* format);

}  // namespace credo::arrow
