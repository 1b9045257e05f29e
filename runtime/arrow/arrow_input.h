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
#include "runtime/exec/batch_run.h"

namespace credo::arrow {

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

class ArrowInput : public exec::RowReader {
 public:
  // Binds every input field of `info` to its column of `array` (a struct array described by
  // `schema`); false with `error` naming the column when one is missing, of a type that cannot
  // hold its field, or malformed (buffers missing, too short, released).
  bool Bind(const rt::PolicyInfo& info, const ArrowSchema& schema, const ArrowArray& array, std::string& error);

  int64_t rows() const override { return rows_; }
  void Read(int64_t first, int64_t count, exec::ReadChunk& out) const override;

  // The text of field f's cell at `row`, as the rejects' id column shows it ("" when null).
  std::string CellText(size_t f, int64_t row) const;

 private:
  // Reads field f's cell at `row` (of the array) into `batch` row `at`.
  exec::FieldError ReadCell(size_t f, int64_t row, rt::InputBatch& batch, size_t at) const;

  const rt::PolicyInfo* info_ = nullptr;
  std::vector<Source> sources_;  // one per input field
  int64_t rows_ = 0;
};

// Arrow's name for a format string, for messages: "l" → "int64", "d:10,2" → "decimal128(10, 2)".
std::string FormatName(const char* format);

}  // namespace credo::arrow
