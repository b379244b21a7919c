// tests/unit/runtime/DistributionChecks.h — statistical checks of a sampler shared by the distribution tests:
// moments, CDF points and discrete frequencies, each within 5 standard errors at a fixed seed.
#pragma once

#include "tests/unit/runtime/DrawHelpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace mv::rt::test {

/// Draws per check: 5 standard errors of a fraction are then at most 0.0056.
constexpr int kChecksN = 200000;

/// The fraction of `xs` at or below x is binomial: within 5 standard errors sqrt(F (1 - F) / N) of F(x).
inline void expectFractionBelow(const std::vector<double>& xs, double x, double f) {
  int below = 0;
  for (double v : xs) below += v <= x;
  const double n = double(xs.size());
  EXPECT_NEAR(double(below) / n, f, 5 * std::sqrt(f * (1 - f) / n)) << "at x = " << x;
}

/// The sample mean within 5 standard errors (sqrt(var / N), var analytic) of `mean`, the sample
/// variance within 5 of its standard errors, sqrt((m4 - s^4) / N) with m4 the sample fourth
/// central moment; every draw has a finite log density (is in the support).
inline void checkMoments(const std::string& what, DrawFn draw, LogPdfFn logpdf, std::vector<double> params,
                         double mean, double var) {
  SCOPED_TRACE(what);
  const std::vector<double> xs = drawMany(draw, params, kChecksN);
  double sum = 0;
  for (double x : xs) {
    sum += x;
    ASSERT_TRUE(std::isfinite(logpdf(x, params.data(), int32_t(params.size())))) << "draw " << x;
  }
  const double m = sum / kChecksN;
  double m2 = 0, m4 = 0;
  for (double x : xs) {
    const double d = (x - m) * (x - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= kChecksN;
  m4 /= kChecksN;
  EXPECT_NEAR(m, mean, 5 * std::sqrt(var / kChecksN));
  EXPECT_NEAR(m2, var, 5 * std::sqrt((m4 - m2 * m2) / kChecksN));
}

/// At each point x, the fraction of draws <= x against the analytic CDF (expectFractionBelow).
inline void checkCdf(const std::string& what, DrawFn draw, std::vector<double> params, std::vector<double> points,
                     const std::function<double(double)>& cdf) {
  SCOPED_TRACE(what);
  const std::vector<double> xs = drawMany(draw, params, kChecksN, 77);
  for (double x : points) expectFractionBelow(xs, x, cdf(x));
}

/// Each value k in [lo, hi] expected at least 25 times (where the normal approximation of the
/// binomial holds): its frequency within 5 standard errors sqrt(p (1 - p) / N) of mass(k).
inline void checkFrequencies(const std::string& what, DrawFn draw, std::vector<double> params, int lo, int hi,
                             const std::function<double(int)>& mass) {
  SCOPED_TRACE(what);
  const std::vector<double> xs = drawMany(draw, params, kChecksN, 99);
  for (int k = lo; k <= hi; ++k) {
    const double p = mass(k);
    if (p * kChecksN < 25) continue;
    int hits = 0;
    for (double v : xs) hits += v == k;
    EXPECT_NEAR(double(hits) / kChecksN, p, 5 * std::sqrt(p * (1 - p) / kChecksN)) << "at k = " << k;
  }
}

}  // namespace mv::rt::test
