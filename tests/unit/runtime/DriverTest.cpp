// tests/unit/runtime/DriverTest.cpp — the parallel driver: determinism across thread counts, error reporting.
#include "runtime/Driver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <set>
#include <utility>
#include <vector>

namespace {

using mv::rt::RunConfig;
using mv::rt::RunResult;

const double kInf = INFINITY;

struct Ctx {
  std::set<uint64_t> failAt;     // samples that report a domain error
  uint64_t nanWeightAt = ~0ull;  // sample whose log weight is NaN
  uint64_t nanPredAt = ~0ull;    // sample whose prediction 1 is NaN
  bool nanPredZeroWeight = false;
  uint64_t infPredAt = ~0ull;    // sample whose prediction 0 is -inf
};

// x ~ normal(0, 1); observe y = 1 ~ normal(x, 1); predict x and x^2.
// Posterior x | y is normal(1/2, 1/2); the evidence is normal(1; 0, 2).
int32_t sampleFn(void* ctxp, uint64_t seed, uint64_t sample, double* logWeight, double* fullLogWeight, double* preds,
                 mv_rt_error* err) {
  const Ctx& ctx = *static_cast<const Ctx*>(ctxp);
  if (ctx.failAt.count(sample)) {
    *err = mv_rt_error{MV_RT_DOMAIN, 7, 1, -2.0, 0};
    return 1;
  }
  mv_rt_stream s = mv_rt_stream_for(seed, sample, 0, 0);
  const double prior[] = {0, 1};
  const double x = mv_rt_draw_normal(&s, prior, 2);
  const double lik[] = {x, 1};
  *logWeight = mv_rt_logpdf_normal(1.0, lik, 2);
  preds[0] = x;
  preds[1] = x * x;
  if (sample == ctx.nanWeightAt) *logWeight = NAN;
  if (sample == ctx.nanPredAt) {
    preds[1] = NAN;
    if (ctx.nanPredZeroWeight) *logWeight = -kInf;
  }
  if (sample == ctx.infPredAt) preds[0] = -kInf;
  *fullLogWeight = *logWeight;
  return 0;
}

RunResult runWith(Ctx& ctx, int threads, uint64_t samples = 100003, uint64_t blockSize = 1000) {
  RunConfig config;
  config.samples = samples;
  config.seed = 11;
  config.threads = threads;
  config.numPredictions = 2;
  config.blockSize = blockSize;
  return mv::rt::run(config, sampleFn, &ctx);
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(Driver, EstimatesMatchTheExactPosterior) {
  Ctx ctx;
  const RunResult r = runWith(ctx, 0);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.acc.count(), 100003u);
  EXPECT_NEAR(r.acc.mean(0), 0.5, 5 * r.acc.stderror(0));
  EXPECT_NEAR(r.acc.mean(1), 0.75, 5 * r.acc.stderror(1));  // E[x^2] = 1/2 + 1/4
  // log normal(1; 0, sqrt 2) = -1/4 - log(2 sqrt(pi)). Its estimator's relative standard
  // error is sqrt(N / ess - 1) / sqrt(N) (w / mean w has variance N / ess - 1).
  const double exact = -0.25 - std::log(2 * std::sqrt(std::numbers::pi));
  const double n = double(r.acc.count());
  EXPECT_NEAR(r.acc.logEvidence(), exact, 5 * std::sqrt(n / r.acc.ess() - 1) / std::sqrt(n));
  EXPECT_GE(r.seconds, 0);
}

TEST(Driver, BitIdenticalForAnyThreadCount) {
  Ctx ctx;
  const RunResult one = runWith(ctx, 1);
  for (int threads : {2, 8}) {
    SCOPED_TRACE(threads);
    const RunResult r = runWith(ctx, threads);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.acc.count(), one.acc.count());
    EXPECT_EQ(r.acc.nonzero(), one.acc.nonzero());
    for (int k = 0; k < 2; ++k) {
      EXPECT_TRUE(sameBits(r.acc.mean(k), one.acc.mean(k)));
      EXPECT_TRUE(sameBits(r.acc.stderror(k), one.acc.stderror(k)));
    }
    EXPECT_TRUE(sameBits(r.acc.ess(), one.acc.ess()));
    EXPECT_TRUE(sameBits(r.acc.logEvidence(), one.acc.logEvidence()));
  }
}

TEST(Driver, TopWeightsAndKHatAreBitIdenticalForAnyThreadCount) {
  Ctx ctx;
  const RunResult one = runWith(ctx, 1);
  const std::vector<double> top = one.top.largest(one.top.capacity());
  ASSERT_EQ(top.size(), one.top.capacity());  // ceil(3 sqrt(100003)) + 1 = 950
  for (int threads : {2, 8}) {
    SCOPED_TRACE(threads);
    const RunResult r = runWith(ctx, threads);
    EXPECT_EQ(r.top.largest(r.top.capacity()), top);
    EXPECT_TRUE(sameBits(r.acc.maxWeight(), one.acc.maxWeight()));
  }
}

RunResult runToTarget(Ctx& ctx, int threads, double targetStderr, double targetEss, uint64_t samples = 1000000) {
  RunConfig config;
  config.samples = samples;
  config.seed = 11;
  config.threads = threads;
  config.numPredictions = 2;
  config.blockSize = 1000;
  config.targetStderr = targetStderr;
  config.targetEss = targetEss;
  return mv::rt::run(config, sampleFn, &ctx);
}

TEST(Driver, TargetStopsAtARoundEndLikeAPlainRunOfThatSize) {
  Ctx ctx;
  for (auto [se, ess] : {std::pair{0.005, 0.0}, std::pair{0.0, 30000.0}, std::pair{0.004, 20000.0}}) {
    SCOPED_TRACE(se);
    const RunResult r = runToTarget(ctx, 1, se, ess);
    ASSERT_TRUE(r.ok);
    EXPECT_TRUE(r.targetMet);
    const uint64_t n = r.acc.count();
    EXPECT_LT(n, 1000000u);
    EXPECT_EQ(n % 1000, 0u);
    EXPECT_EQ((n / 1000) & (n / 1000 - 1), 0u);  // rounds end after 1, 2, 4, ... blocks
    if (se > 0) {
      EXPECT_LT(r.acc.stderror(0), se);
    }
    if (ess > 0) {
      EXPECT_GT(r.acc.ess(), ess);
    }
    // The round before did not meet it (the run stops at the first round end that does).
    ASSERT_GT(n, 1000u);
    const RunResult before = runWith(ctx, 1, n / 2, 1000);
    EXPECT_FALSE((se == 0 || (before.acc.stderror(0) < se && before.acc.stderror(1) < se)) &&
                 (ess == 0 || before.acc.ess() > ess));
    const RunResult plain = runWith(ctx, 2, n, 1000);
    const RunResult threaded = runToTarget(ctx, 8, se, ess);
    for (const RunResult* other : {&plain, &threaded}) {
      EXPECT_EQ(other->acc.count(), n);
      for (int k = 0; k < 2; ++k) {
        EXPECT_TRUE(sameBits(other->acc.mean(k), r.acc.mean(k)));
        EXPECT_TRUE(sameBits(other->acc.stderror(k), r.acc.stderror(k)));
      }
      // What k-hat reads: the PSIS tail of n samples and its cutoff.
      const size_t tail = mv::rt::TopWeights::capacityFor(n);
      EXPECT_EQ(other->top.largest(tail), r.top.largest(tail));
    }
  }
  // Not reachable within --samples: every sample is used and targetMet is false.
  const RunResult miss = runToTarget(ctx, 2, 1e-9, 0, 50000);
  EXPECT_EQ(miss.acc.count(), 50000u);
  EXPECT_FALSE(miss.targetMet);
}

TEST(Driver, ReportsTheLowestIndexFailure) {
  Ctx ctx;
  ctx.failAt = {70123, 30555, 90001, 99999, 30556};
  for (int threads : {1, 2, 8}) {
    for (int repeat = 0; repeat < 3; ++repeat) {
      const RunResult r = runWith(ctx, threads);
      ASSERT_FALSE(r.ok);
      EXPECT_EQ(r.error.kind, MV_RT_DOMAIN);
      EXPECT_EQ(r.error.node, 7);
      EXPECT_EQ(r.error.param, 1);
      EXPECT_EQ(r.error.value, -2.0);
      EXPECT_EQ(r.error.sample, 30555u);
    }
  }
}

TEST(Driver, NanWeightIsAnError) {
  Ctx ctx;
  ctx.nanWeightAt = 4242;
  const RunResult r = runWith(ctx, 2);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, MV_RT_NAN_WEIGHT);
  EXPECT_EQ(r.error.node, -1);
  EXPECT_EQ(r.error.sample, 4242u);
}

TEST(Driver, NanPredictionWithWeightIsAnError) {
  Ctx ctx;
  ctx.nanPredAt = 777;
  const RunResult r = runWith(ctx, 2);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, MV_RT_NAN_PREDICTION);
  EXPECT_EQ(r.error.param, 1);
  EXPECT_EQ(r.error.sample, 777u);
}

TEST(Driver, InfinitePredictionWithWeightIsAnError) {
  Ctx ctx;
  ctx.infPredAt = 4097;
  const RunResult r = runWith(ctx, 2);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.kind, MV_RT_INF_PREDICTION);
  EXPECT_EQ(r.error.param, 0);
  EXPECT_EQ(r.error.value, -kInf);
  EXPECT_EQ(r.error.sample, 4097u);
}

TEST(Driver, NanPredictionWithZeroWeightIsIgnored) {
  Ctx ctx;
  ctx.nanPredAt = 777;
  ctx.nanPredZeroWeight = true;
  const RunResult r = runWith(ctx, 2);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.acc.count(), 100003u);
  EXPECT_EQ(r.acc.nonzero(), 100002u);
  EXPECT_FALSE(std::isnan(r.acc.mean(1)));
}

TEST(Driver, EdgeSizes) {
  Ctx ctx;
  const RunResult none = runWith(ctx, 2, 0);
  EXPECT_TRUE(none.ok);
  EXPECT_EQ(none.acc.count(), 0u);
  const RunResult tinyBlocks = runWith(ctx, 2, 1001, 1);
  EXPECT_TRUE(tinyBlocks.ok);
  EXPECT_EQ(tinyBlocks.acc.count(), 1001u);
  const RunResult oneBlock = runWith(ctx, 2, 1001, 1u << 20);
  EXPECT_EQ(oneBlock.acc.count(), 1001u);
  EXPECT_NEAR(oneBlock.acc.mean(0), tinyBlocks.acc.mean(0), 1e-12);
}

TEST(Driver, DefaultThreads) { EXPECT_GE(mv::rt::defaultThreads(), 1); }

}  // namespace
