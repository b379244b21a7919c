// tests/unit/runtime/DriverScheduleTest.cpp — dynamic block scheduling: no thread waits at a round's end, answers stay bit for bit.
#include "runtime/Driver.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

namespace {

constexpr uint64_t kBlock = 64;

struct Ctx {
  bool holdFirst = false;                // sample 0 waits until a sample of another block has begun
  std::atomic<bool> otherBegan{false};
  std::atomic<bool> sawOther{false};
  std::atomic<uint64_t> beganWhileHeld{0};  // samples of other blocks begun while sample 0 waited
  std::atomic<bool> holding{false};
};

int32_t sampleFn(void* p, uint64_t seed, uint64_t sample, double* logWeight, double* fullLogWeight, double* preds,
                 mv_rt_error*) {
  Ctx& ctx = *static_cast<Ctx*>(p);
  if (ctx.holdFirst && sample == 0) {
    ctx.holding = true;
    // Round 0 is block 0 alone: with a barrier at each round's end nothing else can begin
    // until it ends, and this waits for the deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!ctx.otherBegan && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ctx.sawOther = ctx.otherBegan.load();
    ctx.holding = false;
  } else if (sample >= kBlock) {
    ctx.otherBegan = true;
    if (ctx.holding) ++ctx.beganWhileHeld;
  }
  mv_rt_stream s = mv_rt_stream_for(seed, sample, 0, 0);
  const double prior[] = {0, 1};
  const double x = mv_rt_draw_normal(&s, prior, 2);
  const double lik[] = {x, 1};
  *logWeight = mv_rt_logpdf_normal(1.0, lik, 2);
  *fullLogWeight = *logWeight;
  preds[0] = x;
  return 0;
}

mv::rt::RunResult runWith(Ctx& ctx, int threads) {
  mv::rt::RunConfig config;
  config.samples = 200 * kBlock + 17;
  config.seed = 3;
  config.threads = threads;
  config.numPredictions = 1;
  config.blockSize = kBlock;
  config.summarize = true;
  return mv::rt::run(config, sampleFn, &ctx);
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(DriverSchedule, LaterRoundsRunWhileABlockOfAnEarlierRoundIsStillRunning) {
  Ctx plain;
  const mv::rt::RunResult one = runWith(plain, 1);
  Ctx held;
  held.holdFirst = true;
  const mv::rt::RunResult two = runWith(held, 2);
  EXPECT_TRUE(held.sawOther) << "no other block began while block 0 (round 0) was running";
  EXPECT_GT(held.beganWhileHeld.load(), kBlock) << "the other thread stopped at a round's end";
  ASSERT_TRUE(one.ok && two.ok);
  EXPECT_EQ(two.acc.count(), one.acc.count());
  EXPECT_TRUE(sameBits(two.acc.mean(0), one.acc.mean(0)));
  EXPECT_TRUE(sameBits(two.acc.stderror(0), one.acc.stderror(0)));
  EXPECT_TRUE(sameBits(two.acc.ess(), one.acc.ess()));
  EXPECT_TRUE(sameBits(two.acc.logEvidence(), one.acc.logEvidence()));
  EXPECT_EQ(two.top.largest(two.top.size()), one.top.largest(one.top.size()));
}

}  // namespace
