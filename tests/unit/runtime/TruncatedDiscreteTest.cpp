// tests/unit/runtime/TruncatedDiscreteTest.cpp — truncated(D, lo, hi) for the discrete D: the log pmf
// against the base's pmf renormalised by summation here, draws against the exact moments and
// frequencies, the summed and CDF paths, tails, closed forms, large means, checks.
#include "runtime/Runtime.h"
#include "tests/unit/runtime/DistributionChecks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace {

using mv::rt::test::DrawFn;
using mv::rt::test::LogPdfFn;
using CheckFn = int32_t (*)(const double*, int32_t);

/// The base's pmf, computed here in long double from its formula (not by the runtime).
using Pmf = std::function<long double(long double k)>;

Pmf poisson(long double rate) {
  return [=](long double k) { return std::exp(k * std::log(rate) - rate - std::lgamma(k + 1)); };
}
Pmf binomial(long double n, long double p) {
  return [=](long double k) {
    if (k > n) return 0.0L;
    return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1) + k * std::log(p) +
                    (n - k) * std::log1p(-p));
  };
}
Pmf geometric(long double p) {
  return [=](long double k) { return p * std::pow(1 - p, k); };
}
Pmf negativeBinomial(long double r, long double p) {
  return [=](long double k) {
    return std::exp(std::lgamma(k + r) - std::lgamma(k + 1) - std::lgamma(r) + r * std::log(p) + k * std::log1p(-p));
  };
}
Pmf categorical(std::vector<long double> probs) {
  return [=](long double k) { return k < probs.size() ? probs[size_t(k)] : 0.0L; };
}
Pmf softmax(std::vector<long double> logits) {
  return [=](long double k) { return k < logits.size() ? std::exp(logits[size_t(k)]) : 0.0L; };  // unnormalised
}

struct Case {
  std::string what;
  DrawFn draw;
  LogPdfFn logpdf;
  CheckFn check;
  std::vector<double> params;  ///< the base's, then lo, hi
  Pmf pmf;
};

#define MV_CASE(what, name, params, pmf)                                                                      \
  Case {                                                                                                      \
    what, mv_rt_draw_truncated_##name, mv_rt_logpdf_truncated_##name, mv_rt_check_truncated_##name, params, pmf \
  }

std::vector<Case> cases() {
  using V = std::vector<double>;
  return {
      MV_CASE("zero-truncated poisson (summed)", poisson, (V{3, 1, 9}), poisson(3)),
      MV_CASE("poisson, wide (CDF)", poisson, (V{12.5, 2, 400}), poisson(12.5)),
      MV_CASE("poisson above its median (survival side)", poisson, (V{4, 9, 300}), poisson(4)),
      MV_CASE("poisson far right tail (summed in log space)", poisson, (V{3, 60, 70}), poisson(3)),
      MV_CASE("poisson rate 1e4 around its mean (CDF)", poisson, (V{1e4, 9800, 10150}), poisson(1e4)),
      MV_CASE("binomial (summed)", binomial, (V{20, 0.3, 2, 15}), binomial(20, 0.3)),
      MV_CASE("binomial, wide (CDF)", binomial, (V{400, 0.6, 200, 1000}), binomial(400, 0.6)),
      MV_CASE("binomial upper side", binomial, (V{300, 0.2, 70, 290}), binomial(300, 0.2)),
      MV_CASE("geometric (CDF)", geometric, (V{0.1, 1, 100}), geometric(0.1)),
      MV_CASE("geometric upper side", geometric, (V{0.05, 30, 500}), geometric(0.05)),
      MV_CASE("negative_binomial (CDF)", negative_binomial, (V{2, 0.25, 3, 200}), negativeBinomial(2, 0.25)),
      MV_CASE("negative_binomial r < 1, upper side", negative_binomial, (V{0.5, 0.1, 8, 400}),
              negativeBinomial(0.5, 0.1)),
      MV_CASE("categorical", categorical, (V{0.2, 0.3, 0.5, 1, 2}), categorical({0.2L, 0.3L, 0.5L})),
      MV_CASE("categorical, a hole and bounds past its length", categorical, (V{0.1, 0, 0.4, 0.5, -3, 9}),
              categorical({0.1L, 0, 0.4L, 0.5L})),
      MV_CASE("categorical_logits", categorical_logits, (V{0.5, 2, -1, 3, 1, 3}), softmax({0.5L, 2, -1, 3})),
  };
}

/// lo .. hi of the case, clipped to where its pmf can be positive (at most 0 .. 100000).
std::pair<int64_t, int64_t> span(const Case& c) {
  const size_t n = c.params.size();
  return {std::max<int64_t>(0, int64_t(c.params[n - 2])), std::min<int64_t>(100000, int64_t(c.params[n - 1]))};
}

TEST(TruncatedDiscrete, LogPmfIsTheBaseRenormalisedBySummation) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.what);
    const double* p = c.params.data();
    const int32_t n = int32_t(c.params.size());
    ASSERT_EQ(c.check(p, n), -1);
    auto [a, b] = span(c);
    long double mass = 0;
    for (int64_t k = a; k <= b; ++k) mass += c.pmf(k);
    double total = 0;
    for (int64_t k = a; k <= b; ++k) {
      const long double want = c.pmf(k) / mass;
      const double lp = c.logpdf(double(k), p, n);
      total += std::exp(lp);
      if (want < 1e-300L) continue;
      EXPECT_NEAR(lp, double(std::log(want)), 1e-9 * std::max(1.0, std::fabs(double(std::log(want))))) << "at " << k;
    }
    // The mass and the base's log pmf are each good to about 1e-15 relative, worse by the mean
    // times 1e-16 (the terms of x log(rate) - rate - lgamma(x + 1) are that large).
    EXPECT_NEAR(total, 1, 1e-13 + 1e-15 * double(b));
    // Outside [lo, hi], between ints, or NaN: probability 0.
    EXPECT_EQ(c.logpdf(p[n - 2] - 1, p, n), -INFINITY);
    EXPECT_EQ(c.logpdf(p[n - 1] + 1, p, n), -INFINITY);
    EXPECT_EQ(c.logpdf(double(a) + 0.5, p, n), -INFINITY);
    EXPECT_EQ(c.logpdf(NAN, p, n), -INFINITY);
  }
}

TEST(TruncatedDiscrete, DrawsFollowTheExactMomentsAndFrequencies) {
  // 40000 draws a case: the mean within 5 standard errors of the exact one, each value's
  // frequency (where at least 25 are expected) within 5 of its binomial standard errors.
  constexpr int kN = 40000;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.what);
    auto [a, b] = span(c);
    long double mass = 0, m1 = 0, m2 = 0;
    for (int64_t k = a; k <= b; ++k) {
      const long double f = c.pmf(k);
      mass += f, m1 += k * f, m2 += (long double)k * k * f;
    }
    const double mean = double(m1 / mass), var = double(m2 / mass - (m1 / mass) * (m1 / mass));
    const std::vector<double> xs = mv::rt::test::drawMany(c.draw, c.params, kN);
    std::map<double, int> hits;
    double sum = 0;
    for (double x : xs) {
      ASSERT_TRUE(std::isfinite(c.logpdf(x, c.params.data(), int32_t(c.params.size())))) << "draw " << x;
      sum += x;
      ++hits[x];
    }
    EXPECT_NEAR(sum / kN, mean, 5 * std::sqrt(var / kN));
    for (int64_t k = a; k <= std::min<int64_t>(b, a + 400); ++k) {
      const double f = double(c.pmf(k) / mass);
      if (f * kN < 25) continue;
      EXPECT_NEAR(double(hits[double(k)]) / kN, f, 5 * std::sqrt(f * (1 - f) / kN)) << "at k = " << k;
    }
  }
}

TEST(TruncatedDiscrete, ClosedForms) {
  // Zero-truncated poisson: P(k) = rate^k e^-rate / (k! (1 - e^-rate)) for k >= 1; hi far past the mass.
  const double ztp[] = {3, 1, 1000};
  EXPECT_NEAR(mv_rt_logpdf_truncated_poisson(1, ztp, 3), std::log(3 * std::exp(-3.0) / -std::expm1(-3.0)), 1e-13);
  EXPECT_NEAR(mv_rt_logpdf_truncated_poisson(4, ztp, 3), std::log(81 * std::exp(-3.0) / 24 / -std::expm1(-3.0)),
              1e-13);
  // Geometric is memoryless: truncated to [m, inf) it is m + geometric; to [m, hi], p q^(k-m) / (1 - q^(hi-m+1)).
  const double g[] = {0.2, 10, 300};
  EXPECT_NEAR(mv_rt_logpdf_truncated_geometric(12, g, 3), std::log(0.2 * 0.8 * 0.8 / (1 - std::pow(0.8, 291))), 1e-13);
  // Binomial(4, 1/2) on [1, 3]: 4/14, 6/14, 4/14.
  const double bi[] = {4, 0.5, 1, 3};
  EXPECT_NEAR(mv_rt_logpdf_truncated_binomial(2, bi, 4), std::log(6.0 / 14), 1e-14);
  EXPECT_NEAR(mv_rt_logpdf_truncated_binomial(3, bi, 4), std::log(4.0 / 14), 1e-14);
  // Logits on [1, 2]: the softmax of the two.
  const double l[] = {9, 1, 2, 1, 2};
  EXPECT_NEAR(mv_rt_logpdf_truncated_categorical_logits(2, l, 5), 2 - std::log(std::exp(1.0) + std::exp(2.0)), 1e-14);
}

TEST(TruncatedDiscrete, LargeMeansAreExactAndBounded) {
  // A rate of 1e6 on a window of 4 sd either side: the CDF path, 5000 draws (a bisection of at most 53
  // steps, each O(sqrt(rate)) series terms); moments against summation here.
  const Case c = MV_CASE("poisson 1e6", poisson, (std::vector<double>{1e6, 996000, 1010000}), poisson(1e6));
  long double mass = 0, m1 = 0, m2 = 0;
  for (int64_t k = 996000; k <= 1010000; ++k) {
    const long double f = c.pmf(k);
    mass += f, m1 += k * f, m2 += (long double)k * k * f;
  }
  const double* p = c.params.data();
  EXPECT_NEAR(c.logpdf(1e6, p, 3), double(std::log(c.pmf(1e6L) / mass)), 1e-7);
  std::vector<double> xs = mv::rt::test::drawMany(c.draw, c.params, 5000);
  double sum = 0;
  for (double x : xs) {
    ASSERT_GE(x, 996000);
    ASSERT_LE(x, 1010000);
    sum += x;
  }
  const double mean = double(m1 / mass), var = double(m2 / mass - (m1 / mass) * (m1 / mass));
  EXPECT_NEAR(sum / 5000, mean, 5 * std::sqrt(var / 5000));
  // A negative binomial of mean 1e6 on its upper half, and a binomial of n = 1e9.
  const double nb[] = {100, 1e-4, 1000000, 2000000};
  EXPECT_EQ(mv_rt_check_truncated_negative_binomial(nb, 4), -1);
  // P(X <= n/2) = 1/2 + pmf(n/2)/2 for binomial(n, 1/2), n even: the mass the density divides by.
  const double bi[] = {1e9, 0.5, 0, 500000000};
  const long double half = binomial(1e9L, 0.5L)(5e8L), ratio = 1 / (0.5L + half / 2);
  EXPECT_NEAR(std::exp(mv_rt_logpdf_truncated_binomial(5e8, bi, 4) - mv_rt_logpdf_binomial(5e8, bi, 2)),
              double(ratio), 1e-6);
}

TEST(TruncatedDiscrete, Checks) {
  auto check = [](CheckFn f, std::vector<double> p) { return f(p.data(), int32_t(p.size())); };
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {3, 1, 9}), -1);
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {-3, 1, 9}), 0);       // the base's rate
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {3, 1.5, 9}), 1);      // lo: an int
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {3, 4, 4}), 2);        // hi: lo < hi
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {3, -9, -1}), 2);      // below the support: no mass
  EXPECT_EQ(check(mv_rt_check_truncated_poisson, {3, 1000, 2000}), 2);  // the mass underflows
  EXPECT_EQ(check(mv_rt_check_truncated_binomial, {4, 0.5, 5, 9}), 3);  // past n
  EXPECT_EQ(check(mv_rt_check_truncated_binomial, {4, 0, 1, 3}), 3);    // p = 0: only 0
  EXPECT_EQ(check(mv_rt_check_truncated_categorical, {0.5, 0, 0.5, 1, 1}), 4);    // lo < hi
  EXPECT_EQ(check(mv_rt_check_truncated_categorical, {0.5, 0.5, 0, 2, 5}), 4);    // only a zero
  EXPECT_EQ(check(mv_rt_check_truncated_categorical, {0.5, 0.4, 0, 0, 2}), 5);    // the sum: index n
  EXPECT_EQ(check(mv_rt_check_truncated_categorical, {0.5, -0.5, 1, 0, 2}), 1);   // an element
  EXPECT_EQ(check(mv_rt_check_truncated_categorical_logits, {0, INFINITY, 0, 1}), 1);
  EXPECT_EQ(check(mv_rt_check_truncated_geometric, {0.5, 1}), 2);                 // too few: n
  EXPECT_EQ(check(mv_rt_check_truncated_negative_binomial, {2, 1, 1, 5}), 3);    // p = 1: only 0
}

}  // namespace
