// runtime/ContinuousDistributions.cpp — uniform, normal, lognormal, exponential, gamma, beta, laplace, student_t.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"

#include <cmath>
#include <limits>
#include <numbers>

using mv::rt::detail::kLogSqrt2Pi;
using mv::rt::detail::kNegInf;
using mv::rt::detail::lgam;
using mv::rt::detail::logStdGamma;
using mv::rt::detail::stdGamma;
using mv::rt::detail::stdNormal;

namespace {

inline double u01(mv_rt_stream* s) { return mv_rt_next_open01(s); }

constexpr double kTiny = std::numeric_limits<double>::denorm_min();

inline bool isFinite(double x) { return std::isfinite(x); }
inline bool positive(double x) { return x > 0 && std::isfinite(x); }  // false for NaN

// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", shape >= 1.
double marsagliaTsang(mv_rt_stream* s, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double z, v;
    do {
      z = stdNormal(s);
      v = 1.0 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const double u = u01(s);
    const double z2 = z * z;
    if (u < 1.0 - 0.0331 * z2 * z2) return d * v;  // squeeze
    if (std::log(u) < 0.5 * z2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

}  // namespace

namespace mv::rt::detail {

double stdNormal(mv_rt_stream* s) {
  const double u1 = u01(s), u2 = u01(s);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double stdGamma(mv_rt_stream* s, double shape) {
  if (shape >= 1) return marsagliaTsang(s, shape);
  // Gamma(a) = Gamma(a + 1) * U^(1/a) for a < 1 (Marsaglia & Tsang, section 6).
  const double g = marsagliaTsang(s, shape + 1.0);
  const double x = g * std::pow(u01(s), 1.0 / shape);
  // For tiny shapes U^(1/a) underflows with substantial probability; the true value is
  // below the smallest double, so return that rather than leave the support.
  return x > 0 ? x : kTiny;
}

double logStdGamma(mv_rt_stream* s, double shape) {
  if (shape >= 1) return std::log(marsagliaTsang(s, shape));
  const double g = marsagliaTsang(s, shape + 1.0);
  return std::log(g) + std::log(u01(s)) / shape;
}

}  // namespace mv::rt::detail

extern "C" {

// ---- uniform(a, b) on [a, b) ---------------------------------------------------------------

double mv_rt_draw_uniform(mv_rt_stream* s, const double* p, int32_t) {
  const double a = p[0], b = p[1], u = u01(s);
  const double width = b - a;
  // a*(1-u) + b*u when b - a overflows (e.g. a = -DBL_MAX, b = DBL_MAX).
  double x = std::isfinite(width) ? a + width * u : a * (1.0 - u) + b * u;
  // Rounding can land exactly on b, which is outside [a, b).
  if (x >= b) x = std::nextafter(b, a);
  return x;
}

double mv_rt_logpdf_uniform(double x, const double* p, int32_t) {
  const double a = p[0], b = p[1];
  if (!(x >= a && x < b)) return kNegInf;
  return -std::log(b - a);
}

int32_t mv_rt_check_uniform(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!isFinite(p[0])) return 0;
  if (!isFinite(p[1]) || !(p[0] < p[1])) return 1;
  return -1;
}

// ---- normal(mean, sd) ----------------------------------------------------------------------

double mv_rt_draw_normal(mv_rt_stream* s, const double* p, int32_t) {
  return p[0] + p[1] * stdNormal(s);
}

double mv_rt_logpdf_normal(double x, const double* p, int32_t) {
  const double z = (x - p[0]) / p[1];
  if (std::isnan(z)) return kNegInf;  // x is NaN
  return -0.5 * z * z - std::log(p[1]) - kLogSqrt2Pi;
}

int32_t mv_rt_check_normal(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!isFinite(p[0])) return 0;
  if (!positive(p[1])) return 1;
  return -1;
}

// ---- lognormal(mu, sigma) ------------------------------------------------------------------

double mv_rt_draw_lognormal(mv_rt_stream* s, const double* p, int32_t n) {
  return std::exp(mv_rt_draw_normal(s, p, n));
}

double mv_rt_logpdf_lognormal(double x, const double* p, int32_t n) {
  if (!(x > 0) || !std::isfinite(x)) return kNegInf;
  const double lx = std::log(x);
  return mv_rt_logpdf_normal(lx, p, n) - lx;  // Jacobian of x = exp(y)
}

int32_t mv_rt_check_lognormal(const double* p, int32_t n) { return mv_rt_check_normal(p, n); }

// ---- exponential(rate) ---------------------------------------------------------------------

double mv_rt_draw_exponential(mv_rt_stream* s, const double* p, int32_t) {
  return -std::log(u01(s)) / p[0];
}

double mv_rt_logpdf_exponential(double x, const double* p, int32_t) {
  if (!(x >= 0) || !std::isfinite(x)) return kNegInf;
  return std::log(p[0]) - p[0] * x;
}

int32_t mv_rt_check_exponential(const double* p, int32_t n) {
  if (n < 1) return n;
  return positive(p[0]) ? -1 : 0;
}

// ---- gamma(shape, rate) --------------------------------------------------------------------

double mv_rt_draw_gamma(mv_rt_stream* s, const double* p, int32_t) {
  const double x = stdGamma(s, p[0]) / p[1];
  return x > 0 ? x : kTiny;  // a huge rate can underflow the quotient
}

double mv_rt_logpdf_gamma(double x, const double* p, int32_t) {
  const double shape = p[0], rate = p[1];
  if (!(x > 0) || !std::isfinite(x)) return kNegInf;
  return shape * std::log(rate) - lgam(shape) + (shape - 1.0) * std::log(x) - rate * x;
}

int32_t mv_rt_check_gamma(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!positive(p[0])) return 0;
  if (!positive(p[1])) return 1;
  return -1;
}

// ---- beta(a, b) on (0, 1) ------------------------------------------------------------------

double mv_rt_draw_beta(mv_rt_stream* s, const double* p, int32_t) {
  // X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), in log space: for tiny shapes both
  // gammas underflow to 0 while their ratio is still well defined.
  const double lx = logStdGamma(s, p[0]);
  const double ly = logStdGamma(s, p[1]);
  double x;
  if (lx >= ly) {
    x = 1.0 / (1.0 + std::exp(ly - lx));
  } else {
    const double e = std::exp(lx - ly);  // keeps precision for x near 0
    x = e / (1.0 + e);
  }
  // Values within rounding of the bounds are clamped into the open support.
  if (x <= 0) return kTiny;
  if (x >= 1) return std::nextafter(1.0, 0.0);
  return x;
}

double mv_rt_logpdf_beta(double x, const double* p, int32_t) {
  const double a = p[0], b = p[1];
  if (!(x > 0 && x < 1)) return kNegInf;
  const double logBeta = lgam(a) + lgam(b) - lgam(a + b);
  return (a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) - logBeta;
}

int32_t mv_rt_check_beta(const double* p, int32_t n) { return mv_rt_check_gamma(p, n); }

// ---- laplace(mu, b) ------------------------------------------------------------------------

double mv_rt_draw_laplace(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF; 1 - u is exact for mv_rt_next_open01's grid, so both tails are symmetric.
  const double u = u01(s);
  if (u < 0.5) return p[0] + p[1] * std::log(2.0 * u);
  return p[0] - p[1] * std::log(2.0 * (1.0 - u));
}

double mv_rt_logpdf_laplace(double x, const double* p, int32_t) {
  const double d = std::fabs(x - p[0]);
  if (std::isnan(d) || std::isinf(d)) return kNegInf;
  return -std::log(2.0 * p[1]) - d / p[1];
}

int32_t mv_rt_check_laplace(const double* p, int32_t n) { return mv_rt_check_normal(p, n); }

// ---- student_t(nu, mu, sigma) --------------------------------------------------------------

double mv_rt_draw_student_t(mv_rt_stream* s, const double* p, int32_t) {
  const double nu = p[0];
  const double z = stdNormal(s);
  // z / sqrt(chi2 / nu), chi2 = 2 * Gamma(nu / 2, 1), in log space for small nu.
  const double logChi2 = std::log(2.0) + logStdGamma(s, 0.5 * nu);
  return p[1] + p[2] * z * std::exp(0.5 * (std::log(nu) - logChi2));
}

double mv_rt_logpdf_student_t(double x, const double* p, int32_t) {
  const double nu = p[0], mu = p[1], sigma = p[2];
  const double z = (x - mu) / sigma;
  if (std::isnan(z) || std::isinf(z)) return kNegInf;
  return lgam(0.5 * (nu + 1.0)) - lgam(0.5 * nu) - 0.5 * std::log(nu * std::numbers::pi) -
         std::log(sigma) - 0.5 * (nu + 1.0) * std::log1p(z * z / nu);
}

int32_t mv_rt_check_student_t(const double* p, int32_t n) {
  if (n < 3) return n;
  if (!positive(p[0])) return 0;
  if (!isFinite(p[1])) return 1;
  if (!positive(p[2])) return 2;
  return -1;
}

}  // extern "C"
