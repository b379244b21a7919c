// tests/unit/runtime/CoverageTest.cpp — the proposal-coverage rule (runtime/Coverage.h) against
// supports read off the log densities, and its boundary cases per distribution pair.
#include "runtime/Coverage.h"
#include "runtime/Runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using Logpdf = double (*)(double, const double*, int32_t);

struct Dist {
  int32_t family;
  Logpdf logpdf;
  std::vector<double> params;
};

bool covers(const Dist& p, const Dist& q, double* missed = nullptr) {
  double m = 0;
  int32_t c = mv_rt_covers(p.family, p.params.data(), int32_t(p.params.size()), q.family, q.params.data(),
                           int32_t(q.params.size()), &m);
  if (missed) *missed = m;
  return c != 0;
}

/// Discrete coverage by brute force: every x in [0, 60] with p(x) > 0 has q(x) > 0.
bool coversByDensity(const Dist& p, const Dist& q, double* firstMissed) {
  for (double x = 0; x <= 60; x += 1) {
    bool inP = p.logpdf(x, p.params.data(), int32_t(p.params.size())) > -INFINITY;
    bool inQ = q.logpdf(x, q.params.data(), int32_t(q.params.size())) > -INFINITY;
    if (inP && !inQ) {
      *firstMissed = x;
      return false;
    }
  }
  return true;
}

Dist bern(double p) { return {MV_RT_FAMILY_bernoulli, mv_rt_logpdf_bernoulli, {p}}; }
Dist binom(double n, double p) { return {MV_RT_FAMILY_binomial, mv_rt_logpdf_binomial, {n, p}}; }
Dist cat(std::vector<double> p) { return {MV_RT_FAMILY_categorical, mv_rt_logpdf_categorical, std::move(p)}; }
Dist pois(double r) { return {MV_RT_FAMILY_poisson, mv_rt_logpdf_poisson, {r}}; }

TEST(Coverage, DiscretePairsAgreeWithTheSupportsOfTheLogDensities) {
  std::vector<std::vector<Dist>> classes = {
      {bern(0.0), bern(1.0), bern(0.5), bern(0.01), bern(0.999)},
      {binom(0, 0.5), binom(5, 0.0), binom(5, 1.0), binom(5, 0.3), binom(3, 0.3), binom(8, 0.3), binom(8, 1.0)},
      {cat({1.0, 0.0, 0.0}), cat({0.5, 0.0, 0.5}), cat({0.2, 0.3, 0.5}), cat({0.0, 1.0, 0.0}), cat({0.0, 0.5, 0.5}),
       cat({0.5, 0.5})},
      {pois(0.5), pois(30.0)},
  };
  int checked = 0, uncovered = 0;
  for (const auto& cls : classes)
    for (const Dist& p : cls)
      for (const Dist& q : cls) {
        double want = -1, got = -1;
        bool expected = coversByDensity(p, q, &want);
        EXPECT_EQ(covers(p, q, &got), expected) << "family " << p.family << " p[0] " << p.params[0] << " q[0] "
                                                << q.params[0];
        // The reported value is one the distribution takes and the proposal never draws.
        if (!expected) {
          ++uncovered;
          EXPECT_GT(p.logpdf(got, p.params.data(), int32_t(p.params.size())), -INFINITY) << got;
          EXPECT_EQ(q.logpdf(got, q.params.data(), int32_t(q.params.size())), -INFINITY) << got;
        }
        ++checked;
      }
  EXPECT_EQ(checked, 25 + 49 + 36 + 4);
  EXPECT_GT(uncovered, 30);
}

TEST(Coverage, TheIssuesDegenerateBernoulli) {
  double missed = -1;
  EXPECT_FALSE(covers(bern(0.01), bern(1.0), &missed));
  EXPECT_EQ(missed, 0.0);  // false
  EXPECT_FALSE(covers(bern(0.5), bern(0.0), &missed));
  EXPECT_EQ(missed, 1.0);
  EXPECT_TRUE(covers(bern(1.0), bern(1.0)));  // the distribution never draws false either
  EXPECT_TRUE(covers(bern(0.0), bern(0.3)));
}

TEST(Coverage, ContinuousIntervals) {
  auto uni = [](double a, double b) { return Dist{MV_RT_FAMILY_uniform, mv_rt_logpdf_uniform, {a, b}}; };
  Dist beta{MV_RT_FAMILY_beta, mv_rt_logpdf_beta, {2.0, 3.0}};
  Dist normal{MV_RT_FAMILY_normal, mv_rt_logpdf_normal, {0.0, 1.0}};
  Dist laplace{MV_RT_FAMILY_laplace, mv_rt_logpdf_laplace, {1.0, 2.0}};
  Dist gamma{MV_RT_FAMILY_gamma, mv_rt_logpdf_gamma, {2.0, 1.0}};
  Dist expo{MV_RT_FAMILY_exponential, mv_rt_logpdf_exponential, {1.5}};
  double missed = 0;
  EXPECT_TRUE(covers(uni(0, 1), uni(0, 1)));
  EXPECT_TRUE(covers(uni(0.2, 0.8), uni(0, 1)));
  EXPECT_FALSE(covers(uni(0, 2), uni(0, 1), &missed));
  EXPECT_EQ(missed, 1.0);  // uniform(0, 2) has density at 1, uniform(0, 1) none
  EXPECT_FALSE(covers(uni(-1, 1), uni(0, 1), &missed));
  EXPECT_EQ(missed, -1.0);
  EXPECT_TRUE(covers(beta, uni(0, 1)));
  EXPECT_TRUE(covers(uni(0, 1), beta));
  EXPECT_FALSE(covers(beta, uni(0, 0.5)));
  EXPECT_TRUE(covers(normal, laplace));
  EXPECT_TRUE(covers(gamma, expo));
  EXPECT_FALSE(covers(normal, gamma));  // real line against the positive reals
  EXPECT_FALSE(covers(bern(0.5), uni(0, 1)));  // a density cannot propose a mass
}

TEST(Coverage, CategoricalProposalForACountMustHaveNoHoles) {
  double missed = -1;
  EXPECT_TRUE(covers(binom(2, 0.5), cat({0.2, 0.3, 0.5})));
  EXPECT_FALSE(covers(binom(2, 0.5), cat({0.5, 0.0, 0.5}), &missed));
  EXPECT_EQ(missed, 1.0);
  EXPECT_FALSE(covers(binom(3, 0.5), cat({0.2, 0.3, 0.5}), &missed));
  EXPECT_EQ(missed, 3.0);
}

TEST(Coverage, FixedSupportsDoNotDependOnTheParameters) {
  // The code generator folds pairs of these to a constant without looking at parameters.
  struct Case {
    int32_t family;
    std::vector<double> a, b;
  };
  for (const Case& c : std::vector<Case>{{MV_RT_FAMILY_poisson, {0.5}, {40.0}},
                                         {MV_RT_FAMILY_normal, {0.0, 1.0}, {-3.0, 9.0}},
                                         {MV_RT_FAMILY_lognormal, {0.0, 1.0}, {2.0, 0.1}},
                                         {MV_RT_FAMILY_exponential, {0.1}, {7.0}},
                                         {MV_RT_FAMILY_gamma, {0.5, 2.0}, {9.0, 0.1}},
                                         {MV_RT_FAMILY_beta, {0.5, 0.5}, {9.0, 2.0}},
                                         {MV_RT_FAMILY_laplace, {0.0, 1.0}, {5.0, 0.2}},
                                         {MV_RT_FAMILY_student_t, {3.0, 0.0, 1.0}, {1.0, 4.0, 2.0}}}) {
    ASSERT_TRUE(mv_rt_support_is_fixed(c.family)) << c.family;
    mv_rt_support x = mv_rt_support_of(c.family, c.a.data(), int32_t(c.a.size()));
    mv_rt_support y = mv_rt_support_of(c.family, c.b.data(), int32_t(c.b.size()));
    mv_rt_support z = mv_rt_support_of(c.family, nullptr, 0);
    EXPECT_TRUE(x.lo == y.lo && x.hi == y.hi && x.lo == z.lo && x.hi == z.hi && x.discrete == z.discrete) << c.family;
  }
  for (int32_t f : {MV_RT_FAMILY_bernoulli, MV_RT_FAMILY_categorical, MV_RT_FAMILY_binomial, MV_RT_FAMILY_uniform})
    EXPECT_FALSE(mv_rt_support_is_fixed(f)) << f;
}

TEST(Coverage, ExportedSymbolIsTheSameRule) {
  std::vector<double> p{0.01}, q{1.0};
  double missed = -1;
  EXPECT_EQ(mv_rt_proposal_covers(MV_RT_FAMILY_bernoulli, p.data(), 1, MV_RT_FAMILY_bernoulli, q.data(), 1, &missed), 0);
  EXPECT_EQ(missed, 0.0);
}

}  // namespace
