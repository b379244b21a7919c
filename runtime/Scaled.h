// runtime/Scaled.h — power-of-two scaling of differences so sums of squares of any finite values stay finite.
#pragma once

#include <cfloat>
#include <algorithm>
#include <cmath>

namespace mv::rt {

/// Largest |scaled difference| kept unscaled: its square times 2^50 samples (the most a run
/// may have) times merge factors stays far below DBL_MAX (2^1024).
constexpr double kMaxScaledDiff = 0x1p400;

/// (a - b) * 2^-e for finite a, b and e >= 0 (`inv` is 2^-e), without overflow in the
/// subtraction; exactly a - b when e == 0 and that is finite.
inline double scaledDiff(double a, double b, int e, double inv) {
  const double d = (a - b) * inv;
  if (std::isfinite(d)) return d;
  return (std::ldexp(a, -e - 2) - std::ldexp(b, -e - 2)) * 4.0;  // halves cannot overflow; x4 exact
}

/// The smallest exponent e' >= e for which |a - b| * 2^-e' <= kMaxScaledDiff (a, b finite).
inline int exponentFor(double a, double b, int e) {
  const double h = std::ldexp(a, -e - 2) - std::ldexp(b, -e - 2);  // finite: |a|, |b| < 2^1024
  if (h == 0 || !std::isfinite(h)) return e;  // a non-finite value (the driver's to reject) scales nothing
  const int lg = std::ilogb(h) + e + 2;  // |a - b| in [2^lg, 2^(lg+1))
  return std::max(e, lg + 1 - 400);
}

/// c + m * 2^e, clamped to the finite range: a weighted mean of finite values is finite, so
/// an overflow here is rounding at the very edge of the range.
inline double unscaleMean(double c, double m, int e) {
  double r = e == 0 ? c + m : std::ldexp(std::ldexp(c, -e) + m, e);
  if (std::isinf(r) && std::isfinite(c) && std::isfinite(m)) r = std::copysign(DBL_MAX, r);
  return r;
}

}  // namespace mv::rt
