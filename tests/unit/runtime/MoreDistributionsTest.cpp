// tests/unit/runtime/MoreDistributionsTest.cpp — geometric ... categorical_logits: log densities against
// closed forms, sampler moments and CDFs against analytic values, parameter checks, coverage.
#include "runtime/Coverage.h"
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
using mv::rt::test::checkMoments;
using mv::rt::test::drawMany;
using mv::rt::test::DrawFn;
using mv::rt::test::LogPdfFn;
using CheckFn = int32_t (*)(const double*, int32_t);

const double kInf = INFINITY;
const double kPi = std::numbers::pi;
const double kHalfLog2Pi = 0.5 * std::log(2 * kPi);

double lp(LogPdfFn f, double x, std::vector<double> p) { return f(x, p.data(), int32_t(p.size())); }
int32_t check(CheckFn f, std::vector<double> p) { return f(p.data(), int32_t(p.size())); }

// Each mass of 0..hi from the log density equals mass(k) (to 1e-12), and the draws follow it
// (checkFrequencies).
void checkMasses(const std::string& what, DrawFn draw, LogPdfFn logpdf, std::vector<double> params, int hi,
                 const std::function<double(int)>& mass) {
  for (int k = 0; k <= hi; ++k) {
    const double p = mass(k);
    EXPECT_NEAR(std::exp(lp(logpdf, k, params)), p, 1e-12 + 1e-12 * p) << what << ": mass at " << k;
  }
  checkFrequencies(what, draw, params, 0, hi, mass);
}

TEST(MoreDistributions, Geometric) {
  const double p = 0.3;
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_geometric, 2, {p}), std::log(p * 0.7 * 0.7));
  EXPECT_EQ(lp(mv_rt_logpdf_geometric, -1, {p}), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_geometric, 1.5, {p}), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_geometric, 0, {1.0}), 0.0);  // p = 1: always 0 failures
  EXPECT_EQ(lp(mv_rt_logpdf_geometric, 3, {1.0}), -kInf);
  checkMoments("geometric(0.3)", mv_rt_draw_geometric, mv_rt_logpdf_geometric, {p}, 0.7 / p, 0.7 / (p * p));
  checkMoments("geometric(0.01)", mv_rt_draw_geometric, mv_rt_logpdf_geometric, {0.01}, 99, 0.99 / 1e-4);
  checkMasses("geometric(0.3)", mv_rt_draw_geometric, mv_rt_logpdf_geometric, {p}, 30,
              [&](int k) { return p * std::pow(1 - p, k); });
  for (double x : drawMany(mv_rt_draw_geometric, {1.0}, 1000)) EXPECT_EQ(x, 0);
  EXPECT_EQ(check(mv_rt_check_geometric, {1.0}), -1);
  EXPECT_EQ(check(mv_rt_check_geometric, {0.0}), 0);
  EXPECT_EQ(check(mv_rt_check_geometric, {1.01}), 0);
  EXPECT_EQ(check(mv_rt_check_geometric, {NAN}), 0);
}

TEST(MoreDistributions, NegativeBinomial) {
  const double r = 2.5, p = 0.4;
  // P(k) = Gamma(k + r) / (k! Gamma(r)) p^r (1 - p)^k; Gamma(5.5) / Gamma(2.5) = 4.5 * 3.5 * 2.5.
  EXPECT_NEAR(lp(mv_rt_logpdf_negative_binomial, 3, {r, p}),
              std::log(4.5 * 3.5 * 2.5 / 6 * std::pow(p, r) * std::pow(1 - p, 3)), 1e-13);
  // r = 1 is the geometric.
  for (int k = 0; k < 20; ++k)
    EXPECT_NEAR(lp(mv_rt_logpdf_negative_binomial, k, {1, p}), lp(mv_rt_logpdf_geometric, k, {p}), 1e-12);
  EXPECT_EQ(lp(mv_rt_logpdf_negative_binomial, 0, {3, 1.0}), 0.0);
  EXPECT_EQ(lp(mv_rt_logpdf_negative_binomial, 2, {3, 1.0}), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_negative_binomial, -1, {r, p}), -kInf);
  // Mean r (1 - p) / p, variance r (1 - p) / p^2.
  checkMoments("negative_binomial(2.5, 0.4)", mv_rt_draw_negative_binomial, mv_rt_logpdf_negative_binomial, {r, p},
               r * 0.6 / p, r * 0.6 / (p * p));
  checkMoments("negative_binomial(0.3, 0.05)", mv_rt_draw_negative_binomial, mv_rt_logpdf_negative_binomial,
               {0.3, 0.05}, 0.3 * 0.95 / 0.05, 0.3 * 0.95 / (0.05 * 0.05));
  double logChoose[40];
  for (int k = 0; k < 40; ++k) logChoose[k] = std::lgamma(k + r) - std::lgamma(k + 1.0) - std::lgamma(r);
  checkMasses("negative_binomial(2.5, 0.4)", mv_rt_draw_negative_binomial, mv_rt_logpdf_negative_binomial, {r, p}, 39,
              [&](int k) { return std::exp(logChoose[k]) * std::pow(p, r) * std::pow(1 - p, k); });
  for (double x : drawMany(mv_rt_draw_negative_binomial, {4, 1.0}, 1000)) EXPECT_EQ(x, 0);
  EXPECT_EQ(check(mv_rt_check_negative_binomial, {r, p}), -1);
  EXPECT_EQ(check(mv_rt_check_negative_binomial, {0, p}), 0);
  EXPECT_EQ(check(mv_rt_check_negative_binomial, {kInf, p}), 0);
  EXPECT_EQ(check(mv_rt_check_negative_binomial, {r, 0.0}), 1);
  EXPECT_EQ(check(mv_rt_check_negative_binomial, {r, 1.5}), 1);
}

TEST(MoreDistributions, HalfNormal) {
  // 2 phi(x / sigma) / sigma on x >= 0.
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_half_normal, 1, {2}), std::log(2.0) - kHalfLog2Pi - std::log(2.0) - 0.125);
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_half_normal, 0, {1}), std::log(2.0) - kHalfLog2Pi);
  EXPECT_EQ(lp(mv_rt_logpdf_half_normal, -0.1, {1}), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_half_normal, kInf, {1}), -kInf);
  checkMoments("half_normal(2)", mv_rt_draw_half_normal, mv_rt_logpdf_half_normal, {2},
               2 * std::sqrt(2 / kPi), 4 * (1 - 2 / kPi));
  checkCdf("half_normal(2)", mv_rt_draw_half_normal, {2}, {0.1, 1, 2, 5},
           [](double x) { return std::erf(x / (2 * std::sqrt(2.0))); });
  EXPECT_EQ(check(mv_rt_check_half_normal, {0.5}), -1);
  EXPECT_EQ(check(mv_rt_check_half_normal, {0}), 0);
  EXPECT_EQ(check(mv_rt_check_half_normal, {kInf}), 0);
}

TEST(MoreDistributions, CauchyAndHalfCauchy) {
  // 1 / (pi scale (1 + z^2)): at z = 1, 1 / (2 pi scale).
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_cauchy, 3, {1, 2}), -std::log(4 * kPi));
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_cauchy, 1, {1, 2}), -std::log(2 * kPi));
  EXPECT_NEAR(lp(mv_rt_logpdf_cauchy, 1e200, {0, 1}), -std::log(kPi) - 2 * std::log(1e200), 1e-12);
  EXPECT_EQ(lp(mv_rt_logpdf_cauchy, NAN, {0, 1}), -kInf);
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_half_cauchy, 2, {2}), -std::log(2 * kPi));
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_half_cauchy, 0, {2}), -std::log(kPi));
  EXPECT_EQ(lp(mv_rt_logpdf_half_cauchy, -1, {2}), -kInf);
  // No moments: the CDFs, 1/2 + atan(z) / pi and (2 / pi) atan(x / scale).
  checkCdf("cauchy(1, 2)", mv_rt_draw_cauchy, {1, 2}, {-40, -3, 0, 1, 1.5, 4, 60},
           [](double x) { return 0.5 + std::atan((x - 1) / 2) / kPi; });
  checkCdf("half_cauchy(2)", mv_rt_draw_half_cauchy, {2}, {0.01, 1, 2, 10, 100},
           [](double x) { return 2 / kPi * std::atan(x / 2); });
  for (double x : drawMany(mv_rt_draw_cauchy, {0, 1}, 10000)) EXPECT_TRUE(std::isfinite(lp(mv_rt_logpdf_cauchy, x, {0, 1})));
  for (double x : drawMany(mv_rt_draw_half_cauchy, {1}, 10000)) EXPECT_TRUE(std::isfinite(lp(mv_rt_logpdf_half_cauchy, x, {1})));
  EXPECT_EQ(check(mv_rt_check_cauchy, {0, 1}), -1);
  EXPECT_EQ(check(mv_rt_check_cauchy, {kInf, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_cauchy, {0, -1}), 1);
  EXPECT_EQ(check(mv_rt_check_half_cauchy, {1}), -1);
  EXPECT_EQ(check(mv_rt_check_half_cauchy, {0}), 0);
}

TEST(MoreDistributions, Logistic) {
  // e^-z / (s (1 + e^-z)^2): 1 / (4 s) at z = 0.
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_logistic, 1, {1, 2}), -std::log(8.0));
  EXPECT_NEAR(lp(mv_rt_logpdf_logistic, 3, {1, 2}), std::log(std::exp(-1.0) / (2 * std::pow(1 + std::exp(-1.0), 2))),
              1e-14);
  EXPECT_NEAR(lp(mv_rt_logpdf_logistic, -3, {1, 2}), lp(mv_rt_logpdf_logistic, 5, {1, 2}), 1e-14);  // symmetric
  EXPECT_NEAR(lp(mv_rt_logpdf_logistic, 2000, {0, 1}), -2000, 1e-9);  // no overflow
  checkMoments("logistic(1, 2)", mv_rt_draw_logistic, mv_rt_logpdf_logistic, {1, 2}, 1, 4 * kPi * kPi / 3);
  checkCdf("logistic(1, 2)", mv_rt_draw_logistic, {1, 2}, {-5, 0, 1, 2, 8},
           [](double x) { return 1 / (1 + std::exp(-(x - 1) / 2)); });
  EXPECT_EQ(check(mv_rt_check_logistic, {0, 1}), -1);
  EXPECT_EQ(check(mv_rt_check_logistic, {NAN, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_logistic, {0, 0}), 1);
}

TEST(MoreDistributions, Weibull) {
  const double k = 1.5, s = 2;
  // (k / s) (x / s)^(k - 1) exp(-(x / s)^k).
  EXPECT_NEAR(lp(mv_rt_logpdf_weibull, 1, {k, s}), std::log(k / s * std::pow(0.5, 0.5) * std::exp(-std::pow(0.5, 1.5))),
              1e-14);
  for (double x : {0.0, 0.3, 2.0, 7.0})  // shape 1 is the exponential with rate 1 / scale
    EXPECT_NEAR(lp(mv_rt_logpdf_weibull, x, {1, 4}), lp(mv_rt_logpdf_exponential, x, {0.25}), 1e-14);
  EXPECT_EQ(lp(mv_rt_logpdf_weibull, 0, {2, 1}), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_weibull, -1, {k, s}), -kInf);
  const double g1 = std::tgamma(1 + 1 / k), g2 = std::tgamma(1 + 2 / k);
  checkMoments("weibull(1.5, 2)", mv_rt_draw_weibull, mv_rt_logpdf_weibull, {k, s}, s * g1, s * s * (g2 - g1 * g1));
  checkMoments("weibull(0.7, 1)", mv_rt_draw_weibull, mv_rt_logpdf_weibull, {0.7, 1}, std::tgamma(1 + 1 / 0.7),
               std::tgamma(1 + 2 / 0.7) - std::pow(std::tgamma(1 + 1 / 0.7), 2));
  checkCdf("weibull(1.5, 2)", mv_rt_draw_weibull, {k, s}, {0.1, 1, 2, 4},
           [&](double x) { return -std::expm1(-std::pow(x / s, k)); });
  for (double x : drawMany(mv_rt_draw_weibull, {0.02, 1}, 10000)) EXPECT_TRUE(x > 0 && std::isfinite(x));
  EXPECT_EQ(check(mv_rt_check_weibull, {k, s}), -1);
  EXPECT_EQ(check(mv_rt_check_weibull, {0, s}), 0);
  EXPECT_EQ(check(mv_rt_check_weibull, {k, -s}), 1);
}

TEST(MoreDistributions, CategoricalLogits) {
  // Softmax: logits log(p) + c for any c give the categorical p.
  const std::vector<double> probs = {0.1, 0.2, 0.3, 0.4};
  std::vector<double> logits;
  for (double q : probs) logits.push_back(std::log(q) + 5);
  for (int x = 0; x < 4; ++x) EXPECT_NEAR(lp(mv_rt_logpdf_categorical_logits, x, logits), std::log(probs[x]), 1e-14);
  EXPECT_EQ(lp(mv_rt_logpdf_categorical_logits, 4, logits), -kInf);
  EXPECT_EQ(lp(mv_rt_logpdf_categorical_logits, 0.5, logits), -kInf);
  EXPECT_DOUBLE_EQ(lp(mv_rt_logpdf_categorical_logits, 1, {1000, 1000}), -std::log(2.0));  // no overflow
  checkMoments("categorical_logits", mv_rt_draw_categorical_logits, mv_rt_logpdf_categorical_logits, logits, 2, 1);
  checkMasses("categorical_logits", mv_rt_draw_categorical_logits, mv_rt_logpdf_categorical_logits, logits, 3,
              [&](int x) { return probs[size_t(x)]; });
  EXPECT_EQ(check(mv_rt_check_categorical_logits, {0, -3, 2}), -1);
  EXPECT_EQ(check(mv_rt_check_categorical_logits, {0, kInf}), 1);
  EXPECT_EQ(check(mv_rt_check_categorical_logits, {NAN}), 0);
}

TEST(MoreDistributions, CoverageFollowsTheSupports) {
  double missed = 0;
  const double geoOne[] = {1.0}, geo[] = {0.3}, pois[] = {2.0}, nb[] = {2.0, 0.5}, nbOne[] = {2.0, 1.0};
  // A geometric with p = 1 only draws 0: as a proposal it misses the counts a poisson takes.
  EXPECT_FALSE(mv_rt_covers(MV_RT_FAMILY_poisson, pois, 1, MV_RT_FAMILY_geometric, geoOne, 1, &missed));
  EXPECT_EQ(missed, 1);
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_poisson, pois, 1, MV_RT_FAMILY_geometric, geo, 1, &missed));
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_geometric, geo, 1, MV_RT_FAMILY_negative_binomial, nb, 2, &missed));
  EXPECT_FALSE(mv_rt_covers(MV_RT_FAMILY_geometric, geo, 1, MV_RT_FAMILY_negative_binomial, nbOne, 2, &missed));
  // categorical_logits covers its whole range; a categorical with a hole does not cover it.
  const double logits[] = {0, -50, 3}, probs[] = {0.5, 0, 0.5};
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_categorical, probs, 3, MV_RT_FAMILY_categorical_logits, logits, 3, &missed));
  EXPECT_FALSE(mv_rt_covers(MV_RT_FAMILY_categorical_logits, logits, 3, MV_RT_FAMILY_categorical, probs, 3, &missed));
  EXPECT_EQ(missed, 1);
  // Continuous: the half-line ones cover each other and not the line.
  const double one[] = {1.0}, locScale[] = {0.0, 1.0}, ws[] = {1.5, 2.0};
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_half_normal, one, 1, MV_RT_FAMILY_half_cauchy, one, 1, &missed));
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_gamma, ws, 2, MV_RT_FAMILY_weibull, ws, 2, &missed));
  EXPECT_FALSE(mv_rt_covers(MV_RT_FAMILY_cauchy, locScale, 2, MV_RT_FAMILY_half_normal, one, 1, &missed));
  EXPECT_TRUE(mv_rt_covers(MV_RT_FAMILY_normal, locScale, 2, MV_RT_FAMILY_logistic, locScale, 2, &missed));
  for (int32_t f : {MV_RT_FAMILY_half_normal, MV_RT_FAMILY_cauchy, MV_RT_FAMILY_half_cauchy, MV_RT_FAMILY_logistic,
                    MV_RT_FAMILY_weibull})
    EXPECT_TRUE(mv_rt_support_is_fixed(f)) << f;
  for (int32_t f : {MV_RT_FAMILY_geometric, MV_RT_FAMILY_negative_binomial, MV_RT_FAMILY_categorical_logits})
    EXPECT_FALSE(mv_rt_support_is_fixed(f)) << f;
}

}  // namespace
