// tests/unit/passes/DirichletInversionTest.cpp — invert-dirichlet: every weight is log Dir(v; alpha), the identity behind it, p = v.
#include "backend/Interpreter.h"
#include "runtime/Runtime.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace mv::test {
namespace {

const std::vector<double> kV = {0.2, 0.3, 0.5};

/// log Dir(v; alpha) from its definition, with std::lgamma (not the engines' nodes).
double logDirichlet(const std::vector<double>& v, const std::vector<double>& alpha) {
  double total = std::accumulate(alpha.begin(), alpha.end(), 0.0);
  double out = std::lgamma(total);
  for (size_t i = 0; i < v.size(); ++i) out += (alpha[i] - 1) * std::log(v[i]) - std::lgamma(alpha[i]);
  return out;
}

double logGamma(double x, double shape) {
  const double p[2] = {shape, 1.0};
  return mv_rt_logpdf_gamma(x, p, 2);
}

TEST(DirichletInversion, PointWeightsOfTheGammasTelescopeToTheDirichletDensity) {
  // The pass's comment: sum_i log Gamma(S v_i; a_i, 1) + (k - 1) log S - log Gamma(S; A, 1)
  // is log Dir(v; a) for every S > 0, so the factor (the right side) weighs exactly what the
  // gammas' own point weights would, without their cancellation.
  for (const std::vector<double>& alpha : {std::vector<double>{2, 3, 5}, {0.5, 1, 4}, {30, 0.25, 7}}) {
    const double total = std::accumulate(alpha.begin(), alpha.end(), 0.0);
    for (double s : {0.01, 0.5, 1.0, 3.7, 10.0, 42.0, 250.0}) {
      double lhs = (double(kV.size()) - 1) * std::log(s) - logGamma(s, total);
      double magnitude = std::fabs(lhs);  // the terms cancel: rounding scales with their size
      for (size_t i = 0; i < kV.size(); ++i) {
        lhs += logGamma(s * kV[i], alpha[i]);
        magnitude += std::fabs(logGamma(s * kV[i], alpha[i]));
      }
      const double want = logDirichlet(kV, alpha);
      EXPECT_NEAR(lhs, want, 1e-14 * (magnitude + std::fabs(want) + 1)) << "alpha[0] " << alpha[0] << ", S " << s;
    }
  }
}

TEST(DirichletInversion, EveryWeightIsTheDirichletDensityAndPIsV) {
  ir::QueryGraph g = compileWith("d.mv", R"(
model m {
  p ~ dirichlet([2, 3, 5])
  x ~ categorical(p)
}
query q on m {
  observe p == [0.2, 0.3, 0.5]
  predict p[0]
  predict p[1]
  predict p[2]
}
)", passes::PipelineOptions{}).at(0);
  int unweighted = 0, scale = 0;
  for (const ir::Node& n : g.nodes) {
    unweighted += n.kind == ir::NodeKind::Site && n.site.weighedElsewhere;
    scale += n.name == "p.scale";
  }
  ASSERT_EQ(unweighted, 3);
  ASSERT_EQ(scale, 1);
  backend::Interpreter interp(g);
  const double want = logDirichlet(kV, {2, 3, 5});
  double preds[3];
  for (uint64_t i = 0; i < 1000; ++i) {
    double logW = 0, fullLogW = 0;
    mv_rt_error err{};
    ASSERT_EQ(interp.sample(1, i, &logW, &fullLogW, preds, &err), 0);
    EXPECT_NEAR(logW, want, 1e-13) << "sample " << i;
    EXPECT_EQ(logW, fullLogW);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(preds[k], kV[size_t(k)]) << "sample " << i;  // exactly v
  }
}

TEST(DirichletInversion, RandomConcentrationsWeighTheirOwnDensity) {
  // alpha depends on a: each sample's weight is log Dir(v; alpha(a)), computed from lgamma nodes.
  ir::QueryGraph g = compileWith("d.mv", R"(
model m {
  a ~ bernoulli(0.3)
  p ~ dirichlet([2, a ? 6 : 3, 5])
}
query q on m {
  observe p == [0.2, 0.3, 0.5]
  predict a
}
)", passes::PipelineOptions{}).at(0);
  backend::Interpreter interp(g);
  double preds[1];
  int seen[2] = {0, 0};
  for (uint64_t i = 0; i < 400; ++i) {
    double logW = 0, fullLogW = 0;
    mv_rt_error err{};
    ASSERT_EQ(interp.sample(1, i, &logW, &fullLogW, preds, &err), 0);
    const bool a = preds[0] != 0;
    ++seen[a];
    EXPECT_NEAR(logW, logDirichlet(kV, {2, a ? 6.0 : 3.0, 5}), 1e-12) << "sample " << i;
  }
  EXPECT_GT(seen[0], 0);
  EXPECT_GT(seen[1], 0);
}

}  // namespace
}  // namespace mv::test
