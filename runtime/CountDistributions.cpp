// runtime/CountDistributions.cpp — geometric, negative_binomial, categorical_logits: draw, logpdf, check.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"

#include <cmath>

using mv::rt::detail::isInteger;
using mv::rt::detail::kNegInf;
using mv::rt::detail::lgam;
using mv::rt::detail::stdGamma;

namespace {

inline double u01(mv_rt_stream* s) { return mv_rt_next_open01(s); }

inline bool isSuccessProb(double p) { return p > 0.0 && p <= 1.0; }  // false for NaN

/// The largest of l[0..n), n >= 1.
double maxOf(const double* l, int32_t n) {
  double m = l[0];
  for (int32_t i = 1; i < n; ++i) m = l[i] > m ? l[i] : m;
  return m;
}

}  // namespace

extern "C" {

// ---- geometric(p): failures before the first success ------------------------------------

double mv_rt_draw_geometric(mv_rt_stream* s, const double* p, int32_t) {
  // Inverse CDF, exact: P(K >= k) = (1 - p)^k, so floor(log U / log(1 - p)) is geometric.
  if (p[0] == 1.0) return 0;
  return std::floor(std::log(u01(s)) / std::log1p(-p[0]));
}

double mv_rt_logpdf_geometric(double x, const double* p, int32_t) {
  if (!isInteger(x) || x < 0) return kNegInf;
  if (p[0] == 1.0) return x == 0 ? 0.0 : kNegInf;  // 0 * log(0) would give NaN
  return std::log(p[0]) + x * std::log1p(-p[0]);
}

int32_t mv_rt_check_geometric(const double* p, int32_t n) {
  if (n < 1) return n;
  return isSuccessProb(p[0]) ? -1 : 0;
}

// ---- negative_binomial(r, p): failures before the r-th success ---------------------------

double mv_rt_draw_negative_binomial(mv_rt_stream* s, const double* p, int32_t) {
  // The gamma-Poisson mixture, exact: K | L ~ Poisson(L), L ~ Gamma(r, rate p / (1 - p)).
  const double r = p[0], prob = p[1];
  if (prob == 1.0) return 0;
  const double rate = stdGamma(s, r) * ((1.0 - prob) / prob);
  return mv_rt_draw_poisson(s, &rate, 1);
}

double mv_rt_logpdf_negative_binomial(double x, const double* p, int32_t) {
  const double r = p[0], prob = p[1];
  if (!isInteger(x) || x < 0) return kNegInf;
  if (prob == 1.0) return x == 0 ? 0.0 : kNegInf;
  return lgam(x + r) - lgam(x + 1) - lgam(r) + r * std::log(prob) + x * std::log1p(-prob);
}

int32_t mv_rt_check_negative_binomial(const double* p, int32_t n) {
  if (n < 2) return n;
  if (!(p[0] > 0 && std::isfinite(p[0]))) return 0;
  if (!isSuccessProb(p[1])) return 1;
  return -1;
}

// ---- categorical_logits(logits...): softmax probabilities --------------------------------

double mv_rt_draw_categorical_logits(mv_rt_stream* s, const double* l, int32_t n) {
  // Inverse CDF over the unnormalised weights exp(l - max) (the largest is exactly 1).
  const double m = maxOf(l, n);
  double total = 0.0;
  for (int32_t i = 0; i < n; ++i) total += std::exp(l[i] - m);
  const double u = u01(s) * total;
  double cum = 0.0;
  int32_t lastPositive = 0;
  for (int32_t i = 0; i < n; ++i) {
    const double w = std::exp(l[i] - m);
    if (w > 0) {
      cum += w;
      lastPositive = i;
      if (u < cum) return i;
    }
  }
  return lastPositive;  // rounding in the running sum: the last category that can occur
}

double mv_rt_logpdf_categorical_logits(double x, const double* l, int32_t n) {
  if (!isInteger(x) || x < 0 || x >= n) return kNegInf;
  const double m = maxOf(l, n);
  double total = 0.0;
  for (int32_t i = 0; i < n; ++i) total += std::exp(l[i] - m);
  return (l[int32_t(x)] - m) - std::log(total);
}

int32_t mv_rt_check_categorical_logits(const double* l, int32_t n) {
  if (n < 1) return n;
  for (int32_t i = 0; i < n; ++i)
    if (!std::isfinite(l[i])) return i;
  return -1;
}

}  // extern "C"
