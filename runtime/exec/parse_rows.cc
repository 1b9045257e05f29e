// parse_rows.cc — CSV text to typed columns: each field's syntax (ParseField), whole batches of
// rows column by column (ParseRows), and the reject reason of a row that failed.
#include <algorithm>
#include <bit>
#include <string>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/exec/reject_detail.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::exec {
namespace {

using rt::Kind;

bool ParseDate(std::string_view s, int64_t* days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int64_t parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (int i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  int m = int(parts[1]), d = int(parts[2]);
  if (m < 1 || m > 12 || d < 1 || d > rt::DaysInMonth(parts[0], m)) return false;
  *days = rt::DaysFromCivil(parts[0], m, d);
  return true;
}

}  // namespace

std::string RejectReason(const rt::PolicyInfo& info, FieldError error, const std::string& field) {
  using K = rt::RejectKind;
  static const K kinds[] = {K::Missing, K::Missing, K::Unparsable, K::NotInList, K::OutOfRange};
  return info.rejects.Format(kinds[static_cast<int>(error)], field);
}

FieldError ParseField(const rt::PolicyInfo& info, size_t f, std::string_view text, rt::InputBatch& batch, size_t row) {
  const rt::InputField& field = info.inputs[f];
  rt::Column& col = batch.fields[f];
  if (text.empty()) {
    col.valid[row] = 0;
    col.values[row] = field.type.kind == Kind::String ? rt::StrBits(rt::EmptyStr()) : 0;
    return field.type.optional ? FieldError::None : FieldError::Missing;
  }
  col.valid[row] = 1;
  int64_t* out = &col.values[row];
  rt::ParseStatus status = rt::ParseStatus::Ok;
  switch (field.type.kind) {
    case Kind::String: *out = rt::StrBits(batch.strings->Add(text)); break;
    case Kind::Int: status = rt::ParseInteger(text, rt::PolicyInfo::kIntLimit, out); break;
    case Kind::Decimal:
      status = field.percent ? rt::ParsePercent(text, out)
                             : rt::ParseDecimal(text, field.type.scale, rt::PolicyInfo::kDecimalLimitRaw, out);
      break;
    case Kind::Number: {
      double d;
      status = rt::ParseNumber(text, &d);
      if (status == rt::ParseStatus::Ok) *out = std::bit_cast<int64_t>(d);
      break;
    }
    case Kind::Bool: {
      // The spellings lenders' files use; anything else is unparsable, never guessed.
      static const std::pair<std::string_view, bool> kSpellings[] = {
          {"true", true},  {"false", false}, {"TRUE", true}, {"FALSE", false}, {"True", true},
          {"False", false}, {"yes", true},   {"no", false},  {"YES", true},    {"NO", false},
          {"Yes", true},   {"No", false},    {"Y", true},    {"N", false},     {"y", true},
          {"n", false},    {"1", true},      {"0", false}};
      status = rt::ParseStatus::Unparsable;
      for (auto [spelling, value] : kSpellings)
        if (text == spelling) {
          *out = value;
          status = rt::ParseStatus::Ok;
        }
      break;
    }
    case Kind::Date: if (!ParseDate(text, out)) status = rt::ParseStatus::Unparsable; break;
    case Kind::Enum: {
      const auto& values = info.enums[field.type.names].values;
      auto it = std::find(values.begin(), values.end(), text);
      if (it == values.end()) return FieldError::Unknown;
      *out = it - values.begin();
      break;
    }
    case Kind::Codes: status = rt::ParseStatus::Unparsable; break;
  }
  if (status == rt::ParseStatus::Unparsable) return FieldError::Unparsable;
  if (status == rt::ParseStatus::OutOfRange) return FieldError::OutOfRange;
  return FieldError::None;
}

namespace {

// Marks row r as failed at field f; the row's later fields read as missing.
void FailRow(const rt::PolicyInfo& info, size_t r, int f, std::string reason, rt::InputBatch& input,
             std::vector<int32_t>& parse_field, std::vector<std::string>& parse_reason) {
  parse_field[r] = f;
  parse_reason[r] = std::move(reason);
  for (size_t c = size_t(f); c < input.fields.size(); ++c) {
    input.fields[c].valid[r] = 0;
    input.fields[c].values[r] = 0;
  }
  for (size_t c = 0; c < input.fields.size(); ++c)
    if (info.inputs[c].type.kind == Kind::String && !input.fields[c].valid[r])
      input.fields[c].values[r] = rt::StrBits(rt::EmptyStr());
}

// Parses field f, read from cell `column` of each row, of the rows [first, end) that have not
// failed yet; a failed row's detail goes to parse_detail.
void ParseColumn(const rt::PolicyInfo& info, size_t f, size_t column, const io::TextBatch& text, size_t first,
                 size_t end, rt::InputBatch& input, std::vector<int32_t>& parse_field,
                 std::vector<std::string>& parse_reason, std::vector<std::string>& parse_detail) {
  const rt::InputField& field = info.inputs[f];
  const std::string_view* cells = text.fields.data() + column;  // row r's cell: cells[row_begin[r]]
  auto each = [&](auto parse) {
    for (size_t r = first; r < end; ++r) {
      if (parse_field[r] >= 0) continue;
      std::string_view cell = cells[text.row_begin[r]];
      FieldError why = parse(cell, r);
      if (why != FieldError::None) {
        FailRow(info, r, int(f), RejectReason(info, why, field.name), input, parse_field, parse_reason);
        parse_detail[r] = CellDetail(info, f, cell);
      }
    }
  };
  // Integers and money, most cells of a credit file: ParseField's rules, without its dispatch.
  bool decimal = field.type.kind == Kind::Decimal && !field.percent;
  if (decimal || field.type.kind == Kind::Int) {
    rt::Column& col = input.fields[f];
    const int scale = decimal ? field.type.scale : 0;
    const int64_t limit = decimal ? rt::PolicyInfo::kDecimalLimitRaw : rt::PolicyInfo::kIntLimit;
    const bool optional = field.type.optional;
    each([&](std::string_view cell, size_t r) {
      if (cell.empty()) {
        col.valid[r] = 0;
        return optional ? FieldError::None : FieldError::Missing;
      }
      switch (rt::ParseDecimal(cell, scale, limit, &col.values[r])) {
        case rt::ParseStatus::Ok: return FieldError::None;
        case rt::ParseStatus::Unparsable: return FieldError::Unparsable;
        case rt::ParseStatus::OutOfRange: return FieldError::OutOfRange;
      }
      return FieldError::Unparsable;
    });
    return;
  }
  each([&](std::string_view cell, size_t r) { return ParseField(info, f, cell, input, r); });
}

}  // namespace

void ParseRows(const rt::PolicyInfo& info, const io::TextBatch& text, rt::InputBatch& input,
               std::vector<int32_t>& parse_field, std::vector<std::string>& parse_reason) {
  std::vector<std::string> detail;
  ParseRows(info, ColumnMap::Identity(info), text, input, parse_field, parse_reason, detail);
}

void ParseRows(const rt::PolicyInfo& info, const ColumnMap& columns, const io::TextBatch& text, rt::InputBatch& input,
               std::vector<int32_t>& parse_field, std::vector<std::string>& parse_reason,
               std::vector<std::string>& parse_detail) {
  size_t n = text.rows();
  input.Reset(info.inputs.size(), n);
  parse_field.assign(n, -1);
  parse_reason.assign(n, {});
  parse_detail.assign(n, {});
  for (size_t r = 0; r < n; ++r) {
    if (!text.error[r].empty()) {
      // A bad quote (CSV), or a line that is not a JSON object (its last cell says why).
      bool quote = text.error[r] == io::kBadQuote;
      FailRow(info, r, 0, quote ? info.rejects.Format(rt::RejectKind::BadQuote, "") : std::string(text.error[r]), input,
              parse_field, parse_reason);
      auto cells = text.row(r);
      parse_detail[r] = quote || cells.empty() ? BadQuoteDetail() : std::string(cells.back());
    } else if (size_t count = text.row_begin[r + 1] - text.row_begin[r]; count != columns.width) {
      FailRow(info, r, 0, info.rejects.Format(rt::RejectKind::FieldCount, std::to_string(count)), input,
              parse_field, parse_reason);
      parse_detail[r] = FieldCountDetail(count, columns.width);
    }
  }
  // Column by column: one parser per loop, over blocks of rows whose text stays in cache. A row
  // fails at its first bad field, as if read left to right in the policy's order: a failed row
  // is skipped by the later columns (FailRow made them missing). Field f reads the row's cell
  // columns.column_of[f] (the header's order need not be the policy's).
  constexpr size_t kBlockRows = 128;
  for (size_t first = 0; first < n; first += kBlockRows)
    for (size_t f = 0; f < info.inputs.size(); ++f)
      ParseColumn(info, f, columns.column_of[f], text, first, std::min(n, first + kBlockRows), input, parse_field,
                  parse_reason, parse_detail);
}

const std::string& ParseRejectReason(const rt::PolicyInfo& info, int32_t status, int32_t parse_field,
                                     const std::string& parse_reason) {
  // A field's own check on an earlier column is reported before the parse failure.
  const rt::RejectReason* check = status > 0 ? &info.reasons[size_t(status)] : nullptr;
  bool earlier = check && check->field >= 0 && check->field < parse_field;
  return earlier ? check->text : parse_reason;
}

}  // namespace credo::exec
