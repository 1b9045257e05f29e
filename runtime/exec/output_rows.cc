// output_rows.cc — OutputRows (output_rows.h).
#include "runtime/exec/output_rows.h"

#include <algorithm>
#include <bit>
#include <charconv>

#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/exec/spill.h"
#include "runtime/io/jsonl.h"

namespace credo::exec {

using rt::Kind;

OutputRows::OutputRows(const rt::PolicyInfo& info, const RunOptions& options)
    : info_(info), options_(options), json_(options.out_format == Format::Jsonl) {
  // Enum output columns: their cells, quoted once here if they need it.
  for (const auto& o : info_.outputs) {
    enum_cells_.emplace_back();
    const rt::ValueType& t = info_.state[o.state];
    if (t.kind != Kind::Enum) continue;
    for (const auto& value : info_.enums[t.names].values) io::AppendCsvField(enum_cells_.back().emplace_back(), value);
  }
}

// Appends the output rows of the accepted records of `p` to `buf`; with `row_ends`, also
// where each row ends in `buf`.
void OutputRows::Format(const Pending& p, std::string& buf, std::vector<size_t>* row_ends) const {
  if (json_) return FormatJson(p, buf, row_ends);
  io::RowBuffer row(buf);
  constexpr size_t kAhead = 64;  // rows: the columns are read across, so prefetch each one
  for (size_t r = 0; r < p.state.rows; ++r) {
    if (r % 8 == 0 && r + kAhead < p.state.rows)
      for (const auto& o : info_.outputs) {
        const rt::Column& col = p.state.slots[o.state];
        __builtin_prefetch(col.values.data() + r + kAhead);
        // A column that is never missing has no validity bytes: no pointer to offset.
        if (r % 64 == 0 && !col.valid.empty()) __builtin_prefetch(col.valid.data() + r + kAhead);
      }
    if (p.state.status[r] != 0) continue;
    for (const auto& kept : p.kept) {
      row.PutField(kept[r]->view());
      row.Put(',');
    }
    for (size_t c = 0; c < info_.outputs.size(); ++c) {
      if (c) row.Put(',');
      int slot = info_.outputs[c].state;
      const rt::Column& col = p.state.slots[slot];
      if (!info_.state[slot].optional || col.valid[r]) FormatCell(c, col.values[r], row);
    }
    row.Put('\n');
    if (row_ends) row_ends->push_back(row.size());
  }
}

// JSON Lines: one object per accepted row, keys the CSV header's names, missing as null.
void OutputRows::FormatJson(const Pending& p, std::string& buf, std::vector<size_t>* row_ends) const {
  std::string cell;
  for (size_t r = 0; r < p.state.rows; ++r) {
    if (p.state.status[r] != 0) continue;
    buf += '{';
    for (size_t k = 0; k < p.kept.size(); ++k) {
      io::AppendJsonString(buf, kept_names_[k]);
      buf += ':';
      io::AppendJsonString(buf, p.kept[k][r]->view());
      buf += ',';
    }
    for (size_t c = 0; c < info_.outputs.size(); ++c) {
      if (c) buf += ',';
      io::AppendJsonString(buf, info_.outputs[c].name);
      buf += ':';
      int slot = info_.outputs[c].state;
      const rt::ValueType& type = info_.state[slot];
      const rt::Column& col = p.state.slots[slot];
      if (type.optional && !col.valid[r]) {
        buf += "null";
        continue;
      }
      cell.clear();
      rt::AppendValue(info_, type, col.values[r], true, cell);
      switch (type.kind) {
        // Numbers as JSON numbers from their exact text: money is never rounded through a double.
        case Kind::Int: case Kind::Decimal: case Kind::Number: case Kind::Bool: buf += cell; break;
        default:
          if (type.kind == Kind::String && cell.empty()) buf += "null";  // as CSV: an empty cell is missing
          else io::AppendJsonString(buf, cell);
      }
    }
    buf += "}\n";
    if (row_ends) row_ends->push_back(buf.size());
  }
}

// Output column c's cell for `value` (present).
void OutputRows::FormatCell(size_t c, int64_t value, io::RowBuffer& row) const {
  const rt::ValueType& type = info_.state[info_.outputs[c].state];
  switch (type.kind) {
    case Kind::Int: {
      char* at = row.Reserve(20);
      row.Advance(std::to_chars(at, at + 20, value).ptr);
      return;
    }
    case Kind::Decimal: row.Advance(rt::WriteDecimal(row.Reserve(rt::kDecimalChars), value, type.scale)); return;
    case Kind::Enum: row.Put(enum_cells_[c][value]); return;
    case Kind::String: row.PutField(rt::StrOf(value)->view()); return;
    case Kind::Bool: row.Put(value ? std::string_view("true") : std::string_view("false")); return;
    case Kind::Codes: return FormatCodes(type, uint64_t(value), row);
    default: rt::AppendValue(info_, type, value, true, row.Direct()); return;  // numbers, dates
  }
}

// A list of codes as rt::AppendCodes writes it (names joined by ';'), straight into the row.
void OutputRows::FormatCodes(const rt::ValueType& type, uint64_t list, io::RowBuffer& row) const {
  if (type.names < 0 || size_t(type.names) >= info_.code_sets.size()) return;
  const std::vector<std::string>& names = info_.code_sets[type.names];
  bool first = true;
  auto add = [&](uint64_t code) {
    if (code >= names.size()) return;
    if (!first) row.Put(';');
    row.Put(names[code]);
    first = false;
  };
  if (type.ranked) {
    for (int i = 0; i < rt::kMaxRanked; ++i)
      if (uint64_t entry = list >> (8 * i) & 0xFF) add(entry - 1);
    return;
  }
  for (; list != 0; list &= list - 1) add(uint64_t(std::countr_zero(list)));
}

void OutputRows::WriteHeader(std::string& buf) const {
  if (json_) return;
  for (const auto& name : kept_names_) {
    io::AppendCsvField(buf, name);
    buf += ',';
  }
  for (size_t c = 0; c < info_.outputs.size(); ++c) {
    if (c) buf += ',';
    io::AppendCsvField(buf, info_.outputs[c].name);
  }
  buf += '\n';
}

void OutputRows::WriteRejectsHeader(std::string& buf) const {
  if (options_.rejects_format == Format::Jsonl) return;
  buf += "line,";
  io::AppendCsvField(buf, IdName());
  buf += options_.reject_detail ? ",reason,detail\n" : ",reason\n";
}

void OutputRows::AppendRejectRow(const Reject& rj, std::string& buf) const {
  if (options_.rejects_format == Format::Jsonl) {
    buf += "{\"line\":" + std::to_string(rj.line) + ",";
    io::AppendJsonString(buf, IdName());
    buf += ':';
    io::AppendJsonString(buf, rj.id);
    buf += ",\"reason\":";
    io::AppendJsonString(buf, rj.reason);
    if (options_.reject_detail) {
      buf += ",\"detail\":";
      io::AppendJsonString(buf, rj.detail);
    }
    buf += "}\n";
    return;
  }
  buf += std::to_string(rj.line);
  buf += ',';
  io::AppendCsvField(buf, rj.id);
  buf += ',';
  io::AppendCsvField(buf, rj.reason);
  if (options_.reject_detail) {
    buf += ',';
    io::AppendCsvField(buf, rj.detail);
  }
  buf += '\n';
}

std::vector<GroupRow> OutputRows::FirstMembers(const std::vector<std::unique_ptr<Pending>>& all, size_t groups) {
  std::vector<GroupRow> rows;
  std::vector<uint8_t> seen(groups, 0);
  for (const auto& p : all)
    for (size_t r = 0; r < p->state.rows; ++r) {
      int32_t g = p->input.group[r];
      if (g < 0 || p->state.status[r] != 0 || seen[g]) continue;
      seen[g] = 1;
      rows.push_back({&p->state, r, p->lines[r]});
    }
  return rows;
}

void OutputRows::WriteGroupHeader(const rt::GroupOutput& o, std::string& buf) {
  for (size_t c = 0; c < o.columns.size(); ++c) {
    if (c) buf += ',';
    io::AppendCsvField(buf, o.columns[c].name);
  }
  buf += '\n';
}

void OutputRows::FormatGroupRow(const rt::GroupOutput& o, const GroupRow& row, std::string& buf) const {
  std::string cell;
  for (size_t c = 0; c < o.columns.size(); ++c) {
    int slot = o.columns[c].state;
    const rt::ValueType& t = info_.state[slot];
    const rt::Column& col = row.state->slots[slot];
    cell.clear();
    rt::AppendValue(info_, t, col.values[row.r], !t.optional || col.valid[row.r], cell);
    if (c) buf += ',';
    io::AppendCsvField(buf, cell);
  }
  buf += '\n';
}

// The bytes whose memcmp order is WriteGroupOutput's order: each order key (a presence byte,
// missing last either way, then the value's ordered bytes, inverted when descending), then the
// first member's line for ties. Lets partitions sort their rows apart and merge them.
void OutputRows::GroupOrderKey(const rt::GroupOutput& o, const GroupRow& row, std::string& key) const {
  key.clear();
  for (const auto& k : o.order) {
    int slot = o.columns[k.column].state;
    const rt::ValueType& t = info_.state[slot];
    const rt::Column& col = row.state->slots[slot];
    bool present = !t.optional || col.valid[row.r];
    key.push_back(char(!present));
    if (!present) continue;
    int64_t v = col.values[row.r];
    if (t.kind == Kind::String) {
      size_t from = key.size();
      for (char ch : rt::StrOf(v)->view()) {
        key.push_back(ch);
        if (ch == '\0') key.push_back('\xff');  // 00 within the text sorts after the end mark 00 00
      }
      key.append(2, '\0');
      if (k.descending)
        for (size_t i = from; i < key.size(); ++i) key[i] = char(~key[i]);
      continue;
    }
    if (t.kind == Kind::Number) {  // doubles as ordered integers; -0 equals 0
      double d = std::bit_cast<double>(v);
      int64_t bits = std::bit_cast<int64_t>(d == 0 ? 0.0 : d);
      v = bits < 0 ? int64_t(~(uint64_t(bits) & ~(uint64_t{1} << 63))) : bits;
    }
    PutOrderedI64(key, v, k.descending);
  }
  PutOrderedI64(key, row.line);
}

int OutputRows::Compare(Kind kind, int64_t a, int64_t b) {
  if (kind == Kind::Number) {
    double x = std::bit_cast<double>(a), y = std::bit_cast<double>(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind == Kind::String) {
    std::string_view x = rt::StrOf(a)->view(), y = rt::StrOf(b)->view();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

void OutputRows::SortGroupRows(const rt::GroupOutput& o, std::vector<GroupRow>& rows) const {
  auto less = [&](const GroupRow& a, const GroupRow& b) {
    for (const auto& key : o.order) {
      int slot = o.columns[key.column].state;
      const rt::ValueType& t = info_.state[slot];
      const rt::Column& ca = a.state->slots[slot];
      const rt::Column& cb = b.state->slots[slot];
      bool pa = !t.optional || ca.valid[a.r], pb = !t.optional || cb.valid[b.r];
      if (pa != pb) return pa;  // missing sorts last, either direction
      if (!pa) continue;
      int c = Compare(t.kind, ca.values[a.r], cb.values[b.r]);
      if (c != 0) return key.descending ? c > 0 : c < 0;
    }
    return false;
  };
  std::stable_sort(rows.begin(), rows.end(), less);
}

}  // namespace credo::exec
