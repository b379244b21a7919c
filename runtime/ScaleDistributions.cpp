// runtime/ScaleDistributions.cpp — half_normal, cauchy, half_cauchy, logistic, weibull: draw, logpdf, check.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"

#include <cmath>
#include <limits>
#include <numbers>

using mv::rt::detail::kLogSqrt2Pi;
using mv::rt::detail::kNegInf;
using mv::rt::detail::stdNormal;

namespace {

inline double u01(mv_rt_stream* s) { return mv_rt_next_open01(s); }

constexpr double kPi = std::numbers::pi;
constexpr double kLog2 = std::numbers::ln2;
constexpr double kLogPi = 1.14472988584940017414;  // log(pi)
constexpr double kTiny = std::numeric_limits<double>::denorm_min();
constexpr double kHuge = std::numeric_limits<double>::max();

inline bool positive(double x) { return x > 0 && std::isfinite(x); }  // false for NaN

/// log(1 + z^2) without overflow for huge |z| (where it is 2 log|z| to double precision).
inline double log1pSquare(double z) {
  const double a = std::fabs(z);
  return a > 1e150 ? 2.0 * std::log(a) : std::log1p(a * a);
}

/// -1 when loc is finite and scale positive, else the first bad index.
int32_t checkLocScale(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!std::isfinite(p[0])) return 0;
  if (!positive(p[1])) return 1;
  return -1;
}

}  // namespace

extern "C" {

// ---- half_normal(sigma): |normal(0, sigma)| ----------------------------------------------

double mv_rt_draw_half_normal(mv_rt_stream* s, const double* p, int32_t) {
  return p[0] * std::fabs(stdNormal(s));
}

double mv_rt_logpdf_half_normal(double x, const double* p, int32_t) {
  if (!(x >= 0) || !std::isfinite(x)) return kNegInf;
  const double z = x / p[0];
  return kLog2 - kLogSqrt2Pi - std::log(p[0]) - 0.5 * z * z;
}

int32_t mv_rt_check_half_normal(const double* p, int32_t n) {
  if (n < 1) return n;
  return positive(p[0]) ? -1 : 0;
}

// ---- cauchy(loc, scale) ------------------------------------------------------------------

double mv_rt_draw_cauchy(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF, exact: F^-1(u) = loc + scale tan(pi (u - 1/2)); u is never 0 or 1.
  return p[0] + p[1] * std::tan(kPi * (u01(s) - 0.5));
}

double mv_rt_logpdf_cauchy(double x, const double* p, int32_t) {
  const double z = (x - p[0]) / p[1];
  if (std::isnan(z) || std::isinf(z)) return kNegInf;
  return -kLogPi - std::log(p[1]) - log1pSquare(z);
}

int32_t mv_rt_check_cauchy(const double* p, int32_t n) { return checkLocScale(p, n); }

// ---- half_cauchy(scale): |cauchy(0, scale)| ------------------------------------------------

double mv_rt_draw_half_cauchy(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF, exact: F(x) = (2 / pi) atan(x / scale).
  return p[0] * std::tan(0.5 * kPi * u01(s));
}

double mv_rt_logpdf_half_cauchy(double x, const double* p, int32_t) {
  if (!(x >= 0) || !std::isfinite(x)) return kNegInf;
  return kLog2 - kLogPi - std::log(p[0]) - log1pSquare(x / p[0]);
}

int32_t mv_rt_check_half_cauchy(const double* p, int32_t n) {
  if (n < 1) return n;
  return positive(p[0]) ? -1 : 0;
}

// ---- logistic(loc, scale) ----------------------------------------------------------------

double mv_rt_draw_logistic(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF, exact: F^-1(u) = loc + scale log(u / (1 - u)).
  const double u = u01(s);
  return p[0] + p[1] * (std::log(u) - std::log1p(-u));
}

double mv_rt_logpdf_logistic(double x, const double* p, int32_t) {
  const double z = (x - p[0]) / p[1];
  if (std::isnan(z) || std::isinf(z)) return kNegInf;
  const double a = std::fabs(z);  // the density is symmetric; exp(-|z|) never overflows
  return -a - std::log(p[1]) - 2.0 * std::log1p(std::exp(-a));
}

int32_t mv_rt_check_logistic(const double* p, int32_t n) { return checkLocScale(p, n); }

// ---- weibull(shape, scale) ----------------------------------------------------------------

double mv_rt_draw_weibull(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF, exact: F(x) = 1 - exp(-(x / scale)^shape).
  const double x = p[1] * std::pow(-std::log(u01(s)), 1.0 / p[0]);
  // Tiny or huge shapes under- or overflow the power: keep the draw a finite point of (0, inf).
  if (!(x > 0)) return kTiny;
  return x < kHuge ? x : kHuge;
}

double mv_rt_logpdf_weibull(double x, const double* p, int32_t) {
  const double k = p[0], scale = p[1];
  if (!(x >= 0) || !std::isfinite(x)) return kNegInf;
  if (x == 0) {  // the density's limit: 0 for shape > 1, 1 / scale for 1, unbounded below 1
    if (k == 1.0) return -std::log(scale);
    return k > 1.0 ? kNegInf : std::numeric_limits<double>::infinity();
  }
  const double z = x / scale;
  return std::log(k) - std::log(scale) + (k - 1.0) * std::log(z) - std::pow(z, k);
}

int32_t mv_rt_check_weibull(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!positive(p[0])) return 0;
  if (!positive(p[1])) return 1;
  return -1;
}

}  // extern "C"
