#include "runtime/exec/reject_detail.h"

#include <algorithm>

#include <fmt/format.h>

#include "runtime/core/text.h"
#include "runtime/exec/header_check.h"

namespace credo::exec {
namespace {

using rt::Kind;

// The number of digits after the 1 of a power of ten: the `N` of 10^N.
constexpr int Exponent(int64_t power_of_ten) { return power_of_ten < 10 ? 0 : 1 + Exponent(power_of_ten / 10); }

}  // namespace

std::string Quoted(std::string_view text) {
  std::string shown = ShownName(text);
  std::string out = "\"";
  for (char c : shown) out += c == '"' ? std::string("\\\"") : std::string(1, c);
  return out + "\"";
}

std::string ExpectedText(const rt::PolicyInfo& info, const rt::InputField& field, bool empty) {
  if (empty) return fmt::format("a value: {} is not optional (its type has no `?`)", field.name);
  const rt::ValueType& t = field.type;
  switch (t.kind) {
    case Kind::String: return "text";
    case Kind::Int: return fmt::format("a whole number, e.g. 42, of magnitude below {}", rt::PolicyInfo::kIntLimit);
    case Kind::Number: return "a number, e.g. 0.25";
    case Kind::Bool: return "a truth value: true/false, yes/no, Y/N or 1/0";
    case Kind::Date: return "a date as YYYY-MM-DD";
    case Kind::Decimal:
      if (field.percent) return "a percentage, e.g. 12.5%";
      return fmt::format("a number with at most {} decimals, of magnitude below 10^{}", t.scale,
                         Exponent(rt::PolicyInfo::kDecimalLimitRaw) - t.scale);
    case Kind::Enum: {
      std::string list;
      for (const auto& v : info.enums[size_t(t.names)].values) list += (list.empty() ? "" : ", ") + v;
      return "one of: " + list;
    }
    case Kind::Codes: break;
  }
  return "a value of its type";
}

std::string CellDetail(const rt::PolicyInfo& info, size_t field, std::string_view text) {
  const rt::InputField& f = info.inputs[field];
  if (text.empty()) return fmt::format("{}: empty, but it is not optional (its type has no `?`)", f.name);
  return fmt::format("{}: {} is not {}", f.name, Quoted(text), ExpectedText(info, f, false));
}

std::string RuleDetail(const rt::PolicyInfo& info, int32_t status, const rt::InputBatch& input, size_t row) {
  const rt::RejectReason& why = info.reasons[size_t(status)];
  if (why.field < 0) return why.rule;
  const rt::Column& col = input.fields[size_t(why.field)];
  return RuleDetail(info, status, col.values[row], col.valid[row] != 0);
}

std::string RuleDetail(const rt::PolicyInfo& info, int32_t status, int64_t bits, bool present) {
  const rt::RejectReason& why = info.reasons[size_t(status)];
  if (why.field < 0) return why.rule;
  const rt::InputField& f = info.inputs[size_t(why.field)];
  std::string value;
  rt::AppendValue(info, f.type, bits, present, value);
  if (!present) value = "missing";
  else if (f.type.kind == Kind::String) value = Quoted(value);
  return fmt::format("{}: {} fails {}", f.name, value, why.rule);
}

std::string DuplicateDetail(const rt::PolicyInfo& info, size_t field, std::string_view value, int64_t first_line) {
  return DuplicateDetail(info, field, value, fmt::format("line {}", first_line));
}

std::string DuplicateDetail(const rt::PolicyInfo& info, size_t field, std::string_view value, std::string_view where) {
  return fmt::format("{}: {} was already accepted on {}", info.inputs[field].name, Quoted(value), where);
}

std::string BatchRejectDetail(const rt::PolicyInfo& info, const BatchRun& run, const BatchReject& reject,
                              const std::function<std::string(size_t field, int64_t row)>& cell) {
  // The chunk that holds the row (chunks are in row order).
  auto after = std::upper_bound(run.chunks.begin(), run.chunks.end(), reject.row,
                                [](int64_t row, const BatchRun::Chunk& c) { return row < c.read.first; });
  if (after == run.chunks.begin()) return "";
  const ReadChunk& read = std::prev(after)->read;
  size_t r = size_t(reject.row - read.first);
  if (r >= read.input.rows) return "";
  if (int32_t f = read.fail_field[r]; f >= 0 && reject.reason == read.fail_reason[r])
    return CellDetail(info, size_t(f), cell(size_t(f), reject.row));
  if (reject.first_row >= 0)
    return DuplicateDetail(info, size_t(reject.field), cell(size_t(reject.field), reject.row),
                           fmt::format("row {}", reject.first_row));
  for (size_t k = 1; k < info.reasons.size(); ++k)
    if (info.reasons[k].text == reject.reason && info.reasons[k].field == reject.field)
      return RuleDetail(info, int32_t(k), read.input, r);
  return "";
}

std::string FieldCountDetail(size_t cells, size_t expected) {
  return fmt::format("the row has {} cell{}; the header has {}", cells, cells == 1 ? "" : "s", expected);
}

std::string BadQuoteDetail() {
  return "a quoted cell must end with a quote right before the next comma or the line end";
}

}  // namespace credo::exec
