// Exact decimal semantics: parsing and printing of fixed-scale decimals, integers and doubles,
// and rounding division. These kernels define the language's numeric behaviour, so every rule
// here (accepted syntax, range limits, rounding) is part of the spec, not an implementation
// detail.
#pragma once

#include <algorithm>
#include <bit>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <climits>
#include <string>
#include <string_view>

namespace credo::rt {

enum class ParseStatus : uint8_t { Ok, Unparsable, OutOfRange };

// Parses `-?[0-9]+(\.[0-9]{1,scale})?` into value * 10^scale (scale >= 0; with scale 0 no fraction
// part is allowed). Leading zeros are fine and "-0" is 0. Anything else (empty, '+', spaces,
// exponents, separators, ".5", "5.", too many fraction digits) is Unparsable. |result| >= abs_limit
// (scaled units, > 0) is OutOfRange; arbitrarily long digit strings saturate rather than overflow.
// *out is written only on Ok.
// Inline: it runs for every numeric cell of every input file.
inline ParseStatus ParseDecimal(std::string_view text, int scale, int64_t abs_limit, int64_t* out);

// `-?[0-9]+` into an integer; |v| >= abs_limit is OutOfRange.
inline ParseStatus ParseInteger(std::string_view text, int64_t abs_limit, int64_t* out);

// `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` into the correctly rounded double. Values too large for a
// double are Unparsable (non-finite); values too small round to (signed) zero.
ParseStatus ParseNumber(std::string_view text, double* out);

// Appends value / 10^scale with exactly `scale` fraction digits: (12345, 2) -> "123.45",
// (-5, 2) -> "-0.05", (7, 0) -> "7". Any int64_t, INT64_MIN included.
void AppendDecimal(std::string& out, int64_t value, int scale);
// The same text written at `out` (room for kDecimalChars); returns its end.
constexpr size_t kDecimalChars = 24;
char* WriteDecimal(char* out, int64_t value, int scale);

// Appends the shortest text that round-trips `v`, as a plain decimal when 1e-6 <= |v| < 1e15
// (2.0 -> "2", 500000.0 -> "500000", 0.1 -> "0.1") and with an exponent outside that range
// (1e21 -> "1e+21", 1e-7 -> "1e-07"); -0.0 -> "0". `v` must be finite.
void AppendNumber(std::string& out, double v);

void AppendInteger(std::string& out, int64_t v);

enum class RoundMode : uint8_t {
  Floor,
  Ceil,
  Down,    // toward zero
  Up,      // away from zero
  HalfUp,  // nearest, ties away from zero
  HalfEven,
  HalfDown,  // nearest, ties toward zero
};

// The double x rounded to a whole number by `mode` (still a double). For HalfDown a tie is
// x − trunc(x) = ±0.5 exactly (that difference is exact in binary floating point).
double RoundDouble(double x, RoundMode mode);

// The exact quotient num / den rounded to an integer by `mode`. den != 0, any signs; the result
// must be representable (INT128_MIN / -1 is not).
__int128 DivRound(__int128 num, __int128 den, RoundMode mode);

// num / den (both > 0) in lowest terms; `fits` says whether both fit in int64.
struct ReducedRatio {
  __int128 num, den;
  bool fits;
};
inline ReducedRatio Reduce(__int128 num, __int128 den) {
  __int128 a = num, b = den;
  while (b != 0) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  num /= a;
  den /= a;
  return {num, den, num <= INT64_MAX && den <= INT64_MAX};
}

// 10^k for 0 <= k <= 18.
inline constexpr int64_t kPow10[19] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                       1000000000, 10000000000, 100000000000, 1000000000000,
                                       10000000000000, 100000000000000, 1000000000000000,
                                       10000000000000000, 100000000000000000, 1000000000000000000};
inline int64_t Pow10(int k) { return kPow10[k]; }

namespace detail {
// Appends the digits at p to acc. Overflow only sets the sticky `big` flag: the value is then
// > UINT64_MAX > any abs_limit, so acc's wrapped contents no longer matter.
inline const char* AccumulateDigits(const char* p, const char* end, uint64_t& acc, bool& big) {
  for (; p != end && static_cast<unsigned char>(*p - '0') <= 9; ++p) {
    big |= __builtin_mul_overflow(acc, 10u, &acc);
    big |= __builtin_add_overflow(acc, static_cast<unsigned>(*p - '0'), &acc);
  }
  return p;
}

// Reads the run of digits (at most 8) at p, which has 8 readable bytes, into acc; returns its
// end. SWAR: one 8-byte load, the first non-digit from a bit mask, and the digits' value in
// three multiplications (the classic 8-digit conversion).
inline const char* LeadingDigits8(const char* p, uint64_t& acc) {
  if constexpr (std::endian::native != std::endian::little) return p;
  uint64_t v;
  std::memcpy(&v, p, 8);
  const uint64_t x = v ^ 0x3030303030303030ULL;  // a digit byte becomes 0..9
  // A byte's high bit: set when it is not a digit (x >= 10). A carry out of such a byte only
  // affects later bytes, so the lowest flagged byte is exactly the first non-digit.
  const uint64_t flags = ((x + 0x7676767676767676ULL) | x) & 0x8080808080808080ULL;
  const int digits = flags ? std::countr_zero(flags) >> 3 : 8;
  if (digits == 0) return p;
  uint64_t d = x << (8 * (8 - digits));  // right-aligned; the zero bytes are leading zeros
  d = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFULL;      // pairs of digits, as 2-digit numbers
  d = (d * 100 + (d >> 16)) & 0x0000FFFF0000FFFFULL;    // groups of 4
  acc = (d * 10000 + (d >> 32)) & 0xFFFFFFFFULL;       // all 8
  return p + digits;
}
}  // namespace detail

inline ParseStatus ParseDecimal(std::string_view text, int scale, int64_t abs_limit, int64_t* out) {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool neg = p != end && *p == '-';
  p += neg;
  // Fast path, almost every cell: at most 18 digits (no overflow possible) and the scale fits.
  if (end - p <= 18 && scale <= 18) {
    uint64_t acc = 0;
    const char* q = p;
    if (end - p >= 8) q = detail::LeadingDigits8(p, acc);  // up to 8 integer digits at once
    while (q != end && static_cast<unsigned char>(*q - '0') <= 9) acc = acc * 10 + unsigned(*q++ - '0');
    int frac_digits = 0;
    if (q == p) return ParseStatus::Unparsable;
    if (q != end) {
      if (*q != '.') return ParseStatus::Unparsable;
      const char* frac = ++q;
      while (q != end && static_cast<unsigned char>(*q - '0') <= 9) acc = acc * 10 + unsigned(*q++ - '0');
      frac_digits = int(q - frac);
      if (q != end || frac_digits == 0 || frac_digits > scale) return ParseStatus::Unparsable;
    }
    int shift = scale - frac_digits;
    unsigned __int128 scaled = static_cast<unsigned __int128>(acc) * static_cast<uint64_t>(kPow10[shift]);
    if (scaled >= static_cast<uint64_t>(abs_limit)) return ParseStatus::OutOfRange;
    *out = neg ? -static_cast<int64_t>(scaled) : static_cast<int64_t>(scaled);
    return ParseStatus::Ok;
  }
  uint64_t acc = 0;
  bool big = false;
  const char* int_end = detail::AccumulateDigits(p, end, acc, big);
  if (int_end == p) return ParseStatus::Unparsable;
  int frac_digits = 0;
  if (int_end != end) {
    if (*int_end != '.') return ParseStatus::Unparsable;
    const char* frac = int_end + 1;
    const char* frac_end = detail::AccumulateDigits(frac, end, acc, big);
    frac_digits = static_cast<int>(std::min<std::ptrdiff_t>(frac_end - frac, INT32_MAX));
    if (frac_end != end || frac_digits == 0 || frac_digits > scale) return ParseStatus::Unparsable;
  }
  // Scale up in steps of at most 10^18 so scales beyond the Pow10 table still work.
  for (int k = scale - frac_digits; k > 0 && !big; k -= 18)
    big |= __builtin_mul_overflow(acc, static_cast<uint64_t>(kPow10[std::min(k, 18)]), &acc);
  if (big || acc >= static_cast<uint64_t>(abs_limit)) return ParseStatus::OutOfRange;
  *out = neg ? -static_cast<int64_t>(acc) : static_cast<int64_t>(acc);
  return ParseStatus::Ok;
}

inline ParseStatus ParseInteger(std::string_view text, int64_t abs_limit, int64_t* out) {
  return ParseDecimal(text, 0, abs_limit, out);
}

// A `percent` input: the cell is a percentage, `12.5` or `12.5%` (at most kPercentDigits
// fraction digits, one optional `%` at the end), held as the exact fraction with kPercentScale
// fraction digits: 12.5 → 0.125000 (raw 125000). |percentage| < 10^9, so |value| < 10^7.
inline constexpr int kPercentDigits = 4, kPercentScale = kPercentDigits + 2;
inline constexpr int64_t kPercentLimitRaw = 10'000'000'000'000;  // 10^9 percent at scale 4
inline ParseStatus ParsePercent(std::string_view text, int64_t* out) {
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  // The percentage at scale 4 has the same raw integer as the fraction at scale 6.
  return ParseDecimal(text, kPercentDigits, kPercentLimitRaw, out);
}

}  // namespace credo::rt
