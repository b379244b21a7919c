// runtime/DiscreteDistributions.cpp — bernoulli, categorical, binomial, poisson: draw, logpdf, check.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"
#include "runtime/Uniform.h"

#include <cmath>

using mv::rt::detail::isInteger;
using mv::rt::detail::kNegInf;
using mv::rt::detail::lgam;

namespace {

inline double u01(mv_rt_stream* s) { return mv_rt_next_open01(s); }

inline bool isProb(double p) { return p >= 0.0 && p <= 1.0; }  // false for NaN

// Binomial by sequential inversion, for p <= 0.5 and n*p < 10 (so (1-p)^n >= e^-20 and
// the expected number of steps is small). Uses P(k) = P(k-1) * (n-k+1)/k * p/(1-p).
double binomialInversion(mv_rt_stream* s, double n, double p) {
  const double r = p / (1.0 - p);
  const double f0 = std::exp(n * std::log1p(-p));
  for (;;) {
    double u = u01(s), f = f0;
    for (double k = 0; k <= n; k += 1) {
      if (u < f) return k;
      u -= f;
      f *= r * (n - k) / (k + 1);
    }
    // Only rounding in the running sum can get here (mass ~1e-16): draw again.
  }
}

// Hörmann (1993), "The generation of binomial random variates", algorithm BTRS
// (transformed rejection with squeeze), for p <= 0.5 and n*p >= 10.
double binomialBtrs(mv_rt_stream* s, double n, double p) {
  const double q = 1.0 - p;
  const double spq = std::sqrt(n * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double vr = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const double m = std::floor((n + 1) * p);
  const double h = lgam(m + 1) + lgam(n - m + 1);
  for (;;) {
    const double u = u01(s) - 0.5;
    double v = u01(s);
    const double us = 0.5 - std::fabs(u);  // in (0, 0.5]
    const double k = std::floor((2 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = std::log(v * alpha / (a / (us * us) + b));
    if (v <= h - lgam(k + 1) - lgam(n - k + 1) + (k - m) * lpq) return k;
  }
}

// Hörmann (1993), "The transformed rejection method for generating Poisson random
// variables", algorithm PTRS, for rate >= 10.
double poissonPtrs(mv_rt_stream* s, double lam) {
  const double slam = std::sqrt(lam);
  const double loglam = std::log(lam);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = u01(s) - 0.5;
    const double v = u01(s);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + lam + 0.43);
    if (k < 0) continue;
    if (us >= 0.07 && v <= vr) return k;
    if (us < 0.013 && v > us) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -lam + k * loglam - lgam(k + 1))
      return k;
  }
}

}  // namespace

extern "C" {

// ---- bernoulli(p) ----------------------------------------------------------------------

double mv_rt_draw_bernoulli(mv_rt_stream* s, const double* p, int32_t) {
  // u01(s) < p[0], decided on the stream's bits (the same decision for every p: runtime/Uniform.h).
  return mv_rt_bernoulli_of_bits(mv_rt_next_u64(s), mv_rt_bernoulli_threshold(p[0])) ? 1.0 : 0.0;
}

double mv_rt_logpdf_bernoulli(double x, const double* p, int32_t) {
  if (x == 1.0) return std::log(p[0]);
  if (x == 0.0) return std::log1p(-p[0]);  // exact 0 at p = 0
  return kNegInf;
}

int32_t mv_rt_check_bernoulli(const double* p, int32_t n) {
  if (n < 1) return n;
  return isProb(p[0]) ? -1 : 0;
}

// ---- categorical(probs...) ---------------------------------------------------------------

double mv_rt_draw_categorical(mv_rt_stream* s, const double* p, int32_t n) {
  const double u = u01(s);
  double cum = 0.0;
  int32_t lastPositive = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (p[i] > 0) {
      cum += p[i];
      lastPositive = i;
      if (u < cum) return i;
    }
  }
  // The probabilities sum to 1 only within 1e-9 (and rounding): u fell past the last
  // partial sum, so it belongs to the last category that can occur.
  return lastPositive;
}

double mv_rt_logpdf_categorical(double x, const double* p, int32_t n) {
  if (!isInteger(x) || x < 0 || x >= n) return kNegInf;
  return std::log(p[int32_t(x)]);
}

int32_t mv_rt_check_categorical(const double* p, int32_t n) {
  if (n < 1) return n;
  double sum = 0.0;
  for (int32_t i = 0; i < n; ++i) {
    if (!(p[i] >= 0.0) || !std::isfinite(p[i])) return i;
    sum += p[i];
  }
  return std::fabs(sum - 1.0) <= 1e-9 ? -1 : n;
}

// ---- binomial(n, p) ----------------------------------------------------------------------

double mv_rt_draw_binomial(mv_rt_stream* s, const double* p, int32_t) {
  const double n = p[0], prob = p[1];
  if (n == 0 || prob == 0) return 0;
  if (prob == 1) return n;
  // Symmetry: draw the count of failures when p > 0.5, so both algorithms see p <= 0.5.
  const bool flip = prob > 0.5;
  const double q = flip ? 1.0 - prob : prob;
  const double k = n * q < 10 ? binomialInversion(s, n, q) : binomialBtrs(s, n, q);
  return flip ? n - k : k;
}

double mv_rt_logpdf_binomial(double x, const double* p, int32_t) {
  const double n = p[0], prob = p[1];
  if (!isInteger(x) || x < 0 || x > n) return kNegInf;
  // The boundaries separately: 0 * log(0) would give NaN.
  if (prob == 0) return x == 0 ? 0.0 : kNegInf;
  if (prob == 1) return x == n ? 0.0 : kNegInf;
  const double logChoose = lgam(n + 1) - lgam(x + 1) - lgam(n - x + 1);
  return logChoose + x * std::log(prob) + (n - x) * std::log1p(-prob);
}

int32_t mv_rt_check_binomial(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!isInteger(p[0]) || p[0] < 0 || p[0] >= 0x1p53) return 0;  // n < 2^53: draws are exact doubles
  if (!isProb(p[1])) return 1;
  return -1;
}

// ---- poisson(rate) -----------------------------------------------------------------------

double mv_rt_draw_poisson(mv_rt_stream* s, const double* p, int32_t) {
  const double lam = p[0];
  if (lam >= 10) return poissonPtrs(s, lam);
  // Multiplication method: the number of uniforms whose running product stays above
  // e^-lam. It always terminates (the product decreases to 0).
  const double limit = std::exp(-lam);
  double k = 0, prod = u01(s);
  while (prod > limit) {
    prod *= u01(s);
    k += 1;
  }
  return k;
}

double mv_rt_logpdf_poisson(double x, const double* p, int32_t) {
  const double lam = p[0];
  if (!isInteger(x) || x < 0) return kNegInf;
  return x * std::log(lam) - lam - lgam(x + 1);
}

int32_t mv_rt_check_poisson(const double* p, int32_t n) {
  if (n < 1) return n;
  return p[0] > 0 && p[0] < 0x1p53 ? -1 : 0;  // rate < 2^53: every draw fits an int64 exactly
}

}  // extern "C"
