#include "runtime/arrow/arrow_input.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/exec/runner.h"

namespace credo::arrow {
namespace {

using exec::FieldError;
using rt::Kind;
using Format = Source::Format;

static_assert(std::endian::native == std::endian::little, "Arrow buffers are read as little-endian");

bool Bit(const uint8_t* bitmap, int64_t i) { return (bitmap[i >> 3] >> (i & 7)) & 1; }

// Parses an Arrow format string into what a field can be read from; false for any other type.
bool ParseFormat(std::string_view f, Format& format, int& scale) {
  static const std::pair<std::string_view, Format> kPlain[] = {
      {"i", Format::Int32}, {"l", Format::Int64}, {"g", Format::Float64}, {"tdD", Format::Date32},
      {"b", Format::Bool},  {"u", Format::Utf8},  {"U", Format::LargeUtf8}};
  for (auto [text, value] : kPlain)
    if (f == text) {
      format = value;
      return true;
    }
  // "d:P,S" or "d:P,S,128" (a 256-bit "d:P,S,256" is not read).
  if (!f.starts_with("d:")) return false;
  f.remove_prefix(2);
  int precision = 0;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), precision);
  if (ec != std::errc() || p == f.data() + f.size() || *p != ',') return false;
  const char* end = f.data() + f.size();
  auto [q, ec2] = std::from_chars(p + 1, end, scale);
  if (ec2 != std::errc() || precision < 1 || precision > 38 || scale < -38 || scale > 38) return false;
  if (q != end && std::string_view(q, end - q) != ",128") return false;
  format = Format::Decimal128;
  return true;
}

// Which Arrow types can hold a field of `kind` (text can hold any: it is parsed like a CSV cell).
bool Holds(Kind kind, Format format) {
  if (format == Format::Utf8 || format == Format::LargeUtf8) return true;
  switch (kind) {
    case Kind::Int:
    case Kind::Decimal: return format == Format::Int32 || format == Format::Int64 || format == Format::Decimal128;
    case Kind::Number:
      return format == Format::Int32 || format == Format::Int64 || format == Format::Decimal128 ||
             format == Format::Float64;
    case Kind::Date: return format == Format::Date32;
    case Kind::Bool: return format == Format::Bool;
    default: return false;  // strings and enums: by name, as text
  }
}

std::string_view KindName(const rt::InputField& field) {
  if (field.percent) return "percent";
  switch (field.type.kind) {
    case Kind::Int: return "int";
    case Kind::Decimal: return field.type.scale == 2 ? "money" : "decimal";
    case Kind::Number: return "number";
    case Kind::Date: return "date";
    case Kind::Bool: return "bool";
    case Kind::String: return "string";
    case Kind::Enum: return "enum";
    case Kind::Codes: return "code list";
  }
  return "";
}

// "a money field", "an int field".
std::string FieldKind(const rt::InputField& field) {
  std::string_view kind = KindName(field);
  return fmt::format("{} {} field", kind[0] == 'i' || kind[0] == 'e' ? "an" : "a", kind);
}

std::string_view Accepted(Kind kind) {
  switch (kind) {
    case Kind::Int:
    case Kind::Decimal: return "int64, int32, decimal128 or utf8";
    case Kind::Number: return "float64, int64, int32, decimal128 or utf8";
    case Kind::Date: return "date32 or utf8";
    case Kind::Bool: return "bool or utf8";
    default: return "utf8 or large_utf8";
  }
}

// The exact decimal text of v × 10^-scale, without trailing fraction zeros: (12300, 3) → "12.3".
std::string DecimalText(__int128 v, int scale) {
  unsigned __int128 u = v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string reversed;  // the digits, least significant first, with the point where it goes
  for (int k = 0; u != 0 || k <= std::max(scale, 0); ++k) {
    if (k == scale && k > 0) reversed += '.';
    reversed += char('0' + int(u % 10));
    u /= 10;
  }
  std::string text(v < 0 ? "-" : "");
  text.append(reversed.rbegin(), reversed.rend());
  if (scale > 0) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  } else if (scale < 0 && v != 0) {
    text.append(size_t(-scale), '0');
  }
  return text;
}

// v × 10^-from as a whole number of 10^-to, exactly: Unparsable when it has more fraction digits
// (as a CSV cell with too many digits is), OutOfRange when |result| >= limit.
FieldError Rescale(__int128 v, int from, int to, int64_t limit, int64_t* out) {
  for (int k = from - to; k > 0; --k) {
    if (v % 10 != 0) return FieldError::Unparsable;
    v /= 10;
    if (v == 0) break;
  }
  for (int k = to - from; k > 0; --k) {
    if (v >= limit || v <= -limit) return FieldError::OutOfRange;
    v *= 10;  // |v| < limit < 10^17: no overflow
  }
  if (v >= limit || v <= -limit) return FieldError::OutOfRange;
  *out = static_cast<int64_t>(v);
  return FieldError::None;
}

template <typename T>
T Load(const ArrowArray* array, size_t buffer, int64_t i) {
  T value;
  std::memcpy(&value, static_cast<const char*>(array->buffers[buffer]) + i * int64_t(sizeof(T)), sizeof(T));
  return value;
}

std::string_view Text(const Source& s, int64_t i) {
  const char* data = static_cast<const char*>(s.array->buffers[2]);
  int64_t begin, end;
  if (s.format == Format::Utf8) {
    begin = Load<int32_t>(s.array, 1, i);
    end = Load<int32_t>(s.array, 1, i + 1);
  } else {
    begin = Load<int64_t>(s.array, 1, i);
    end = Load<int64_t>(s.array, 1, i + 1);
  }
  return end > begin ? std::string_view(data + begin, size_t(end - begin)) : std::string_view();
}

// An integer or decimal cell as a 128-bit value with its scale.
__int128 Integral(const Source& s, int64_t i) {
  if (s.format == Format::Int32) return Load<int32_t>(s.array, 1, i);
  if (s.format == Format::Int64) return Load<int64_t>(s.array, 1, i);
  __int128 v;
  std::memcpy(&v, static_cast<const char*>(s.array->buffers[1]) + i * 16, 16);
  return v;
}

// Checks that a column's array has the buffers its format needs and covers `rows` rows from
// `struct_offset`; the offsets of a string column must not decrease.
bool CheckArray(const std::string& name, const Source& s, int64_t struct_offset, int64_t rows, std::string& error) {
  const ArrowArray* a = s.array;
  int64_t buffers = s.format == Format::Utf8 || s.format == Format::LargeUtf8 ? 3 : 2;
  auto bad = [&](std::string why) {
    error = fmt::format("column '{}' is malformed: {}", name, why);
    return false;
  };
  if (!a->release) return bad("its array was released");
  if (a->n_buffers != buffers) return bad(fmt::format("{} buffers, its type has {}", a->n_buffers, buffers));
  if (!a->buffers) return bad("no buffers");
  if (a->offset < 0 || a->length < struct_offset + rows)
    return bad(fmt::format("{} values from offset {}, the batch needs {}", a->length, a->offset, struct_offset + rows));
  if (!a->buffers[0] && a->null_count != 0 && a->null_count != -1)
    return bad(fmt::format("{} nulls but no validity bitmap", a->null_count));
  if (rows == 0) return true;
  if (!a->buffers[1]) return bad("no values buffer");
  if (buffers == 3) {
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = s.offset + r;
      int64_t begin = s.format == Format::Utf8 ? Load<int32_t>(a, 1, i) : Load<int64_t>(a, 1, i);
      int64_t end = s.format == Format::Utf8 ? Load<int32_t>(a, 1, i + 1) : Load<int64_t>(a, 1, i + 1);
      if (begin < 0 || end < begin) return bad(fmt::format("string offsets decrease at row {}", r));
      if (end > begin && !a->buffers[2]) return bad("no character data buffer");
    }
  }
  return true;
}

std::string ColumnList(const ArrowSchema& schema) {
  std::string names;
  for (int64_t c = 0; c < schema.n_children && c < 20; ++c)
    names += fmt::format("{}'{}'", c ? ", " : "", schema.children[c]->name ? schema.children[c]->name : "");
  if (schema.n_children > 20) names += ", ...";
  return schema.n_children ? names : "none";
}

}  // namespace

std::string FormatName(const char* format) {
  std::string_view f = format ? format : "";
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"n", "null"},       {"b", "bool"},        {"c", "int8"},        {"C", "uint8"},       {"s", "int16"},
      {"S", "uint16"},     {"i", "int32"},       {"I", "uint32"},      {"l", "int64"},       {"L", "uint64"},
      {"e", "float16"},    {"f", "float32"},     {"g", "float64"},     {"z", "binary"},      {"Z", "large_binary"},
      {"u", "utf8"},       {"U", "large_utf8"},  {"vu", "utf8_view"},  {"tdD", "date32"},    {"tdm", "date64"},
      {"+s", "struct"},    {"+l", "list"},       {"+L", "large_list"}, {"+m", "map"}};
  for (auto [code, name] : kNames)
    if (f == code) return std::string(name);
  Format parsed;
  int scale = 0;
  if (ParseFormat(f, parsed, scale)) {
    std::string_view digits = f.substr(2, f.find(',') - 2);
    return fmt::format("decimal128({}, {})", digits, scale);
  }
  return fmt::format("format \"{}\"", f);
}

bool ArrowInput::Bind(const rt::PolicyInfo& info, const ArrowSchema& schema, const ArrowArray& array,
                      std::string& error) {
  info_ = &info;
  sources_.clear();
  if (!schema.release || !array.release) {
    error = "the input schema or array was released";
    return false;
  }
  if (!schema.format || std::string_view(schema.format) != "+s") {
    error = fmt::format("the input must be a struct array (format \"+s\", one child per column), not {}",
                        FormatName(schema.format));
    return false;
  }
  if (array.n_children != schema.n_children || (array.n_children > 0 && (!array.children || !schema.children))) {
    error = fmt::format("the input array has {} children but its schema {}", array.n_children, schema.n_children);
    return false;
  }
  if (array.length < 0 || array.offset < 0 || array.n_buffers != 1 || !array.buffers ||
      (!array.buffers[0] && array.null_count != 0 && array.null_count != -1)) {
    error = "the input struct array is malformed (length, offset, or its validity bitmap)";
    return false;
  }
  rows_ = array.length;
  for (int64_t c = 0; c < schema.n_children; ++c)
    if (!schema.children[c] || !array.children[c]) {
      error = fmt::format("the input's child {} is NULL", c);
      return false;
    }
  for (const rt::InputField& field : info.inputs) {
    int64_t found = -1;
    for (int64_t c = 0; c < schema.n_children; ++c) {
      const char* name = schema.children[c]->name;
      if (!name || field.name != name) continue;
      if (found >= 0) {
        error = fmt::format("the input has two columns named '{}'", field.name);
        return false;
      }
      found = c;
    }
    if (found < 0) {
      error = fmt::format("the input has no column '{}' (the policy's {} field); its columns: {}", field.name,
                          KindName(field), ColumnList(schema));
      return false;
    }
    const ArrowSchema& child = *schema.children[found];
    Source s;
    if (child.dictionary || !child.format || !ParseFormat(child.format, s.format, s.decimal_scale) ||
        !Holds(field.type.kind, s.format)) {
      error = fmt::format("column '{}' is {}{}: {} reads {}", field.name, FormatName(child.format),
                          child.dictionary ? " (dictionary-encoded)" : "", FieldKind(field), Accepted(field.type.kind));
      return false;
    }
    s.array = array.children[found];
    s.struct_validity = static_cast<const uint8_t*>(array.buffers[0]);
    s.struct_offset = array.offset;
    s.offset = s.array->offset + array.offset;
    if (!CheckArray(field.name, s, array.offset, rows_, error)) return false;
    sources_.push_back(s);
  }
  return true;
}

FieldError ArrowInput::ReadCell(size_t f, int64_t row, rt::InputBatch& batch, size_t at) const {
  const Source& s = sources_[f];
  const rt::InputField& field = info_->inputs[f];
  int64_t i = s.offset + row;
  const uint8_t* validity = static_cast<const uint8_t*>(s.array->buffers[0]);
  bool null = (s.struct_validity && !Bit(s.struct_validity, s.struct_offset + row)) || (validity && !Bit(validity, i));
  if (null) return exec::ParseField(*info_, f, {}, batch, at);
  rt::Column& col = batch.fields[f];
  int64_t* out = &col.values[at];
  FieldError why = FieldError::None;
  switch (s.format) {
    case Format::Utf8:
    case Format::LargeUtf8: return exec::ParseField(*info_, f, Text(s, i), batch, at);
    case Format::Float64: {
      double d = Load<double>(s.array, 1, i);
      if (!std::isfinite(d)) return FieldError::Unparsable;  // as a CSV cell too large for a double
      *out = std::bit_cast<int64_t>(d);
      break;
    }
    case Format::Date32: {
      int32_t days = Load<int32_t>(s.array, 1, i);
      if (!rt::InDateRange(days)) return FieldError::Unparsable;  // no YYYY-MM-DD spelling
      *out = days;
      break;
    }
    case Format::Bool: *out = Bit(static_cast<const uint8_t*>(s.array->buffers[1]), i); break;
    case Format::Int32:
    case Format::Int64:
    case Format::Decimal128: {
      int scale = s.format == Format::Decimal128 ? s.decimal_scale : 0;
      __int128 v = Integral(s, i);
      if (field.type.kind == Kind::Number) {
        if (scale == 0 && v >= INT64_MIN && v <= INT64_MAX) {
          *out = std::bit_cast<int64_t>(double(int64_t(v)));  // correctly rounded, as ParseNumber is
          break;
        }
        return exec::ParseField(*info_, f, DecimalText(v, scale), batch, at);
      }
      if (field.type.kind == Kind::Int) why = Rescale(v, scale, 0, rt::PolicyInfo::kIntLimit, out);
      else if (field.percent) why = Rescale(v, scale, rt::kPercentDigits, rt::kPercentLimitRaw, out);
      else why = Rescale(v, scale, field.type.scale, rt::PolicyInfo::kDecimalLimitRaw, out);
      break;
    }
  }
  col.valid[at] = why == FieldError::None;
  return why;
}

std::string ArrowInput::CellText(size_t f, int64_t row) const {
  const Source& s = sources_[f];
  int64_t i = s.offset + row;
  const uint8_t* validity = static_cast<const uint8_t*>(s.array->buffers[0]);
  if ((s.struct_validity && !Bit(s.struct_validity, s.struct_offset + row)) || (validity && !Bit(validity, i)))
    return "";
  switch (s.format) {
    case Format::Utf8:
    case Format::LargeUtf8: return std::string(Text(s, i));
    case Format::Float64: {
      double d = Load<double>(s.array, 1, i);
      if (!std::isfinite(d)) return std::isnan(d) ? "nan" : d > 0 ? "inf" : "-inf";
      std::string text;
      rt::AppendNumber(text, d);
      return text;
    }
    case Format::Date32: {
      int32_t days = Load<int32_t>(s.array, 1, i);
      if (!rt::InDateRange(days)) return fmt::format("date32 {}", days);
      std::string text;
      rt::AppendDate(text, days);
      return text;
    }
    case Format::Bool: return Bit(static_cast<const uint8_t*>(s.array->buffers[1]), i) ? "true" : "false";
    default: return DecimalText(Integral(s, i), s.format == Format::Decimal128 ? s.decimal_scale : 0);
  }
}

void ArrowInput::Read(int64_t first, int64_t count, exec::ReadChunk& out) const {
  size_t n = size_t(count);
  out.Reset(*info_, first, n);
  // Column by column; a row that failed at an earlier field is already missing from there on.
  for (size_t f = 0; f < sources_.size(); ++f)
    for (size_t r = 0; r < n; ++r) {
      if (out.fail_field[r] >= 0) continue;
      FieldError why = ReadCell(f, first + int64_t(r), out.input, r);
      if (why != FieldError::None) out.Fail(*info_, r, f, why);
    }
}

}  // namespace credo::arrow
