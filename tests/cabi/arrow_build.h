// arrow_build.h — a test-side Arrow producer, independent of credo's own writer: columns of any
// format the C ABI reads (with offsets, validity bitmaps, padding rows), exported with release
// callbacks that count how often they run.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <credo/credo.h>

namespace cabi_test {

// Release calls seen by every array and schema built here (each must be released exactly once).
inline int released_arrays = 0, released_schemas = 0, exported_arrays = 0, exported_schemas = 0;

struct Column {
  std::string name, format;
  int64_t length = 0, offset = 0, null_count = 0;
  std::vector<std::vector<uint8_t>> buffers;  // buffers[0]: validity (empty: none)
  bool null_struct_validity = false;
};

// Builds a column row by row; `pad` leading rows are skipped through ArrowArray::offset.
class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, std::string format, int64_t pad = 0) {
    col_.name = std::move(name);
    col_.format = std::move(format);
    col_.offset = pad;
    bool text = col_.format == "u" || col_.format == "U";
    col_.buffers.resize(text ? 3 : 2);
    if (text) AppendOffset(0);
    for (int64_t i = 0; i < pad; ++i) Null();
    col_.null_count = 0;  // padding nulls are not in the array's logical range
  }
  ColumnBuilder& Null() {
    SetValid(false);
    if (IsText()) AppendOffset(CharsSize());
    else if (col_.format == "b") SetBit(col_.buffers[1], rows_, false);
    else Grow(col_.buffers[1], Width());
    ++rows_;
    return *this;
  }
  ColumnBuilder& Int(__int128 v) {  // l, i, d:..., tdD (days), b (0/1)
    SetValid(true);
    if (col_.format == "b") {
      SetBit(col_.buffers[1], rows_, v != 0);
    } else {
      uint8_t* at = Grow(col_.buffers[1], Width());
      std::memcpy(at, &v, Width());  // little-endian: the low bytes
    }
    ++rows_;
    return *this;
  }
  ColumnBuilder& Double(double v) {
    SetValid(true);
    std::memcpy(Grow(col_.buffers[1], 8), &v, 8);
    ++rows_;
    return *this;
  }
  ColumnBuilder& Text(const std::string& s) {
    SetValid(true);
    col_.buffers[2].insert(col_.buffers[2].end(), s.begin(), s.end());
    AppendOffset(CharsSize());
    ++rows_;
    return *this;
  }
  Column Finish() {
    col_.length = rows_ - col_.offset;
    if (!any_null_) col_.buffers[0].clear();
    return std::move(col_);
  }

 private:
  bool IsText() const { return col_.format == "u" || col_.format == "U"; }
  size_t Width() const {
    if (col_.format == "l" || col_.format == "g") return 8;
    if (col_.format == "i" || col_.format == "tdD") return 4;
    if (col_.format == "s") return 2;
    return 16;  // decimal128
  }
  int64_t CharsSize() const { return int64_t(col_.buffers[2].size()); }
  static uint8_t* Grow(std::vector<uint8_t>& b, size_t n) {
    b.resize(b.size() + n);
    return b.data() + b.size() - n;
  }
  static void SetBit(std::vector<uint8_t>& bits, int64_t i, bool v) {
    if (bits.size() * 8 <= size_t(i)) bits.resize(size_t(i) / 8 + 1, 0);
    if (v) bits[size_t(i) / 8] |= uint8_t(1u << (i % 8));
  }
  void SetValid(bool v) {
    SetBit(col_.buffers[0], rows_, v);
    if (!v) ++col_.null_count, any_null_ = true;
  }
  void AppendOffset(int64_t v) {
    if (col_.format == "u") {
      int32_t o = int32_t(v);
      std::memcpy(Grow(col_.buffers[1], 4), &o, 4);
    } else {
      std::memcpy(Grow(col_.buffers[1], 8), &v, 8);
    }
  }
  Column col_;
  int64_t rows_ = 0;
  bool any_null_ = false;
};

namespace detail {
struct ArrayData {
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<const void*> pointers;
  std::vector<ArrowArray*> children;
};
struct SchemaData {
  std::string format, name;
  std::vector<ArrowSchema*> children;
};
inline void ReleaseArray(ArrowArray* a) {
  auto* d = static_cast<ArrayData*>(a->private_data);
  for (ArrowArray* c : d->children) {
    if (c->release) c->release(c);
    delete c;
  }
  delete d;
  a->release = nullptr;
  ++released_arrays;
}
inline void ReleaseSchema(ArrowSchema* s) {
  auto* d = static_cast<SchemaData*>(s->private_data);
  for (ArrowSchema* c : d->children) {
    if (c->release) c->release(c);
    delete c;
  }
  delete d;
  s->release = nullptr;
  ++released_schemas;
}
inline void FillSchema(ArrowSchema* s, std::string format, std::string name, std::vector<ArrowSchema*> children) {
  auto* d = new SchemaData{std::move(format), std::move(name), std::move(children)};
  *s = ArrowSchema{d->format.c_str(), d->name.c_str(), nullptr, ARROW_FLAG_NULLABLE, int64_t(d->children.size()),
                   d->children.empty() ? nullptr : d->children.data(), nullptr, ReleaseSchema, d};
  ++exported_schemas;
}
inline void FillArray(ArrowArray* a, int64_t length, int64_t offset, int64_t nulls,
                      std::vector<std::vector<uint8_t>> buffers, std::vector<ArrowArray*> children) {
  auto* d = new ArrayData{std::move(buffers), {}, std::move(children)};
  for (auto& b : d->buffers) d->pointers.push_back(b.empty() ? nullptr : b.data());
  *a = ArrowArray{length, nulls, offset, int64_t(d->pointers.size()), int64_t(d->children.size()),
                  d->pointers.data(), d->children.empty() ? nullptr : d->children.data(), nullptr, ReleaseArray, d};
  ++exported_arrays;
}
}  // namespace detail

// A struct array of `columns` with `rows` rows; `struct_validity` (one byte per row, empty:
// none) marks whole records null; `struct_offset` skips leading rows of every child.
inline void Export(std::vector<Column> columns, int64_t rows, ArrowSchema* schema, ArrowArray* array,
                   std::vector<uint8_t> struct_validity = {}, int64_t struct_offset = 0) {
  std::vector<ArrowSchema*> child_schemas;
  std::vector<ArrowArray*> child_arrays;
  for (auto& c : columns) {
    auto* s = new ArrowSchema;
    detail::FillSchema(s, c.format, c.name, {});
    child_schemas.push_back(s);
    auto* a = new ArrowArray;
    detail::FillArray(a, c.length, c.offset, c.null_count, std::move(c.buffers), {});
    child_arrays.push_back(a);
  }
  detail::FillSchema(schema, "+s", "", std::move(child_schemas));
  std::vector<uint8_t> bits;
  int64_t nulls = 0;
  for (size_t r = 0; r < struct_validity.size(); ++r) {
    if (bits.size() * 8 <= r) bits.resize(r / 8 + 1, 0);
    if (struct_validity[r]) bits[r / 8] |= uint8_t(1u << (r % 8));
    else if (int64_t(r) >= struct_offset) ++nulls;
  }
  std::vector<std::vector<uint8_t>> buffers;
  buffers.push_back(std::move(bits));
  detail::FillArray(array, rows, struct_offset, nulls, std::move(buffers), std::move(child_arrays));
}

}  // namespace cabi_test
