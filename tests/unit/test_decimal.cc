#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "runtime/core/decimal.h"

using namespace credo::rt;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Parses with scale/limit and returns the value; fails the test unless the status is Ok.
int64_t Dec(std::string_view text, int scale, int64_t limit = kMax) {
  int64_t v = 0;
  INFO("text: \"" << std::string(text) << "\" scale " << scale);
  REQUIRE(ParseDecimal(text, scale, limit, &v) == ParseStatus::Ok);
  return v;
}

ParseStatus DecStatus(std::string_view text, int scale, int64_t limit = kMax) {
  int64_t v = 12345;
  ParseStatus s = ParseDecimal(text, scale, limit, &v);
  if (s != ParseStatus::Ok) CHECK(v == 12345);  // *out untouched on failure
  return s;
}

std::string FmtDec(int64_t v, int scale) {
  std::string s = "prefix:";
  AppendDecimal(s, v, scale);
  return s.substr(7);
}

std::string FmtNum(double v) {
  std::string s;
  AppendNumber(s, v);
  return s;
}

ParseStatus NumStatus(std::string_view text, double* v = nullptr) {
  double tmp;
  return ParseNumber(text, v ? v : &tmp);
}

// Shortest printing must read back bit-identical.
void CheckRoundTrip(double v) {
  std::string s = FmtNum(v);
  double back = -1;
  INFO(s);
  REQUIRE(ParseNumber(s, &back) == ParseStatus::Ok);
  CHECK(std::memcmp(&back, &v, sizeof v) == 0);
}

}  // namespace

TEST_CASE("ParseDecimal accepts the canonical syntax", "[decimal]") {
  CHECK(Dec("0", 2) == 0);
  CHECK(Dec("123", 2) == 12300);
  CHECK(Dec("123.4", 2) == 12340);
  CHECK(Dec("123.45", 2) == 12345);
  CHECK(Dec("-123.45", 2) == -12345);
  CHECK(Dec("-0.05", 2) == -5);
  CHECK(Dec("0.05", 2) == 5);
  CHECK(Dec("007", 2) == 700);
  CHECK(Dec("007.00", 2) == 700);
  CHECK(Dec("-0", 2) == 0);
  CHECK(Dec("-0.00", 2) == 0);
  CHECK(Dec("-0", 0) == 0);
  CHECK(Dec("42", 0) == 42);
  CHECK(Dec("1.000001", 6) == 1000001);
  CHECK(Dec("0.000000000000000001", 18) == 1);
}

TEST_CASE("ParseDecimal rejects everything else as Unparsable", "[decimal]") {
  for (const char* bad : {"",     "-",     "+1",  " 1",  "1 ",   "1,000", "1e3",  "1E3",   ".5",
                          "-.5",  "5.",    "-5.", "NaN", "nan",  "inf",   "-inf", "1.2.3", "--1",
                          "0x10", "1_000", "12a", "a12", "1.2-", "\t1",   "1\n",  "１"}) {
    INFO("text: \"" << bad << "\"");
    CHECK(DecStatus(bad, 2) == ParseStatus::Unparsable);
  }
  // Too many fraction digits for the scale, including scale 0 (no fraction at all).
  CHECK(DecStatus("1.234", 2) == ParseStatus::Unparsable);
  CHECK(DecStatus("1.000", 2) == ParseStatus::Unparsable);
  CHECK(DecStatus("1.0", 0) == ParseStatus::Unparsable);
  CHECK(DecStatus("1.", 0) == ParseStatus::Unparsable);
  // Syntax errors win over range errors.
  CHECK(DecStatus("99999999999999999999999999x", 2) == ParseStatus::Unparsable);
}

TEST_CASE("ParseDecimal range limits", "[decimal]") {
  const int64_t e15 = Pow10(15);
  CHECK(Dec("999999999999999", 0, e15) == e15 - 1);
  CHECK(Dec("-999999999999999", 0, e15) == -(e15 - 1));
  CHECK(DecStatus("1000000000000000", 0, e15) == ParseStatus::OutOfRange);
  CHECK(DecStatus("-1000000000000000", 0, e15) == ParseStatus::OutOfRange);
  // The limit is in scaled units.
  CHECK(Dec("9999999999999.99", 2, e15) == e15 - 1);
  CHECK(DecStatus("10000000000000.00", 2, e15) == ParseStatus::OutOfRange);
  CHECK(DecStatus("10000000000000", 2, e15) == ParseStatus::OutOfRange);
  // Leading zeros do not count against the range.
  CHECK(Dec("0000000000000000000000000000000000000001", 2, e15) == 100);
  // Full int64 range: INT64_MAX itself is >= any limit, one below passes.
  CHECK(Dec("9223372036854775806", 0) == kMax - 1);
  CHECK(DecStatus("9223372036854775807", 0) == ParseStatus::OutOfRange);
  CHECK(DecStatus("-9223372036854775808", 0) == ParseStatus::OutOfRange);
  CHECK(DecStatus("18446744073709551615", 0) == ParseStatus::OutOfRange);  // UINT64_MAX
  CHECK(DecStatus("18446744073709551616", 0) == ParseStatus::OutOfRange);  // wraps to 0
  CHECK(DecStatus("92233720368547758.07", 2) == ParseStatus::OutOfRange);
  CHECK(Dec("92233720368547758.06", 2) == kMax - 1);
  // Overflow while scaling up, not just while reading digits.
  CHECK(Dec("1", 18) == Pow10(18));
  CHECK(DecStatus("10", 18) == ParseStatus::OutOfRange);
  CHECK(DecStatus("1", 19) == ParseStatus::OutOfRange);
  CHECK(Dec("0.0000000000000000001", 19) == 1);
  CHECK(DecStatus("0", 40) == ParseStatus::Ok);
  CHECK(DecStatus("1", 40) == ParseStatus::OutOfRange);
  // Very long digit strings saturate instead of overflowing.
  const std::string forty(40, '9');
  CHECK(DecStatus(forty, 0) == ParseStatus::OutOfRange);
  CHECK(DecStatus("-" + forty, 2) == ParseStatus::OutOfRange);
  CHECK(DecStatus(forty + ".99", 2) == ParseStatus::OutOfRange);
  CHECK(DecStatus(std::string(100000, '7'), 2) == ParseStatus::OutOfRange);
  CHECK(DecStatus("1." + std::string(40, '0'), 2) == ParseStatus::Unparsable);
}

// A plain reference parser: digit by digit in 128-bit arithmetic.
ParseStatus ReferenceDecimal(const std::string& text, int scale, int64_t limit, int64_t* out) {
  size_t i = 0;
  bool neg = i < text.size() && text[i] == '-';
  i += neg;
  size_t int_begin = i;
  __int128 acc = 0;
  bool big = false;
  auto digit = [&](char c) { return c >= '0' && c <= '9'; };
  for (; i < text.size() && digit(text[i]); ++i) acc = std::min<__int128>(acc * 10 + (text[i] - '0'), __int128(1) << 100), big |= acc >= (__int128(1) << 100);
  if (i == int_begin) return ParseStatus::Unparsable;
  int frac = 0;
  if (i < text.size()) {
    if (text[i++] != '.') return ParseStatus::Unparsable;
    for (; i < text.size() && digit(text[i]); ++i, ++frac) acc = std::min<__int128>(acc * 10 + (text[i] - '0'), __int128(1) << 100);
    if (i < text.size() || frac == 0 || frac > scale) return ParseStatus::Unparsable;
  }
  for (int k = frac; k < scale && acc < (__int128(1) << 100); ++k) acc *= 10;
  if (big || acc >= limit) return ParseStatus::OutOfRange;
  *out = int64_t(neg ? -acc : acc);
  return ParseStatus::Ok;
}

TEST_CASE("ParseDecimal agrees with a digit-by-digit reference on random cells", "[decimal]") {
  // Cells of every length up to and past the 18-character fast path, with a separator or a stray
  // character at every position.
  uint64_t state = 20261123;
  auto next = [&](uint64_t n) { state = state * 6364136223846793005ull + 1442695040888963407ull; return (state >> 33) % n; };
  const char alphabet[] = "0123456789012345678901234567890123456789.-x/ :";
  for (int k = 0; k < 200000; ++k) {
    std::string text;
    size_t length = next(24);
    for (size_t i = 0; i < length; ++i) text += alphabet[next(sizeof alphabet - 1)];
    int scale = int(next(5));
    int64_t limit = next(2) ? kMax : Pow10(13) * Pow10(scale);
    int64_t got = 0, want = 0;
    ParseStatus a = ParseDecimal(text, scale, limit, &got), b = ReferenceDecimal(text, scale, limit, &want);
    INFO("text \"" << text << "\" scale " << scale);
    REQUIRE(a == b);
    if (a == ParseStatus::Ok) REQUIRE(got == want);
  }
}

TEST_CASE("ParseInteger", "[decimal]") {
  int64_t v = 0;
  CHECK(ParseInteger("0", 10, &v) == ParseStatus::Ok);
  CHECK(v == 0);
  CHECK(ParseInteger("-9", 10, &v) == ParseStatus::Ok);
  CHECK(v == -9);
  CHECK(ParseInteger("0009", 10, &v) == ParseStatus::Ok);
  CHECK(v == 9);
  CHECK(ParseInteger("10", 10, &v) == ParseStatus::OutOfRange);
  CHECK(ParseInteger("-10", 10, &v) == ParseStatus::OutOfRange);
  CHECK(ParseInteger(std::string(40, '1'), kMax, &v) == ParseStatus::OutOfRange);
  for (const char* bad : {"", "-", "+1", "1.0", "1.", ".1", "1e2", " 1", "1,0", "NaN"}) {
    INFO(bad);
    CHECK(ParseInteger(bad, kMax, &v) == ParseStatus::Unparsable);
  }
}

TEST_CASE("ParseNumber", "[decimal]") {
  double v = 0;
  CHECK(NumStatus("0.1", &v) == ParseStatus::Ok);
  CHECK(v == 0.1);
  CHECK(NumStatus("-2.5", &v) == ParseStatus::Ok);
  CHECK(v == -2.5);
  CHECK(NumStatus("007", &v) == ParseStatus::Ok);
  CHECK(v == 7);
  CHECK(NumStatus("1e3", &v) == ParseStatus::Ok);
  CHECK(v == 1000);
  CHECK(NumStatus("1E+3", &v) == ParseStatus::Ok);
  CHECK(v == 1000);
  CHECK(NumStatus("1.5e-3", &v) == ParseStatus::Ok);
  CHECK(v == 0.0015);
  CHECK(NumStatus("-0", &v) == ParseStatus::Ok);
  CHECK(v == 0);
  CHECK(NumStatus("0.1000000000000000055511151231257827", &v) == ParseStatus::Ok);
  CHECK(v == 0.1);
  // Correct rounding at the boundary between two doubles (2^53 + 1 is a tie, to even).
  CHECK(NumStatus("9007199254740993", &v) == ParseStatus::Ok);
  CHECK(v == 9007199254740992.0);
  CHECK(NumStatus("1.7976931348623157e308", &v) == ParseStatus::Ok);
  CHECK(v == std::numeric_limits<double>::max());
  // Below the smallest subnormal: rounds to a zero of the right sign.
  CHECK(NumStatus("1e-400", &v) == ParseStatus::Ok);
  CHECK((v == 0 && !std::signbit(v)));
  CHECK(NumStatus("-0.0000001e-320", &v) == ParseStatus::Ok);
  CHECK((v == 0 && std::signbit(v)));
  CHECK(NumStatus("4.9e-324", &v) == ParseStatus::Ok);
  CHECK(v == std::numeric_limits<double>::denorm_min());
  // Too large to be finite.
  CHECK(NumStatus("1e400") == ParseStatus::Unparsable);
  CHECK(NumStatus("-1.8e308") == ParseStatus::Unparsable);
  CHECK(NumStatus("1" + std::string(400, '0')) == ParseStatus::Unparsable);
  CHECK(NumStatus("1e99999999999999999999999") == ParseStatus::Unparsable);
  CHECK(NumStatus("0e99999999999999999999999") == ParseStatus::Ok);
  for (const char* bad :
       {"",         "-",  "+1",  " 1",  "1 ", ".5",   "5.",    "1,000", "NaN", "nan", "inf", "-inf",
        "infinity", "1e", "1e+", "1e-", "e5", "1.e5", "1e5.0", "0x1p3", "1d",  "1f",  "--1"}) {
    INFO("text: \"" << bad << "\"");
    CHECK(NumStatus(bad) == ParseStatus::Unparsable);
  }
}

TEST_CASE("AppendDecimal", "[decimal]") {
  CHECK(FmtDec(12345, 2) == "123.45");
  CHECK(FmtDec(-12345, 2) == "-123.45");
  CHECK(FmtDec(-5, 2) == "-0.05");
  CHECK(FmtDec(5, 2) == "0.05");
  CHECK(FmtDec(50, 2) == "0.50");
  CHECK(FmtDec(0, 2) == "0.00");
  CHECK(FmtDec(100, 2) == "1.00");
  CHECK(FmtDec(7, 0) == "7");
  CHECK(FmtDec(-7, 0) == "-7");
  CHECK(FmtDec(0, 0) == "0");
  CHECK(FmtDec(1, 6) == "0.000001");
  CHECK(FmtDec(kMax, 0) == "9223372036854775807");
  CHECK(FmtDec(kMin, 0) == "-9223372036854775808");
  CHECK(FmtDec(kMin, 2) == "-92233720368547758.08");
  CHECK(FmtDec(kMin, 18) == "-9.223372036854775808");
  CHECK(FmtDec(kMin, 19) == "-0.9223372036854775808");
  CHECK(FmtDec(kMax, 20) == "0.09223372036854775807");
  CHECK(FmtDec(-1, 20) == "-0.00000000000000000001");
  // Format then parse is the identity.
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{99}, int64_t{-100},
                    int64_t{123456789}, kMax - 1, kMin + 2}) {
    for (int scale : {0, 1, 2, 6}) {
      CHECK(Dec(FmtDec(v, scale), scale) == v);
    }
  }
}

TEST_CASE("AppendNumber prints the shortest round-trip form", "[decimal]") {
  CHECK(FmtNum(0.1) == "0.1");
  CHECK(FmtNum(2.0) == "2");
  CHECK(FmtNum(-2.0) == "-2");
  CHECK(FmtNum(0.0) == "0");
  CHECK(FmtNum(-0.0) == "0");
  CHECK(FmtNum(1e-7) == "1e-07");
  CHECK(FmtNum(1e21) == "1e+21");
  CHECK(FmtNum(123456.75) == "123456.75");
  CHECK(FmtNum(0.1 + 0.2) == "0.30000000000000004");
  CHECK(FmtNum(500000.0) == "500000");
  CHECK(FmtNum(0.000001) == "0.000001");
  CHECK(FmtNum(999999999999999.9) == "999999999999999.9");
  CHECK(FmtNum(1e15) == "1e+15");
  for (double v : {0.1, 500000.0, 0.000001, 123.456, 1e14 + 0.5, 0.1234567890123, 1e-7, 2.0, 1e21, 1.0 / 3, -2.0 / 3, 1e300, 123456789012345680000.0,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
                   -std::numeric_limits<double>::denorm_min()}) {
    CheckRoundTrip(v);
  }
}

TEST_CASE("AppendInteger", "[decimal]") {
  std::string s;
  AppendInteger(s, 0);
  s += ',';
  AppendInteger(s, -42);
  s += ',';
  AppendInteger(s, kMin);
  s += ',';
  AppendInteger(s, kMax);
  CHECK(s == "0,-42,-9223372036854775808,9223372036854775807");
}

TEST_CASE("Pow10", "[decimal]") {
  int64_t p = 1;
  for (int k = 0; k <= 18; ++k) {
    CHECK(Pow10(k) == p);
    if (k < 18) p *= 10;
  }
  CHECK(Pow10(18) == 1000000000000000000);
}

TEST_CASE("DivRound in every mode and sign combination", "[decimal]") {
  using M = RoundMode;
  struct Case {
    __int128 num, den;
    int64_t floor, ceil, down, up, half_up, half_even;
  };
  // Quotients 2.5, 3.5 (exact halves, even and odd), 2.4, 2.6, 3 (exact), 0.5, 0.4, 0.
  const Case cases[] = {
      {5, 2, 2, 3, 2, 3, 3, 2},  {7, 2, 3, 4, 3, 4, 4, 4}, {12, 5, 2, 3, 2, 3, 2, 2},
      {13, 5, 2, 3, 2, 3, 3, 3}, {9, 3, 3, 3, 3, 3, 3, 3}, {1, 2, 0, 1, 0, 1, 1, 0},
      {2, 5, 0, 1, 0, 1, 0, 0},  {0, 7, 0, 0, 0, 0, 0, 0}, {3, 2, 1, 2, 1, 2, 2, 2},
      {1, 3, 0, 1, 0, 1, 0, 0},
  };
  for (const Case& c : cases) {
    // The same magnitude under all four sign combinations: negating the quotient mirrors the
    // table (floor <-> -ceil, the symmetric modes just negate).
    for (int sn : {1, -1}) {
      for (int sd : {1, -1}) {
        const __int128 num = c.num * sn, den = c.den * sd;
        const bool neg = sn * sd < 0;
        INFO("num " << static_cast<int64_t>(num) << " den " << static_cast<int64_t>(den));
        const int64_t s = neg ? -1 : 1;
        CHECK(DivRound(num, den, M::Floor) == (neg ? -c.ceil : c.floor));
        CHECK(DivRound(num, den, M::Ceil) == (neg ? -c.floor : c.ceil));
        CHECK(DivRound(num, den, M::Down) == s * c.down);
        CHECK(DivRound(num, den, M::Up) == s * c.up);
        CHECK(DivRound(num, den, M::HalfUp) == s * c.half_up);
        CHECK(DivRound(num, den, M::HalfEven) == s * c.half_even);
      }
    }
  }
}

TEST_CASE("DivRound near the limits of __int128", "[decimal]") {
  using M = RoundMode;
  const __int128 max = static_cast<__int128>(~static_cast<unsigned __int128>(0) >> 1);
  const __int128 min = -max - 1;
  // Remainder larger than half of a huge divisor: 2|r| would overflow.
  CHECK(DivRound(max - 1, max, M::HalfUp) == 1);
  CHECK(DivRound(max - 1, max, M::HalfEven) == 1);
  CHECK(DivRound(1, max, M::HalfUp) == 0);
  CHECK(DivRound(min, max, M::Down) == -1);
  CHECK(DivRound(min, max, M::Floor) == -2);
  CHECK(DivRound(min + 1, min, M::HalfUp) == 1);
  CHECK(DivRound(max, min, M::HalfEven) == -1);
  CHECK(DivRound(min / 2, min, M::HalfEven) == 0);  // exactly 0.5 -> even
  CHECK(DivRound(min / 2, min, M::HalfUp) == 1);
  CHECK(DivRound(min, 1, M::Ceil) == min);
  // (2^127 - 1) / 2 = 2^126 - 0.5: a tie between an odd and an even quotient.
  CHECK(DivRound(max, 2, M::HalfEven) == max / 2 + 1);
  CHECK(DivRound(max, 2, M::HalfUp) == max / 2 + 1);
  CHECK(DivRound(max - 2, 2, M::HalfEven) == max / 2 - 1);
}

TEST_CASE("DivRound and RoundDouble: half_down and the other modes on ties and non-ties", "[decimal]") {
  using M = RoundMode;
  // 5 / 2 = 2.5, -5 / 2 = -2.5, 13 / 5 = 2.6, -12 / 5 = -2.4 (docs/language.md, the MODE table)
  struct Case {
    __int128 num, den;
    double x;
    int64_t half_up, half_even, half_down, floor, ceil, down, up;
  } cases[] = {
      {5, 2, 2.5, 3, 2, 2, 2, 3, 2, 3},
      {-5, 2, -2.5, -3, -2, -2, -3, -2, -2, -3},
      {13, 5, 2.6, 3, 3, 3, 2, 3, 2, 3},
      {-12, 5, -2.4, -2, -2, -2, -3, -2, -2, -3},
      {7, 2, 3.5, 4, 4, 3, 3, 4, 3, 4},
      {-7, 2, -3.5, -4, -4, -3, -4, -3, -3, -4},
      {4, 2, 2.0, 2, 2, 2, 2, 2, 2, 2},
  };
  for (const auto& c : cases) {
    INFO("x = " << c.x);
    CHECK(DivRound(c.num, c.den, M::HalfUp) == c.half_up);
    CHECK(DivRound(c.num, c.den, M::HalfEven) == c.half_even);
    CHECK(DivRound(c.num, c.den, M::HalfDown) == c.half_down);
    CHECK(DivRound(c.num, c.den, M::Floor) == c.floor);
    CHECK(DivRound(c.num, c.den, M::Ceil) == c.ceil);
    CHECK(DivRound(c.num, c.den, M::Down) == c.down);
    CHECK(DivRound(c.num, c.den, M::Up) == c.up);
    CHECK(RoundDouble(c.x, M::HalfUp) == double(c.half_up));
    CHECK(RoundDouble(c.x, M::HalfEven) == double(c.half_even));
    CHECK(RoundDouble(c.x, M::HalfDown) == double(c.half_down));
    CHECK(RoundDouble(c.x, M::Floor) == double(c.floor));
    CHECK(RoundDouble(c.x, M::Ceil) == double(c.ceil));
    CHECK(RoundDouble(c.x, M::Down) == double(c.down));
    CHECK(RoundDouble(c.x, M::Up) == double(c.up));
  }
  // The tie of half_down is exact: the double just above 2.5 rounds up.
  CHECK(RoundDouble(std::nextafter(2.5, 3.0), M::HalfDown) == 3.0);
  CHECK(RoundDouble(std::nextafter(-2.5, -3.0), M::HalfDown) == -3.0);
  CHECK(DivRound(__int128(25000000000000001), __int128(10000000000000000), M::HalfDown) == 3);
}
