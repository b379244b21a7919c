// tests/unit/runtime/SummaryTest.cpp — value probabilities, sd, histogram and merge order of Summary.
#include "runtime/Summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace mv::rt {
namespace {

TEST(Summary, IntegralValuesGetTheirWeightedProbabilities) {
  Summary s(1);
  const double values[] = {0, 1, 1, 2};
  const double logW[] = {std::log(1.0), std::log(2.0), std::log(1.0), std::log(4.0)};
  for (int i = 0; i < 4; ++i) s.add(logW[i], &values[i]);
  double other = -1;
  auto dist = s.prediction(0).distribution(&other);
  ASSERT_EQ(dist.size(), 3u);
  EXPECT_DOUBLE_EQ(dist[0].second, 1.0 / 8);
  EXPECT_DOUBLE_EQ(dist[1].second, 3.0 / 8);
  EXPECT_DOUBLE_EQ(dist[2].second, 4.0 / 8);
  EXPECT_EQ(other, 0);
  EXPECT_TRUE(s.prediction(0).integral());
}

TEST(Summary, BeyondTheCapValuesAreOther) {
  Summary s(1);
  for (int v = 0; v < 100; ++v) {
    double x = v;
    s.add(0, &x);
  }
  double other = 0;
  auto dist = s.prediction(0).distribution(&other);
  EXPECT_EQ(dist.size(), PredictionSummary::kMaxValues);
  EXPECT_DOUBLE_EQ(other, 36.0 / 100);
}

TEST(Summary, RealValuesGiveSdAndHistogram) {
  Summary s(1);
  for (double x : {1.5, 2.5, 1.5, 2.5}) s.add(0, &x);
  EXPECT_FALSE(s.prediction(0).integral());
  EXPECT_DOUBLE_EQ(s.prediction(0).sd(), 0.5);
  double lo = 0, hi = 0;
  std::string spark = s.prediction(0).sparkline(&lo, &hi);
  EXPECT_LE(lo, 1.5);
  EXPECT_GT(hi, 2.5);
  EXPECT_NE(spark.find("█"), std::string::npos);
}

TEST(Summary, SdOfValuesNearTheTopOfTheRangeIsFinite) {
  // sd = 1.5e308 for equal weights on +-1.5e308: the plain sum of w d^2 overflowed from ~1e154.
  Summary a(1), b(1), merged(1);
  for (double x : {1.5e308, -1.5e308}) a.add(0, &x);
  for (double x : {-1.5e308, 1.5e308}) b.add(0, &x);
  EXPECT_DOUBLE_EQ(a.prediction(0).sd(), 1.5e308);
  merged.merge(a);
  merged.merge(b);
  EXPECT_DOUBLE_EQ(merged.prediction(0).sd(), 1.5e308);
  Summary ordinary(1);
  for (double x : {1.0, 3.0, 1e300, -1e300}) ordinary.add(0, &x);
  EXPECT_NEAR(ordinary.prediction(0).sd(), std::sqrt(0.5) * 1e300, 1e-12 * 1e300);
}

TEST(Summary, BlockMergesAreRepeatableAndCoverEveryValue) {
  std::vector<double> xs;
  for (int i = 0; i < 4000; ++i) xs.push_back(std::sin(i * 0.37) * (i % 7 == 0 ? 1000 : 3));
  auto block = [&](size_t b) {
    Summary s(1);
    for (size_t i = b * 500; i < (b + 1) * 500; ++i) s.add(-double(i % 5), &xs[i]);
    return s;
  };
  Summary tree(1), left(1), right(1);
  for (size_t b = 0; b < 4; ++b) left.merge(block(b));
  for (size_t b = 4; b < 8; ++b) right.merge(block(b));
  tree.merge(left);
  tree.merge(right);
  Summary again(1), l2(1), r2(1);
  for (size_t b = 0; b < 4; ++b) l2.merge(block(b));
  for (size_t b = 4; b < 8; ++b) r2.merge(block(b));
  again.merge(l2);
  again.merge(r2);
  double lo1, hi1, lo2, hi2;
  EXPECT_EQ(tree.prediction(0).sparkline(&lo1, &hi1), again.prediction(0).sparkline(&lo2, &hi2));
  EXPECT_EQ(lo1, lo2);
  EXPECT_EQ(hi1, hi2);
  EXPECT_EQ(tree.prediction(0).sd(), again.prediction(0).sd());
  // And the histogram of the merged blocks covers every value.
  EXPECT_LE(lo1, -1000 * 0.99);
  EXPECT_GE(hi1, 999.0 * 0.99);
}

}  // namespace
}  // namespace mv::rt
