// tests/unit/passes/EvidencePruningTest.cpp — separating d-separated evidence keeps the answer and the log evidence
// and raises the ESS.
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

size_t separatedCount(const ir::QueryGraph& g) {
  size_t n = 0;
  for (const ir::Evidence& e : g.evidence) n += e.separated;
  return n;
}

/// Pruned and unpruned runs of every query of `model`: `separated` pieces of evidence are
/// separated; both estimates lie within 4 standard errors of the exact answer; the log
/// evidence is the same (all evidence) and near the exact one; the ESS rises.
void expectPruningKeepsAnswers(const char* model, size_t separated) {
  passes::PipelineOptions all;
  std::vector<ir::QueryGraph> pruned = compileWith("p.mv", model, all);
  std::vector<ir::QueryGraph> kept = compileWith("p.mv", model, without({"prune-evidence"}));
  for (size_t q = 0; q < pruned.size(); ++q) {
    ASSERT_EQ(separatedCount(pruned[q]), separated) << pruned[q].name;
    ASSERT_EQ(pruned[q].evidence.size(), kept[q].evidence.size());  // nothing is deleted
    ASSERT_EQ(separatedCount(kept[q]), 0u);
    ASSERT_TRUE(pruned[q].hasSeparatedWeight());
    backend::ExactResult exact = backend::runExact(kept[q], {});
    ASSERT_EQ(exact.failure, backend::ExactFailure::None);
    backend::ExactResult exactPruned = backend::runExact(pruned[q], {});
    EXPECT_NEAR(exactPruned.logEvidence, exact.logEvidence, 1e-12 * std::fabs(exact.logEvidence));
    rt::RunResult a = interpret(pruned[q], 100000), b = interpret(kept[q], 100000);
    for (int k = 0; k < int(pruned[q].predictions.size()); ++k) {
      EXPECT_NEAR(exactPruned.means[size_t(k)], exact.means[size_t(k)], 1e-12);  // the theory: equal answers
      EXPECT_LE(std::fabs(a.acc.mean(k) - exact.means[size_t(k)]), 4 * a.acc.stderror(k));
      EXPECT_LE(std::fabs(b.acc.mean(k) - exact.means[size_t(k)]), 4 * b.acc.stderror(k));
    }
    // The full weights are the unpruned ones, sample by sample: the same log evidence.
    EXPECT_NEAR(a.logEvidence(), b.logEvidence(), 1e-12 * std::fabs(b.logEvidence())) << pruned[q].name;
    double se = std::sqrt(100000 / b.acc.ess() - 1) / std::sqrt(100000.0);  // delta method
    EXPECT_NEAR(a.logEvidence(), exact.logEvidence, 4 * se) << pruned[q].name;
    EXPECT_GT(a.acc.ess(), 1.5 * b.acc.ess()) << pruned[q].name;
  }
}

TEST(EvidencePruning, AnswersAndLogEvidenceUnchangedWhileEssRises) { expectPruningKeepsAnswers(kModel, 1); }

// Separated evidence that the inversion passes give proposals: d by a point proposal for
// its flip noise u, h by noisy-OR proposals for its leaks. Their weights leave the estimate
// weight, not the full one.
TEST(EvidencePruning, InvertedSeparatedEvidenceKeepsAnswers) {
  expectPruningKeepsAnswers(R"(
model m {
  a ~ bernoulli(0.3)
  b ~ bernoulli(a ? 0.9 : 0.2)
  g ~ bernoulli(0.6)
  u ~ bernoulli(0.1)
  d = g != u
  l1 ~ bernoulli(0.2)
  l2 ~ bernoulli(0.3)
  h = l1 || (g && l2)
}
query inv on m {
  observe b == true
  observe d == true
  observe h == true
  predict a
}
)", 2);
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

// Consistency: y' keeps y's value where x' = x, so the factual evidence on y (and on x)
// reaches the prediction of y' and is not separated.
TEST(EvidencePruning, KeepsEvidenceOnASiteThatConsistencyCarriesIntoTheWorld) {
  std::vector<ir::QueryGraph> gs = compileWith("p.mv", R"(
model m {
  x ~ bernoulli(0.5)
  y ~ bernoulli(x ? 0.9 : 0.2)
}
query q on m {
  observe x == true
  observe y == false
  do x = true
  predict y
}
)", passes::PipelineOptions{});
  EXPECT_EQ(separatedCount(gs.at(0)), 0u);
  backend::ExactResult r = backend::runExact(gs.at(0), {});
  ASSERT_EQ(r.failure, backend::ExactFailure::None);
  EXPECT_EQ(r.means.at(0), 0.0);
}

}  // namespace
}  // namespace mv::test
