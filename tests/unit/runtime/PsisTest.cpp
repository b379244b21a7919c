// tests/unit/runtime/PsisTest.cpp — k-hat against ArviZ's algorithm (psis_reference.py) and the top-weights merge.
#include "runtime/Psis.h"
#include "runtime/TopWeights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

using mv::rt::TopWeights;

/// The data of psis_reference.py: u_i = frac((i + 1) * golden ratio); Pareto log weights
/// -c log u (shape c) or smooth bounded ones.
std::vector<double> data(size_t n, double c, const std::string& kind) {
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) {
    const double u = std::fmod(double(i + 1) * 0.6180339887498949, 1.0);
    out.push_back(kind == "pareto" ? -c * std::log(u) : c * std::sin(7.0 * u) * std::cos(3.0 * double(i)));
  }
  return out;
}

double khatOf(const std::vector<double>& lw) {
  TopWeights top(TopWeights::capacityFor(lw.size()));
  for (double v : lw) top.add(v);
  top.trim();
  return mv::rt::paretoKHat(top.largest(top.capacity()), lw.size());
}

struct Case {
  size_t n;
  double c;
  const char* kind;
  double khat;  // printed by tests/unit/runtime/psis_reference.py
};

TEST(Psis, KHatMatchesTheReferenceAlgorithm) {
  const Case cases[] = {
      {1000, 0.5, "pareto", 0.46645190515037016},  {1000, 1.2, "pareto", 1.0623846928590985},
      {10000, 0.3, "pareto", 0.2870855787979251},  {10000, 2.0, "pareto", 1.9031942179406356},
      {5000, 3.0, "smooth", -1.0930513881317174},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.n) + " " + c.kind + " " + std::to_string(c.c));
    EXPECT_NEAR(khatOf(data(c.n, c.c, c.kind)), c.khat, 1e-12 * std::fabs(c.khat));
  }
}

TEST(Psis, TooShortATailHasNoKHat) {
  // 20 samples: a tail of 4 (ArviZ reports inf and warns); and weights that are all equal.
  EXPECT_TRUE(std::isnan(khatOf(data(20, 0.5, "pareto"))));
  EXPECT_TRUE(std::isnan(khatOf(std::vector<double>(100000, -1.5))));
  EXPECT_TRUE(std::isnan(mv::rt::paretoKHat({}, 100)));
}

TEST(Psis, ZeroWeightsAreBelowTheCutoff) {
  // 1000 samples of which 900 have weight 0: the cutoff is log(DBL_MIN) above the max, the
  // tail the 95 largest of the 100 non-zero weights... as if the zero weights were tiny.
  std::vector<double> lw = data(1000, 0.5, "pareto");
  std::vector<double> reference = lw;
  for (size_t i = 0; i < lw.size(); ++i)
    if (i % 10 != 0) {
      lw[i] = -INFINITY;
      reference[i] = -1e300;
    }
  EXPECT_EQ(khatOf(lw), khatOf(reference));
}

TEST(Psis, TopWeightsDoNotDependOnTheSplitOrTheFloor) {
  const std::vector<double> lw = data(20000, 0.7, "pareto");
  TopWeights whole(TopWeights::capacityFor(lw.size()));
  for (double v : lw) whole.add(v);
  whole.trim();
  const std::vector<double> expected = whole.largest(whole.capacity());
  ASSERT_EQ(expected.size(), whole.capacity());
  for (size_t block : {1u, 7u, 4096u, 5000u}) {
    SCOPED_TRACE(block);
    // Merge blocks right to left, each with the floor the merged part certifies so far.
    TopWeights merged(whole.capacity());
    for (size_t end = lw.size(); end > 0;) {
      const size_t begin = end > block ? end - block : 0;
      TopWeights part(whole.capacity());
      const double floor = merged.certifiedFloor() == -INFINITY ? -1e308 : merged.certifiedFloor();
      part.setFloor(floor);
      for (size_t i = begin; i < end; ++i) part.add(lw[i]);
      part.trim();
      part.merge(merged, floor);
      merged = part;
      end = begin;
    }
    EXPECT_EQ(merged.largest(merged.capacity()), expected);
  }
}

TEST(Psis, TiesAtTheFloorKeepEnoughCopies) {
  // Weights from a handful of values (as discrete models give): the floor soon equals a
  // value that many samples share; blocks skip values equal to it, yet the merged top must
  // hold as many copies as the whole run's top.
  std::vector<double> lw;
  for (size_t i = 0; i < 30000; ++i) lw.push_back(i % 11 == 0 ? -0.5 : i % 3 == 0 ? -1.0 : -2.0);
  lw[12345] = 0.0;
  TopWeights whole(TopWeights::capacityFor(lw.size()));
  for (double v : lw) whole.add(v);
  whole.trim();
  const std::vector<double> expected = whole.largest(whole.capacity());
  for (size_t block : {3u, 100u, 4096u}) {
    SCOPED_TRACE(block);
    TopWeights merged(whole.capacity());
    for (size_t begin = 0; begin < lw.size(); begin += block) {
      const double floor = merged.certifiedFloor() == -INFINITY ? -1e308 : merged.certifiedFloor();
      TopWeights part(whole.capacity());
      part.setFloor(floor);
      for (size_t i = begin; i < std::min(lw.size(), begin + block); ++i) part.add(lw[i]);
      part.trimIfFull();
      merged.merge(part, floor);
    }
    EXPECT_EQ(merged.largest(merged.capacity()), expected);
  }
}

TEST(Psis, TailLength) {
  EXPECT_EQ(mv::rt::psisTailLength(1000), 95u);    // 3 sqrt(1000) = 94.9
  EXPECT_EQ(mv::rt::psisTailLength(100), 20u);     // N / 5
  EXPECT_EQ(mv::rt::psisTailLength(1000000), 3000u);
  EXPECT_EQ(TopWeights::capacityFor(1000000), 3001u);
}

}  // namespace
