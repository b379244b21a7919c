// tests/unit/runtime/CheckTest.cpp — parameter domain checks: -1 when valid, else the first bad index.
#include "runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using CheckFn = int32_t (*)(const double*, int32_t);

int32_t check(CheckFn f, std::vector<double> p) { return f(p.data(), int32_t(p.size())); }

const double kInf = INFINITY;
const double kNaN = NAN;

TEST(Check, Bernoulli) {
  EXPECT_EQ(check(mv_rt_check_bernoulli, {0.0}), -1);
  EXPECT_EQ(check(mv_rt_check_bernoulli, {1.0}), -1);
  EXPECT_EQ(check(mv_rt_check_bernoulli, {0.5}), -1);
  EXPECT_EQ(check(mv_rt_check_bernoulli, {-0.01}), 0);
  EXPECT_EQ(check(mv_rt_check_bernoulli, {1.01}), 0);
  EXPECT_EQ(check(mv_rt_check_bernoulli, {kNaN}), 0);
}

TEST(Check, Categorical) {
  EXPECT_EQ(check(mv_rt_check_categorical, {0.2, 0.8}), -1);
  EXPECT_EQ(check(mv_rt_check_categorical, {1.0}), -1);
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, 0.0, 0.5}), -1);
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, 0.5 + 5e-10}), -1);  // within 1e-9
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, -0.1, 0.6}), 1);
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, 0.5, kNaN}), 2);
  EXPECT_EQ(check(mv_rt_check_categorical, {kInf, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, 0.4}), 2);  // bad sum: n
  EXPECT_EQ(check(mv_rt_check_categorical, {0.5, 0.5 + 2e-9}), 2);
}

TEST(Check, Binomial) {
  EXPECT_EQ(check(mv_rt_check_binomial, {10, 0.5}), -1);
  EXPECT_EQ(check(mv_rt_check_binomial, {0, 0.0}), -1);
  EXPECT_EQ(check(mv_rt_check_binomial, {5, 1.0}), -1);
  EXPECT_EQ(check(mv_rt_check_binomial, {-1, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_binomial, {2.5, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_binomial, {kNaN, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_binomial, {kInf, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_binomial, {10, 1.5}), 1);
  EXPECT_EQ(check(mv_rt_check_binomial, {10, kNaN}), 1);
  EXPECT_EQ(check(mv_rt_check_binomial, {-1, kNaN}), 0);  // the first offending one
  // n < 2^53, so n and every count are exact doubles (and exact int64s).
  EXPECT_EQ(check(mv_rt_check_binomial, {0x1p53 - 1, 0.5}), -1);
  EXPECT_EQ(check(mv_rt_check_binomial, {0x1p53, 0.5}), 0);
  EXPECT_EQ(check(mv_rt_check_binomial, {0x1p63, 0.5}), 0);
}

TEST(Check, PoissonRateBelow2To53) {
  // Every draw then fits an int64 exactly (a rate of 1e19 would draw past INT64_MAX).
  EXPECT_EQ(check(mv_rt_check_poisson, {0x1p53 - 2}), -1);
  EXPECT_EQ(check(mv_rt_check_poisson, {0x1p53}), 0);
  EXPECT_EQ(check(mv_rt_check_poisson, {1e19}), 0);
}

TEST(Check, PositiveScalars) {
  for (CheckFn f : {mv_rt_check_poisson, mv_rt_check_exponential}) {
    EXPECT_EQ(check(f, {0.5}), -1);
    EXPECT_EQ(check(f, {0.0}), 0);
    EXPECT_EQ(check(f, {-1.0}), 0);
    EXPECT_EQ(check(f, {kNaN}), 0);
    EXPECT_EQ(check(f, {kInf}), 0);
  }
}

TEST(Check, Uniform) {
  EXPECT_EQ(check(mv_rt_check_uniform, {0, 1}), -1);
  EXPECT_EQ(check(mv_rt_check_uniform, {-5, -4.5}), -1);
  EXPECT_EQ(check(mv_rt_check_uniform, {1, 1}), 1);
  EXPECT_EQ(check(mv_rt_check_uniform, {2, 1}), 1);
  EXPECT_EQ(check(mv_rt_check_uniform, {-kInf, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_uniform, {0, kInf}), 1);
  EXPECT_EQ(check(mv_rt_check_uniform, {kNaN, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_uniform, {0, kNaN}), 1);
}

TEST(Check, LocationScale) {
  // normal(mean, sd), lognormal(mu, sigma), laplace(mu, b): location finite, scale > 0.
  for (CheckFn f : {mv_rt_check_normal, mv_rt_check_lognormal, mv_rt_check_laplace}) {
    EXPECT_EQ(check(f, {0, 1}), -1);
    EXPECT_EQ(check(f, {-3, 1e-300}), -1);
    EXPECT_EQ(check(f, {0, 0}), 1);
    EXPECT_EQ(check(f, {0, -1}), 1);
    EXPECT_EQ(check(f, {0, kNaN}), 1);
    EXPECT_EQ(check(f, {kNaN, 1}), 0);
    EXPECT_EQ(check(f, {kInf, 1}), 0);
  }
}

TEST(Check, ShapeAndRate) {
  // gamma(shape, rate), beta(a, b): both > 0.
  for (CheckFn f : {mv_rt_check_gamma, mv_rt_check_beta}) {
    EXPECT_EQ(check(f, {0.5, 2}), -1);
    EXPECT_EQ(check(f, {0, 2}), 0);
    EXPECT_EQ(check(f, {-1, -1}), 0);
    EXPECT_EQ(check(f, {1, 0}), 1);
    EXPECT_EQ(check(f, {kNaN, 1}), 0);
    EXPECT_EQ(check(f, {1, kNaN}), 1);
  }
}

TEST(Check, StudentT) {
  EXPECT_EQ(check(mv_rt_check_student_t, {3, 0, 1}), -1);
  EXPECT_EQ(check(mv_rt_check_student_t, {0.1, -2, 5}), -1);
  EXPECT_EQ(check(mv_rt_check_student_t, {0, 0, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_student_t, {kNaN, 0, 1}), 0);
  EXPECT_EQ(check(mv_rt_check_student_t, {3, kNaN, 1}), 1);
  EXPECT_EQ(check(mv_rt_check_student_t, {3, 0, 0}), 2);
  EXPECT_EQ(check(mv_rt_check_student_t, {3, 0, kNaN}), 2);
}

TEST(Check, TooFewParametersNameTheFirstMissing) {
  EXPECT_EQ(check(mv_rt_check_normal, {0}), 1);
  EXPECT_EQ(check(mv_rt_check_student_t, {3, 0}), 2);
  EXPECT_EQ(check(mv_rt_check_categorical, {}), 0);
}

}  // namespace
