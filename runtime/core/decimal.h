// Exact decimal semantics: parsing and printing of fixed-scale decimals, integers and doubles,
// and rounding division. These kernels define the language's numeric behaviour, so every rule
// here (accepted syntax, range limits, rounding) is part of the spec, not an implementation
// detail.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace credo::rt {

enum class ParseStatus : uint8_t { Ok, Unparsable, OutOfRange };

// Parses `-?[0-9]+(\.[0-9]{1,scale})?` into value * 10^scale (scale >= 0; with scale 0 no fraction
// part is allowed). Leading zeros are fine and "-0" is 0. Anything else (empty, '+', spaces,
// exponents, separators, ".5", "5.", too many fraction digits) is Unparsable. |result| >= abs_limit
// (scaled units, > 0) is OutOfRange; arbitrarily long digit strings saturate rather than overflow.
// *out is written only on Ok.
ParseStatus ParseDecimal(std::string_view text, int scale, int64_t abs_limit, int64_t* out);

// `-?[0-9]+` into an integer; |v| >= abs_limit is OutOfRange.
ParseStatus ParseInteger(std::string_view text, int64_t abs_limit, int64_t* out);

// `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` into the correctly rounded double. Values too large for a
// double are Unparsable (non-finite); values too small round to (signed) zero.
ParseStatus ParseNumber(std::string_view text, double* out);

// Appends value / 10^scale with exactly `scale` fraction digits: (12345, 2) -> "123.45",
// (-5, 2) -> "-0.05", (7, 0) -> "7". Any int64_t, INT64_MIN included.
void AppendDecimal(std::string& out, int64_t value, int scale);

// Appends the shortest text that round-trips `v` (std::to_chars): 2.0 -> "2", 0.1 -> "0.1",
// 1e21 -> "1e+21", 1e-7 -> "1e-07"; -0.0 -> "0". `v` must be finite.
void AppendNumber(std::string& out, double v);

void AppendInteger(std::string& out, int64_t v);

enum class RoundMode : uint8_t {
  Floor,
  Ceil,
  Down,    // toward zero
  Up,      // away from zero
  HalfUp,  // nearest, ties away from zero
  HalfEven,
};

// The exact quotient num / den rounded to an integer by `mode`. den != 0, any signs; the result
// must be representable (INT128_MIN / -1 is not).
__int128 DivRound(__int128 num, __int128 den, RoundMode mode);

// 10^k for 0 <= k <= 18.
int64_t Pow10(int k);

}  // namespace credo::rt
