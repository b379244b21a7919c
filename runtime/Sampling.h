// runtime/Sampling.h — private numeric helpers shared by the distribution files (not part of the ABI).
#pragma once

#include "runtime/Runtime.h"

#include <cmath>
#include <limits>

namespace mv::rt::detail {

/// log|Gamma(x)|, thread-safe (std::lgamma writes the global signgam).
inline double lgam(double x) {
  int sign;
  return lgamma_r(x, &sign);
}

/// True for finite integral values.
inline bool isInteger(double x) { return std::isfinite(x) && std::floor(x) == x; }

inline constexpr double kNegInf = -std::numeric_limits<double>::infinity();
inline constexpr double kLogSqrt2Pi = 0.91893853320467274178;  // 0.5 * log(2 pi)

/// A standard normal by Box–Muller from two fresh uniforms (no cached partner value, so
/// each draw depends only on its own stream position).
double stdNormal(mv_rt_stream* s);
/// A Gamma(shape, 1) draw, shape > 0; never 0 (an underflowing draw is clamped to the
/// smallest positive double so the support (0, inf) holds).
double stdGamma(mv_rt_stream* s, double shape);
/// log of a Gamma(shape, 1) draw, computed without underflow for tiny shapes.
double logStdGamma(mv_rt_stream* s, double shape);

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), a > 0, each
/// computed on its own side (runtime/SpecialFunctions.cpp), to about 1e-15 relative.
double gammaP(double a, double x);
double gammaQ(double a, double x);
/// The regularized incomplete beta function I_x(a, b), a, b > 0.
double betaI(double a, double b, double x);

}  // namespace mv::rt::detail
