// cells.cc — the cell algebra (cells.h).
#include "compiler/check/cells.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "compiler/check/checker.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::check {

using K = rt::TableColumn::Kind;

bool ColumnKindOf(const Type& t, const std::vector<EnumInfo>& enums, ColumnModel& out) {
  out.type = t;
  switch (t.base) {
    case Base::Int:
    case Base::Decimal:
    case Base::Date: out.column.kind = K::Ordered; return true;
    case Base::Number: out.column.kind = K::Float; return true;
    case Base::String: out.column.kind = K::Strings; return true;
    case Base::Bool:
      out.column.kind = K::Direct;
      out.names = {"false", "true"};
      return true;
    case Base::Enum:
      out.column.kind = K::Direct;
      out.enum_id = t.enum_id;
      out.names = enums[t.enum_id].values;
      return true;
    default: return false;
  }
}

std::string ColumnModel::Key(const ast::BinValue& v, CellKey& out) const {
  switch (type.base) {
    case Base::Int:
    case Base::Decimal: {
      if (v.kind != ast::BinValue::Number) return "a number";
      int scale = type.is(Base::Int) ? 0 : type.scale;
      if (v.scale > scale)
        return scale == 0 ? "a whole number" : fmt::format("a number with at most {} decimals", scale);
      if (__builtin_mul_overflow(v.scaled, rt::Pow10(scale - v.scale), &out.i)) return "a smaller number";
      return "";
    }
    case Base::Number:
      if (v.kind != ast::BinValue::Number) return "a number";
      out.f = double(v.scaled) / double(rt::Pow10(v.scale));
      if (out.f == 0) out.f = 0;
      return "";
    case Base::Date: {
      if (v.kind != ast::BinValue::Date) return "a date, written date(\"YYYY-MM-DD\")";
      int y = 0, m = 0, d = 0;
      char tail;
      bool parsed = std::sscanf(v.text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && v.text.size() == 10;
      if (!parsed || m < 1 || m > 12 || d < 1 || d > rt::DaysInMonth(y, m)) return "a valid date \"YYYY-MM-DD\"";
      out.i = rt::DaysFromCivil(y, m, d);
      return "";
    }
    case Base::String:
      if (v.kind != ast::BinValue::String) return "a string in quotes";
      out.s = v.text;
      return "";
    case Base::Bool:
      if (v.kind != ast::BinValue::Bool) return "true or false";
      out.i = v.bool_value;
      return "";
    case Base::Enum: {
      if (v.kind != ast::BinValue::Name) return fmt::format("a value of {}", "the enum");
      auto it = std::find(names.begin(), names.end(), v.text);
      if (it == names.end()) return "a value of the enum";
      out.i = it - names.begin();
      return "";
    }
    default: return "a value";
  }
}

void ColumnModel::AddPoints(const CellModel& c) {
  auto add = [&](const CellKey& k) {
    if (column.kind == K::Ordered) column.points.push_back(k.i);
    if (column.kind == K::Float) column.fpoints.push_back(k.f);
    if (column.kind == K::Strings) column.strings.push_back(k.s);
  };
  if (c.kind == ast::Cell::Interval) {
    add(c.lo);
    add(c.hi);
  }
  for (auto& v : c.values) add(v);
}

void ColumnModel::Finish() {
  auto unique = [](auto& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  unique(column.points);
  unique(column.fpoints);
  unique(column.strings);
  switch (column.kind) {
    case K::Ordered: column.segments = int32_t(2 * column.points.size() + 1); break;
    case K::Float: column.segments = int32_t(2 * column.fpoints.size() + 1); break;
    case K::Strings: column.segments = int32_t(column.strings.size() + 1); break;
    case K::Direct: column.segments = int32_t(names.size()); break;
  }
  empty.assign(size_t(column.segments), false);
  for (const CellModel& b : bounds)  // values a field's `where` rejects never reach the table
    for (int32_t s = 0; s < column.segments; ++s)
      if (!Matches(b, s)) empty[size_t(s)] = true;
  if (column.kind == K::Ordered) {
    const auto& p = column.points;
    for (size_t j = 1; j < p.size(); ++j) empty[2 * j] = p[j] - p[j - 1] <= 1;  // no whole unit between
    if (type.is(Base::Date) && !p.empty()) {  // the date range ends
      empty[0] = p.front() <= rt::kMinDate;
      empty[2 * p.size()] = p.back() >= rt::kMaxDate;
    }
  }
}

int32_t ColumnModel::Position(const CellKey& k) const {
  switch (column.kind) {
    case K::Ordered: {
      auto it = std::lower_bound(column.points.begin(), column.points.end(), k.i);
      return it != column.points.end() && *it == k.i ? int32_t(2 * (it - column.points.begin()) + 1) : -1;
    }
    case K::Float: {
      auto it = std::lower_bound(column.fpoints.begin(), column.fpoints.end(), k.f);
      return it != column.fpoints.end() && *it == k.f ? int32_t(2 * (it - column.fpoints.begin()) + 1) : -1;
    }
    case K::Strings: {
      auto it = std::lower_bound(column.strings.begin(), column.strings.end(), k.s);
      return it != column.strings.end() && *it == k.s ? int32_t(it - column.strings.begin()) : -1;
    }
    case K::Direct: return int32_t(k.i);
  }
  return -1;
}

bool ColumnModel::Matches(const CellModel& c, int32_t s) const {
  bool missing = s == column.segments;
  switch (c.kind) {
    case ast::Cell::Any: return true;
    case ast::Cell::Missing: return missing;
    case ast::Cell::Present: return !missing;
    default: break;
  }
  if (missing) return false;
  switch (c.kind) {
    case ast::Cell::Interval: {
      int32_t lo = Position(c.lo), hi = Position(c.hi);
      return (c.lo_closed ? s >= lo : s > lo) && (c.hi_closed ? s <= hi : s < hi);
    }
    case ast::Cell::Compare: {
      int32_t p = Position(c.values[0]);
      switch (c.op) {
        case ast::CompareOp::Lt: return s < p;
        case ast::CompareOp::Le: return s <= p;
        case ast::CompareOp::Gt: return s > p;
        case ast::CompareOp::Ge: return s >= p;
        case ast::CompareOp::Eq: return s == p;
        case ast::CompareOp::Ne: return s != p;
      }
      return false;
    }
    case ast::Cell::Value: return s == Position(c.values[0]);
    case ast::Cell::Set: {
      bool in = false;
      for (auto& v : c.values) in |= s == Position(v);
      return in != c.negated;
    }
    default: return false;
  }
}

namespace {

std::string Raw(const Type& type, int64_t raw) {
  if (type.is(Base::Date)) {
    auto d = rt::CivilFromDays(raw);
    return fmt::format("date(\"{:04}-{:02}-{:02}\")", d.year, d.month, d.day);
  }
  if (type.is(Base::Decimal) && type.scale > 0) {
    int64_t unit = rt::Pow10(type.scale);
    uint64_t mag = raw < 0 ? uint64_t(0) - uint64_t(raw) : uint64_t(raw);
    return fmt::format("{}{}.{:0{}}", raw < 0 ? "-" : "", mag / uint64_t(unit), mag % uint64_t(unit), type.scale);
  }
  return fmt::format("{}", raw);
}

std::string Float(double d) { return fmt::format("{}", d); }

// A short number strictly between a and b (a < b).
double Between(double a, double b) {
  double mid = a + (b - a) / 2;
  for (int digits = 0; digits <= 12; ++digits) {
    double unit = std::pow(10.0, digits);
    for (double c : {std::round(mid * unit) / unit, std::floor(mid * unit) / unit, std::ceil(mid * unit) / unit})
      if (c > a && c < b) return c;
  }
  return mid;
}

}  // namespace

std::string ColumnModel::Example(int32_t s) const {
  if (s == column.segments) return "missing";
  switch (column.kind) {
    case K::Direct: return names[size_t(s)];
    case K::Strings: {
      if (s < int32_t(column.strings.size())) return fmt::format("\"{}\"", column.strings[size_t(s)]);
      std::string other = "other";
      while (std::binary_search(column.strings.begin(), column.strings.end(), other)) other += "_";
      return fmt::format("\"{}\"", other);
    }
    case K::Ordered: {
      const auto& p = column.points;
      if (p.empty()) return type.is(Base::Date) ? Raw(type, rt::DaysFromCivil(2024, 1, 1)) : Raw(type, 0);
      if (s % 2 == 1) return Raw(type, p[size_t(s / 2)]);
      size_t j = size_t(s / 2);
      if (j == 0) return Raw(type, p[0] - 1);
      return Raw(type, p[j - 1] + 1);
    }
    case K::Float: {
      const auto& p = column.fpoints;
      if (p.empty()) return "0";
      if (s % 2 == 1) return Float(p[size_t(s / 2)]);
      size_t j = size_t(s / 2);
      if (j == 0) return Float(std::floor(p[0]) < p[0] ? std::floor(p[0]) : p[0] - 1);
      if (j == p.size()) return Float(std::ceil(p.back()) > p.back() ? std::ceil(p.back()) : p.back() + 1);
      return Float(Between(p[j - 1], p[j]));
    }
  }
  return "?";
}

std::vector<int32_t> ColumnModel::Domain() const {
  std::vector<int32_t> out;
  for (int32_t s = 0; s < column.segments; ++s)
    if (!empty[size_t(s)]) out.push_back(s);
  if (type.optional) out.push_back(column.segments);
  return out;
}

}  // namespace credo::check
