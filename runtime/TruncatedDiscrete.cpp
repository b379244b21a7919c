// runtime/TruncatedDiscrete.cpp — truncated(D, lo, hi) for the discrete D: the mass of the ints in
// [lo, hi], exact inverse-CDF draws restricted to them, the renormalised log pmf, the check.
#include "runtime/Runtime.h"
#include "runtime/Sampling.h"

#include <cmath>

using mv::rt::detail::betaI;
using mv::rt::detail::gammaP;
using mv::rt::detail::gammaQ;
using mv::rt::detail::isInteger;
using mv::rt::detail::kNegInf;

namespace {

/// One discrete base: its log pmf up to a constant (the base's own log pmf, but for
/// categorical_logits its logit, which the renormalisation makes exact) and its check, the last value
/// of its support, and its CDF F(k) = P(X <= k) and survival S(k) = P(X > k) for ints k >= 0
/// (null for the categoricals: their support is at most 65535 values, always summed directly).
struct Base {
  double (*logpdf)(double, const double*, int32_t);
  int32_t (*check)(const double*, int32_t);
  int32_t numParams;  ///< 0: one array parameter (the rest of p before lo and hi)
  double (*last)(const double*, int32_t);
  double (*cdf)(double, const double*);
  double (*ccdf)(double, const double*);
};

double countLast(const double*, int32_t n) { return double(n) - 1; }
double logitWeight(double k, const double* l, int32_t) { return l[int32_t(k)]; }  // k in [0, n)
double binomialLast(const double* p, int32_t) { return p[0]; }
double unboundedLast(const double*, int32_t) { return INFINITY; }

// F(k) of each base through the regularized incomplete functions: poisson's is Q(k + 1, rate),
// binomial's I_{1-p}(n - k, k + 1), negative_binomial's I_p(r, k + 1); S(k) is the other side,
// computed directly so the upper tail keeps its precision.
double poissonCdf(double k, const double* p) { return gammaQ(k + 1, p[0]); }
double poissonCcdf(double k, const double* p) { return gammaP(k + 1, p[0]); }
double binomialCdf(double k, const double* p) { return k >= p[0] ? 1 : betaI(p[0] - k, k + 1, 1 - p[1]); }
double binomialCcdf(double k, const double* p) { return k >= p[0] ? 0 : betaI(k + 1, p[0] - k, p[1]); }
double negBinomialCdf(double k, const double* p) { return betaI(p[0], k + 1, p[1]); }
double negBinomialCcdf(double k, const double* p) { return betaI(k + 1, p[0], 1 - p[1]); }
// (1 - p)^(k + 1) = P(X > k); p = 1 gives log1p(-1) = -inf, so S = 0 and F = 1.
double geometricCdf(double k, const double* p) { return -std::expm1((k + 1) * std::log1p(-p[0])); }
double geometricCcdf(double k, const double* p) { return std::exp((k + 1) * std::log1p(-p[0])); }

const Base kCategorical = {mv_rt_logpdf_categorical, mv_rt_check_categorical, 0, countLast, nullptr, nullptr};
const Base kCategoricalLogits = {logitWeight, mv_rt_check_categorical_logits, 0, countLast,
                                 nullptr, nullptr};
const Base kBinomial = {mv_rt_logpdf_binomial, mv_rt_check_binomial, 2, binomialLast, binomialCdf, binomialCcdf};
const Base kPoisson = {mv_rt_logpdf_poisson, mv_rt_check_poisson, 1, unboundedLast, poissonCdf, poissonCcdf};
const Base kGeometric = {mv_rt_logpdf_geometric, mv_rt_check_geometric, 1, unboundedLast, geometricCdf,
                         geometricCcdf};
const Base kNegativeBinomial = {mv_rt_logpdf_negative_binomial, mv_rt_check_negative_binomial, 2, unboundedLast,
                                negBinomialCdf, negBinomialCcdf};

/// Intervals up to this many values are summed value by value, in log space (exact, and no
/// underflow far in a tail); wider ones use the CDF.
constexpr double kDirectWidth = 64;
/// Draws search at most this far: every int below it is an exact double.
constexpr double kMaxSearch = 0x1p53;

/// The ints the truncated distribution can take: the base's support within [lo, hi].
struct Range {
  double a, b;  ///< first and last
  bool direct;  ///< summed value by value
  bool upper;   ///< from the survival side (a - 1 is above the median)
  double logMass;
  double shift; ///< the largest log pmf in [a, b] (direct only)
  double from;  ///< F(a - 1), or S(a - 1) on the upper side
  double mass;  ///< the interval's probability (CDF side only)
};

double cdfAt(const Base& d, double k, const double* p) { return k < 0 ? 0 : d.cdf(k, p); }
double ccdfAt(const Base& d, double k, const double* p) { return k < 0 ? 1 : d.ccdf(k, p); }

/// The log of sum exp(logpdf(k)) over [a, b], and the largest term (the sum's shift).
double logSum(const Base& d, const double* p, int32_t nb, double a, double b, double* shift) {
  double m = kNegInf;
  for (double k = a; k <= b; ++k) m = std::fmax(m, d.logpdf(k, p, nb));
  *shift = m;
  if (m == kNegInf) return kNegInf;
  double total = 0;
  for (double k = a; k <= b; ++k) total += std::exp(d.logpdf(k, p, nb) - m);
  return m + std::log(total);
}

Range rangeOf(const Base& d, const double* p, int32_t n) {
  const int32_t nb = n - 2;
  Range r{};
  r.a = std::fmax(p[n - 2], 0);
  r.b = std::fmin(p[n - 1], d.last(p, nb));
  if (!(r.a <= r.b)) {
    r.logMass = kNegInf;
    return r;
  }
  r.direct = !d.cdf || r.b - r.a < kDirectWidth;
  if (r.direct) {
    r.logMass = logSum(d, p, nb, r.a, r.b, &r.shift);
    return r;
  }
  const double flo = cdfAt(d, r.a - 1, p);
  r.upper = flo > 0.5;
  if (!r.upper) {
    r.from = flo;
    r.mass = cdfAt(d, r.b, p) - flo;
  } else {
    r.from = ccdfAt(d, r.a - 1, p);
    r.mass = r.from - ccdfAt(d, r.b, p);
  }
  r.logMass = r.mass > 0 ? std::log(r.mass) : kNegInf;  // an underflowing interval has no mass
  return r;
}

int32_t check(const Base& d, const double* p, int32_t n) {
  if (n < 3 || (d.numParams > 0 && n != d.numParams + 2)) return n;
  const int32_t nb = n - 2;
  if (int32_t bad = d.check(p, nb); bad >= 0) return bad == nb ? n : bad;  // nb: the sum (now n)
  const double lo = p[n - 2], hi = p[n - 1];
  if (!isInteger(lo)) return n - 2;
  if (!isInteger(hi) || !(hi > lo) || !(rangeOf(d, p, n).logMass > kNegInf)) return n - 1;
  return -1;
}

double draw(const Base& d, mv_rt_stream* s, const double* p, int32_t n) {
  // Exact inversion: one uniform u, then the first k of [a, b] whose cumulative mass from a
  // reaches u times the interval's. Direct: a scan of at most 65535 terms (a categorical's) or
  // 64. Else a bisection on the CDF (F, or S above the median): at most 53 steps, each one
  // CDF, which costs O(sqrt of the base's mean) terms of its series.
  const Range r = rangeOf(d, p, n);
  const int32_t nb = n - 2;
  const double u = mv_rt_next_open01(s);
  if (r.direct) {
    const double shift = r.shift, target = u * std::exp(r.logMass - shift);
    double cum = 0, lastPositive = r.a;
    for (double k = r.a; k <= r.b; ++k) {
      const double w = std::exp(d.logpdf(k, p, nb) - shift);
      if (w > 0) {
        cum += w;
        lastPositive = k;
        if (target < cum) return k;
      }
    }
    return lastPositive;  // rounding in the running sum: the last value that can occur
  }
  double below = r.a - 1, at = std::fmin(r.b, kMaxSearch);  // F(below) < target <= F(at)
  const double target = r.upper ? r.from - u * r.mass : r.from + u * r.mass;
  while (at - below > 1) {
    const double mid = std::floor(below + (at - below) / 2);
    const bool reached = r.upper ? ccdfAt(d, mid, p) <= target : cdfAt(d, mid, p) >= target;
    if (reached) at = mid; else below = mid;
  }
  return at;
}

double logpdf(const Base& d, double x, const double* p, int32_t n) {
  if (!isInteger(x) || x < p[n - 2] || x > p[n - 1] || x < 0 || x > d.last(p, n - 2)) return kNegInf;
  const double lp = d.logpdf(x, p, n - 2);
  if (lp == kNegInf) return kNegInf;
  return lp - rangeOf(d, p, n).logMass;
}

}  // namespace

extern "C" {

#define MV_TRUNCATED_DISCRETE(name, base)                                                                  \
  double mv_rt_draw_truncated_##name(mv_rt_stream* s, const double* p, int32_t n) { return draw(base, s, p, n); } \
  double mv_rt_logpdf_truncated_##name(double x, const double* p, int32_t n) { return logpdf(base, x, p, n); } \
  int32_t mv_rt_check_truncated_##name(const double* p, int32_t n) { return check(base, p, n); }
MV_TRUNCATED_DISCRETE(categorical, kCategorical)
MV_TRUNCATED_DISCRETE(categorical_logits, kCategoricalLogits)
MV_TRUNCATED_DISCRETE(binomial, kBinomial)
MV_TRUNCATED_DISCRETE(poisson, kPoisson)
MV_TRUNCATED_DISCRETE(geometric, kGeometric)
MV_TRUNCATED_DISCRETE(negative_binomial, kNegativeBinomial)
#undef MV_TRUNCATED_DISCRETE

}  // extern "C"
