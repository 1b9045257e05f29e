#include "runtime/core/math.h"

#include <cmath>
#include <limits>

namespace credo::rt {

double Math(MathFn fn, double a, double b) {
  constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
  switch (fn) {
    case MathFn::Ln: return a > 0 ? std::log(a) : kNoValue;
    case MathFn::Exp: return std::exp(a);
    case MathFn::Sqrt: return a >= 0 ? std::sqrt(a) : kNoValue;  // sqrt(-0.0) is -0.0, printed 0
    case MathFn::Pow:
      if (a == 0 && b < 0) return kNoValue;  // a pole, as a division by zero
      return std::pow(a, b);                  // NaN for a < 0 and b not whole
  }
  return kNoValue;
}

}  // namespace credo::rt
