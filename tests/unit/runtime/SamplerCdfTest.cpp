// tests/unit/runtime/SamplerCdfTest.cpp — sampler distributions against exact CDFs and mass functions.
#include "runtime/Runtime.h"
#include "tests/unit/runtime/DistributionChecks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

namespace {

using mv::rt::test::checkCdf;
using mv::rt::test::checkFrequencies;
using mv::rt::test::drawMany;
using mv::rt::test::DrawFn;
using mv::rt::test::LogPdfFn;

const double kPi = std::numbers::pi;

double phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(SamplerCdf, Continuous) {
  checkCdf("normal(0, 1)", mv_rt_draw_normal, {0, 1}, {-3, -2, -1, 0, 0.5, 1.5, 2.5}, phi);
  checkCdf("uniform(-1, 3)", mv_rt_draw_uniform, {-1, 3}, {-0.9, 0, 1, 2.9}, [](double x) { return (x + 1) / 4; });
  checkCdf("exponential(2)", mv_rt_draw_exponential, {2}, {0.01, 0.3, 1, 3},
           [](double x) { return -std::expm1(-2 * x); });
  checkCdf("laplace(0, 1)", mv_rt_draw_laplace, {0, 1}, {-4, -1, -0.1, 0.1, 1, 4},
           [](double x) { return x < 0 ? 0.5 * std::exp(x) : 1 - 0.5 * std::exp(-x); });
  checkCdf("lognormal(0, 1)", mv_rt_draw_lognormal, {0, 1}, {0.1, 0.5, 1, 3, 10},
           [](double x) { return phi(std::log(x)); });
  // Cauchy: F(x) = 1/2 + atan(x) / pi.
  checkCdf("student_t(1, 0, 1)", mv_rt_draw_student_t, {1, 0, 1}, {-20, -1, 0, 0.3, 1, 20},
           [](double x) { return 0.5 + std::atan(x) / kPi; });
}

TEST(SamplerCdf, GammaAndBeta) {
  // Gamma(1/2, 1) is chi-square(1) / 2: F(x) = erf(sqrt(x)) (the shape < 1 path).
  checkCdf("gamma(0.5, 1)", mv_rt_draw_gamma, {0.5, 1}, {1e-4, 0.01, 0.1, 0.5, 1, 2},
           [](double x) { return std::erf(std::sqrt(x)); });
  // Gamma(2, 1): F(x) = 1 - e^-x (1 + x).
  checkCdf("gamma(2, 1)", mv_rt_draw_gamma, {2, 1}, {0.1, 1, 2, 5},
           [](double x) { return 1 - std::exp(-x) * (1 + x); });
  checkCdf("beta(2, 2)", mv_rt_draw_beta, {2, 2}, {0.05, 0.3, 0.5, 0.9},
           [](double x) { return x * x * (3 - 2 * x); });
  // Arcsine law: F(x) = (2 / pi) asin(sqrt(x)).
  checkCdf("beta(0.5, 0.5)", mv_rt_draw_beta, {0.5, 0.5}, {1e-4, 0.1, 0.5, 0.9, 1 - 1e-4},
           [](double x) { return 2 / kPi * std::asin(std::sqrt(x)); });
}

// The frequencies of lo..hi against the masses of the log density.
void checkMasses(const std::string& what, DrawFn draw, LogPdfFn logpdf, std::vector<double> params, int lo, int hi) {
  checkFrequencies(what, draw, params, lo, hi,
                   [&](int k) { return std::exp(logpdf(k, params.data(), int32_t(params.size()))); });
}

TEST(SamplerCdf, DiscreteMasses) {
  checkMasses("categorical", mv_rt_draw_categorical, mv_rt_logpdf_categorical, {0.5, 0, 0.2, 0.3}, 0, 3);
  checkMasses("binomial inversion", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {40, 0.2}, 0, 25);
  checkMasses("binomial btrs", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {1000, 0.3}, 250, 350);
  checkMasses("binomial btrs flipped", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {60, 0.75}, 30, 60);
  checkMasses("poisson small", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {3.5}, 0, 20);
  checkMasses("poisson ptrs", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {12}, 0, 35);
  checkMasses("poisson ptrs large", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {400}, 330, 470);
}

TEST(SamplerCdf, BoundaryParameters) {
  for (double x : drawMany(mv_rt_draw_bernoulli, {0.0}, 1000)) EXPECT_EQ(x, 0);
  for (double x : drawMany(mv_rt_draw_bernoulli, {1.0}, 1000)) EXPECT_EQ(x, 1);
  for (double x : drawMany(mv_rt_draw_binomial, {17, 0.0}, 100)) EXPECT_EQ(x, 0);
  for (double x : drawMany(mv_rt_draw_binomial, {17, 1.0}, 100)) EXPECT_EQ(x, 17);
  for (double x : drawMany(mv_rt_draw_binomial, {0, 0.5}, 100)) EXPECT_EQ(x, 0);
  // A probability vector summing to 1 - 1e-10 still never yields a zero-probability index.
  for (double x : drawMany(mv_rt_draw_categorical, {0.5, 0.5 - 1e-10, 0.0}, 10000)) EXPECT_LT(x, 2);
  // Tiny gamma shapes underflow; draws stay strictly positive.
  for (double x : drawMany(mv_rt_draw_gamma, {1e-3, 1}, 10000)) EXPECT_GT(x, 0);
  // A narrow uniform at a large offset stays in [a, b).
  const double a = 1e16, b = 1e16 + 4;
  for (double x : drawMany(mv_rt_draw_uniform, {a, b}, 10000)) {
    EXPECT_GE(x, a);
    EXPECT_LT(x, b);
  }
}

}  // namespace
