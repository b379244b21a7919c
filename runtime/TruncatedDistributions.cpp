// runtime/TruncatedDistributions.cpp — truncated(D, lo, hi) for the continuous D: draw by inverse CDF,
// density renormalised by the interval's mass, check.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"

#include <cmath>
#include <numbers>

using mv::rt::detail::betaI;
using mv::rt::detail::gammaP;
using mv::rt::detail::gammaQ;
using mv::rt::detail::kNegInf;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kSqrt2 = std::numbers::sqrt2;

/// The standard normal quantile: Acklam's rational approximation (relative error 1.15e-9)
/// refined by one Halley step on erfc, which brings it to double precision.
double qnorm(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  if (!(p > 0)) return -INFINITY;
  if (!(p < 1)) return INFINITY;
  double x;
  if (p < 0.02425 || p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log(p < 0.5 ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 0.5) x = -x;
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / kSqrt2) - p;
  const double u = e * std::sqrt(2 * kPi) * std::exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

/// One continuous base distribution: its CDF F and survival S at x, and their inverses
/// (q(t) = F^-1(t), qc(t) = S^-1(t)) where closed (else null: invert() solves for them); the
/// tails use the side that keeps precision.
struct Base {
  double (*logpdf)(double, const double*, int32_t);
  int32_t (*check)(const double*, int32_t);
  int32_t numParams;
  double (*cdf)(double, const double*);
  double (*ccdf)(double, const double*);
  double (*q)(double, const double*);
  double (*qc)(double, const double*);
};

double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

// ---- the bases' CDFs and quantiles --------------------------------------------------------
double uniformCdf(double x, const double* p) { return clamp01((x - p[0]) / (p[1] - p[0])); }
double uniformCcdf(double x, const double* p) { return clamp01((p[1] - x) / (p[1] - p[0])); }
double uniformQ(double t, const double* p) { return p[0] + t * (p[1] - p[0]); }
double uniformQc(double t, const double* p) { return p[1] - t * (p[1] - p[0]); }

double normalCdf(double x, const double* p) { return 0.5 * std::erfc(-(x - p[0]) / (p[1] * kSqrt2)); }
double normalCcdf(double x, const double* p) { return 0.5 * std::erfc((x - p[0]) / (p[1] * kSqrt2)); }
double normalQ(double t, const double* p) { return p[0] + p[1] * qnorm(t); }
double normalQc(double t, const double* p) { return p[0] - p[1] * qnorm(t); }

double lognormalCdf(double x, const double* p) { return x > 0 ? normalCdf(std::log(x), p) : 0; }
double lognormalCcdf(double x, const double* p) { return x > 0 ? normalCcdf(std::log(x), p) : 1; }
double lognormalQ(double t, const double* p) { return std::exp(normalQ(t, p)); }
double lognormalQc(double t, const double* p) { return std::exp(normalQc(t, p)); }

double exponentialCdf(double x, const double* p) { return x > 0 ? -std::expm1(-p[0] * x) : 0; }
double exponentialCcdf(double x, const double* p) { return x > 0 ? std::exp(-p[0] * x) : 1; }
double exponentialQ(double t, const double* p) { return -std::log1p(-t) / p[0]; }
double exponentialQc(double t, const double* p) { return -std::log(t) / p[0]; }

double laplaceCdf(double x, const double* p) {
  const double z = (x - p[0]) / p[1];
  return z < 0 ? 0.5 * std::exp(z) : 1 - 0.5 * std::exp(-z);
}
double laplaceCcdf(double x, const double* p) {
  const double z = (x - p[0]) / p[1];
  return z > 0 ? 0.5 * std::exp(-z) : 1 - 0.5 * std::exp(z);
}
double laplaceQ(double t, const double* p) {
  return t < 0.5 ? p[0] + p[1] * std::log(2 * t) : p[0] - p[1] * std::log(2 * (1 - t));
}
double laplaceQc(double t, const double* p) { return 2 * p[0] - laplaceQ(t, p); }

double halfNormalCdf(double x, const double* p) { return x > 0 ? std::erf(x / (p[0] * kSqrt2)) : 0; }
double halfNormalCcdf(double x, const double* p) { return x > 0 ? std::erfc(x / (p[0] * kSqrt2)) : 1; }
double halfNormalQ(double t, const double* p) { return -p[0] * qnorm(0.5 * (1 - t)); }
double halfNormalQc(double t, const double* p) { return -p[0] * qnorm(0.5 * t); }

// 1/2 + atan(z) / pi, as atan(-1/z) / pi below 0 so the far left tail keeps its precision.
double cauchyStd(double z) { return z < 0 ? std::atan(-1 / z) / kPi : 0.5 + std::atan(z) / kPi; }
double cauchyCdf(double x, const double* p) { return cauchyStd((x - p[0]) / p[1]); }
double cauchyCcdf(double x, const double* p) { return cauchyStd(-(x - p[0]) / p[1]); }
double cauchyQ(double t, const double* p) { return p[0] - p[1] / std::tan(kPi * t); }  // tan(pi (t - 1/2))
double cauchyQc(double t, const double* p) { return p[0] + p[1] / std::tan(kPi * t); }

double halfCauchyCdf(double x, const double* p) { return x > 0 ? 2 / kPi * std::atan(x / p[0]) : 0; }
double halfCauchyCcdf(double x, const double* p) { return x > 0 ? 2 / kPi * std::atan(p[0] / x) : 1; }
double halfCauchyQ(double t, const double* p) { return p[0] * std::tan(0.5 * kPi * t); }
double halfCauchyQc(double t, const double* p) { return p[0] / std::tan(0.5 * kPi * t); }

double logisticCdf(double x, const double* p) { return 1 / (1 + std::exp(-(x - p[0]) / p[1])); }
double logisticCcdf(double x, const double* p) { return 1 / (1 + std::exp((x - p[0]) / p[1])); }
double logisticQ(double t, const double* p) { return p[0] + p[1] * (std::log(t) - std::log1p(-t)); }
double logisticQc(double t, const double* p) { return p[0] - p[1] * (std::log(t) - std::log1p(-t)); }

double weibullCdf(double x, const double* p) { return x > 0 ? -std::expm1(-std::pow(x / p[1], p[0])) : 0; }
double weibullCcdf(double x, const double* p) { return x > 0 ? std::exp(-std::pow(x / p[1], p[0])) : 1; }
double weibullQ(double t, const double* p) { return p[1] * std::pow(-std::log1p(-t), 1 / p[0]); }
double weibullQc(double t, const double* p) { return p[1] * std::pow(-std::log(t), 1 / p[0]); }

// ---- gamma, beta, student_t: regularized incomplete gamma and beta functions (Sampling.h) --
double gammaCdf(double x, const double* p) { return gammaP(p[0], p[1] * x); }
double gammaCcdf(double x, const double* p) { return gammaQ(p[0], p[1] * x); }
double betaCdf(double x, const double* p) { return betaI(p[0], p[1], x); }
double betaCcdf(double x, const double* p) { return betaI(p[1], p[0], 1 - x); }
// P(T <= -|z|) = I_{nu / (nu + z^2)}(nu / 2, 1 / 2) / 2.
double studentTail(double z, double nu) { return 0.5 * betaI(0.5 * nu, 0.5, nu / (nu + z * z)); }
double studentCdf(double x, const double* p) {
  const double z = (x - p[1]) / p[2];
  if (std::isinf(z)) return z < 0 ? 0 : 1;
  return z < 0 ? studentTail(z, p[0]) : 1 - studentTail(z, p[0]);
}
double studentCcdf(double x, const double* p) {
  const double z = (x - p[1]) / p[2];
  if (std::isinf(z)) return z < 0 ? 1 : 0;
  return z > 0 ? studentTail(z, p[0]) : 1 - studentTail(z, p[0]);
}

/// The probability of [lo, hi] under the base, from the side of the median lo is on.
double mass(const Base& d, const double* p, double lo, double hi) {
  const double flo = d.cdf(lo, p);
  return flo <= 0.5 ? d.cdf(hi, p) - flo : d.ccdf(lo, p) - d.ccdf(hi, p);
}

int32_t check(const Base& d, const double* p, int32_t n) {
  if (n != d.numParams + 2) return n;
  if (int32_t bad = d.check(p, d.numParams); bad >= 0) return bad;
  const double lo = p[n - 2], hi = p[n - 1];
  if (!std::isfinite(lo)) return n - 2;
  if (!std::isfinite(hi) || !(hi > lo) || !(mass(d, p, lo, hi) > 0)) return n - 1;
  return -1;
}

/// The x in [lo, hi] where the base's CDF (or, above the median, its survival function) meets
/// the fraction u of the interval's mass: Newton's method on the density, kept inside a
/// shrinking bracket by bisection, to the resolution of doubles. For the bases without a
/// closed-form quantile (gamma, beta, student_t); the answer is the inverse CDF to the
/// accuracy of the CDF (about 1e-15 relative).
double invert(const Base& d, const double* p, double lo, double hi, double flo, double u) {
  const bool lower = flo <= 0.5;
  const double slo = lower ? 0 : d.ccdf(lo, p);
  const double target = lower ? flo + u * (d.cdf(hi, p) - flo) : slo - u * (slo - d.ccdf(hi, p));
  // g(x) increases in x from <= 0 at lo to >= 0 at hi.
  auto g = [&](double x) { return lower ? d.cdf(x, p) - target : target - d.ccdf(x, p); };
  double a = lo, b = hi, x = lo + u * (hi - lo);
  for (int i = 0; i < 200 && a < b; ++i) {
    const double gx = g(x);
    if (gx == 0) return x;
    if (gx < 0) a = x; else b = x;
    const double dens = std::exp(d.logpdf(x, p, d.numParams));
    double next = x - gx / dens;
    if (!(next > a && next < b)) next = a + 0.5 * (b - a);  // Newton left the bracket: bisect
    if (next == x || next == a || next == b) break;        // no double between: converged
    x = next;
  }
  return x;
}

double draw(const Base& d, mv_rt_stream* s, const double* p, int32_t n) {
  // Inverse CDF, exact: t uniform on [F(lo), F(hi)] (or on [S(hi), S(lo)] when lo is above
  // the median, where S keeps the precision F loses), then x = F^-1(t) (or S^-1(t)).
  const double lo = p[n - 2], hi = p[n - 1], u = mv_rt_next_open01(s);
  const double flo = d.cdf(lo, p);
  double x;
  if (!d.q) {
    x = invert(d, p, lo, hi, flo, u);
  } else if (flo <= 0.5) {
    x = d.q(flo + u * (d.cdf(hi, p) - flo), p);
  } else {
    const double slo = d.ccdf(lo, p);
    x = d.qc(slo - u * (slo - d.ccdf(hi, p)), p);
  }
  // Rounding in F, S or their inverses can step just outside the interval.
  if (!(x >= lo)) return lo;
  return x > hi ? hi : x;
}

double logpdf(const Base& d, double x, const double* p, int32_t n) {
  const double lo = p[n - 2], hi = p[n - 1];
  if (!(x >= lo && x <= hi)) return kNegInf;
  return d.logpdf(x, p, d.numParams) - std::log(mass(d, p, lo, hi));
}

#define MV_TRUNCATED_BASE(name, Prefix, np)                                                                   \
  const Base k_##name = {mv_rt_logpdf_##name, mv_rt_check_##name, np, Prefix##Cdf, Prefix##Ccdf, Prefix##Q, \
                         Prefix##Qc};
MV_TRUNCATED_BASE(uniform, uniform, 2)
MV_TRUNCATED_BASE(normal, normal, 2)
MV_TRUNCATED_BASE(lognormal, lognormal, 2)
MV_TRUNCATED_BASE(exponential, exponential, 1)
MV_TRUNCATED_BASE(laplace, laplace, 2)
MV_TRUNCATED_BASE(half_normal, halfNormal, 1)
MV_TRUNCATED_BASE(cauchy, cauchy, 2)
MV_TRUNCATED_BASE(half_cauchy, halfCauchy, 1)
MV_TRUNCATED_BASE(logistic, logistic, 2)
MV_TRUNCATED_BASE(weibull, weibull, 2)
#undef MV_TRUNCATED_BASE
const Base k_gamma = {mv_rt_logpdf_gamma, mv_rt_check_gamma, 2, gammaCdf, gammaCcdf, nullptr, nullptr};
const Base k_beta = {mv_rt_logpdf_beta, mv_rt_check_beta, 2, betaCdf, betaCcdf, nullptr, nullptr};
const Base k_student_t = {mv_rt_logpdf_student_t, mv_rt_check_student_t, 3, studentCdf, studentCcdf, nullptr, nullptr};

}  // namespace

extern "C" {

#define MV_TRUNCATED(name)                                                                                 \
  double mv_rt_draw_truncated_##name(mv_rt_stream* s, const double* p, int32_t n) {                       \
    return draw(k_##name, s, p, n);                                                                      \
  }                                                                                                      \
  double mv_rt_logpdf_truncated_##name(double x, const double* p, int32_t n) {                            \
    return logpdf(k_##name, x, p, n);                                                                    \
  }                                                                                                      \
  int32_t mv_rt_check_truncated_##name(const double* p, int32_t n) { return check(k_##name, p, n); }
MV_TRUNCATED(uniform)
MV_TRUNCATED(normal)
MV_TRUNCATED(lognormal)
MV_TRUNCATED(exponential)
MV_TRUNCATED(laplace)
MV_TRUNCATED(half_normal)
MV_TRUNCATED(cauchy)
MV_TRUNCATED(half_cauchy)
MV_TRUNCATED(logistic)
MV_TRUNCATED(weibull)
MV_TRUNCATED(gamma)
MV_TRUNCATED(beta)
MV_TRUNCATED(student_t)
#undef MV_TRUNCATED

}  // extern "C"
