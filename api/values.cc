// values.cc — the API's value types (Decimal, Date, Value) and their text, written exactly as
// `credo run` writes a cell.
#include <bit>
#include <charconv>
#include <cmath>

#include "api/policy_impl.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"

namespace credo::v1 {

std::optional<Decimal> Decimal::parse(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  if (fraction.size() > 18) return std::nullopt;
  int64_t units = 0;
  // ParseDecimal reads exactly `-?[0-9]+(\.[0-9]{1,scale})?`; the scale is the digits written.
  if (rt::ParseDecimal(text, int(fraction.size()), INT64_MAX, &units) != rt::ParseStatus::Ok) return std::nullopt;
  return Decimal{units, int(fraction.size())};
}

std::string Decimal::to_string() const {
  std::string out;
  rt::AppendDecimal(out, units, scale);
  return out;
}

double Decimal::to_double() const {
  double d = 0;
  std::string text = to_string();
  std::from_chars(text.data(), text.data() + text.size(), d);  // correctly rounded
  return d;
}

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (year < rt::kMinYear || year > rt::kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > rt::DaysInMonth(year, month))
    return std::nullopt;
  return Date{int32_t(rt::DaysFromCivil(year, month, day))};
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (int i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  return from_ymd(parts[0], parts[1], parts[2]);
}

std::string Date::to_string() const {
  std::string out;
  if (rt::InDateRange(days)) rt::AppendDate(out, days);
  return out;
}

std::string Value::to_string() const {
  struct Text {
    std::string operator()(Missing) const { return ""; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      std::string out;
      if (std::isfinite(v)) rt::AppendNumber(out, v);
      return out;
    }
    std::string operator()(const Decimal& d) const { return d.to_string(); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const Date& d) const { return d.to_string(); }
    std::string operator()(const Enum& e) const { return e.name; }
    std::string operator()(const Codes& c) const {
      std::string out;
      for (const auto& code : c.codes) out += (out.empty() ? "" : ";") + code;
      return out;
    }
  };
  return std::visit(Text{}, as_variant());
}

ValueKind KindOf(const rt::ValueType& type) {
  switch (type.kind) {
    case rt::Kind::Bool: return ValueKind::boolean;
    case rt::Kind::Int: return ValueKind::integer;
    case rt::Kind::Number: return ValueKind::number;
    case rt::Kind::Decimal: return ValueKind::decimal;
    case rt::Kind::String: return ValueKind::string;
    case rt::Kind::Date: return ValueKind::date;
    case rt::Kind::Enum: return ValueKind::enumeration;
    case rt::Kind::Codes: return ValueKind::codes;
  }
  return ValueKind::missing;
}

Value ToValue(const rt::PolicyInfo& info, const rt::ValueType& type, int64_t bits, bool present, std::string_view text) {
  if (!present) return Missing{};
  switch (type.kind) {
    case rt::Kind::Bool: return bits != 0;
    case rt::Kind::Int: return bits;
    case rt::Kind::Number: return std::bit_cast<double>(bits);
    case rt::Kind::Decimal: return Decimal{bits, type.scale};
    case rt::Kind::String: return std::string(text.data() ? text : rt::StrOf(bits)->view());
    case rt::Kind::Date: return Date{int32_t(bits)};
    case rt::Kind::Enum: {
      const auto& values = info.enums[size_t(type.names)].values;
      if (bits < 0 || size_t(bits) >= values.size()) return Missing{};
      return Enum{values[size_t(bits)], int(bits)};
    }
    case rt::Kind::Codes: {
      std::string joined;
      rt::AppendCodes(info.code_sets[size_t(type.names)], uint64_t(bits), type.ranked, ";", joined);
      Codes codes;
      for (size_t at = 0; at < joined.size();) {
        size_t end = std::min(joined.find(';', at), joined.size());
        codes.codes.push_back(joined.substr(at, end - at));
        at = end + 1;
      }
      return codes;
    }
  }
  return Missing{};
}

}  // namespace credo::v1
