// tests/unit/runtime/TruncatedTest.cpp — truncated(D, lo, hi): each base's renormalised density integrates
// to 1, its draws follow that density's CDF and stay in [lo, hi], closed forms, far tails, checks.
#include "runtime/Runtime.h"
#include "tests/unit/runtime/DistributionChecks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using mv::rt::test::drawMany;
using mv::rt::test::expectFractionBelow;
using mv::rt::test::DrawFn;
using mv::rt::test::LogPdfFn;
using CheckFn = int32_t (*)(const double*, int32_t);

constexpr int kN = 100000;
const double kInf = INFINITY;

struct Case {
  std::string what;
  DrawFn draw;
  LogPdfFn logpdf;
  CheckFn check;
  std::vector<double> params;  ///< the base's, then lo, hi
};

/// Simpson's rule for the truncated density on [a, b] (2000 intervals).
double integral(const Case& c, double a, double b) {
  const int n = 2000;
  const double h = (b - a) / n;
  auto f = [&](double x) { return std::exp(c.logpdf(x, c.params.data(), int32_t(c.params.size()))); };
  double s = f(a) + f(b);
  for (int i = 1; i < n; ++i) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return s * h / 3;
}

std::vector<Case> cases() {
  return {
      {"normal on [-1, 2]", mv_rt_draw_truncated_normal, mv_rt_logpdf_truncated_normal, mv_rt_check_truncated_normal, {0, 1, -1, 2}},
      {"normal far tail", mv_rt_draw_truncated_normal, mv_rt_logpdf_truncated_normal, mv_rt_check_truncated_normal, {1, 0.5, 4, 4.5}},
      {"uniform", mv_rt_draw_truncated_uniform, mv_rt_logpdf_truncated_uniform, mv_rt_check_truncated_uniform, {0, 4, 1, 10}},
      {"lognormal", mv_rt_draw_truncated_lognormal, mv_rt_logpdf_truncated_lognormal, mv_rt_check_truncated_lognormal, {0, 1, 0.5, 3}},
      {"exponential", mv_rt_draw_truncated_exponential, mv_rt_logpdf_truncated_exponential, mv_rt_check_truncated_exponential, {1, 1, 3}},
      {"exponential upper tail", mv_rt_draw_truncated_exponential, mv_rt_logpdf_truncated_exponential, mv_rt_check_truncated_exponential, {2, 10, 12}},
      {"laplace", mv_rt_draw_truncated_laplace, mv_rt_logpdf_truncated_laplace, mv_rt_check_truncated_laplace, {0, 1, -0.5, 4}},
      {"half_normal", mv_rt_draw_truncated_half_normal, mv_rt_logpdf_truncated_half_normal, mv_rt_check_truncated_half_normal, {1, 0.5, 2}},
      {"cauchy", mv_rt_draw_truncated_cauchy, mv_rt_logpdf_truncated_cauchy, mv_rt_check_truncated_cauchy, {0, 1, -1, 1}},
      {"cauchy right tail", mv_rt_draw_truncated_cauchy, mv_rt_logpdf_truncated_cauchy, mv_rt_check_truncated_cauchy, {0, 1, 20, 40}},
      {"half_cauchy", mv_rt_draw_truncated_half_cauchy, mv_rt_logpdf_truncated_half_cauchy, mv_rt_check_truncated_half_cauchy, {1, -1, 10}},
      {"logistic", mv_rt_draw_truncated_logistic, mv_rt_logpdf_truncated_logistic, mv_rt_check_truncated_logistic, {0, 1, -1, 3}},
      {"weibull", mv_rt_draw_truncated_weibull, mv_rt_logpdf_truncated_weibull, mv_rt_check_truncated_weibull, {2, 1, 0.5, 1.5}},
      {"gamma", mv_rt_draw_truncated_gamma, mv_rt_logpdf_truncated_gamma, mv_rt_check_truncated_gamma, {2.5, 1.5, 0.5, 3}},
      {"gamma shape < 1", mv_rt_draw_truncated_gamma, mv_rt_logpdf_truncated_gamma, mv_rt_check_truncated_gamma, {0.5, 1, 0.01, 2}},
      {"gamma upper tail", mv_rt_draw_truncated_gamma, mv_rt_logpdf_truncated_gamma, mv_rt_check_truncated_gamma, {3, 1, 12, 20}},
      {"beta", mv_rt_draw_truncated_beta, mv_rt_logpdf_truncated_beta, mv_rt_check_truncated_beta, {2, 5, 0.1, 0.6}},
      {"beta upper tail", mv_rt_draw_truncated_beta, mv_rt_logpdf_truncated_beta, mv_rt_check_truncated_beta, {2, 5, 0.8, 0.95}},
      {"student_t", mv_rt_draw_truncated_student_t, mv_rt_logpdf_truncated_student_t, mv_rt_check_truncated_student_t, {3, 0, 1, -2, 5}},
      {"student_t right tail", mv_rt_draw_truncated_student_t, mv_rt_logpdf_truncated_student_t, mv_rt_check_truncated_student_t, {4, 1, 2, 10, 40}},
  };
}

TEST(Truncated, DensityIntegratesToOneAndDrawsFollowItsCdf) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.what);
    const size_t n = c.params.size();
    ASSERT_EQ(c.check(c.params.data(), int32_t(n)), -1);
    // The support's ends, within the base's: below lo and above hi the density is 0.
    const double lo = std::max(c.params[n - 2], c.what == "half_cauchy" ? 0.0 : -kInf), hi = c.params[n - 1];
    // uniform(0, 4) on [1, 10] is [1, 4): its density is 0 at 4 itself.
    const double a = c.what == "uniform" ? 1 : lo, b = c.what == "uniform" ? std::nextafter(4.0, 0.0) : hi;
    EXPECT_NEAR(integral(c, a, b), 1.0, 1e-6);
    EXPECT_EQ(c.logpdf(std::nextafter(c.params[n - 2], -kInf), c.params.data(), int32_t(n)), -kInf);
    EXPECT_EQ(c.logpdf(std::nextafter(hi, kInf), c.params.data(), int32_t(n)), -kInf);
    const std::vector<double> xs = drawMany(c.draw, c.params, kN, 5);
    for (double x : xs) ASSERT_TRUE(x >= a && x <= b) << x;
    for (double q : {0.2, 0.5, 0.8}) {
      const double x = a + q * (b - a);
      expectFractionBelow(xs, x, integral(c, a, x));
    }
  }
}

TEST(Truncated, ClosedForms) {
  // normal(0, 1) on [-1, 2]: phi(x) / (Phi(2) - Phi(-1)), ends included.
  const double p[] = {0, 1, -1, 2};
  const double mass = 0.5 * (std::erfc(-2 / std::sqrt(2.0)) - std::erfc(1 / std::sqrt(2.0)));
  EXPECT_NEAR(mv_rt_logpdf_truncated_normal(0.3, p, 4), mv_rt_logpdf_normal(0.3, p, 2) - std::log(mass), 1e-14);
  EXPECT_NEAR(mv_rt_logpdf_truncated_normal(-1, p, 4), mv_rt_logpdf_normal(-1, p, 2) - std::log(mass), 1e-14);
  EXPECT_NEAR(mv_rt_logpdf_truncated_normal(2, p, 4), mv_rt_logpdf_normal(2, p, 2) - std::log(mass), 1e-14);
  // exponential(2) on [10, 12]: memoryless, so 2 e^(-2 (x - 10)) / (1 - e^-4).
  const double e[] = {2, 10, 12};
  EXPECT_NEAR(mv_rt_logpdf_truncated_exponential(11, e, 3), std::log(2 * std::exp(-2.0) / -std::expm1(-4.0)), 1e-12);
  // Far in the normal's upper tail, where F(lo) rounds to 1: the survival side keeps the mass.
  const double far[] = {0, 1, 8, 9};
  const double farMass = 0.5 * (std::erfc(8 / std::sqrt(2.0)) - std::erfc(9 / std::sqrt(2.0)));
  EXPECT_NEAR(mv_rt_logpdf_truncated_normal(8.5, far, 4), mv_rt_logpdf_normal(8.5, far, 2) - std::log(farMass), 1e-9);
  double sum = 0;
  const std::vector<double> xs = drawMany(mv_rt_draw_truncated_normal, {0, 1, 8, 9}, kN, 3);
  for (double x : xs) {
    ASSERT_TRUE(x >= 8 && x <= 9) << x;
    sum += x;
  }
  auto phi = [](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI); };
  const double mean = (phi(8) - phi(9)) / farMass;  // about 8.12, sd about 0.12
  EXPECT_NEAR(sum / kN, mean, 5 * 0.13 / std::sqrt(double(kN)));
}

TEST(Truncated, IncompleteGammaAndBetaAgainstClosedForms) {
  // gamma(1, rate) is the exponential; gamma(2, 1) has F(x) = 1 - e^-x (1 + x); beta(2, 2) has
  // F(x) = x^2 (3 - 2x); student_t(1) is the cauchy. Each truncated density, whose mass comes
  // from the incomplete functions, against the same density with the closed-form mass.
  for (double x : {1.2, 2.0, 2.9}) {
    const double g1[] = {1, 2, 1, 3}, e[] = {2, 1, 3};
    EXPECT_NEAR(mv_rt_logpdf_truncated_gamma(x, g1, 4), mv_rt_logpdf_truncated_exponential(x, e, 3), 1e-12);
    const double g2[] = {2, 1, 1, 3};
    const double m2 = std::exp(-1.0) * 2 - std::exp(-3.0) * 4;
    EXPECT_NEAR(mv_rt_logpdf_truncated_gamma(x, g2, 4), mv_rt_logpdf_gamma(x, g2, 2) - std::log(m2), 1e-12);
    const double t1[] = {1, 0, 1, -1, 3}, c[] = {0, 1, -1, 3};
    EXPECT_NEAR(mv_rt_logpdf_truncated_student_t(x, t1, 5), mv_rt_logpdf_truncated_cauchy(x, c, 4), 1e-12);
  }
  const double b[] = {2, 2, 0.2, 0.7};
  auto f = [](double x) { return x * x * (3 - 2 * x); };
  EXPECT_NEAR(mv_rt_logpdf_truncated_beta(0.5, b, 4), mv_rt_logpdf_beta(0.5, b, 2) - std::log(f(0.7) - f(0.2)), 1e-12);
  // Far in gamma's upper tail (F rounds to 1): the survival side, Q(3, x) = e^-x (1 + x + x^2 / 2).
  const double far[] = {3, 1, 40, 41};
  auto q3 = [](double x) { return std::exp(-x) * (1 + x + x * x / 2); };
  EXPECT_NEAR(mv_rt_logpdf_truncated_gamma(40.5, far, 4), mv_rt_logpdf_gamma(40.5, far, 2) - std::log(q3(40) - q3(41)),
              1e-9);
}

TEST(Truncated, Checks) {
  auto check = [](CheckFn f, std::vector<double> p) { return f(p.data(), int32_t(p.size())); };
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, 1, -1, 2}), -1);
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, -1, -1, 2}), 1);    // the base's sd
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, 1, NAN, 2}), 2);    // lo
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, 1, 2, 2}), 3);      // hi: lo < hi
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, 1, 40, 41}), 3);    // hi: no mass in double
  EXPECT_EQ(check(mv_rt_check_truncated_normal, {0, 1, -1, kInf}), 3);
  EXPECT_EQ(check(mv_rt_check_truncated_exponential, {1, -5, -1}), 2);  // below the support: no mass
  EXPECT_EQ(check(mv_rt_check_truncated_exponential, {1, -5, 1}), -1);
  EXPECT_EQ(check(mv_rt_check_truncated_weibull, {2, 1, 0.5}), 3);      // too few parameters: n
}

}  // namespace
