// math.h — ln, exp, pow and sqrt on numbers, as the language defines them (docs/language.md,
// "Built-in functions"). Both engines call these very functions (the JIT through an opaque
// helper, never an LLVM intrinsic or a vectorised libm variant), so their results are
// bit-identical: each is the C library's log / exp / pow / sqrt of the host.
#pragma once

#include <cstdint>

namespace credo::rt {

enum class MathFn : uint8_t { Ln, Exp, Pow, Sqrt };

// fn(a) (pow: a^b) for finite a, b. NaN means "no real result": the value is missing
// (ln of a ≤ 0, sqrt of a < 0, pow of a negative base to a non-integer power, pow of 0 to a
// negative power). Otherwise the C library's result, which may be ±infinity: an overflow of
// the value (exp(1000), pow(10, 400)). Defined out of line on purpose: no caller may inline,
// constant-fold or vectorise it differently.
double Math(MathFn fn, double a, double b);

}  // namespace credo::rt
