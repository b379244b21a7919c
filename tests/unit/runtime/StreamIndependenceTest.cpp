// tests/unit/runtime/StreamIndependenceTest.cpp — different sites' streams never overlap and are statistically independent.
#include "runtime/Runtime.h"
#include "runtime/Stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

/// The k-th 64 random bits (k = 1, 2, ...) of the stream of (seed, sample, site, world).
using Bits = uint64_t (*)(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world, int k);

uint64_t streamBits(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world, int k) {
  mv_rt_stream s = mv_rt_stream_for(seed, sample, site, world);
  uint64_t x = 0;
  for (int i = 0; i < k; ++i) x = mv_rt_next_u64(&s);
  return x;
}

/// A deliberately weak derivation (the state's own bits, the site key unmixed): what the
/// statistic must reject, so that its passing the real streams means something.
uint64_t weakBits(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world, int k) {
  return mv_rt_sample_key(mv_rt_seed_key(seed), sample) + (uint64_t(site) << 32 | world) + uint64_t(k) * MV_RT_GOLDEN;
}

struct Stream {
  uint32_t site, world;
  int k;
};

/// Over `seeds` seeds and `samples` samples each: for every pair of streams in `pairs` and
/// every 2-bit field at the positions the uniforms use, the 4x4 table of the two streams'
/// fields; each table's chi-square against the uniform joint distribution (15 degrees of
/// freedom) is summed over all tables. Returns the sum as a z-score, (X - df) / sqrt(2 df).
double chiSquareZ(Bits bits, int seeds, int samples, const std::vector<std::pair<Stream, Stream>>& pairs) {
  const int positions[] = {62, 51, 40, 28, 12};  // 12: the lowest bit a uniform uses
  double x = 0;
  double df = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    for (const auto& [a, b] : pairs) {
      double cells[5][16] = {};
      for (int i = 0; i < samples; ++i) {
        const uint64_t u = bits(uint64_t(seed), uint64_t(i), a.site, a.world, a.k);
        const uint64_t v = bits(uint64_t(seed), uint64_t(i), b.site, b.world, b.k);
        for (int p = 0; p < 5; ++p) cells[p][((u >> positions[p]) & 3) * 4 + ((v >> positions[p]) & 3)] += 1;
      }
      const double expected = samples / 16.0;
      for (auto& table : cells) {
        for (double c : table) x += (c - expected) * (c - expected) / expected;
        df += 15;
      }
    }
  }
  return (x - df) / std::sqrt(2 * df);
}

/// Adjacent sites in world 0, the same site in adjacent worlds, and a site's second uniform
/// against the next site's first.
std::vector<std::pair<Stream, Stream>> neighbourPairs() {
  std::vector<std::pair<Stream, Stream>> pairs;
  for (uint32_t j = 0; j < 16; ++j) {
    pairs.push_back({{j, 0, 1}, {j + 1, 0, 1}});
    pairs.push_back({{j, 0, 1}, {j, 1, 1}});
    pairs.push_back({{j, 0, 2}, {j + 1, 0, 1}});
  }
  return pairs;
}

TEST(StreamIndependence, NeighbouringSitesAndWorldsPassAChiSquareOverTheirBits) {
  // 32 seeds x 48 pairs x 5 fields = 7680 tables of 4096 samples (256 expected per cell).
  // Fixed inputs, so the outcome is fixed; |z| < 5 is what independent uniform bits give
  // with probability 1 - 6e-7.
  const double z = chiSquareZ(streamBits, 32, 4096, neighbourPairs());
  EXPECT_LT(std::fabs(z), 5.0) << "z = " << z;
}

TEST(StreamIndependence, TheStatisticRejectsCorrelatedStreams) {
  const double z = chiSquareZ(weakBits, 4, 4096, neighbourPairs());
  EXPECT_GT(z, 100.0) << "z = " << z;
}

TEST(StreamIndependence, NoTwoStreamsOverlapInTheirFirst2To30Uniforms) {
  // Stream (site, world) of a sample with key h draws its k-th uniform from
  // h + K + k G = h + (P + k) G with P = K G^-1 (mod 2^64): every stream is a run of one
  // Weyl sequence, starting at P. Two streams share an input only if their P are less than
  // their draw counts apart on the circle of 2^64, whatever the seed and the sample. Here:
  // every pair among 2^14 sites x 8 worlds is at least 2^30 apart.
  uint64_t inv = MV_RT_GOLDEN;  // Newton's iteration for the inverse of an odd number mod 2^64
  for (int i = 0; i < 6; ++i) inv *= 2 - MV_RT_GOLDEN * inv;
  ASSERT_EQ(inv * MV_RT_GOLDEN, 1u);
  std::vector<uint64_t> starts;
  for (uint32_t site = 0; site < (1u << 14); ++site)
    for (uint32_t world = 0; world < 8; ++world) starts.push_back(mv_rt_site_key(site, world) * inv);
  std::sort(starts.begin(), starts.end());
  uint64_t gap = starts.front() - starts.back();  // around the circle (mod 2^64)
  for (size_t i = 1; i < starts.size(); ++i) gap = std::min(gap, starts[i] - starts[i - 1]);
  EXPECT_GE(gap, uint64_t(1) << 30);
}

TEST(StreamIndependence, OneSamplesStreamsAreTheSampleKeyPlusTheSiteKey) {
  // The derivation the engines follow (runtime/Stream.h): the stream's state is the sample
  // key plus the site's constant, and its first uniform is one mix of that.
  const uint64_t key = mv_rt_sample_key(mv_rt_seed_key(7), 11);
  mv_rt_stream s = mv_rt_stream_for(7, 11, 5, 2);
  EXPECT_EQ(s.state, key + mv_rt_site_key(5, 2));
  EXPECT_EQ(mv_rt_next_u64(&s), mv_rt_mix64(key + mv_rt_site_key(5, 2) + MV_RT_GOLDEN));
}

}  // namespace
