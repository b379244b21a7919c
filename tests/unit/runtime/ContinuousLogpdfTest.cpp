// tests/unit/runtime/ContinuousLogpdfTest.cpp — log densities of the continuous distributions against closed forms.
#include "runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace {

const double kInf = INFINITY;
const double kPi = std::numbers::pi;
const double kHalfLog2Pi = 0.5 * std::log(2 * kPi);

using LogPdf = double (*)(double, const double*, int32_t);

TEST(ContinuousLogpdf, Uniform) {
  const double p[] = {0, 2};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_uniform(0.5, p, 2), -std::log(2.0));
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_uniform(0.0, p, 2), -std::log(2.0));  // [a, b): a is in
  EXPECT_EQ(mv_rt_logpdf_uniform(2.0, p, 2), -kInf);                  // b is not
  EXPECT_EQ(mv_rt_logpdf_uniform(-0.1, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_uniform(NAN, p, 2), -kInf);
}

TEST(ContinuousLogpdf, Normal) {
  const double std01[] = {0, 1}, p[] = {1, 2};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_normal(0, std01, 2), -kHalfLog2Pi);
  // z = (3 - 1) / 2 = 1: -1/2 - log 2 - log sqrt(2 pi).
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_normal(3, p, 2), -0.5 - std::log(2.0) - kHalfLog2Pi);
  EXPECT_EQ(mv_rt_logpdf_normal(kInf, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_normal(NAN, p, 2), -kInf);
}

TEST(ContinuousLogpdf, Lognormal) {
  const double std01[] = {0, 1}, p[] = {1, 0.5};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_lognormal(1, std01, 2), -kHalfLog2Pi);
  // x = e: log x = mu, so z = 0; density 1 / (x sigma sqrt(2 pi)).
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_lognormal(std::numbers::e, p, 2), -1 - std::log(0.5) - kHalfLog2Pi);
  EXPECT_EQ(mv_rt_logpdf_lognormal(0, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_lognormal(-1, p, 2), -kInf);
}

TEST(ContinuousLogpdf, Exponential) {
  const double p[] = {3};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_exponential(2, p, 1), std::log(3.0) - 6);
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_exponential(0, p, 1), std::log(3.0));  // support is x >= 0
  EXPECT_EQ(mv_rt_logpdf_exponential(-1, p, 1), -kInf);
}

TEST(ContinuousLogpdf, Gamma) {
  // gamma(2; 3, 2) = 2^3 2^2 e^-4 / Gamma(3) = 32 e^-4 / 2.
  const double p[] = {3, 2};
  EXPECT_NEAR(mv_rt_logpdf_gamma(2, p, 2), std::log(16.0) - 4, 1e-14);
  // gamma(x; 1, rate) is exponential(rate).
  const double e[] = {1, 1.7};
  EXPECT_NEAR(mv_rt_logpdf_gamma(0.9, e, 2), std::log(1.7) - 1.7 * 0.9, 1e-14);
  // gamma(0.5; 0.5, 1) = 0.5^-0.5 e^-0.5 / Gamma(1/2), Gamma(1/2) = sqrt(pi).
  const double h[] = {0.5, 1};
  EXPECT_NEAR(mv_rt_logpdf_gamma(0.5, h, 2), -0.5 * std::log(0.5) - 0.5 - 0.5 * std::log(kPi), 1e-14);
  EXPECT_EQ(mv_rt_logpdf_gamma(0, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_gamma(-1, p, 2), -kInf);
}

TEST(ContinuousLogpdf, Beta) {
  // beta(0.3; 2, 3) = x (1-x)^2 / B(2, 3), B(2, 3) = 1! 2! / 4! = 1/12.
  const double p[] = {2, 3};
  EXPECT_NEAR(mv_rt_logpdf_beta(0.3, p, 2), std::log(12.0) + std::log(0.3) + 2 * std::log(0.7), 1e-14);
  // Arcsine law: beta(x; 1/2, 1/2) = 1 / (pi sqrt(x (1-x))) = 2 / pi at x = 1/2.
  const double a[] = {0.5, 0.5};
  EXPECT_NEAR(mv_rt_logpdf_beta(0.5, a, 2), std::log(2 / kPi), 1e-14);
  EXPECT_EQ(mv_rt_logpdf_beta(0, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_beta(1, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_beta(1.5, p, 2), -kInf);
}

TEST(ContinuousLogpdf, Laplace) {
  // laplace(1.5; 1, 2) = exp(-|0.5| / 2) / (2 * 2).
  const double p[] = {1, 2};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_laplace(1.5, p, 2), -std::log(4.0) - 0.25);
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_laplace(0.5, p, 2), -std::log(4.0) - 0.25);
  EXPECT_EQ(mv_rt_logpdf_laplace(-kInf, p, 2), -kInf);
}

TEST(ContinuousLogpdf, StudentT) {
  // nu = 1 is the Cauchy law: 1 / (pi (1 + x^2)).
  const double cauchy[] = {1, 0, 1};
  EXPECT_NEAR(mv_rt_logpdf_student_t(0.7, cauchy, 3), -std::log(kPi) - std::log(1.49), 1e-14);
  // nu = 3: t3(z) = 2 / (pi sqrt(3) (1 + z^2/3)^2); with mu = 1, sigma = 2 at x = 2, z = 1/2.
  const double p[] = {3, 1, 2};
  EXPECT_NEAR(mv_rt_logpdf_student_t(2, p, 3),
              std::log(2 / (kPi * std::sqrt(3.0))) - 2 * std::log(1 + 0.25 / 3) - std::log(2.0), 1e-14);
  EXPECT_EQ(mv_rt_logpdf_student_t(kInf, p, 3), -kInf);
}

// Composite Simpson's rule of exp(logpdf) on [lo, hi] with an even number of steps.
double integrate(LogPdf f, const double* p, int32_t n, double lo, double hi, int steps) {
  const double h = (hi - lo) / steps;
  double sum = std::exp(f(lo, p, n)) + std::exp(f(hi, p, n));
  for (int i = 1; i < steps; ++i) sum += (i % 2 ? 4 : 2) * std::exp(f(lo + i * h, p, n));
  return sum * h / 3;
}

TEST(ContinuousLogpdf, DensitiesIntegrateToOne) {
  // Ranges leave out tail mass below 1e-9; Simpson's error at these steps is far smaller
  // (the densities are smooth on each range, or have a kink on a grid point: laplace at 0).
  const double tol = 1e-8;
  const double normal[] = {1, 2};
  EXPECT_NEAR(integrate(mv_rt_logpdf_normal, normal, 2, -30, 32, 20000), 1, tol);
  const double lognormal[] = {0, 0.5};
  EXPECT_NEAR(integrate(mv_rt_logpdf_lognormal, lognormal, 2, 0, 100, 200000), 1, tol);
  const double expo[] = {1.5};
  EXPECT_NEAR(integrate(mv_rt_logpdf_exponential, expo, 1, 0, 60, 20000), 1, tol);
  const double gamma[] = {2.5, 1.5};
  EXPECT_NEAR(integrate(mv_rt_logpdf_gamma, gamma, 2, 0, 80, 200000), 1, tol);
  const double beta[] = {2, 3}, beta2[] = {2.5, 3.5};
  EXPECT_NEAR(integrate(mv_rt_logpdf_beta, beta, 2, 0, 1, 2000), 1, tol);
  EXPECT_NEAR(integrate(mv_rt_logpdf_beta, beta2, 2, 0, 1, 200000), 1, tol);
  const double laplace[] = {0, 1};
  EXPECT_NEAR(integrate(mv_rt_logpdf_laplace, laplace, 2, -60, 60, 24000), 1, tol);
  // Student t, nu = 5: the tail beyond |x| = 1000 has mass ~ 2 * 0.6 * 1000^-5 / 5 (tiny).
  const double t5[] = {5, 0.5, 1.5};
  EXPECT_NEAR(integrate(mv_rt_logpdf_student_t, t5, 3, -1000, 1000, 2000000), 1, tol);
  const double uniform[] = {-1, 3};
  EXPECT_DOUBLE_EQ(std::exp(mv_rt_logpdf_uniform(0.3, uniform, 2)) * 4, 1.0);
}

}  // namespace
