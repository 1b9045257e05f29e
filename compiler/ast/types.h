// types.h — the types of credo values, shared by the checker (which infers them), lowering
// and the tools that print them.
#pragma once

#include <cstdint>
#include <string>

namespace credo {

enum class Base : uint8_t {
  Error,    // an earlier error; never reported again
  Bool,
  Int,      // 64-bit, overflow is a per-record error
  Number,   // IEEE double, for ratios
  Decimal,  // exact: a 64-bit integer scaled by 10^scale; `money` is Decimal with scale 2
  String,
  Date,     // a calendar day
  Enum,     // an author-declared enum; enum_id says which
  Codes,    // an ordered set of codes (warnings, fired rules), printed joined by ';'
  Missing,  // the type of the literal `missing`: fits any optional type
};

struct Type {
  Base base = Base::Error;
  int8_t scale = 0;       // Decimal only
  bool optional = false;  // may be missing
  int16_t enum_id = -1;   // Enum: which enum; Codes: the symbol whose codes the list holds, -1 unknown
  bool money = false;     // Decimal(2) declared `money`, or kept an amount by + and - (for money × money)

  static Type Of(Base b, bool optional = false) { return {b, 0, optional, -1}; }
  static Type Dec(int scale, bool optional = false) {
    return {Base::Decimal, static_cast<int8_t>(scale), optional, -1};
  }
  static Type EnumOf(int id, bool optional = false) {
    return {Base::Enum, 0, optional, static_cast<int16_t>(id)};
  }
  Type Optional(bool o = true) const { Type t = *this; t.optional = o; return t; }
  Type Required() const { return Optional(false); }
  bool is(Base b) const { return base == b; }
  bool is_exact() const { return base == Base::Int || base == Base::Decimal; }
  bool is_numeric() const { return is_exact() || base == Base::Number; }
  bool error() const { return base == Base::Error; }
  bool same_value_type(const Type& o) const {
    return base == o.base && scale == o.scale && enum_id == o.enum_id;
  }
};

}  // namespace credo
