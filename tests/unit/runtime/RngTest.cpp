// tests/unit/runtime/RngTest.cpp — counter-based streams: reproducible, distinct, uniform.
#include "runtime/Runtime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace {

TEST(Rng, SameInputsGiveSameStream) {
  mv_rt_stream a = mv_rt_stream_for(42, 7, 3, 1);
  mv_rt_stream b = mv_rt_stream_for(42, 7, 3, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(mv_rt_next_u64(&a), mv_rt_next_u64(&b));
}

TEST(Rng, EachInputChangesTheStream) {
  auto first = [](uint64_t seed, uint64_t sample, uint32_t site, uint32_t world) {
    mv_rt_stream s = mv_rt_stream_for(seed, sample, site, world);
    return mv_rt_next_u64(&s);
  };
  const uint64_t base = first(1, 2, 3, 0);
  EXPECT_NE(first(2, 2, 3, 0), base);
  EXPECT_NE(first(1, 3, 3, 0), base);
  EXPECT_NE(first(1, 2, 4, 0), base);
  EXPECT_NE(first(1, 2, 3, 1), base);
  // Swapping site and world, or sample and seed, must not alias.
  EXPECT_NE(first(1, 2, 0, 3), base);
  EXPECT_NE(first(2, 1, 3, 0), base);
}

TEST(Rng, ManyStreamsAreDistinct) {
  std::set<uint64_t> seen;
  for (uint64_t sample = 0; sample < 100; ++sample)
    for (uint32_t site = 0; site < 50; ++site)
      for (uint32_t world = 0; world < 2; ++world) {
        mv_rt_stream s = mv_rt_stream_for(0, sample, site, world);
        seen.insert(mv_rt_next_u64(&s));
      }
  EXPECT_EQ(seen.size(), 100u * 50u * 2u);
}

TEST(Rng, SeedZeroIsAnOrdinaryStream) {
  mv_rt_stream s = mv_rt_stream_for(0, 0, 0, 0);
  EXPECT_NE(s.state, 0u);
}

TEST(Rng, NextU64IsSplitMix64) {
  // Reference values of SplitMix64 from state 0 (Vigna's splitmix64.c): the first output
  // is 0xe220a8397b1dcdaf.
  mv_rt_stream s{0};
  EXPECT_EQ(mv_rt_next_u64(&s), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(mv_rt_next_u64(&s), 0x6e789e6aa1b965f4ULL);
}

TEST(Rng, Open01IsStrictlyInsideAndUniform) {
  // Mean 1/2 and variance 1/12; the sample variance has standard error
  // sqrt((mu4 - sigma^4) / N) with mu4 = 1/80, sigma^4 = 1/144.
  const int n = 1000000;
  mv_rt_stream s = mv_rt_stream_for(123, 0, 0, 0);
  double sum = 0, sumSq = 0, lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double u = mv_rt_next_open01(&s);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
    sumSq += u * u;
  }
  const double mean = sum / n, var = sumSq / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(var, 1.0 / 12, 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
  EXPECT_LT(lo, 1e-5);
  EXPECT_GT(hi, 1 - 1e-5);
}

TEST(Rng, EveryBitIsBalanced) {
  const int n = 100000;
  int ones[64] = {};
  mv_rt_stream s = mv_rt_stream_for(9, 9, 9, 9);
  for (int i = 0; i < n; ++i) {
    const uint64_t x = mv_rt_next_u64(&s);
    for (int b = 0; b < 64; ++b) ones[b] += int((x >> b) & 1);
  }
  // Binomial(n, 1/2): standard error sqrt(n) / 2.
  for (int b = 0; b < 64; ++b) EXPECT_NEAR(ones[b], n / 2.0, 5 * std::sqrt(double(n)) / 2) << "bit " << b;
}

}  // namespace
