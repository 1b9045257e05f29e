// digits.h — integers and fixed-scale decimals as text, fast: two digits at a time from a
// 200-byte table, the digit count from the bit length. The output formatter writes every number
// cell with these, so they must print exactly what rt::AppendInteger / rt::WriteDecimal print
// (decimal.h, the reference, which the unit tests compare them with).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace credo::rt::digits {

inline constexpr char kPairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// 10^k for 0 <= k <= 19 (every power that fits in uint64_t).
inline constexpr uint64_t kPow10[20] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
                                        10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
                                        100000000000ULL, 1000000000000ULL, 10000000000000ULL,
                                        100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
                                        100000000000000000ULL, 1000000000000000000ULL,
                                        10000000000000000000ULL};

// Decimal digits of v (1 for 0): log10 estimated from the bit length (1233/4096 ~ log10 2),
// then corrected by one comparison.
inline int Count(uint64_t v) {
  const int bits = 64 - std::countl_zero(v | 1);
  const int guess = (bits * 1233) >> 12;  // the digits are guess or guess + 1
  return guess + 1 - ((v | 1) < kPow10[guess]);  // v | 1: 0 has one digit
}

// Writes the last `width` digits of v right-aligned in [out, out + width), with leading zeros.
inline void WritePadded(char* out, uint64_t v, int width) {
  char* p = out + width;
  for (; width >= 2; width -= 2) {
    const uint64_t q = v / 100;
    p -= 2;
    std::memcpy(p, kPairs + 2 * (v - 100 * q), 2);
    v = q;
  }
  if (width) *out = char('0' + v % 10);
}

// v in decimal (no leading zeros; "0" for 0); returns the end. Room for 20 bytes.
inline char* WriteUnsigned(char* out, uint64_t v) {
  char* const end = out + Count(v);
  char* p = end;
  for (; v >= 100; p -= 2) {
    const uint64_t q = v / 100;
    std::memcpy(p - 2, kPairs + 2 * (v - 100 * q), 2);
    v = q;
  }
  if (v >= 10) std::memcpy(p - 2, kPairs + 2 * v, 2);
  else p[-1] = char('0' + v);
  return end;
}

// As rt::AppendInteger: "-42", "-9223372036854775808". Room for 20 bytes.
inline char* WriteInteger(char* out, int64_t value) {
  // Unsigned magnitude: negating INT64_MIN as int64_t would overflow.
  const uint64_t mag = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
  *out = '-';
  return WriteUnsigned(out + (value < 0), mag);
}

// Bytes WriteDecimal may write for `scale`: a sign, 19 integer digits and the point, or
// "-0." and `scale` fraction digits.
inline constexpr int DecimalBytes(int scale) { return scale + 3 > 21 ? scale + 3 : 21; }

// As rt::WriteDecimal: value / 10^scale with exactly `scale` fraction digits (scale >= 0),
// (12345, 2) -> "123.45", (-5, 2) -> "-0.05". Room for DecimalBytes(scale); returns the end.
inline char* WriteDecimal(char* out, int64_t value, int scale) {
  const uint64_t mag = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
  *out = '-';
  out += value < 0;
  if (scale == 0) return WriteUnsigned(out, mag);
  // Every magnitude is below 10^19, so from scale 19 on the whole part is 0.
  const uint64_t unit = scale < 20 ? kPow10[scale] : 0;
  out = WriteUnsigned(out, unit ? mag / unit : 0);
  *out++ = '.';
  WritePadded(out, unit ? mag % unit : mag, scale);
  return out + scale;
}

}  // namespace credo::rt::digits
