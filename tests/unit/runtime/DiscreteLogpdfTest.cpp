// tests/unit/runtime/DiscreteLogpdfTest.cpp — log masses of the discrete distributions against closed forms.
#include "runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace {

const double kInf = INFINITY;

TEST(DiscreteLogpdf, Bernoulli) {
  const double p[] = {0.3};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_bernoulli(1, p, 1), std::log(0.3));
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_bernoulli(0, p, 1), std::log(0.7));
  EXPECT_EQ(mv_rt_logpdf_bernoulli(0.5, p, 1), -kInf);
  EXPECT_EQ(mv_rt_logpdf_bernoulli(2, p, 1), -kInf);
  EXPECT_EQ(mv_rt_logpdf_bernoulli(NAN, p, 1), -kInf);
  // Boundaries: a certain outcome has log mass exactly 0, an impossible one -inf.
  const double zero[] = {0.0}, one[] = {1.0};
  EXPECT_EQ(mv_rt_logpdf_bernoulli(0, zero, 1), 0.0);
  EXPECT_EQ(mv_rt_logpdf_bernoulli(1, zero, 1), -kInf);
  EXPECT_EQ(mv_rt_logpdf_bernoulli(1, one, 1), 0.0);
  EXPECT_EQ(mv_rt_logpdf_bernoulli(0, one, 1), -kInf);
}

TEST(DiscreteLogpdf, Categorical) {
  const double p[] = {0.2, 0.5, 0.0, 0.3};
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_categorical(1, p, 4), std::log(0.5));
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_categorical(3, p, 4), std::log(0.3));
  EXPECT_EQ(mv_rt_logpdf_categorical(2, p, 4), -kInf);
  EXPECT_EQ(mv_rt_logpdf_categorical(4, p, 4), -kInf);
  EXPECT_EQ(mv_rt_logpdf_categorical(-1, p, 4), -kInf);
  EXPECT_EQ(mv_rt_logpdf_categorical(0.5, p, 4), -kInf);
  EXPECT_EQ(mv_rt_logpdf_categorical(NAN, p, 4), -kInf);
}

TEST(DiscreteLogpdf, Binomial) {
  // P(3; 10, 0.4) = C(10, 3) 0.4^3 0.6^7 with C(10, 3) = 120.
  const double p[] = {10, 0.4};
  EXPECT_NEAR(mv_rt_logpdf_binomial(3, p, 2), std::log(120.0) + 3 * std::log(0.4) + 7 * std::log(0.6), 1e-13);
  EXPECT_NEAR(mv_rt_logpdf_binomial(0, p, 2), 10 * std::log(0.6), 1e-13);
  EXPECT_NEAR(mv_rt_logpdf_binomial(10, p, 2), 10 * std::log(0.4), 1e-13);
  EXPECT_EQ(mv_rt_logpdf_binomial(11, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_binomial(-1, p, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_binomial(2.5, p, 2), -kInf);
  const double p0[] = {5, 0.0}, p1[] = {5, 1.0}, n0[] = {0, 0.3};
  EXPECT_EQ(mv_rt_logpdf_binomial(0, p0, 2), 0.0);
  EXPECT_EQ(mv_rt_logpdf_binomial(1, p0, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_binomial(5, p1, 2), 0.0);
  EXPECT_EQ(mv_rt_logpdf_binomial(4, p1, 2), -kInf);
  EXPECT_EQ(mv_rt_logpdf_binomial(0, n0, 2), 0.0);
}

TEST(DiscreteLogpdf, Poisson) {
  // P(3; 2) = 2^3 e^-2 / 3!.
  const double two[] = {2.0}, five[] = {5.0};
  EXPECT_NEAR(mv_rt_logpdf_poisson(3, two, 1), 3 * std::log(2.0) - 2 - std::log(6.0), 1e-14);
  EXPECT_DOUBLE_EQ(mv_rt_logpdf_poisson(0, five, 1), -5.0);
  EXPECT_EQ(mv_rt_logpdf_poisson(-1, two, 1), -kInf);
  EXPECT_EQ(mv_rt_logpdf_poisson(1.5, two, 1), -kInf);
  EXPECT_EQ(mv_rt_logpdf_poisson(kInf, two, 1), -kInf);
  // P(n; n) for n = 1000 by Stirling's series for log n!:
  // log P = -0.5 log(2 pi n) - 1/(12 n) + 1/(360 n^3) - 1/(1260 n^5).
  const double n = 1000, big[] = {n};
  const double stirling = -0.5 * std::log(2 * std::numbers::pi * n) - 1 / (12 * n) + 1 / (360 * n * n * n);
  EXPECT_NEAR(mv_rt_logpdf_poisson(n, big, 1), stirling, 1e-10);
}

double sumMass(double (*logpdf)(double, const double*, int32_t), const double* p, int32_t n, int lo, int hi) {
  double sum = 0;
  for (int x = lo; x <= hi; ++x) sum += std::exp(logpdf(x, p, n));
  return sum;
}

TEST(DiscreteLogpdf, MassesSumToOne) {
  const double bern[] = {0.37};
  EXPECT_NEAR(sumMass(mv_rt_logpdf_bernoulli, bern, 1, 0, 1), 1.0, 1e-15);
  const double cat[] = {0.1, 0.25, 0.0, 0.65};
  EXPECT_NEAR(sumMass(mv_rt_logpdf_categorical, cat, 4, -2, 6), 1.0, 1e-15);
  const double bin1[] = {20, 0.3}, bin2[] = {1000, 0.7};
  EXPECT_NEAR(sumMass(mv_rt_logpdf_binomial, bin1, 2, 0, 25), 1.0, 1e-13);
  EXPECT_NEAR(sumMass(mv_rt_logpdf_binomial, bin2, 2, 0, 1000), 1.0, 1e-11);
  // Poisson tails beyond the ranges are below 1e-40.
  const double poi1[] = {4.5}, poi2[] = {500};
  EXPECT_NEAR(sumMass(mv_rt_logpdf_poisson, poi1, 1, 0, 100), 1.0, 1e-13);
  EXPECT_NEAR(sumMass(mv_rt_logpdf_poisson, poi2, 1, 0, 2000), 1.0, 1e-11);
}

}  // namespace
