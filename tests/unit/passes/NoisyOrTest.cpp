// tests/unit/passes/NoisyOrTest.cpp — the noisy-OR proposal: every weight is exactly P(s = v | causes).
#include "backend/Exact.h"
#include "backend/Interpreter.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mv::test {
namespace {

std::string model(bool observed) {
  return std::string(R"(
model m {
  d1   ~ bernoulli(0.3)
  d2   ~ bernoulli(0.6)
  leak ~ bernoulli(0.01)
  l1   ~ bernoulli(0.4)
  l2   ~ bernoulli(0.7)
  s    = leak || (d1 && l1) || (d2 && l2)
}
query q on m {
  observe s == )") + (observed ? "true" : "false") + R"(
  predict d1
  predict d2
  predict l1
  predict leak
}
)";
}

void expectExactWeights(bool observed) {
  ir::QueryGraph g = compileWith("n.mv", model(observed), passes::PipelineOptions{}).at(0);
  int proposed = 0;
  for (const ir::Node& n : g.nodes) proposed += n.kind == ir::NodeKind::Site && n.site.proposal == ir::ProposalKind::Distribution;
  ASSERT_EQ(proposed, 3);
  backend::Interpreter interp(g);
  double preds[4];
  for (uint64_t i = 0; i < 2000; ++i) {
    double logW = 0, fullLogW = 0;
    mv_rt_error err{};
    ASSERT_EQ(interp.sample(1, i, &logW, &fullLogW, preds, &err), 0);
    double none = (1 - 0.01) * (1 - 0.4 * preds[0]) * (1 - 0.7 * preds[1]);
    double expected = observed ? 1 - none : none;
    EXPECT_NEAR(std::exp(logW), expected, 1e-12) << "sample " << i;
  }
  // And the answers agree with exact enumeration.
  backend::ExactResult exact = backend::runExact(g, {});
  rt::RunResult r = interpret(g, 100000);
  for (int k = 0; k < 4; ++k) EXPECT_LE(std::fabs(r.acc.mean(k) - exact.means[size_t(k)]), 4 * r.acc.stderror(k) + 1e-12);
}

TEST(NoisyOr, ObservedTrueWeightIsTheProbabilityOfTheEvidence) { expectExactWeights(true); }
TEST(NoisyOr, ObservedFalseWeightIsTheProbabilityOfTheEvidence) { expectExactWeights(false); }

TEST(NoisyOr, LeavesOtherShapesAlone) {
  ir::QueryGraph g = compileWith("n.mv", R"(
model m {
  a ~ bernoulli(0.3)
  b ~ bernoulli(0.3)
  s = a && b
}
query q on m {
  observe s == true
  predict a
}
)", passes::PipelineOptions{}).at(0);
  for (const ir::Node& n : g.nodes) {
    if (n.kind == ir::NodeKind::Site) {
      EXPECT_EQ(n.site.proposal, ir::ProposalKind::Prior);
    }
  }
}

}  // namespace
}  // namespace mv::test
