// tests/unit/runtime/WeightScaleTest.cpp — the driver's weight-scale rule: a fixed scale (linear sums) and the per-block max.
#include "runtime/Driver.h"
#include "runtime/WeightScale.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace {

using mv::rt::RunConfig;
using mv::rt::RunResult;

// x ~ bernoulli(0.3); observe y == true with y ~ bernoulli(x ? 0.9 : 0.2); predict x.
// Log weights take two values, log 0.9 and log 0.2 (every 7th sample weight 0 besides).
int32_t discreteFn(void*, uint64_t seed, uint64_t sample, double* logWeight, double* fullLogWeight, double* preds,
                   mv_rt_error*) {
  mv_rt_stream s = mv_rt_stream_for(seed, sample, 0, 0);
  const double p[] = {0.3};
  const double x = mv_rt_draw_bernoulli(&s, p, 1);
  *logWeight = sample % 7 == 3 ? -INFINITY : std::log(x == 1.0 ? 0.9 : 0.2);
  *fullLogWeight = *logWeight;
  preds[0] = x;
  return 0;
}

RunResult runWith(double scale, int threads, bool summarize = false) {
  RunConfig config;
  config.samples = 50021;
  config.seed = 5;
  config.threads = threads;
  config.numPredictions = 1;
  config.blockSize = 1000;
  config.summarize = summarize;
  config.weightScale = scale;
  return mv::rt::run(config, discreteFn, nullptr);
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The run's sums computed here independently, in long double from the same samples.
struct Direct {
  long double sumW = 0, sumW2 = 0, sumWX = 0, maxW = 0;
  uint64_t n = 0;
};
Direct direct() {
  Direct d;
  double preds[1];
  for (uint64_t i = 0; i < 50021; ++i) {
    double lw, full;
    discreteFn(nullptr, 5, i, &lw, &full, preds, nullptr);
    ++d.n;
    if (lw == -INFINITY) continue;
    const long double w = std::exp((long double)lw);
    d.sumW += w;
    d.sumW2 += w * w;
    d.sumWX += w * preds[0];
    d.maxW = std::max(d.maxW, w);
  }
  return d;
}

void expectRight(const RunResult& r, const Direct& d) {
  const double rel = 1e-13;
  EXPECT_NEAR(r.acc.mean(0), double(d.sumWX / d.sumW), rel);
  EXPECT_NEAR(r.acc.ess(), double(d.sumW * d.sumW / d.sumW2), rel * double(d.n));
  EXPECT_NEAR(r.acc.maxWeight(), double(d.maxW / d.sumW), rel * double(d.maxW / d.sumW));
  EXPECT_NEAR(r.logEvidence(), double(std::log(d.sumW / d.n)), rel);
}

TEST(WeightScale, FixedAndPerBlockScalesBothGiveTheRightSums) {
  const Direct d = direct();
  for (double scale : {std::log(0.9), 0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(scale);
    expectRight(runWith(scale, 1), d);
  }
}

TEST(WeightScale, EachRuleIsBitIdenticalForAnyThreadCount) {
  for (double scale : {std::log(0.9), 0.0, std::numeric_limits<double>::quiet_NaN()}) {
    SCOPED_TRACE(scale);
    const RunResult one = runWith(scale, 1, true);
    for (int threads : {2, 8}) {
      const RunResult r = runWith(scale, threads, true);
      EXPECT_TRUE(sameBits(r.acc.mean(0), one.acc.mean(0)));
      EXPECT_TRUE(sameBits(r.acc.stderror(0), one.acc.stderror(0)));
      EXPECT_TRUE(sameBits(r.acc.ess(), one.acc.ess()));
      EXPECT_TRUE(sameBits(r.acc.maxWeight(), one.acc.maxWeight()));
      EXPECT_TRUE(sameBits(r.logEvidence(), one.logEvidence()));
      EXPECT_TRUE(sameBits(r.summary.prediction(0).sd(), one.summary.prediction(0).sd()));
    }
  }
}

TEST(WeightScale, AFixedScaleSumsLinearWeightsWithoutRescaling) {
  // Scale log 0.9: the weights are exp(lw - log 0.9), exactly 1 for x = 1, and the largest
  // normalised weight exp(peak - scale) / sum w is 1 / sum w.
  const RunResult r = runWith(std::log(0.9), 1);
  const double sumW = std::exp(r.acc.logSumWeights() - std::log(0.9));  // log and exp: ~1e-15 relative
  EXPECT_NEAR(r.acc.maxWeight(), 1.0 / sumW, 1e-13 / sumW);
  // A scale above every weight (0): the largest normalised weight is still right, 0.9 / sum w
  // (before, 1 / sum w assumed the largest weight was 1 at the scale).
  const RunResult z = runWith(0.0, 1);
  EXPECT_NEAR(z.acc.maxWeight(), 0.9 / std::exp(z.acc.logSumWeights()), 1e-13 * z.acc.maxWeight());
}

TEST(WeightScale, AnAccumulatorAtAPresetScaleKeepsIt) {
  mv::rt::Accumulator a(0);
  a.setScale(0.0);
  a.add(std::log(0.5), nullptr);
  a.add(std::log(0.25), nullptr);
  EXPECT_DOUBLE_EQ(a.logSumWeights(), std::log(0.75));  // a sum of exp(lw - 0)
  EXPECT_DOUBLE_EQ(a.maxWeight(), 0.5 / 0.75);
}

}  // namespace
