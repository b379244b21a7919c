// tests/unit/runtime/BernoulliThresholdTest.cpp — the integer bernoulli test decides exactly as `u < p` in doubles.
#include "runtime/Runtime.h"
#include "runtime/Uniform.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace {

// The decision as it was made before runtime/Uniform.h: the uniform (k + 0.5) * 2^-52 of the
// top 52 bits, compared with p in doubles (written out here, not taken from the header).
bool doubleDecision(uint64_t r, double p) { return (double(r >> 12) + 0.5) * 0x1p-52 < p; }

bool integerDecision(uint64_t r, double p) { return mv_rt_bernoulli_of_bits(r, mv_rt_bernoulli_threshold(p)) != 0; }

constexpr uint64_t kTop = uint64_t(1) << 52;  // k < 2^52

/// Every p worth trying: each k * 2^-53 boundary of a sample of k and its neighbouring
/// doubles, subnormals, the special values, and random p (uniform and log-uniform).
std::vector<double> probabilities() {
  std::vector<double> ps;
  std::mt19937_64 rng(12);
  std::vector<uint64_t> ks = {0, 1, 2, 3, 4, 5, 7, 8, 1000, kTop - 1, kTop, kTop + 1, 2 * kTop - 3, 2 * kTop - 2,
                              2 * kTop - 1, 2 * kTop};
  for (int i = 0; i < 2000; ++i) ks.push_back(rng() >> 11);  // k in [0, 2^53)
  for (uint64_t k : ks) {
    const double b = std::ldexp(double(k), -53);  // exact: k <= 2^53
    double lo = b, hi = b;
    for (int j = 0; j < 3; ++j) {
      ps.push_back(lo);
      ps.push_back(hi);
      lo = std::nextafter(lo, -1.0);
      hi = std::nextafter(hi, 2.0);
    }
  }
  const double tiny = std::numeric_limits<double>::denorm_min();
  const double minNormal = std::numeric_limits<double>::min();
  for (double p : {0.0, -0.0, tiny, 2 * tiny, 1000 * tiny, minNormal, std::nextafter(minNormal, 0.0), -tiny, -1.0,
                   1.0, std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0), 2.0, 1e300,
                   std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN(), 0x1p-53,
                   0x1p-54, 3 * 0x1p-54, 0.5, 0.25, 0.1, 1.0 / 3})
    ps.push_back(p);
  std::uniform_real_distribution<double> unit(0, 1), expo(-1074, 0);
  for (int i = 0; i < 20000; ++i) ps.push_back(unit(rng));
  for (int i = 0; i < 20000; ++i) ps.push_back(std::exp2(expo(rng)));
  return ps;
}

TEST(BernoulliThreshold, SameDecisionAtEveryBoundary) {
  std::mt19937_64 rng(7);
  size_t checked = 0;
  for (double p : probabilities()) {
    const uint64_t threshold = mv_rt_bernoulli_threshold(p);
    ASSERT_LE(threshold, kTop) << p;
    // The bits at the threshold and one or two either side, with low bits 0, all ones, random;
    // and the extreme k.
    std::vector<uint64_t> ks = {0, 1, kTop - 2, kTop - 1};
    for (int64_t d = -2; d <= 2; ++d) {
      int64_t k = int64_t(threshold) + d;
      if (k >= 0 && uint64_t(k) < kTop) ks.push_back(uint64_t(k));
    }
    for (uint64_t k : ks)
      for (uint64_t low : {uint64_t(0), uint64_t(0xfff), rng() & 0xfff}) {
        const uint64_t r = (k << 12) | low;
        ASSERT_EQ(integerDecision(r, p), doubleDecision(r, p)) << "p = " << p << " (" << std::hexfloat << p
                                                                << "), k = " << k << ", threshold " << threshold;
        ++checked;
      }
  }
  EXPECT_GT(checked, 500000u);
}

TEST(BernoulliThreshold, SameDecisionOnRandomPairs) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 2000000; ++i) {
    const uint64_t r = rng();
    const double p = (i % 4 == 0) ? std::exp2(-60 * unit(rng)) : unit(rng);
    ASSERT_EQ(integerDecision(r, p), doubleDecision(r, p)) << std::hexfloat << p << " " << r;
  }
}

TEST(BernoulliThreshold, SpecialValuesAsTheDoubleTest) {
  EXPECT_EQ(mv_rt_bernoulli_threshold(0.0), 0u);
  EXPECT_EQ(mv_rt_bernoulli_threshold(-0.0), 0u);
  EXPECT_EQ(mv_rt_bernoulli_threshold(-1.0), 0u);
  EXPECT_EQ(mv_rt_bernoulli_threshold(std::numeric_limits<double>::quiet_NaN()), 0u);
  EXPECT_EQ(mv_rt_bernoulli_threshold(0x1p-53), 0u);  // the smallest uniform is 2^-53, not below it
  EXPECT_EQ(mv_rt_bernoulli_threshold(std::nextafter(0x1p-53, 1.0)), 1u);
  EXPECT_EQ(mv_rt_bernoulli_threshold(0.5), kTop / 2);
  EXPECT_EQ(mv_rt_bernoulli_threshold(std::nextafter(1.0, 0.0)), kTop - 1);  // misses only the top k
  EXPECT_EQ(mv_rt_bernoulli_threshold(1.0), kTop);
  EXPECT_EQ(mv_rt_bernoulli_threshold(std::numeric_limits<double>::infinity()), kTop);
}

TEST(BernoulliThreshold, TheRuntimeUsesTheSameRuleAsItsUniform) {
  // mv_rt_next_open01 is mv_rt_uniform_of_bits of the next 64 bits, and mv_rt_draw_bernoulli
  // decides on those bits exactly as comparing that uniform with p would.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 100000; ++i) {
    mv_rt_stream a = mv_rt_stream_for(1, uint64_t(i), 3, 0), b = a, c = a;
    const uint64_t bits = mv_rt_next_u64(&b);
    EXPECT_EQ(mv_rt_next_open01(&a), (double(bits >> 12) + 0.5) * 0x1p-52);
    const double p = unit(rng);
    EXPECT_EQ(mv_rt_draw_bernoulli(&c, &p, 1), doubleDecision(bits, p) ? 1.0 : 0.0);
  }
}

}  // namespace
