// record.cc — credo::Record: a record's fields set one by one, held as the engines read them
// (value bits and validity per field), so that evaluating it copies one word per field. Typed values are checked as the
// same CSV cell would be (limits, scales, enum values); text goes through the runner's ParseField.
#include <bit>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "api/policy_impl.h"
#include "compiler/base/spelling.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/io/csv.h"

namespace credo::v1 {
namespace {

using exec::FieldError;
using rt::Kind;

constexpr int64_t kPow10[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
                                1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000};

// `units` at `scale` as units at `target` >= scale; false when it leaves the decimal inputs' range.
bool Rescale(int64_t units, int scale, int target, int64_t* raw) {
  if (target - scale > 18) return units == 0 && ((*raw = 0), true);
  if (__builtin_mul_overflow(units, kPow10[target - scale], raw)) return false;
  return *raw < rt::PolicyInfo::kDecimalLimitRaw && *raw > -rt::PolicyInfo::kDecimalLimitRaw;
}

}  // namespace

Record::Impl::Impl(std::shared_ptr<const PolicyImpl> p) : policy(std::move(p)) {
  const rt::PolicyInfo& info = policy->Info();
  size_t n = info.inputs.size();
  values.assign(n, 0);
  valid.assign(n, 0);
  failed.assign(n, FieldError::None);
  failed_text.assign(n, "");
  string_at.assign(n, kNoString);
  Clear();
}

void Record::Impl::Clear() {
  const rt::PolicyInfo& info = policy->Info();
  for (size_t f = 0; f < values.size(); ++f) {
    valid[f] = 0;
    values[f] = info.inputs[f].type.kind == Kind::String ? rt::StrBits(EmptyStr()) : 0;
    failed[f] = FieldError::None;
    string_at[f] = kNoString;
  }
  strings.clear();
  error.clear();
  error_field.clear();
}

void Record::Impl::Fail(size_t f, FieldError why, std::string text) {
  failed[f] = why;
  failed_text[f] = std::move(text);
  valid[f] = 0;
}

void Record::Impl::RequestError(std::string field, std::string message) {
  if (!error.empty()) return;  // the first one is reported
  error = std::move(message);
  error_field = std::move(field);
}

void Record::Impl::Repoint() {
  for (size_t f = 0; f < string_at.size(); ++f)
    if (string_at[f] != kNoString) values[f] = rt::StrBits(reinterpret_cast<const rt::Str*>(&strings[string_at[f]]));
}

void Record::Impl::SetString(size_t f, std::string_view text) {
  const rt::InputField& field = policy->Info().inputs[f];
  failed[f] = FieldError::None;
  string_at[f] = kNoString;
  if (text.empty()) {  // as an empty CSV cell: missing
    valid[f] = 0;
    values[f] = field.type.kind == Kind::String ? rt::StrBits(EmptyStr()) : 0;
    return;
  }
  if (field.type.kind == Kind::Enum) {
    const auto& names = policy->Info().enums[size_t(field.type.names)].values;
    for (size_t v = 0; v < names.size(); ++v)
      if (names[v] == text) {
        values[f] = int64_t(v);
        valid[f] = 1;
        return;
      }
    Fail(f, FieldError::Unknown, std::string(text));
    return;
  }
  // A Str record: its size, then the bytes, with at least kReadableBytes readable, in whole words.
  size_t words = (sizeof(uint32_t) + std::max(text.size(), rt::Str::kReadableBytes) + 7) / 8;
  const uint64_t* before = strings.data();
  size_t at = strings.size();
  strings.resize(at + words, 0);
  auto* s = reinterpret_cast<rt::Str*>(&strings[at]);
  s->size = uint32_t(text.size());
  std::memcpy(s->data, text.data(), text.size());
  string_at[f] = uint32_t(at);
  valid[f] = 1;
  if (strings.data() != before) Repoint();
  else values[f] = rt::StrBits(s);
}

void Record::Impl::SetText(size_t f, std::string_view text) {
  const rt::InputField& field = policy->Info().inputs[f];
  if (text.empty() || field.type.kind == Kind::String) return SetString(f, text);
  string_at[f] = kNoString;
  // ParseField reads into a batch; a one-row one per thread (it touches only column f, and no
  // strings for a field that is not a string).
  thread_local rt::InputBatch cell;
  if (cell.fields.size() <= f) {
    cell.fields.resize(f + 1);
    for (auto& c : cell.fields) c.Resize(1);
  }
  FieldError why = exec::ParseField(policy->Info(), f, text, cell, 0);
  if (why != FieldError::None) return Fail(f, why, std::string(text));
  failed[f] = FieldError::None;
  values[f] = cell.fields[f].values[0];
  valid[f] = cell.fields[f].valid[0];
}

std::string Record::Impl::Cell(size_t f) const {
  if (failed[f] != FieldError::None) return failed_text[f];
  if (!valid[f]) return "";
  const rt::InputField& field = policy->Info().inputs[f];
  std::string out;
  if (field.percent) rt::AppendDecimal(out, values[f], rt::kPercentDigits);  // the percentage
  else rt::AppendValue(policy->Info(), field.type, values[f], true, out);
  return out;
}

int Record::Impl::FirstFailure(FieldError& why) const {
  const rt::PolicyInfo& info = policy->Info();
  for (size_t f = 0; f < failed.size(); ++f) {
    if (failed[f] != FieldError::None) {
      why = failed[f];
      return int(f);
    }
    if (!valid[f] && !info.inputs[f].type.optional) {
      why = FieldError::Missing;
      return int(f);
    }
  }
  why = FieldError::None;
  return -1;
}

std::string RecordCsv(const Record::Impl& r) {
  const rt::PolicyInfo& info = r.policy->Info();
  std::string csv;
  for (size_t f = 0; f < info.inputs.size(); ++f) {
    if (f) csv += ',';
    io::AppendCsvField(csv, info.inputs[f].name);
  }
  csv += '\n';
  for (size_t f = 0; f < info.inputs.size(); ++f) {
    if (f) csv += ',';
    io::AppendCsvField(csv, r.Cell(f));
  }
  csv += '\n';
  return csv;
}

// ---- Record ------------------------------------------------------------------------------------

namespace {

const char* WhatOf(const Value& v) {
  static const char* const names[] = {"missing", "a bool", "an integer", "a double", "a decimal", "a string",
                                      "a date", "an enum value", "a code list"};
  return names[v.index()];
}

// The field's type as the policy writes it, for messages.
const std::string& TypeOf(const PolicyImpl& p, size_t f) { return p.description.inputs[f].type; }

}  // namespace

Record::Record() = default;
Record::~Record() = default;
Record::Record(std::shared_ptr<const PolicyImpl> policy) : impl_(std::make_unique<Impl>(std::move(policy))) {}
Record::Record(const Record& other) : impl_(other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr) {
  if (impl_) impl_->Repoint();
}
Record::Record(Record&&) noexcept = default;
Record& Record::operator=(const Record& other) {
  if (this != &other) {
    impl_ = other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr;
    if (impl_) impl_->Repoint();
  }
  return *this;
}
Record& Record::operator=(Record&&) noexcept = default;

void Record::clear() {
  if (impl_) impl_->Clear();
}

const std::string& Record::error() const {
  static const std::string none, unbound = "the record belongs to no policy: make it with Policy::record()";
  return impl_ ? impl_->error : unbound;
}

std::string Record::to_csv() const { return impl_ ? RecordCsv(*impl_) : ""; }

namespace {

// The index of the field named `name`, or nullopt with a request error naming it (and the
// nearest name, for a typo).
std::optional<size_t> Resolve(Record::Impl* r, std::string_view name) {
  if (!r) return std::nullopt;
  if (auto index = r->policy->Input(name)) return index;
  std::vector<std::string> names;
  for (const auto& in : r->policy->description.inputs) names.push_back(in.name);
  int near = Closest(name, names, std::max<size_t>(2, name.size() / 3) + 1);
  r->RequestError(std::string(name), fmt::format("unknown field '{}'{}", name,
                                                 near >= 0 ? fmt::format(" (did you mean '{}'?)", names[size_t(near)]) : ""));
  return std::nullopt;
}

// Field `f` of the record, or null with a request error for an index the policy has no field for.
const rt::InputField* Target(Record::Impl* r, size_t f) {
  if (!r) return nullptr;
  if (f < r->values.size()) return &r->policy->Info().inputs[f];
  r->RequestError("", fmt::format("no field #{}: the policy has {} fields", f, r->values.size()));
  return nullptr;
}

void WrongType(Record::Impl& r, size_t f, const char* what) {
  const std::string& name = r.policy->Info().inputs[f].name;
  r.RequestError(name, fmt::format("field '{}' ({}) cannot be set from {}", name, TypeOf(*r.policy, f), what));
}

void Put(Record::Impl& r, size_t f, int64_t bits) {
  r.failed[f] = exec::FieldError::None;
  r.string_at[f] = Record::Impl::kNoString;
  r.values[f] = bits;
  r.valid[f] = 1;
}

}  // namespace

Record& Record::set(std::string_view field, const Decimal& v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, int64_t v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, double v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, bool v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, const Date& v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, std::string_view v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set(std::string_view field, Missing v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}
Record& Record::set_text(std::string_view field, std::string_view text) {
  if (auto f = Resolve(impl_.get(), field)) set_text(*f, text);
  return *this;
}
Record& Record::set(std::string_view field, const Value& v) {
  if (auto f = Resolve(impl_.get(), field)) set(*f, v);
  return *this;
}

Record& Record::set(size_t f, const Value& v) {
  if (!Target(impl_.get(), f)) return *this;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) set(f, std::string_view(x));
        else if constexpr (std::is_same_v<T, Enum>) set(f, std::string_view(x.name));
        else if constexpr (std::is_same_v<T, Codes>) WrongType(*impl_, f, WhatOf(v));
        else set(f, x);
      },
      v.as_variant());
  return *this;
}

Record& Record::set(size_t f, const Decimal& v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  int64_t raw;
  switch (field->type.kind) {
    case Kind::Decimal:
      if (field->percent || v.scale < 0 || v.scale > 18) return set_text(f, v.to_string());
      if (v.scale > field->type.scale) impl_->Fail(f, FieldError::Unparsable, v.to_string());  // as "1.234" for money
      else if (!Rescale(v.units, v.scale, field->type.scale, &raw)) impl_->Fail(f, FieldError::OutOfRange, v.to_string());
      else Put(*impl_, f, raw);
      return *this;
    case Kind::Int:
    case Kind::Number: return set_text(f, v.to_string());  // read as the cell: "5" is an int, "5.0" is not
    default: WrongType(*impl_, f, "a decimal"); return *this;
  }
}

Record& Record::set(size_t f, int64_t v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  int64_t raw;
  switch (field->type.kind) {
    case Kind::Int:
      if (v >= rt::PolicyInfo::kIntLimit || v <= -rt::PolicyInfo::kIntLimit) impl_->Fail(f, FieldError::OutOfRange, std::to_string(v));
      else Put(*impl_, f, v);
      return *this;
    case Kind::Decimal:
      if (field->percent) return set_text(f, std::to_string(v));
      if (!Rescale(v, 0, field->type.scale, &raw)) impl_->Fail(f, FieldError::OutOfRange, std::to_string(v));
      else Put(*impl_, f, raw);
      return *this;
    case Kind::Number: return set_text(f, std::to_string(v));  // correctly rounded, as the cell
    default: WrongType(*impl_, f, "an integer"); return *this;
  }
}

Record& Record::set(size_t f, double v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  if (field->type.kind != Kind::Number) WrongType(*impl_, f, "a double");  // money never goes through a double
  else if (!std::isfinite(v)) impl_->Fail(f, FieldError::Unparsable, std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
  else Put(*impl_, f, std::bit_cast<int64_t>(v));
  return *this;
}

Record& Record::set(size_t f, bool v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  if (field->type.kind != Kind::Bool) WrongType(*impl_, f, "a bool");
  else Put(*impl_, f, v ? 1 : 0);
  return *this;
}

Record& Record::set(size_t f, const Date& v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  if (field->type.kind != Kind::Date) WrongType(*impl_, f, "a date");
  else if (!rt::InDateRange(v.days)) impl_->Fail(f, FieldError::Unparsable, fmt::format("{} days after 1970-01-01", v.days));
  else Put(*impl_, f, v.days);
  return *this;
}

Record& Record::set(size_t f, std::string_view v) {
  const rt::InputField* field = Target(impl_.get(), f);
  if (!field) return *this;
  if (field->type.kind != Kind::String && field->type.kind != Kind::Enum) WrongType(*impl_, f, "a string");
  else impl_->SetString(f, v);
  return *this;
}

Record& Record::set(size_t f, Missing) {
  if (Target(impl_.get(), f)) impl_->SetString(f, "");
  return *this;
}

Record& Record::set_text(size_t f, std::string_view text) {
  if (Target(impl_.get(), f)) impl_->SetText(f, text);
  return *this;
}

Record Policy::record() const { return RecordAccess::Make(impl_); }

}  // namespace credo::v1
