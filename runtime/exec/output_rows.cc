// output_rows.cc — OutputRows (output_rows.h).
#include "runtime/exec/output_rows.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

#include "runtime/core/decimal.h"
#include "runtime/core/digits.h"
#include "runtime/core/text.h"
#include "runtime/exec/spill.h"
#include "runtime/io/jsonl.h"

namespace credo::exec {

using rt::Kind;

namespace {

// The string cell `s` (n bytes, at least 8 of them readable from s: rt::Str) at `at`, quoted when
// it needs it, as io::AppendCsvField; returns its end. Room for 2n + 2 bytes and 16 more.
inline char* PutString(char* at, const char* s, size_t n) {
  if constexpr (std::endian::native == std::endian::little) {
    if (n <= 8) {  // one load, checked and stored whole
      uint64_t word;
      std::memcpy(&word, s, 8);
      // The bytes past the string become '@' or above: neither quoted nor below '-'.
      const uint64_t past = n == 8 ? 0 : ~uint64_t{0} << (8 * n);
      word |= past & 0x4040404040404040ULL;
      if (io::QuoteBytes(word) == 0) {
        std::memcpy(at, &word, 8);
        return at + n;
      }
    }
  }
  if (!io::NeedsQuotes({s, n})) {
    if (n <= 16 && n >= 8) {  // two overlapping 8-byte copies
      std::memcpy(at, s, 8);
      std::memcpy(at + n - 8, s + n - 8, 8);
    } else {
      std::memcpy(at, s, n);
    }
    return at + n;
  }
  *at++ = '"';
  for (const char* end = s + n; s != end; ++s) {
    if (*s == '"') *at++ = '"';
    *at++ = *s;
  }
  *at++ = '"';
  return at;
}

// `size` bytes from `from` at `at`; returns their end. A short text is copied as a fixed 16
// bytes: `from` has 16 readable bytes and `at` room for them (OutputRows::kTextSlack).
inline char* PutText(char* at, const char* from, size_t size) {
  if (size <= 16) std::memcpy(at, from, 16);
  else std::memcpy(at, from, size);
  return at + size;
}

// A present string value's bytes (0 is the empty string, as rt::AppendValue reads it), with 8
// readable bytes from its start, as an rt::Str has, for PutString.
constexpr char kNoText[rt::Str::kReadableBytes] = {};
std::string_view StringOf(int64_t value) { return value ? rt::StrOf(value)->view() : std::string_view(kNoText, 0); }

}  // namespace

OutputRows::OutputRows(const rt::PolicyInfo& info, const RunOptions& options)
    : info_(info), options_(options), json_(options.out_format == Format::Jsonl) {
  PlanColumns();
}

uint32_t OutputRows::AddText(std::string_view text) {
  const auto offset = uint32_t(texts_.size());
  texts_.append(text);
  return offset;
}

// Works out how each output column is written (ColumnPlan) and the bytes a row can take but for
// its strings.
void OutputRows::PlanColumns() {
  using Writer = ColumnPlan::Writer;
  fixed_bytes_ = info_.outputs.size() + 1 + kTextSlack;  // commas, the LF, the last copy's overshoot
  for (size_t c = 0; c < info_.outputs.size(); ++c) {
    ColumnPlan& plan = plan_.emplace_back();
    plan.slot = info_.outputs[c].state;
    const rt::ValueType& t = info_.state[plan.slot];
    plan.optional = t.optional;
    plan.ranked = t.ranked;
    plan.scale = t.scale;
    auto add_cells = [&](const std::vector<std::string>& texts, bool quote) {
      for (const auto& text : texts) {
        std::string cell;
        if (quote) io::AppendCsvField(cell, text);
        else cell = text;
        plan.cells.push_back({AddText(cell), uint32_t(cell.size())});
      }
    };
    uint32_t longest = 0, total = 0;
    switch (t.kind) {
      case Kind::Int: plan.writer = Writer::Int, plan.max_bytes = 20; break;
      case Kind::Decimal: plan.writer = Writer::Decimal, plan.max_bytes = rt::digits::DecimalBytes(t.scale); break;
      case Kind::String:
        plan.writer = Writer::String, plan.max_bytes = 0;
        string_columns_.push_back(c);
        break;
      case Kind::Bool: plan.writer = Writer::Bool, add_cells({"false", "true"}, false); break;
      case Kind::Enum:
        plan.writer = Writer::Cells;
        if (t.names >= 0 && size_t(t.names) < info_.enums.size()) add_cells(info_.enums[t.names].values, true);
        break;
      case Kind::Codes:
        // Code names are bare names: never quoted (as rt::AppendCodes writes them, unquoted).
        plan.writer = Writer::Codes;
        if (t.names >= 0 && size_t(t.names) < info_.code_sets.size()) add_cells(info_.code_sets[t.names], false);
        break;
      default: plan.writer = Writer::Other, plan.max_bytes = kOtherBytes; break;
    }
    for (const TextRef& cell : plan.cells) longest = std::max(longest, cell.size), total += cell.size + 1;
    if (plan.writer == Writer::Cells || plan.writer == Writer::Bool) plan.max_bytes = longest;
    if (plan.writer == Writer::Codes)  // each code once, with a ';' before all but the first
      plan.max_bytes = plan.ranked ? rt::kMaxRanked * (longest + 1) : total;
    fixed_bytes_ += plan.max_bytes;
  }
  texts_.append(kTextSlack, '\0');
}

// Appends the output rows of the accepted records of `p` to `buf`; with `row_ends`, also
// where each row ends in `buf`. Each row is written into one span that bounds it: first a span
// with room for strings of up to kShortText bytes each (no string needs measuring); a row with a
// longer string is bounded exactly (its strings as if every byte were a doubled quote) and
// written again.
void OutputRows::Format(const Pending& p, std::string& buf, std::vector<size_t>* row_ends) const {
  if (json_) return FormatJson(p, buf, row_ends);
  std::vector<ColumnRun> runs;
  runs.reserve(plan_.size());
  for (const ColumnPlan& plan : plan_) {
    const rt::Column& col = p.state.slots[plan.slot];
    runs.push_back({plan.writer, plan.ranked, plan.scale, col.values.data(), plan.optional ? col.valid.data() : nullptr,
                    plan.cells.data(), plan.cells.size(), plan.slot});
  }
  const size_t short_bound = fixed_bytes_ + (string_columns_.size() + p.kept.size()) * (2 * kShortText + 3);
  const bool try_short = short_bound <= io::RowBuffer::kBytes;
  std::string scratch;  // an Other cell's text
  io::RowBuffer row(buf);
  constexpr size_t kAhead = 64;  // rows: the columns are read across, so prefetch each one
  for (size_t r = 0; r < p.state.rows; ++r) {
    if (r % 8 == 0 && r + kAhead < p.state.rows)
      for (const ColumnRun& run : runs) {
        __builtin_prefetch(run.values + r + kAhead);
        // A column that is never missing has no validity bytes: no pointer to offset.
        if (r % 64 == 0 && run.valid) __builtin_prefetch(run.valid + r + kAhead);
      }
    if (p.state.status[r] != 0) continue;
    if (char* end = try_short ? WriteRow(p, r, runs, row.Reserve(short_bound), scratch, kShortText) : nullptr) {
      row.Advance(end);
    } else {
      size_t bound = fixed_bytes_;
      for (size_t c : string_columns_)
        if (!runs[c].valid || runs[c].valid[r]) bound += 2 * StringOf(runs[c].values[r]).size() + 2;
      for (const auto& kept : p.kept) bound += 2 * kept[r]->size + 3;
      if (bound <= io::RowBuffer::kBytes) {
        row.Advance(WriteRow(p, r, runs, row.Reserve(bound), scratch, SIZE_MAX));
      } else {  // a row of long strings: straight into the output, sized for it
        std::string& out = row.Direct();
        const size_t from = out.size();
        out.resize(from + bound);
        out.resize(size_t(WriteRow(p, r, runs, out.data() + from, scratch, SIZE_MAX) - out.data()));
      }
    }
    if (row_ends) row_ends->push_back(row.size());
  }
}

// Row r's CSV text at `at`, which has room for the row's bound (Format) given that no string is
// longer than `longest`; returns its end, or null (the row unwritten) when one is.
char* OutputRows::WriteRow(const Pending& p, size_t r, const std::vector<ColumnRun>& runs, char* at,
                           std::string& scratch, size_t longest) const {
  using Writer = ColumnPlan::Writer;
  auto put_text = [texts = texts_.data()](char* to, TextRef text) { return PutText(to, texts + text.offset, text.size); };
  for (const auto& kept : p.kept) {
    if (kept[r]->size > longest) return nullptr;
    at = PutString(at, kept[r]->data, kept[r]->size);
    *at++ = ',';
  }
  for (const ColumnRun& run : runs) {
    if (run.valid && !run.valid[r]) {
      *at++ = ',';
      continue;
    }
    const int64_t value = run.values[r];
    switch (run.writer) {
      case Writer::Int: at = rt::digits::WriteInteger(at, value); break;
      case Writer::Decimal: at = rt::digits::WriteDecimal(at, value, run.scale); break;
      case Writer::String: {
        const std::string_view text = StringOf(value);
        if (text.size() > longest) return nullptr;
        at = PutString(at, text.data(), text.size());
        break;
      }
      case Writer::Bool: at = put_text(at, run.cells[value != 0]); break;
      case Writer::Cells:  // an enum value out of range prints nothing, as rt::AppendValue
        if (uint64_t(value) < run.cell_count) at = put_text(at, run.cells[value]);
        break;
      case Writer::Codes: {  // as rt::AppendCodes: the codes in the list's order, ';' between
        const char* first = at;
        auto add = [&](uint64_t code) {
          if (code >= run.cell_count) return;
          *at = ';';
          at = put_text(at + (at != first), run.cells[code]);
        };
        if (run.ranked) {
          for (uint64_t list = uint64_t(value); list != 0; list >>= 8)
            if (uint64_t entry = list & 0xFF) add(entry - 1);
        } else {
          for (uint64_t list = uint64_t(value); list != 0; list &= list - 1) add(uint64_t(std::countr_zero(list)));
        }
        break;
      }
      case Writer::Other:  // numbers and dates: at most kOtherBytes
        scratch.clear();
        rt::AppendValue(info_, info_.state[run.slot], value, true, scratch);
        std::memcpy(at, scratch.data(), scratch.size());
        at += scratch.size();
        break;
    }
    *at++ = ',';
  }
  if (runs.empty()) *at++ = '\n';
  else at[-1] = '\n';  // over the last column's comma
  return at;
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
