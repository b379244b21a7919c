// tests/unit/runtime/CancelTest.cpp — RunConfig::cancel stops a run at a block boundary (what the Python module's Ctrl-C sets).
#include "runtime/Driver.h"
#include "runtime/SampleWriter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace {

struct Ctx {
  std::atomic<bool> cancel{false};
  uint64_t cancelAt = ~0ull;           // the sample that sets the flag
  std::atomic<uint64_t> computed{0};
};

int32_t sampleFn(void* p, uint64_t, uint64_t sample, double* logWeight, double* fullLogWeight, double* preds,
                 mv_rt_error*) {
  Ctx& ctx = *static_cast<Ctx*>(p);
  if (sample == ctx.cancelAt) ctx.cancel.store(true);
  ctx.computed.fetch_add(1);
  *logWeight = *fullLogWeight = 0;
  preds[0] = double(sample);
  return 0;
}

mv::rt::RunResult runWith(Ctx& ctx, int threads, uint64_t samples) {
  mv::rt::RunConfig config;
  config.samples = samples;
  config.threads = threads;
  config.numPredictions = 1;
  config.blockSize = 1000;
  config.cancel = &ctx.cancel;
  return mv::rt::run(config, sampleFn, &ctx);
}

TEST(Cancel, StopsAtABlockBoundary) {
  for (int threads : {1, 2, 4}) {
    Ctx ctx;
    ctx.cancelAt = 2500;  // in the third block, of the round of blocks 2..3
    const mv::rt::RunResult r = runWith(ctx, threads, 100000000);
    EXPECT_TRUE(r.cancelled) << threads;
    EXPECT_TRUE(r.ok) << threads;
    // Blocks already begun finish; none begins after the flag is seen (a few may have begun with it).
    EXPECT_LT(ctx.computed.load(), 1000u * (4 + uint64_t(threads))) << threads;
    EXPECT_EQ(ctx.computed.load() % 1000, 0u) << threads;
  }
}

// --samples-out of a cancelled run: exactly the rows of samples 0..n-1 (n the writer's count, a
// whole number of blocks), at every thread count; no row of a block after a skipped one.
TEST(Cancel, SamplesOutHoldsAPrefix) {
  for (int threads : {1, 2, 4, 8}) {
    Ctx ctx;
    ctx.cancelAt = 5500;
    std::FILE* f = std::tmpfile();
    mv::rt::SampleWriter writer(f, {"y"}, {"factual"});
    mv::rt::RunConfig config;
    config.samples = 100000000;
    config.threads = threads;
    config.numPredictions = 1;
    config.blockSize = 1000;
    config.cancel = &ctx.cancel;
    config.samplesOut = &writer;
    const mv::rt::RunResult r = mv::rt::run(config, sampleFn, &ctx);
    EXPECT_TRUE(r.cancelled) << threads;
    const uint64_t n = writer.rowsWritten();
    EXPECT_GE(n, 6000u) << threads;  // the block holding sample 5500 and those before it ran
    EXPECT_EQ(n % 1000, 0u) << threads;
    std::string expected = "index,log_weight,y\n";
    for (uint64_t i = 0; i < n; ++i) {
      const double pred = double(i);
      mv::rt::SampleWriter::formatRow(expected, i, 0.0, &pred, 1);
    }
    std::fflush(f);
    std::rewind(f);
    std::string got;
    char buf[65536];
    for (size_t k; (k = std::fread(buf, 1, sizeof buf, f)) > 0;) got.append(buf, k);
    std::fclose(f);
    EXPECT_TRUE(got == expected) << threads << ": " << got.size() << " bytes, expected " << expected.size();
  }
}

TEST(Cancel, UnsetFlagChangesNothing) {
  Ctx ctx;
  const mv::rt::RunResult r = runWith(ctx, 2, 12345);
  EXPECT_FALSE(r.cancelled);
  EXPECT_EQ(r.acc.count(), 12345u);
  EXPECT_EQ(ctx.computed.load(), 12345u);
}

TEST(Cancel, SetBeforeTheRunDrawsNothing) {
  Ctx ctx;
  ctx.cancel.store(true);
  const mv::rt::RunResult r = runWith(ctx, 2, 12345);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(ctx.computed.load(), 0u);
}

}  // namespace
