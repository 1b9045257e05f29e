// arrow_output.h — Arrow C Data Interface arrays and schemas that credo produces: built in owned
// buffers, then moved into the caller's ArrowArray/ArrowSchema, whose release callbacks free
// them (each child has its own, so a consumer may move a child out, as the specification allows).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credo/credo.h"

namespace credo::arrow {

// A buffer aligned to 64 bytes (the specification's recommendation), zero-filled.
class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t bytes);
  Buffer(Buffer&& other) noexcept : data_(other.data_), size_(other.size_) { other.data_ = nullptr, other.size_ = 0; }
  Buffer& operator=(Buffer&& other) noexcept;
  ~Buffer();
  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  void Grow(size_t bytes);  // keeps the contents; the new bytes are zero
 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// One column being filled, row by row.
class ColumnBuilder {
 public:
  enum class Type : uint8_t { Int64, Float64, Decimal128, Date32, Bool, Utf8 };
  ColumnBuilder(std::string name, Type type, bool nullable, int decimal_scale = 0);
  void Reserve(size_t rows);
  void AppendNull();
  void AppendInt(int64_t v);        // Int64, Date32 (days), Decimal128 (raw, at the column's scale), Bool
  void AppendDouble(double v);
  void AppendText(std::string_view text);
  size_t rows() const { return rows_; }
  // The Arrow format string of a column: "l", "g", "d:19,2", "tdD", "b", "u".
  static std::string FormatOf(Type type, int decimal_scale);

  std::string name;
  Type type;
  bool nullable;
  int decimal_scale;

 private:
  friend class StructBuilder;
  void SetValid(bool valid);
  size_t rows_ = 0, nulls_ = 0;
  Buffer validity_, values_, chars_;
  size_t chars_used_ = 0;
};

// A struct array of columns, exported with its schema.
class StructBuilder {
 public:
  ColumnBuilder& Add(std::string name, ColumnBuilder::Type type, bool nullable, int decimal_scale = 0);
  ColumnBuilder& column(size_t c) { return *columns_[c]; }
  // Moves the columns into `array` and describes them in `schema` (either may be null: only the
  // other is written). Every column must have `rows` rows.
  void Export(size_t rows, ArrowSchema* schema, ArrowArray* array);
  void ExportSchema(ArrowSchema* schema) const;

 private:
  std::vector<std::unique_ptr<ColumnBuilder>> columns_;
};

}  // namespace credo::arrow
