// tests/unit/backend/WeightBoundTest.cpp — the static log-weight bounds (backend/WeightBound.h) and the scale rule they feed.
#include "backend/WeightBound.h"

#include "backend/Interpreter.h"
#include "runtime/WeightScale.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/support/CompileText.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace mv::test {
namespace {

/// The bounds of the one query of `text` (passes as the pipeline runs them).
backend::WeightBounds boundsOf(const std::string& text) {
  std::string errors;
  std::vector<ir::QueryGraph> gs = compileText("t.mv", text, &errors);
  EXPECT_EQ(gs.size(), 1u) << errors;
  return gs.empty() ? backend::WeightBounds{} : backend::weightBounds(gs[0]);
}

constexpr double kTol = 1e-9;

TEST(WeightBound, ConstantBernoulliEvidenceIsBoundedByItsProbability) {
  // Observed true with p = 0.3 on a site the predictions depend on: log w is log 0.3 exactly.
  const auto b = boundsOf(
      "model m { x ~ bernoulli(0.3)\n y ~ bernoulli(x ? 0.9 : 0.2)\n }\n"
      "query q on m { observe y == true\n predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, std::log(0.2), kTol);
  EXPECT_NEAR(b.estimate.upper, std::log(0.9), kTol);
  EXPECT_LE(b.estimate.lower, std::log(0.2));  // widened outwards, never inwards
  EXPECT_EQ(b.estimate.upper, 0.0 + std::log(0.9));  // the engines' sum: that weight is exactly 1
}

TEST(WeightBound, ObservedFalseUsesTheComplement) {
  const auto b = boundsOf(
      "model m { x ~ bernoulli(0.3)\n y ~ bernoulli(x ? 0.9 : 0.2)\n }\n"
      "query q on m { observe y == false\n predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, std::log(0.1), kTol);
  EXPECT_NEAR(b.estimate.upper, std::log(0.8), kTol);
}

TEST(WeightBound, CategoricalRowsOfConstantsGiveTheMinAndMaxEntry) {
  const auto b = boundsOf(
      "model m { x ~ bernoulli(0.5)\n"
      " y ~ categorical(x ? [0.5, 0.25, 0.25] : [0.125, 0.0, 0.875])\n }\n"
      "query q on m { observe y == 0\n predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, std::log(0.125), kTol);
  EXPECT_NEAR(b.estimate.upper, std::log(0.5), kTol);
}

TEST(WeightBound, AZeroProbabilityIsAZeroWeightNotABound) {
  // Observed 1 has probability 0.25 or 0: the zero is weight 0, left out of the bound.
  const auto b = boundsOf(
      "model m { x ~ bernoulli(0.5)\n"
      " y ~ categorical(x ? [0.5, 0.25, 0.25] : [0.125, 0.0, 0.875])\n }\n"
      "query q on m { observe y == 1\n predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, std::log(0.25), kTol);
  EXPECT_NEAR(b.estimate.upper, std::log(0.25), kTol);
}

TEST(WeightBound, TermsAddUp) {
  const auto b = boundsOf(
      "model m { x ~ bernoulli(0.5)\n y ~ bernoulli(x ? 0.9 : 0.2)\n z ~ bernoulli(x ? 0.5 : 0.4)\n }\n"
      "query q on m { observe y == true\n observe z == true\n predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, std::log(0.2) + std::log(0.4), kTol);
  EXPECT_NEAR(b.estimate.upper, std::log(0.9) + std::log(0.5), kTol);
}

TEST(WeightBound, DensitiesAndComputedProbabilitiesAreUnbounded) {
  // A normal density can exceed 1 and come arbitrarily close to 0: nothing is claimed.
  auto b = boundsOf(
      "model m { x ~ normal(0, 1)\n y ~ normal(x, 1)\n }\n"
      "query q on m { observe y == 0.5\n predict x\n }\n");
  EXPECT_TRUE(std::isinf(b.estimate.lower) && b.estimate.lower < 0);
  EXPECT_TRUE(std::isnan(mv_rt_weight_scale(b.estimate.lower, b.estimate.upper)));
  // p from a continuous site: no finite set of values.
  b = boundsOf(
      "model m { p ~ beta(2, 2)\n y ~ bernoulli(p)\n }\n"
      "query q on m { observe y == true\n predict p\n }\n");
  EXPECT_TRUE(std::isnan(mv_rt_weight_scale(b.estimate.lower, b.estimate.upper)));
}

TEST(WeightBound, NoEvidenceIsWeightOne) {
  const auto b = boundsOf("model m { x ~ bernoulli(0.5)\n }\nquery q on m { predict x\n }\n");
  EXPECT_NEAR(b.estimate.lower, 0, kTol);
  EXPECT_NEAR(b.estimate.upper, 0, kTol);
  EXPECT_FALSE(std::isnan(mv_rt_weight_scale(b.estimate.lower, b.estimate.upper)));
}

TEST(WeightScale, TheRuleTakesTheUpperBoundWithinTheSpan) {
  EXPECT_EQ(mv_rt_weight_scale(-3, -1), -1);
  EXPECT_EQ(mv_rt_weight_scale(-MV_RT_LINEAR_SPAN, 0), 0);
  EXPECT_TRUE(std::isnan(mv_rt_weight_scale(-MV_RT_LINEAR_SPAN - 1e-3, 0)));
  EXPECT_TRUE(std::isnan(mv_rt_weight_scale(-INFINITY, 0)));
  EXPECT_TRUE(std::isnan(mv_rt_weight_scale(-1, INFINITY)));
  // exp of the span's end is at least 2^-64: its square stays a normal double with room.
  EXPECT_GE(std::exp(-MV_RT_LINEAR_SPAN), std::ldexp(1.0, -64));
}

}  // namespace
}  // namespace mv::test

namespace mv::test {
namespace {

// Soundness on every example: each sample's non-zero log weights (estimate and full) lie
// within the bounds, and the benchmark networks get a fixed scale (linear-space sums).
TEST(WeightBound, EverySampleOfEveryExampleLiesWithinItsBounds) {
  int bounded = 0, total = 0, networks = 0, networksFixed = 0;
  for (const std::string& f : exampleFiles()) {
    std::string errors;
    for (const ir::QueryGraph& g : compileText(f, readText(f), &errors)) {
      if (!g.data.empty()) continue;  // needs a data file
      const backend::WeightBounds b = backend::weightBounds(g);
      ++total;
      const bool isNetwork = f.find("/networks/") != std::string::npos;
      networks += isNetwork;
      networksFixed += isNetwork && !std::isnan(backend::weightScales(g).estimate);
      if (std::isinf(b.estimate.lower) && std::isinf(b.full.lower)) continue;
      ++bounded;
      backend::Interpreter interp(g, nullptr);
      std::vector<double> preds(std::max<size_t>(g.predictions.size(), 1));
      for (uint64_t i = 0; i < 2000; ++i) {
        double lw = 0, full = 0;
        mv_rt_error err{};
        if (backend::Interpreter::sampleFn(&interp, 7, i, &lw, &full, preds.data(), &err) != 0) break;
        for (auto [x, bound] : {std::pair{lw, b.estimate}, std::pair{full, b.full}}) {
          if (x == -INFINITY || std::isinf(bound.lower)) continue;
          ASSERT_GE(x, bound.lower) << f << " " << g.name << " sample " << i;
          ASSERT_LE(x, bound.upper + 1e-9 * (1 + std::fabs(bound.upper))) << f << " " << g.name << " sample " << i;
        }
      }
    }
  }
  EXPECT_GT(bounded, total / 2);
  EXPECT_EQ(networksFixed, networks);
}

}  // namespace
}  // namespace mv::test
