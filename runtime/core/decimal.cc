#include "runtime/core/decimal.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace credo::rt {
namespace {

bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

const char* SkipDigits(const char* p, const char* end) {
  while (p != end && IsDigit(*p)) ++p;
  return p;
}

// Whether a syntactically valid number that from_chars rejected as out of range lies below the
// smallest subnormal (rounds to zero) rather than above DBL_MAX: compares the decimal exponent
// of its leading significant digit with zero. Only runs on that rare error path.
bool Underflows(std::string_view text) {
  size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    const char* p = text.data() + e + 1;
    bool neg = *p == '-';
    p += *p == '-' || *p == '+';
    for (; p != text.data() + text.size(); ++p) {
      exponent = std::min<int64_t>(exponent * 10 + (*p - '0'), int64_t{1} << 40);
    }
    if (neg) exponent = -exponent;
  }
  size_t dot = std::min(mantissa.find('.'), mantissa.size());
  size_t lead = mantissa.find_first_of("123456789");  // exists: zero never fails to parse
  int64_t order =
      lead < dot ? static_cast<int64_t>(dot - lead - 1) : -static_cast<int64_t>(lead - dot);
  return order + exponent < 0;
}

}  // namespace


ParseStatus ParseNumber(std::string_view text, double* out) {
  // Validate our stricter grammar first: from_chars also takes "inf", "nan", ".5", "5." and
  // stops silently at trailing junk.
  const char* p = text.data();
  const char* end = p + text.size();
  const char* digits = p + (p != end && *p == '-');
  const char* q = SkipDigits(digits, end);
  if (q == digits) return ParseStatus::Unparsable;
  if (q != end && *q == '.') {
    const char* frac = q + 1;
    q = SkipDigits(frac, end);
    if (q == frac) return ParseStatus::Unparsable;
  }
  if (q != end && (*q == 'e' || *q == 'E')) {
    const char* exp = q + 1;
    exp += exp != end && (*exp == '+' || *exp == '-');
    q = SkipDigits(exp, end);
    if (q == exp) return ParseStatus::Unparsable;
  }
  if (q != end) return ParseStatus::Unparsable;

  double v;
  std::from_chars_result r = std::from_chars(p, end, v);
  if (r.ec == std::errc{} && std::isfinite(v)) {
    *out = v;
    return ParseStatus::Ok;
  }
  if (r.ec == std::errc::result_out_of_range && Underflows(text)) {
    *out = digits != p ? -0.0 : 0.0;
    return ParseStatus::Ok;
  }
  return ParseStatus::Unparsable;
}

char* WriteDecimal(char* out, int64_t value, int scale) {
  // Unsigned magnitude: negating INT64_MIN as int64_t would overflow.
  uint64_t mag = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  char digits[20];
  const int n = static_cast<int>(std::to_chars(digits, digits + sizeof digits, mag).ptr - digits);
  if (value < 0) *out++ = '-';
  if (n > scale) {
    out = std::copy(digits, digits + n - scale, out);
  } else {
    *out++ = '0';
  }
  if (scale == 0) return out;
  *out++ = '.';
  const int frac = std::min(n, scale);
  out = std::fill_n(out, scale - frac, '0');
  return std::copy(digits + n - frac, digits + n, out);
}

void AppendDecimal(std::string& out, int64_t value, int scale) {
  char text[kDecimalChars];
  out.append(text, WriteDecimal(text, value, scale));
}

void AppendNumber(std::string& out, double v) {
  if (v == 0) v = 0;  // -0.0 prints as "0"
  // Plain decimals where people read them ("500000", "0.0001"), exponents only at the extremes;
  // always the shortest digits that round-trip.
  double magnitude = std::fabs(v);
  bool plain = v == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  char buf[48];  // fixed form in that range: at most 1 + 15 + 1 + 23 chars
  auto format = plain ? std::chars_format::fixed : std::chars_format::general;
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v, format).ptr);
}

void AppendInteger(std::string& out, int64_t v) {
  char buf[20];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

__int128 DivRound(__int128 num, __int128 den, RoundMode mode) {
  // Truncated toward zero; r has the sign of num. In 64 bits when the operands fit: a 128-bit
  // division is a library call several times slower.
  const bool narrow = num == int64_t(num) && den == int64_t(den) && !(num == INT64_MIN && den == -1);
  const __int128 q = narrow ? int64_t(num) / int64_t(den) : num / den;
  const __int128 r = narrow ? int64_t(num) % int64_t(den) : num % den;
  if (r == 0) return q;
  const bool neg = (num < 0) != (den < 0);
  const __int128 away = neg ? q - 1 : q + 1;
  switch (mode) {
    case RoundMode::Floor:
      return neg ? away : q;
    case RoundMode::Ceil:
      return neg ? q : away;
    case RoundMode::Down:
      return q;
    case RoundMode::Up:
      return away;
    case RoundMode::HalfUp:
    case RoundMode::HalfDown:
    case RoundMode::HalfEven: {
      // Compare |r| with |den| - |r| rather than 2|r| with |den|, which could overflow.
      using U = unsigned __int128;
      const U abs_r = r < 0 ? 0 - static_cast<U>(r) : static_cast<U>(r);
      const U abs_den = den < 0 ? 0 - static_cast<U>(den) : static_cast<U>(den);
      const U rest = abs_den - abs_r;
      if (abs_r != rest) return abs_r > rest ? away : q;
      if (mode == RoundMode::HalfDown) return q;
      return mode == RoundMode::HalfUp || (q & 1) != 0 ? away : q;
    }
  }
  return q;
}

double RoundDouble(double x, RoundMode mode) {
  switch (mode) {
    case RoundMode::Floor: return std::floor(x);
    case RoundMode::Ceil: return std::ceil(x);
    case RoundMode::Down: return std::trunc(x);
    case RoundMode::Up: return x < 0 ? std::floor(x) : std::ceil(x);
    case RoundMode::HalfUp: return std::round(x);
    case RoundMode::HalfEven: return std::nearbyint(x);
    case RoundMode::HalfDown: return std::fabs(x - std::trunc(x)) == 0.5 ? std::trunc(x) : std::round(x);
  }
  return x;
}

}  // namespace credo::rt
