#include "runtime/arrow/arrow_output.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include <fmt/format.h>

namespace credo::arrow {

// ---- buffers ----------------------------------------------------------------------------------

Buffer::Buffer(size_t bytes) { Grow(bytes); }

Buffer& Buffer::operator=(Buffer&& other) noexcept {
  std::swap(data_, other.data_);
  std::swap(size_, other.size_);
  return *this;
}

Buffer::~Buffer() { std::free(data_); }

void Buffer::Grow(size_t bytes) {
  if (bytes <= size_) return;
  size_t rounded = (bytes + 63) / 64 * 64;
  auto* grown = static_cast<uint8_t*>(std::aligned_alloc(64, rounded));
  if (!grown) throw std::bad_alloc();
  if (size_) std::memcpy(grown, data_, size_);
  std::memset(grown + size_, 0, rounded - size_);
  std::free(data_);
  data_ = grown;
  size_ = rounded;
}

// ---- columns ----------------------------------------------------------------------------------

namespace {

size_t ValueBytes(ColumnBuilder::Type type) {
  switch (type) {
    case ColumnBuilder::Type::Decimal128: return 16;
    case ColumnBuilder::Type::Date32: return 4;
    case ColumnBuilder::Type::Utf8: return 4;  // offsets
    case ColumnBuilder::Type::Bool: return 0;  // bits
    default: return 8;
  }
}

// Room for `rows` rows in a buffer of `bytes_per_row` (bits when 0), grown by doubling.
void Ensure(Buffer& buffer, size_t rows, size_t bytes_per_row) {
  size_t bytes = bytes_per_row ? rows * bytes_per_row : (rows + 7) / 8;
  if (bytes > buffer.size()) buffer.Grow(std::max(bytes, buffer.size() * 2));
}

void SetBit(uint8_t* bits, size_t i) { bits[i >> 3] |= uint8_t(1u << (i & 7)); }

}  // namespace

ColumnBuilder::ColumnBuilder(std::string name, Type type, bool nullable, int decimal_scale)
    : name(std::move(name)), type(type), nullable(nullable), decimal_scale(decimal_scale) {
  Reserve(0);
}

void ColumnBuilder::Reserve(size_t rows) {
  if (nullable) Ensure(validity_, rows, 0);
  // A string column has one offset more than rows.
  Ensure(values_, rows + (type == Type::Utf8), ValueBytes(type));
}

void ColumnBuilder::SetValid(bool valid) {
  Reserve(rows_ + 1);
  if (valid) {
    if (nullable) SetBit(validity_.data(), rows_);
  } else {
    ++nulls_;
  }
}

void ColumnBuilder::AppendNull() {
  SetValid(false);
  if (type == Type::Utf8) std::memcpy(values_.data() + 4 * (rows_ + 1), values_.data() + 4 * rows_, 4);
  ++rows_;
}

void ColumnBuilder::AppendInt(int64_t v) {
  SetValid(true);
  uint8_t* at = values_.data();
  switch (type) {
    case Type::Int64: std::memcpy(at + 8 * rows_, &v, 8); break;
    case Type::Date32: {
      int32_t days = int32_t(v);
      std::memcpy(at + 4 * rows_, &days, 4);
      break;
    }
    case Type::Decimal128: {
      __int128 wide = v;
      std::memcpy(at + 16 * rows_, &wide, 16);
      break;
    }
    case Type::Bool: if (v) SetBit(at, rows_); break;
    default: break;
  }
  ++rows_;
}

void ColumnBuilder::AppendDouble(double v) {
  SetValid(true);
  std::memcpy(values_.data() + 8 * rows_, &v, 8);
  ++rows_;
}

void ColumnBuilder::AppendText(std::string_view text) {
  SetValid(true);
  int32_t end = int32_t(chars_used_ + text.size());
  if (chars_used_ + text.size() > size_t(INT32_MAX)) throw std::length_error("a utf8 column holds over 2 GiB of text");
  if (chars_used_ + text.size() > chars_.size()) chars_.Grow(std::max(chars_used_ + text.size(), chars_.size() * 2));
  if (!text.empty()) std::memcpy(chars_.data() + chars_used_, text.data(), text.size());
  chars_used_ += text.size();
  std::memcpy(values_.data() + 4 * (rows_ + 1), &end, 4);
  ++rows_;
}

std::string ColumnBuilder::FormatOf(Type type, int decimal_scale) {
  switch (type) {
    case Type::Int64: return "l";
    case Type::Float64: return "g";
    // Precision 19 holds every raw value of credo's 64-bit decimals.
    case Type::Decimal128: return fmt::format("d:19,{}", decimal_scale);
    case Type::Date32: return "tdD";
    case Type::Bool: return "b";
    case Type::Utf8: return "u";
  }
  return "";
}

// ---- export -----------------------------------------------------------------------------------

namespace {

struct ArrayPrivate {
  std::vector<Buffer> buffers;
  std::vector<const void*> pointers;
  std::vector<ArrowArray*> children;
};

void ReleaseArray(ArrowArray* array) {
  auto* p = static_cast<ArrayPrivate*>(array->private_data);
  for (ArrowArray* child : p->children) {
    if (child->release) child->release(child);  // a child moved out has none: its owner releases it
    delete child;
  }
  delete p;
  array->release = nullptr;
  array->private_data = nullptr;
}

void FillArray(ArrowArray* out, int64_t length, int64_t nulls, std::unique_ptr<ArrayPrivate> p) {
  out->length = length;
  out->null_count = nulls;
  out->offset = 0;
  out->n_buffers = int64_t(p->pointers.size());
  out->n_children = int64_t(p->children.size());
  out->buffers = p->pointers.data();
  out->children = p->children.empty() ? nullptr : p->children.data();
  out->dictionary = nullptr;
  out->release = ReleaseArray;
  out->private_data = p.release();
}

struct SchemaPrivate {
  std::string format, name;
  std::vector<ArrowSchema*> children;
};

void ReleaseSchema(ArrowSchema* schema) {
  auto* p = static_cast<SchemaPrivate*>(schema->private_data);
  for (ArrowSchema* child : p->children) {
    if (child->release) child->release(child);
    delete child;
  }
  delete p;
  schema->release = nullptr;
  schema->private_data = nullptr;
}

void FillSchema(ArrowSchema* out, std::string format, std::string name, bool nullable,
                std::vector<ArrowSchema*> children) {
  auto p = std::make_unique<SchemaPrivate>();
  p->format = std::move(format);
  p->name = std::move(name);
  p->children = std::move(children);
  out->format = p->format.c_str();
  out->name = p->name.c_str();
  out->metadata = nullptr;
  out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
  out->n_children = int64_t(p->children.size());
  out->children = p->children.empty() ? nullptr : p->children.data();
  out->dictionary = nullptr;
  out->release = ReleaseSchema;
  out->private_data = p.release();
}

}  // namespace

ColumnBuilder& StructBuilder::Add(std::string name, ColumnBuilder::Type type, bool nullable, int decimal_scale) {
  columns_.push_back(std::make_unique<ColumnBuilder>(std::move(name), type, nullable, decimal_scale));
  return *columns_.back();
}

void StructBuilder::ExportSchema(ArrowSchema* schema) const {
  std::vector<ArrowSchema*> children;
  for (const auto& c : columns_) {
    auto* child = new ArrowSchema;
    FillSchema(child, ColumnBuilder::FormatOf(c->type, c->decimal_scale), c->name, c->nullable, {});
    children.push_back(child);
  }
  FillSchema(schema, "+s", "", false, std::move(children));
}

void StructBuilder::Export(size_t rows, ArrowSchema* schema, ArrowArray* array) {
  if (schema) ExportSchema(schema);
  if (!array) return;
  auto top = std::make_unique<ArrayPrivate>();
  top->pointers.push_back(nullptr);  // no null records
  for (auto& c : columns_) {
    c->Reserve(rows);
    c->values_.Grow(1);  // an empty column still has a values buffer (a string column its offset 0)
    auto p = std::make_unique<ArrayPrivate>();
    p->pointers.push_back(c->nullable && c->nulls_ ? c->validity_.data() : nullptr);
    p->pointers.push_back(c->values_.data());
    if (c->type == ColumnBuilder::Type::Utf8) {
      c->chars_.Grow(1);  // a non-null data pointer, even with no characters
      p->pointers.push_back(c->chars_.data());
    }
    p->buffers.push_back(std::move(c->validity_));
    p->buffers.push_back(std::move(c->values_));
    p->buffers.push_back(std::move(c->chars_));
    auto* child = new ArrowArray;
    FillArray(child, int64_t(c->rows_), int64_t(c->nulls_), std::move(p));
    top->children.push_back(child);
  }
  columns_.clear();
  FillArray(array, int64_t(rows), 0, std::move(top));
}

}  // namespace credo::arrow
