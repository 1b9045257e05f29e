// batch.cc — credo::Batch (input columns) and Policy::evaluate(batch): what `credo run` does to
// the same rows, without CSV (exec::RunBatch: read failures, the record program, `unique` keys,
// the group pass over the whole batch), then the accepted rows' outputs and the rejects, with
// the run's reasons and the same in words.
#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>
#include <system_error>
#include <unordered_map>

#include <fmt/format.h>

#include "api/policy_impl.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/exec/batch_run.h"
#include "runtime/exec/reject_detail.h"
#include "runtime/io/csv.h"

namespace credo::v1 {

using exec::FieldError;
using rt::Kind;

struct Batch::Impl {
  std::shared_ptr<const PolicyImpl> policy;
  rt::InputBatch input;                  // the columns; strings in input.strings
  std::vector<int32_t> parse_field;      // per row: the first field that cannot be read, or -1
  std::vector<FieldError> parse_why;     // and why
  std::unordered_map<uint64_t, std::string> failed_text;  // row * fields + field → the value that failed, as text
  std::vector<std::string> first_text;   // the first field's cells as given to set_text (reject ids)
  std::vector<uint8_t> column_set;       // per field: set by a column setter
  bool by_rows = false;                  // filled by add(record)
  std::string error;

  explicit Impl(std::shared_ptr<const PolicyImpl> p) : policy(std::move(p)) { Clear(); }

  void Clear() {
    input = rt::InputBatch{};
    input.strings = std::make_shared<rt::StringArena>();
    input.fields.resize(policy->Info().inputs.size());
    parse_field.clear();
    parse_why.clear();
    failed_text.clear();
    first_text.clear();
    column_set.assign(input.fields.size(), 0);
    by_rows = false;
    error.clear();
  }
  size_t Fields() const { return input.fields.size(); }

  void RequestError(std::string message) {
    if (error.empty()) error = std::move(message);
  }

  // Field `f`'s column, `rows` long (the first column sets the batch's rows); null with a
  // request error for an unknown field or a length that differs.
  rt::Column* Column(std::string_view name, size_t rows) {
    auto f = policy->Input(name);
    if (!f) {
      RequestError(fmt::format("unknown field '{}'", name));
      return nullptr;
    }
    if (by_rows || column_set[*f]) {
      RequestError(by_rows ? fmt::format("column '{}': a batch is filled by columns or by add(record), not both", name)
                           : fmt::format("column '{}' is set twice", name));
      return nullptr;
    }
    if (input.rows == 0 && parse_field.empty()) Resize(rows);
    if (rows != input.rows) {
      RequestError(fmt::format("column '{}' has {} rows; the batch has {}", name, rows, input.rows));
      return nullptr;
    }
    column_set[*f] = 1;
    return &input.fields[*f];
  }

  void Resize(size_t rows) {
    input.rows = rows;
    for (size_t f = 0; f < Fields(); ++f) {
      input.fields[f].values.resize(rows, EmptyBits(f));
      input.fields[f].valid.resize(rows, 0);
    }
    parse_field.resize(rows, -1);
    parse_why.resize(rows, FieldError::None);
  }

  int64_t EmptyBits(size_t f) const {
    return policy->Info().inputs[f].type.kind == Kind::String ? rt::StrBits(EmptyStr()) : 0;
  }
  void Missing(size_t f, size_t r) {
    input.fields[f].values[r] = EmptyBits(f);
    input.fields[f].valid[r] = 0;
  }
  void Put(size_t f, size_t r, int64_t bits) {
    input.fields[f].values[r] = bits;
    input.fields[f].valid[r] = 1;
  }
  // Row r cannot read field f: the earliest such field of a row is the one its reject names.
  void Fail(size_t f, size_t r, FieldError why, std::string text) {
    Missing(f, r);
    failed_text[r * Fields() + f] = std::move(text);
    if (parse_field[r] < 0 || int32_t(f) < parse_field[r]) {
      parse_field[r] = int32_t(f);
      parse_why[r] = why;
    }
  }
  const std::string* FailedText(size_t f, size_t r) const {
    auto it = failed_text.find(r * Fields() + f);
    return it == failed_text.end() ? nullptr : &it->second;
  }
  // The cell of field f at row r as text, as it was given.
  std::string Cell(size_t f, size_t r) const {
    if (const std::string* failed = FailedText(f, r)) return *failed;
    const rt::Column& col = input.fields[f];
    if (!col.valid[r]) return "";
    const rt::InputField& field = policy->Info().inputs[f];
    std::string out;
    if (field.percent) rt::AppendDecimal(out, col.values[r], rt::kPercentDigits);
    else rt::AppendValue(policy->Info(), field.type, col.values[r], true, out);
    return out;
  }
  // The record's id in rejects: its first field as given (as the cell rejects.csv names a row by).
  std::string Id(size_t r) const {
    if (input.fields.empty()) return "";
    return r < first_text.size() ? first_text[r] : Cell(0, r);
  }
  const std::string& TypeText(size_t f) const { return policy->description.inputs[f].type; }
};

struct BatchAccess {
  static const Batch::Impl* Of(const Batch& b) { return b.impl_.get(); }
};

namespace {

bool Valid(std::span<const uint8_t> valid, size_t r) { return valid.empty() || valid[r]; }

}  // namespace

Batch::Batch() = default;
Batch::Batch(const Policy& policy) : impl_(std::make_unique<Impl>(PolicyAccess::Of(policy))) {}
Batch::~Batch() = default;
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;

size_t Batch::rows() const { return impl_ ? impl_->input.rows : 0; }
const std::string& Batch::error() const {
  static const std::string unbound = "the batch belongs to no policy: make it with Batch(policy)";
  return impl_ ? impl_->error : unbound;
}
void Batch::clear() {
  if (impl_) impl_->Clear();
}

Batch& Batch::set_int64(std::string_view name, std::span<const int64_t> values, std::span<const uint8_t> valid) {
  if (!impl_) return *this;
  if (!valid.empty() && valid.size() != values.size()) {
    impl_->RequestError(fmt::format("column '{}': {} values but {} validity bytes", name, values.size(), valid.size()));
    return *this;
  }
  rt::Column* col = impl_->Column(name, values.size());
  if (!col) return *this;
  size_t f = *impl_->policy->Input(name);
  const rt::InputField& field = impl_->policy->Info().inputs[f];
  Kind k = field.type.kind;
  if (k == Kind::Number || k == Kind::String || k == Kind::Codes) {
    impl_->RequestError(fmt::format("field '{}' ({}) cannot be set from int64 values", name, impl_->TypeText(f)));
    return *this;
  }
  int64_t limit = k == Kind::Int ? rt::PolicyInfo::kIntLimit
                  : field.percent ? rt::kPercentLimitRaw
                                  : rt::PolicyInfo::kDecimalLimitRaw;
  size_t enum_size = k == Kind::Enum ? impl_->policy->Info().enums[size_t(field.type.names)].values.size() : 0;
  for (size_t r = 0; r < values.size(); ++r) {
    if (!Valid(valid, r)) continue;
    int64_t v = values[r];
    FieldError why = FieldError::None;
    switch (k) {
      case Kind::Int:
      case Kind::Decimal: why = v >= limit || v <= -limit ? FieldError::OutOfRange : FieldError::None; break;
      case Kind::Date: why = rt::InDateRange(v) ? FieldError::None : FieldError::Unparsable; break;
      case Kind::Bool: why = v == 0 || v == 1 ? FieldError::None : FieldError::Unparsable; break;
      case Kind::Enum: why = v >= 0 && size_t(v) < enum_size ? FieldError::None : FieldError::Unknown; break;
      default: break;
    }
    if (why == FieldError::None) {
      impl_->Put(f, r, v);
    } else {
      std::string text;
      if (k == Kind::Decimal) rt::AppendDecimal(text, v, field.percent ? rt::kPercentDigits : field.type.scale);
      else text = std::to_string(v);
      impl_->Fail(f, r, why, std::move(text));
    }
  }
  return *this;
}

Batch& Batch::set_double(std::string_view name, std::span<const double> values, std::span<const uint8_t> valid) {
  if (!impl_) return *this;
  if (!valid.empty() && valid.size() != values.size()) {
    impl_->RequestError(fmt::format("column '{}': {} values but {} validity bytes", name, values.size(), valid.size()));
    return *this;
  }
  rt::Column* col = impl_->Column(name, values.size());
  if (!col) return *this;
  size_t f = *impl_->policy->Input(name);
  if (impl_->policy->Info().inputs[f].type.kind != Kind::Number) {  // money never goes through a double
    impl_->RequestError(fmt::format("field '{}' ({}) cannot be set from double values", name, impl_->TypeText(f)));
    return *this;
  }
  for (size_t r = 0; r < values.size(); ++r) {
    if (!Valid(valid, r)) continue;
    if (std::isfinite(values[r])) impl_->Put(f, r, std::bit_cast<int64_t>(values[r]));
    else impl_->Fail(f, r, FieldError::Unparsable, std::isnan(values[r]) ? "nan" : "inf");
  }
  return *this;
}

Batch& Batch::set_strings(std::string_view name, std::span<const std::string_view> values,
                          std::span<const uint8_t> valid) {
  if (!impl_) return *this;
  auto f = impl_->policy->Input(name);
  if (f) {
    Kind k = impl_->policy->Info().inputs[*f].type.kind;
    if (k != Kind::String && k != Kind::Enum) {
      impl_->RequestError(fmt::format("field '{}' ({}) cannot be set from strings; use set_text to read it from text",
                                      name, impl_->TypeText(*f)));
      return *this;
    }
  }
  return set_text(name, values, valid);  // for strings and enum names, the same as their text
}

Batch& Batch::set_text(std::string_view name, std::span<const std::string_view> values, std::span<const uint8_t> valid) {
  if (!impl_) return *this;
  if (!valid.empty() && valid.size() != values.size()) {
    impl_->RequestError(fmt::format("column '{}': {} values but {} validity bytes", name, values.size(), valid.size()));
    return *this;
  }
  if (!impl_->Column(name, values.size())) return *this;
  size_t f = *impl_->policy->Input(name);
  const rt::PolicyInfo& info = impl_->policy->Info();
  if (f == 0) {
    impl_->first_text.assign(values.begin(), values.end());
    for (size_t r = 0; r < values.size(); ++r)
      if (!Valid(valid, r)) impl_->first_text[r].clear();
  }
  for (size_t r = 0; r < values.size(); ++r) {
    if (!Valid(valid, r) || values[r].empty()) continue;  // missing, as an empty cell
    FieldError why = exec::ParseField(info, f, values[r], impl_->input, r);
    if (why != FieldError::None) impl_->Fail(f, r, why, std::string(values[r]));
  }
  return *this;
}

Batch& Batch::add(const Record& record) {
  if (!impl_) return *this;
  const Record::Impl* r = RecordAccess::Of(record);
  if (!r || r->policy.get() != impl_->policy.get()) {
    impl_->RequestError(fmt::format("row {}: the record was made for another policy", impl_->input.rows));
    return *this;
  }
  if (!r->error.empty()) {
    impl_->RequestError(fmt::format("row {}: {}", impl_->input.rows, r->error));
    return *this;
  }
  if (std::find(impl_->column_set.begin(), impl_->column_set.end(), 1) != impl_->column_set.end()) {
    impl_->RequestError("add(record): a batch is filled by columns or by add(record), not both");
    return *this;
  }
  impl_->by_rows = true;
  size_t row = impl_->input.rows;
  impl_->Resize(row + 1);
  const rt::PolicyInfo& info = impl_->policy->Info();
  for (size_t f = 0; f < impl_->Fields(); ++f) {
    if (r->failed[f] != FieldError::None) {
      impl_->Fail(f, row, r->failed[f], r->failed_text[f]);
    } else if (!r->valid[f]) {
      impl_->Missing(f, row);
    } else if (info.inputs[f].type.kind == Kind::String) {
      impl_->Put(f, row, rt::StrBits(impl_->input.strings->Add(rt::StrOf(r->values[f])->view())));
    } else {
      impl_->Put(f, row, r->values[f]);
    }
  }
  return *this;
}

// ---- evaluation ------------------------------------------------------------------------------------

namespace {

// The batch's columns as the run's reader (exec::RunBatch) reads them: a row fails at its first
// field that cannot be read, a required field left missing included, as a CSV row would.
class ColumnReader : public exec::RowReader {
 public:
  explicit ColumnReader(const Batch::Impl& b) : b_(b), info_(b.policy->Info()) {
    size_t n = b.input.rows;
    parse_field_ = b.parse_field;
    parse_why_ = b.parse_why;
    parse_field_.resize(n, -1);
    parse_why_.resize(n, FieldError::None);
    for (size_t r = 0; r < n; ++r) {
      size_t end = parse_field_[r] < 0 ? b.Fields() : size_t(parse_field_[r]);
      for (size_t f = 0; f < end; ++f)
        if (!b.input.fields[f].valid[r] && !info_.inputs[f].type.optional && !b.FailedText(f, r)) {
          parse_field_[r] = int32_t(f);
          parse_why_[r] = FieldError::Missing;
          break;
        }
    }
  }

  int64_t rows() const override { return int64_t(b_.input.rows); }

  // The rows' values are copied; string values keep pointing into the batch's own arena.
  void Read(int64_t first, int64_t count, exec::ReadChunk& out) const override {
    out.Reset(info_, first, size_t(count));
    for (size_t f = 0; f < b_.Fields(); ++f) {
      const rt::Column& from = b_.input.fields[f];
      std::copy_n(from.values.begin() + first, count, out.input.fields[f].values.begin());
      std::copy_n(from.valid.begin() + first, count, out.input.fields[f].valid.begin());
    }
    for (int64_t r = 0; r < count; ++r)
      if (int32_t f = parse_field_[size_t(first + r)]; f >= 0) out.Fail(info_, size_t(r), size_t(f), parse_why_[size_t(first + r)]);
  }

 private:
  const Batch::Impl& b_;
  const rt::PolicyInfo& info_;
  std::vector<int32_t> parse_field_;
  std::vector<FieldError> parse_why_;
};

void TakeColumns(const rt::PolicyInfo& info, const exec::BatchRun& run, BatchResult& out) {
  out.columns.resize(info.outputs.size());
  for (size_t o = 0; o < info.outputs.size(); ++o) {
    const rt::ValueType& type = info.state[size_t(info.outputs[o].state)];
    OutputColumnData& col = out.columns[o];
    col.name = info.outputs[o].name;
    col.kind = KindOf(type);
    col.scale = type.scale;
    if (type.kind == Kind::Enum) col.enum_values = info.enums[size_t(type.names)].values;
    size_t n = run.accepted;
    col.valid.reserve(n);
    if (type.kind == Kind::Number) col.numbers.reserve(n);
    else if (type.kind == Kind::String || type.kind == Kind::Codes) col.strings.reserve(n);
    else col.ints.reserve(n);
  }
  for (const auto& chunk : run.chunks)
    for (size_t r = 0; r < chunk.state.rows; ++r) {
      if (chunk.state.status[r] != 0) continue;
      out.input_rows.push_back(size_t(chunk.read.first) + r);
      for (size_t o = 0; o < info.outputs.size(); ++o) {
        int slot = info.outputs[o].state;
        const rt::ValueType& type = info.state[size_t(slot)];
        const rt::Column& c = chunk.state.slots[size_t(slot)];
        bool present = !type.optional || c.valid[r];
        int64_t bits = present ? c.values[r] : 0;
        OutputColumnData& col = out.columns[o];
        col.valid.push_back(present);
        if (type.kind == Kind::Number) {
          col.numbers.push_back(present ? std::bit_cast<double>(bits) : 0.0);
        } else if (type.kind == Kind::String || type.kind == Kind::Codes) {
          std::string text;
          rt::AppendValue(info, type, bits, present, text);
          col.strings.push_back(std::move(text));
        } else {
          col.ints.push_back(bits);
        }
      }
    }
}

}  // namespace

BatchResult Policy::evaluate(const Batch& batch, size_t threads) const {
  BatchResult out;
  const Batch::Impl* b = BatchAccess::Of(batch);
  if (!b) {
    out.error = batch.error();
    return out;
  }
  if (b->policy.get() != impl_.get()) {
    out.error = "the batch was made for another policy; make it with Batch(policy)";
    return out;
  }
  if (!b->error.empty()) {
    out.error = b->error;
    return out;
  }
  constexpr size_t kMaxThreads = 256;
  if (threads > kMaxThreads) {
    out.error = fmt::format("threads must be at most {} (got {})", kMaxThreads, threads);
    return out;
  }
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // What `credo run` does to the same rows: read failures, the record program, `unique` keys,
  // the group pass over the whole batch (exec::RunBatch, shared with the C ABI).
  ColumnReader reader(*b);
  exec::BatchRun run;
  try {
    run = exec::RunBatch(*impl_->evaluator, reader, threads);
  } catch (const std::system_error& e) {
    out.error = fmt::format("cannot start the worker threads: {}", e.what());
    return out;
  }
  const rt::PolicyInfo& info = impl_->Info();
  auto cell = [&](size_t field, int64_t row) { return b->Cell(field, size_t(row)); };
  for (const auto& rj : run.rejects)
    out.rejects.push_back({size_t(rj.row), b->Id(size_t(rj.row)), rj.reason, exec::BatchRejectDetail(info, run, rj, cell),
                           rj.field >= 0 ? info.inputs[size_t(rj.field)].name : ""});
  TakeColumns(info, run, out);
  return out;
}

// ---- results -------------------------------------------------------------------------------------

Value OutputColumnData::get(size_t row) const {
  if (row >= valid.size() || !valid[row]) return Missing{};
  switch (kind) {
    case ValueKind::boolean: return ints[row] != 0;
    case ValueKind::integer: return ints[row];
    case ValueKind::number: return numbers[row];
    case ValueKind::decimal: return Decimal{ints[row], scale};
    case ValueKind::string: return strings[row];
    case ValueKind::date: return Date{int32_t(ints[row])};
    case ValueKind::enumeration:
      if (ints[row] < 0 || size_t(ints[row]) >= enum_values.size()) return Missing{};
      return Enum{enum_values[size_t(ints[row])], int(ints[row])};
    case ValueKind::codes: {
      Codes codes;
      const std::string& text = strings[row];
      for (size_t at = 0; at < text.size();) {
        size_t end = std::min(text.find(';', at), text.size());
        codes.codes.push_back(text.substr(at, end - at));
        at = end + 1;
      }
      return codes;
    }
    case ValueKind::missing: break;
  }
  return Missing{};
}

std::string BatchResult::to_csv() const {
  std::string csv;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (c) csv += ',';
    io::AppendCsvField(csv, columns[c].name);
  }
  csv += '\n';
  for (size_t r = 0; r < rows(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c) csv += ',';
      io::AppendCsvField(csv, columns[c].get(r).to_string());
    }
    csv += '\n';
  }
  return csv;
}

}  // namespace credo::v1
