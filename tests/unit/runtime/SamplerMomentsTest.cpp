// tests/unit/runtime/SamplerMomentsTest.cpp — sampler means and variances against analytic values; draws stay in the support.
#include "runtime/Runtime.h"
#include "tests/unit/runtime/DistributionChecks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

using mv::rt::test::checkMoments;
using mv::rt::test::drawMany;
using mv::rt::test::DrawFn;
using mv::rt::test::LogPdfFn;

TEST(SamplerMoments, Bernoulli) {
  checkMoments("bernoulli(0.3)", mv_rt_draw_bernoulli, mv_rt_logpdf_bernoulli, {0.3}, 0.3, 0.21);
}

TEST(SamplerMoments, Categorical) {
  // E = 0.2 + 0.6 + 1.2 = 2, E[x^2] = 0.2 + 1.2 + 3.6 = 5.
  checkMoments("categorical", mv_rt_draw_categorical, mv_rt_logpdf_categorical, {0.1, 0.2, 0.3, 0.4}, 2, 1);
}

TEST(SamplerMoments, Binomial) {
  // Mean n p, variance n p (1 - p); covers inversion, BTRS and the p > 0.5 symmetry.
  checkMoments("inversion", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {20, 0.3}, 6, 4.2);
  checkMoments("inversion, p > 1/2", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {30, 0.9}, 27, 2.7);
  checkMoments("inversion, large n", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {1e6, 2e-6}, 2, 2 * (1 - 2e-6));
  checkMoments("btrs", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {1000, 0.3}, 300, 210);
  checkMoments("btrs, p > 1/2", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {1000, 0.8}, 800, 160);
  checkMoments("btrs, near threshold", mv_rt_draw_binomial, mv_rt_logpdf_binomial, {25, 0.4}, 10, 6);
}

TEST(SamplerMoments, Poisson) {
  checkMoments("multiplication", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {3.5}, 3.5, 3.5);
  checkMoments("tiny rate", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {0.01}, 0.01, 0.01);
  checkMoments("ptrs", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {10}, 10, 10);
  checkMoments("ptrs, large", mv_rt_draw_poisson, mv_rt_logpdf_poisson, {1000}, 1000, 1000);
}

TEST(SamplerMoments, Continuous) {
  checkMoments("uniform(-1, 3)", mv_rt_draw_uniform, mv_rt_logpdf_uniform, {-1, 3}, 1, 16.0 / 12);
  checkMoments("normal(2, 3)", mv_rt_draw_normal, mv_rt_logpdf_normal, {2, 3}, 2, 9);
  // lognormal: mean exp(mu + s^2/2), variance (exp(s^2) - 1) exp(2 mu + s^2).
  const double mu = 0.5, s2 = 0.16;
  checkMoments("lognormal(0.5, 0.4)", mv_rt_draw_lognormal, mv_rt_logpdf_lognormal, {mu, 0.4},
               std::exp(mu + s2 / 2), std::expm1(s2) * std::exp(2 * mu + s2));
  checkMoments("exponential(2.5)", mv_rt_draw_exponential, mv_rt_logpdf_exponential, {2.5}, 0.4, 0.16);
  checkMoments("laplace(1, 2)", mv_rt_draw_laplace, mv_rt_logpdf_laplace, {1, 2}, 1, 8);
  // student_t: variance sigma^2 nu / (nu - 2); the fourth moment exists for nu > 4.
  checkMoments("student_t(10, 1, 2)", mv_rt_draw_student_t, mv_rt_logpdf_student_t, {10, 1, 2}, 1, 5);
}

TEST(SamplerMoments, Gamma) {
  // Mean shape / rate, variance shape / rate^2; shape < 1 uses the boost U^(1/shape).
  checkMoments("gamma(3.7, 2)", mv_rt_draw_gamma, mv_rt_logpdf_gamma, {3.7, 2}, 1.85, 3.7 / 4);
  checkMoments("gamma(1, 1)", mv_rt_draw_gamma, mv_rt_logpdf_gamma, {1, 1}, 1, 1);
  checkMoments("gamma(0.3, 0.5)", mv_rt_draw_gamma, mv_rt_logpdf_gamma, {0.3, 0.5}, 0.6, 1.2);
  checkMoments("gamma(50, 10)", mv_rt_draw_gamma, mv_rt_logpdf_gamma, {50, 10}, 5, 0.5);
}

TEST(SamplerMoments, Beta) {
  // Mean a / (a + b), variance a b / ((a + b)^2 (a + b + 1)).
  auto var = [](double a, double b) { return a * b / ((a + b) * (a + b) * (a + b + 1)); };
  checkMoments("beta(2, 5)", mv_rt_draw_beta, mv_rt_logpdf_beta, {2, 5}, 2.0 / 7, var(2, 5));
  checkMoments("beta(0.2, 0.3)", mv_rt_draw_beta, mv_rt_logpdf_beta, {0.2, 0.3}, 0.4, var(0.2, 0.3));
  // Tiny shapes: both gammas underflow in linear space; the log-space ratio is still right.
  checkMoments("beta(0.01, 0.01)", mv_rt_draw_beta, mv_rt_logpdf_beta, {0.01, 0.01}, 0.5, var(0.01, 0.01));
}

TEST(SamplerMoments, DrawsAreReproducible) {
  EXPECT_EQ(drawMany(mv_rt_draw_gamma, {0.7, 1.3}, 1000), drawMany(mv_rt_draw_gamma, {0.7, 1.3}, 1000));
  EXPECT_NE(drawMany(mv_rt_draw_gamma, {0.7, 1.3}, 10, 1), drawMany(mv_rt_draw_gamma, {0.7, 1.3}, 10, 2));
}

}  // namespace
