// runtime/SpecialFunctions.cpp — the regularized incomplete gamma and beta functions (Sampling.h):
// the CDFs of gamma, beta and student_t, and of poisson, binomial and negative_binomial.
#include "runtime/Sampling.h"

#include <cmath>

namespace mv::rt::detail {
namespace {

// Numerical Recipes (3rd ed.) 6.2 and 6.4: the series or the continued fraction (modified
// Lentz), whichever converges fast, each to a relative 1e-15; the complement is computed
// directly on its side so neither tail loses precision to 1 - x.

constexpr double kEps = 1e-16, kFpMin = 1e-300;

/// The most terms a series or fraction takes: each converges in O(sqrt(t)) terms where t is
/// its largest argument (the terms fall as exp(-n^2 / 2t) near the mean), so this bound lets
/// every parameter of the domains converge (2^53: about 1e9 terms, seconds) while the small
/// ones keep their old cap.
double iterations(double t) { return 10000 + 10 * std::sqrt(t > 0 ? t : 0); }

/// P(a, x) by its series (x < a + 1).
double gammaSeries(double a, double x) {
  double ap = a, sum = 1 / a, del = sum;
  for (double n = 0, limit = iterations(a); n < limit; ++n) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (std::fabs(del) < std::fabs(sum) * kEps) break;
  }
  return sum * std::exp(-x + a * std::log(x) - lgam(a));
}

/// Q(a, x) by its continued fraction (x >= a + 1).
double gammaFraction(double a, double x) {
  double b = x + 1 - a, c = 1 / kFpMin, d = 1 / b, h = d;
  for (double i = 1, limit = iterations(x); i < limit; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kFpMin) d = kFpMin;
    c = b + an / c;
    if (std::fabs(c) < kFpMin) c = kFpMin;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return std::exp(-x + a * std::log(x) - lgam(a)) * h;
}

}  // namespace

double gammaP(double a, double x) {
  if (!(x > 0)) return 0;
  if (std::isinf(x)) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
}
double gammaQ(double a, double x) {
  if (!(x > 0)) return 1;
  if (std::isinf(x)) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

namespace {

/// The continued fraction of I_x(a, b), for x < (a + 1) / (a + b + 2).
double betaFraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kFpMin) d = kFpMin;
  d = 1 / d;
  double h = d;
  for (double m = 1, limit = iterations(a + b); m < limit; ++m) {
    const double m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kFpMin) d = kFpMin;
    c = 1 + aa / c;
    if (std::fabs(c) < kFpMin) c = kFpMin;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kFpMin) d = kFpMin;
    c = 1 + aa / c;
    if (std::fabs(c) < kFpMin) c = kFpMin;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

}  // namespace

/// I_x(a, b), the regularized incomplete beta function.
double betaI(double a, double b, double x) {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const double front = std::exp(lgam(a + b) - lgam(a) - lgam(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * betaFraction(a, b, x) / a;
  return 1 - front * betaFraction(b, a, 1 - x) / b;
}

}  // namespace mv::rt::detail
