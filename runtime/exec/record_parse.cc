// record_parse.cc — ParseBatch and RecordParser (record_parse.h).
#include "runtime/exec/record_parse.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "runtime/core/decimal.h"
#include "runtime/exec/runner.h"
#include "runtime/io/block_scan.h"

namespace credo::exec {
namespace {

using rt::Kind;

// `-?[0-9]+(\.[0-9]{1,scale})?` at p, as rt::ParseDecimal reads it, when it has at most 18
// digits and its magnitude is below `limit`: the value at `out` and the end of the number are
// returned. Null otherwise (rt::ParseDecimal then decides). p has 16 readable bytes past any
// digit (the record text's padding).
inline const char* ScanNumber(const char* p, int scale, int64_t limit, int64_t* out) {
  const bool neg = *p == '-';
  p += neg;
  uint64_t acc = 0, more = 0;  // (digits + frac <= 18 keeps acc below 10^18)
  const char* q = rt::detail::LeadingDigits8(p, acc);
  if (q == p) return nullptr;
  if (q - p == 8) {
    const char* r = rt::detail::LeadingDigits8(q, more);
    if (r - q == 8) return nullptr;  // 16 or more integer digits
    acc = acc * uint64_t(rt::kPow10[r - q]) + more;
    q = r;
  }
  int digits = int(q - p), frac = 0;
  if (*q == '.') {  // a few digits, as many as the scale at most: one by one
    const char* f = ++q;
    const unsigned d1 = unsigned(q[0] - '0'), d2 = unsigned(q[1] - '0');  // money's usual two, at once
    if (scale >= 2 && d1 <= 9 && d2 <= 9 && static_cast<unsigned char>(q[2] - '0') > 9) {
      acc = acc * 100 + d1 * 10 + d2;
      q += 2;
    }
    for (; static_cast<unsigned char>(*q - '0') <= 9; ++q) {
      if (q - f == scale) return nullptr;
      acc = acc * 10 + unsigned(*q - '0');
    }
    frac = int(q - f);
    if (frac == 0 || digits + frac > 18) return nullptr;
  }
  const unsigned __int128 scaled = static_cast<unsigned __int128>(acc) * uint64_t(rt::kPow10[scale - frac]);
  if (scaled >= static_cast<uint64_t>(limit)) return nullptr;
  *out = neg ? -static_cast<int64_t>(scaled) : static_cast<int64_t>(scaled);
  return q;
}

// The value of the `size` (1 to 8) bytes at q when they are all digits (q has 8 readable bytes):
// LeadingDigits8 without the search for where the digits end, which the cell's end says.
inline bool DigitsExact(const char* q, size_t size, uint64_t& acc) {
  uint64_t v;
  std::memcpy(&v, q, 8);
  // Right-aligned (the bytes past the cell shifted out, leading zeros in): then every byte must
  // be a digit (LeadingDigits8's test).
  uint64_t d = (v ^ 0x3030303030303030ULL) << (8 * (8 - size));
  if ((((d + 0x7676767676767676ULL) | d) & 0x8080808080808080ULL) != 0) return false;
  d = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFULL;
  d = (d * 100 + (d >> 16)) & 0x0000FFFF0000FFFFULL;
  acc = (d * 10000 + (d >> 32)) & 0xFFFFFFFFULL;
  return true;
}

// The number that is exactly the cell [p, end), as ScanNumber reads it; false when the cell is
// not one. The shapes of almost every cell (up to 8 integer digits, and for money exactly two
// fraction digits) take one 8-digit conversion with their length already known; any other goes
// to ScanNumber.
inline bool ScanCell(const char* p, const char* end, int scale, int64_t limit, int64_t* out) {
  const bool neg = *p == '-';
  const char* q = p + neg;
  const ptrdiff_t size = end - q;
  uint64_t acc = 0;
  if (scale == 2 && size >= 4 && size <= 11 && end[-3] == '.') {  // money: 1 to 8 digits, '.', 2
    const unsigned d1 = unsigned(end[-2] - '0'), d2 = unsigned(end[-1] - '0');
    if (!DigitsExact(q, size_t(size - 3), acc) || d1 > 9 || d2 > 9) return ScanNumber(p, scale, limit, out) == end;
    acc = acc * 100 + d1 * 10 + d2;
  } else if (size >= 1 && size <= 8 && scale <= 10) {  // an integer: 10^8 · 10^10 fits 64 bits
    if (!DigitsExact(q, size_t(size), acc)) return ScanNumber(p, scale, limit, out) == end;
    acc *= uint64_t(rt::kPow10[scale]);
  } else {
    return ScanNumber(p, scale, limit, out) == end;
  }
  if (acc >= static_cast<uint64_t>(limit)) return false;
  *out = neg ? -static_cast<int64_t>(acc) : static_cast<int64_t>(acc);
  return true;
}

// Where every cell of `text` ends: the offsets of its ',' and LF bytes, and the text's size when
// its last record has no LF. Found a 64-byte block at a time before any cell is parsed, so each
// cell's parse depends on no other: the processor overlaps them.
size_t CellEnds(const io::RecordText& text, std::vector<uint32_t>& ends) {
  const char* d = text.bytes.get();
  const size_t size = text.size;
  size_t count = 0;
  uint32_t* out = ends.data();
  for (size_t b = 0; b < size; b += 64) {
    if (ends.size() < count + 65) {  // grown as cells are found: 4 bytes a cell, not a byte of text
      ends.resize(std::max<size_t>(2 * ends.size(), 4096));
      out = ends.data();
    }
    uint64_t m = io::ScanBlock(d + b).delims;  // the padding makes 64 bytes readable
    if (size - b < 64) m &= (uint64_t{1} << (size - b)) - 1;
    for (; m != 0; m &= m - 1) out[count++] = uint32_t(b + size_t(std::countr_zero(m)));
  }
  if (size == 0 || d[size - 1] != '\n') {
    if (ends.size() < count + 1) ends.resize(count + 1);
    ends[count++] = uint32_t(size);
  }
  return count;
}

}  // namespace

void ParseBatch(const rt::PolicyInfo& info, const ColumnMap& columns, const io::TextBatch& text, Pending& p) {
  ParseRows(info, columns, text, p.input, p.parse_field, p.parse_reason, p.parse_detail);
  size_t n = text.rows();
  p.lines.assign(text.line.begin(), text.line.end());
  p.ids.resize(n);
  // The first input's cell names a row in the rejects file; a string first field already holds it.
  bool first_is_text = !info.inputs.empty() && info.inputs[0].type.kind == Kind::String;
  size_t id_cell = columns.column_of.empty() ? 0 : columns.column_of[0];
  for (size_t r = 0; r < n; ++r) {
    auto fields = text.row(r);
    bool whole = text.error[r].empty() && fields.size() == columns.width;
    p.ids[r] = whole && first_is_text ? rt::StrOf(p.input.fields[0].values[r])
                                      : p.input.strings->Add(id_cell < fields.size() ? fields[id_cell] : std::string_view());
  }
  p.kept.resize(columns.kept.size());
  for (size_t k = 0; k < columns.kept.size(); ++k) {
    p.kept[k].resize(n);
    for (size_t r = 0; r < n; ++r) {
      auto fields = text.row(r);
      size_t cell = columns.kept[k];
      p.kept[k][r] = p.input.strings->Add(cell < fields.size() ? fields[cell] : std::string_view());
    }
  }
}

RecordParser::RecordParser(const rt::PolicyInfo& info, const ColumnMap& columns)
    : info_(info), columns_(columns), cells_(columns.width) {
  for (size_t f = 0; f < columns.column_of.size(); ++f) {
    Cell& cell = cells_[columns.column_of[f]];
    const rt::InputField& field = info.inputs[f];
    cell.field = int32_t(f);
    cell.optional = field.type.optional;
    const Kind kind = field.type.kind;
    const bool decimal = kind == Kind::Decimal && !field.percent && field.type.scale <= 18;
    cell.role = decimal ? Role::Decimal : kind == Kind::Int ? Role::Integer : kind == Kind::String ? Role::String
              : kind == Kind::Enum ? Role::Enum : Role::Other;
    cell.scale = int8_t(decimal ? field.type.scale : 0);
    cell.limit = decimal ? rt::PolicyInfo::kDecimalLimitRaw : rt::PolicyInfo::kIntLimit;
    if (cell.role == Role::Enum) {
      cell.names = int32_t(names_.size());
      auto& names = names_.emplace_back();
      for (const auto& value : info.enums[field.type.names].values) {
        EnumName name{value.size(), 0, 0, value};
        std::memcpy(&name.prefix, value.data(), std::min<size_t>(value.size(), 8));
        if (value.size() > 8) std::memcpy(&name.last, value.data() + value.size() - 8, 8);
        names.names.push_back(std::move(name));
      }
      SeparateNames(names);
    }
  }
  for (size_t k = 0; k < columns.kept.size(); ++k) cells_[columns.kept[k]].kept = int32_t(k);
  id_is_first_field_ = !info.inputs.empty() && info.inputs[0].type.kind == Kind::String;
  if (!id_is_first_field_ && !cells_.empty()) cells_[columns.column_of.empty() ? 0 : columns.column_of[0]].id = true;
  for (size_t c = 0; c + 1 < cells_.size(); ++c) {  // the last cell ends at the line's end instead
    Cell& cell = cells_[c];
    const bool number = cell.role == Role::Integer || cell.role == Role::Decimal;
    cell.plain_number = number && cell.kept < 0 && !cell.id;
  }
}

// Finds a multiplier that gives every name of `names` its own slot of a table 2 to 8 times their
// number (a few thousand tries at most, once per run); leaves none when it finds none.
void RecordParser::SeparateNames(EnumNames& names) {
  const size_t n = names.names.size();
  if (n == 0 || n > 4096) return;
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  const int width = int(std::bit_width(n));  // (size_t in GCC 12's library, int in C++23's)
  for (int bits = width + 1; bits <= width + 3; ++bits) {
    std::vector<int16_t> table(size_t{1} << bits);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      names.multiplier = state | 1;
      names.shift = 64 - bits;
      std::fill(table.begin(), table.end(), int16_t(-1));
      bool separate = true;
      for (size_t v = 0; v < n && separate; ++v) {
        int16_t& slot = table[names.Slot(names.names[v].prefix, names.names[v].last, names.names[v].size)];
        separate = slot < 0;
        slot = int16_t(v);
      }
      if (separate) {
        names.table = std::move(table);
        return;
      }
    }
  }
  names.multiplier = 0;
}

// The enum value `text` names, or -1. `text` has 8 readable bytes (the record text's padding).
int64_t RecordParser::EnumValue(int32_t names, std::string_view text) const {
  const size_t size = text.size();
  uint64_t prefix, last = 0;
  std::memcpy(&prefix, text.data(), 8);
  if (size < 8) prefix &= (uint64_t{1} << (8 * size)) - 1;
  if (size > 8) std::memcpy(&last, text.data() + size - 8, 8);
  const EnumNames& all = names_[size_t(names)];
  auto is = [&](const EnumName& name) {  // names of up to 16 bytes: two words
    return name.size == size && name.prefix == prefix && name.last == last &&
           (size <= 16 || std::memcmp(name.text.data() + 8, text.data() + 8, size - 16) == 0);
  };
  if (all.multiplier != 0) {
    const int16_t v = all.table[all.Slot(prefix, last, size)];
    return v >= 0 && is(all.names[size_t(v)]) ? v : -1;
  }
  for (size_t v = 0; v < all.names.size(); ++v)
    if (is(all.names[v])) return int64_t(v);
  return -1;
}

bool RecordParser::ParseRecord(const char* d, const char* at, const char* end, const uint32_t* cell_end, size_t r,
                               const Column* columns, size_t width, Pending& p) const {
  rt::StringArena& strings = *p.input.strings;
  const size_t last = width - 1;
  for (size_t c = 0; c <= last; ++c) {
    const Column& col = columns[c];
    const Cell& cell = col.cell;
    const char* stop = d + cell_end[c];
    if (cell.plain_number) {  // most cells of a credit file: nothing but the number to read
      if (*stop != ',') return false;
      if (at == stop) {
        if (!cell.optional) return false;
        col.valid[r] = 0;
      } else if (!ScanCell(at, stop, cell.scale, cell.limit, &col.values[r])) {
        return false;
      }
      at = stop + 1;
      continue;
    }
    // Cells end at a ',' and the last one at the record's LF (or the end of the input).
    const bool line_end = stop == end || *stop == '\n';
    if (line_end != (c == last)) return false;
    if (c == last && stop != at && stop[-1] == '\r') --stop;  // CR LF, or a CR at the end
    const std::string_view text(at, size_t(stop - at));
    if (cell.role != Role::Skip && text.empty()) {  // missing: as ParseField leaves it
      if (!cell.optional) return false;
      col.valid[r] = 0;
      if (cell.role == Role::String) col.values[r] = rt::StrBits(rt::EmptyStr());
    } else {
      switch (cell.role) {
        case Role::Integer:
        case Role::Decimal:
          if (!ScanCell(at, stop, cell.scale, cell.limit, &col.values[r])) return false;
          break;
        case Role::String: col.values[r] = rt::StrBits(strings.AddPadded(text)); break;
        case Role::Enum: {
          const int64_t value = EnumValue(cell.names, text);
          if (value < 0) return false;
          col.values[r] = value;
          break;
        }
        case Role::Other:
          if (ParseField(info_, size_t(cell.field), text, p.input, r) != FieldError::None) return false;
          break;
        case Role::Skip: break;
      }
    }
    if (cell.kept >= 0) p.kept[size_t(cell.kept)][r] = strings.AddPadded(text);
    if (cell.id) p.ids[r] = strings.AddPadded(text);
    at = d + cell_end[c] + 1;
  }
  if (id_is_first_field_) p.ids[r] = rt::StrOf(p.input.fields[0].values[r]);
  return true;
}

void RecordParser::Parse(const io::RecordText& text, Pending& p) const {
  const size_t n = text.rows;
  rt::InputBatch& input = p.input;
  input.Reset(info_.inputs.size(), n);
  p.parse_field.assign(n, -1);
  p.parse_reason.clear();  // sized by ParseRest when a record fails (pending.h)
  p.parse_detail.clear();
  p.lines.resize(n);
  p.ids.assign(n, nullptr);
  p.kept.assign(columns_.kept.size(), std::vector<const rt::Str*>(n));
  std::vector<Column> columns(cells_.size());  // per cell: what it is, where its field's values go
  for (size_t c = 0; c < cells_.size(); ++c) {
    columns[c].cell = cells_[c];
    if (cells_[c].field >= 0) {
      rt::Column& field = input.fields[size_t(cells_[c].field)];
      columns[c].values = field.values.data();
      columns[c].valid = field.valid.data();
    }
  }
  thread_local std::vector<uint32_t> ends;  // reused: a batch's cell ends
  const size_t count = CellEnds(text, ends);
  const char* d = text.bytes.get();
  const char* end = d + text.size;
  const size_t width = cells_.size();
  std::vector<uint32_t> rest;
  std::vector<std::string_view> rest_lines;
  size_t k = 0;  // ends[k]: where the record's first cell ends
  for (size_t r = 0; r < n; ++r) {
    p.lines[r] = text.first_line + int64_t(r);
    const size_t begin = r == 0 ? 0 : ends[k - 1] + 1;
    // The record's last cell ends at its LF (or the end of the text); ParseRecord checks that
    // no cell before it does.
    auto is_lf = [&](size_t e) { return ends[e] == text.size || d[ends[e]] == '\n'; };
    size_t lf = k + width - 1;
    if (lf >= count || !is_lf(lf) || !ParseRecord(d, d + begin, end, ends.data() + k, r, columns.data(), width, p)) {
      for (lf = k; lf < count && !is_lf(lf);) ++lf;
      rest.push_back(uint32_t(r));
      size_t stop = lf < count ? std::min<size_t>(ends[lf] + 1, text.size) : text.size;
      rest_lines.emplace_back(d + begin, stop - begin);
    }
    k = lf + 1;
  }
  if (!rest.empty()) ParseRest(rest, rest_lines, text.first_line, p);
}

void RecordParser::ParseRest(const std::vector<uint32_t>& rows, const std::vector<std::string_view>& lines,
                             int64_t first_line, Pending& p) const {
  // Read by the reader that took them, from their text alone: a record without LF ends the
  // input, as it did there. Their lines are theirs, not consecutive.
  std::string joined;
  for (std::string_view line : lines) joined += line;
  io::RecordText records;
  records.Assign(joined, first_line, rows.size());
  io::TextBatch text;
  io::CsvReader(std::move(records)).ReadBatch(rows.size(), text);
  for (size_t k = 0; k < rows.size(); ++k) text.line[k] = first_line + int64_t(rows[k]);
  Pending rest;
  ParseBatch(info_, columns_, text, rest);
  // Into their rows; their strings are copied into the batch's own arena.
  rt::StringArena& strings = *p.input.strings;
  auto copy = [&](const rt::Str* s) { return strings.Add(s->view()); };
  for (size_t k = 0; k < rows.size(); ++k) {
    const size_t r = rows[k];
    for (size_t f = 0; f < info_.inputs.size(); ++f) {
      const rt::Column& from_col = rest.input.fields[f];
      rt::Column& to = p.input.fields[f];
      to.valid[r] = from_col.valid[k];
      to.values[r] = info_.inputs[f].type.kind == Kind::String ? rt::StrBits(copy(rt::StrOf(from_col.values[k])))
                                                              : from_col.values[k];
    }
    p.parse_field[r] = rest.parse_field[k];
    if (rest.parse_field[k] >= 0) {
      p.parse_reason.resize(p.parse_field.size());
      p.parse_detail.resize(p.parse_field.size());
      p.parse_reason[r] = std::move(rest.parse_reason[k]);
      p.parse_detail[r] = std::move(rest.parse_detail[k]);
    }
    p.ids[r] = copy(rest.ids[k]);
    for (size_t c = 0; c < p.kept.size(); ++c) p.kept[c][r] = copy(rest.kept[c][k]);
  }
}

}  // namespace credo::exec
