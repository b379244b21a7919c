// tests/unit/passes/EvidencePruningTest.cpp — dropping d-separated evidence keeps the answer and raises the ESS.
#include "backend/Exact.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mv::test {
namespace {

// d is observed, but given b it says nothing about a (factual) or about c' (counterfactual).
const char* kModel = R"(
model m {
  a ~ bernoulli(0.3)
  b ~ bernoulli(a ? 0.9 : 0.2)
  c ~ bernoulli(b ? 0.8 : 0.3)
  g ~ bernoulli(0.6)
  d ~ bernoulli(g ? 0.05 : 0.4)
}
query fq on m {
  observe b == true
  observe d == true
  predict a
}
query twin on m {
  observe b == true
  observe d == true
  do b = false
  predict c
  predict factual a
}
)";

TEST(EvidencePruning, AnswersUnchangedWhileEssRises) {
  passes::PipelineOptions all;
  std::vector<ir::QueryGraph> pruned = compileWith("p.mv", kModel, all);
  std::vector<ir::QueryGraph> kept = compileWith("p.mv", kModel, without({"prune-evidence"}));
  for (size_t q = 0; q < pruned.size(); ++q) {
    ASSERT_EQ(pruned[q].evidence.size(), 1u) << pruned[q].name;
    ASSERT_EQ(kept[q].evidence.size(), 2u);
    backend::ExactResult exact = backend::runExact(kept[q], {});
    ASSERT_EQ(exact.failure, backend::ExactFailure::None);
    backend::ExactResult exactPruned = backend::runExact(pruned[q], {});
    rt::RunResult a = interpret(pruned[q], 100000), b = interpret(kept[q], 100000);
    for (int k = 0; k < int(pruned[q].predictions.size()); ++k) {
      EXPECT_NEAR(exactPruned.means[size_t(k)], exact.means[size_t(k)], 1e-12);  // the theory: equal answers
      EXPECT_LE(std::fabs(a.acc.mean(k) - exact.means[size_t(k)]), 4 * a.acc.stderror(k));
      EXPECT_LE(std::fabs(b.acc.mean(k) - exact.means[size_t(k)]), 4 * b.acc.stderror(k));
    }
    EXPECT_GT(a.acc.ess(), 1.5 * b.acc.ess()) << pruned[q].name;
  }
}

TEST(EvidencePruning, KeepsEvidenceThatMatters) {
  std::vector<ir::QueryGraph> gs = compileWith("p.mv", R"(
model m {
  a ~ bernoulli(0.3)
  b ~ bernoulli(a ? 0.9 : 0.2)
  d ~ bernoulli(b ? 0.7 : 0.1)
}
query q on m {
  observe d == true
  predict a
}
)", passes::PipelineOptions{});
  EXPECT_EQ(gs.at(0).evidence.size(), 1u);
}

}  // namespace
}  // namespace mv::test
