// tests/unit/runtime/AccumulatorTest.cpp — the log-space accumulator against a direct two-pass computation.
#include "runtime/Driver.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using mv::rt::Accumulator;

const double kInf = INFINITY;

struct Data {
  std::vector<double> logW;
  std::vector<std::vector<double>> preds;  // preds[i] has 2 values
};

// A fixed weighted data set: log weights spread over ~8 nats, a few zero weights, and
// predictions with a large offset (1e6) so that naive sums of squares would cancel.
Data makeData(int n) {
  Data d;
  for (int i = 0; i < n; ++i) {
    d.logW.push_back(i % 17 == 5 ? -kInf : 4 * std::sin(0.37 * i));
    d.preds.push_back({std::cos(1.3 * i) + 0.1 * i / n, 1e6 + std::sin(2.1 * i)});
  }
  return d;
}

struct Direct {
  double mean[2], se[2], ess, logEvidence;
};

// Two passes with plain weights in long double (so the reference is more accurate than the
// code under test): mu = sum w f / sum w, se = sqrt(sum w^2 (f - mu)^2) / sum w.
Direct direct(const Data& d, double logShift) {
  using LD = long double;
  Direct r{};
  LD sw = 0, sw2 = 0;
  for (double lw : d.logW) {
    const LD w = std::exp(LD(lw));
    sw += w;
    sw2 += w * w;
  }
  for (int k = 0; k < 2; ++k) {
    LD swf = 0;
    for (size_t i = 0; i < d.logW.size(); ++i) swf += std::exp(LD(d.logW[i])) * d.preds[i][k];
    const LD mu = swf / sw;
    LD ss = 0;
    for (size_t i = 0; i < d.logW.size(); ++i) {
      const LD w = std::exp(LD(d.logW[i])), e = d.preds[i][k] - mu;
      ss += w * w * e * e;
    }
    r.mean[k] = double(mu);
    r.se[k] = double(std::sqrt(ss) / sw);
  }
  r.ess = double(sw * sw / sw2);
  r.logEvidence = double(std::log(sw / LD(d.logW.size()))) + logShift;
  return r;
}

Accumulator addRange(const Data& d, size_t begin, size_t end, double logShift = 0) {
  Accumulator acc(2);
  for (size_t i = begin; i < end; ++i) acc.add(d.logW[i] + logShift, d.preds[i].data());
  return acc;
}

void expectMatches(const Accumulator& acc, const Direct& r, double rel) {
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(acc.mean(k), r.mean[k], rel * std::fabs(r.mean[k]) + 1e-15);
    EXPECT_NEAR(acc.stderror(k), r.se[k], rel * r.se[k]);
  }
  EXPECT_NEAR(acc.ess(), r.ess, rel * r.ess);
  EXPECT_NEAR(acc.logEvidence(), r.logEvidence, rel * std::fabs(r.logEvidence) + 1e-12);
}

TEST(Accumulator, MatchesTwoPassComputation) {
  const Data d = makeData(1000);
  const Accumulator acc = addRange(d, 0, d.logW.size());
  EXPECT_EQ(acc.count(), 1000u);
  EXPECT_EQ(acc.nonzero(), 1000u - 59u);  // i % 17 == 5 for 59 values of i below 1000
  expectMatches(acc, direct(d, 0), 1e-10);
}

TEST(Accumulator, MergeOfAnySplitEqualsSequentialAdd) {
  const Data d = makeData(1000);
  const Accumulator seq = addRange(d, 0, 1000);
  const std::vector<std::vector<size_t>> splits = {
      {0, 1, 1000}, {0, 5, 6, 1000}, {0, 333, 999, 1000}, {0, 100, 200, 300, 777, 1000}, {0, 500, 500, 1000}};
  for (const auto& cut : splits) {
    Accumulator merged(2);
    for (size_t j = 0; j + 1 < cut.size(); ++j) merged.merge(addRange(d, cut[j], cut[j + 1]));
    EXPECT_EQ(merged.count(), seq.count());
    EXPECT_EQ(merged.nonzero(), seq.nonzero());
    for (int k = 0; k < 2; ++k) {
      EXPECT_NEAR(merged.mean(k), seq.mean(k), 1e-12 * std::fabs(seq.mean(k)));
      EXPECT_NEAR(merged.stderror(k), seq.stderror(k), 1e-12 * seq.stderror(k));
    }
    EXPECT_NEAR(merged.ess(), seq.ess(), 1e-12 * seq.ess());
    EXPECT_NEAR(merged.logEvidence(), seq.logEvidence(), 1e-12 * std::fabs(seq.logEvidence()));
  }
}

TEST(Accumulator, MergeAfterAllZeroBlockTakesLaterShift) {
  // Samples 0..4 have zero weight (index 5 is zero too in makeData), the rest do not.
  Data d = makeData(200);
  for (int i = 0; i < 5; ++i) d.logW[i] = -kInf;
  Accumulator merged(2);
  merged.merge(addRange(d, 0, 6));
  merged.merge(addRange(d, 6, 200));
  expectMatches(merged, direct(d, 0), 1e-10);
}

TEST(Accumulator, HugeAndTinyLogWeightsDoNotOverflow) {
  // Adding a constant to every log weight leaves the self-normalised estimates unchanged
  // and shifts the log evidence by that constant; exp(+-700) and exp(-1e4) alone would
  // overflow or underflow.
  const Data d = makeData(1000);
  const Direct base = direct(d, 0);
  for (double shift : {700.0, -700.0, -1e4, 1e4}) {
    SCOPED_TRACE(shift);
    Direct shifted = base;
    shifted.logEvidence += shift;
    expectMatches(addRange(d, 0, 1000, shift), shifted, 1e-10);
    Accumulator merged(2);
    merged.merge(addRange(d, 0, 400, shift));
    merged.merge(addRange(d, 400, 1000, shift));
    expectMatches(merged, shifted, 1e-10);
  }
}

TEST(Accumulator, NegligibleWeightsAreNegligible) {
  Accumulator acc(1);
  const double a = 3, b = 5;
  acc.add(-1e4, &b);
  acc.add(0, &a);
  acc.add(-1e4, &b);
  EXPECT_EQ(acc.mean(0), 3);
  EXPECT_EQ(acc.stderror(0), 0);
  EXPECT_EQ(acc.ess(), 1);
  EXPECT_DOUBLE_EQ(acc.logEvidence(), -std::log(3.0));
  EXPECT_DOUBLE_EQ(acc.logSumWeights(), 0);
}

TEST(Accumulator, AllZeroWeights) {
  Accumulator acc(1);
  const double f = 1;
  for (int i = 0; i < 10; ++i) acc.add(-kInf, &f);
  EXPECT_EQ(acc.count(), 10u);
  EXPECT_EQ(acc.nonzero(), 0u);
  EXPECT_TRUE(std::isnan(acc.mean(0)));
  EXPECT_TRUE(std::isnan(acc.stderror(0)));
  EXPECT_EQ(acc.ess(), 0);
  EXPECT_EQ(acc.logEvidence(), -kInf);
  EXPECT_EQ(acc.logSumWeights(), -kInf);
  Accumulator empty(1);
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_EQ(empty.logEvidence(), -kInf);
  acc.merge(empty);
  EXPECT_EQ(acc.count(), 10u);
}

TEST(Accumulator, SingleSample) {
  Accumulator acc(1);
  const double f = 2.5;
  acc.add(-3, &f);
  EXPECT_EQ(acc.mean(0), 2.5);
  EXPECT_EQ(acc.stderror(0), 0);
  EXPECT_EQ(acc.ess(), 1);
  EXPECT_EQ(acc.logEvidence(), -3);
  EXPECT_EQ(acc.logSumWeights(), -3);
}

TEST(Accumulator, PredictionsNearTheTopOfTheRangeStayFinite) {
  // Predictions up to ~1.6e308 of both signs: f - mu, w^2 f^2 and their sums all overflow in
  // plain doubles (the naive sums broke from ~1e154). long double (range 1e4932) is the
  // reference. Merging any split must agree too.
  Data d = makeData(1000);
  for (size_t i = 0; i < d.preds.size(); ++i) {
    d.preds[i][0] = 1.6e308 * std::cos(1.3 * double(i));           // spread over the whole range
    d.preds[i][1] = i % 3 == 0 ? 1e308 : -3e307 + 1e300 * double(i);  // large mean, huge spread
  }
  const Direct r = direct(d, 0);
  const Accumulator seq = addRange(d, 0, 1000);
  Accumulator merged(2);
  merged.merge(addRange(d, 0, 1));
  merged.merge(addRange(d, 1, 450));
  merged.merge(addRange(d, 450, 1000));
  for (const Accumulator* acc : {&seq, static_cast<const Accumulator*>(&merged)}) {
    for (int k = 0; k < 2; ++k) {
      SCOPED_TRACE(k);
      ASSERT_TRUE(std::isfinite(acc->mean(k)));
      ASSERT_TRUE(std::isfinite(acc->stderror(k)));
      EXPECT_NEAR(acc->mean(k), r.mean[k], 1e-10 * std::fabs(r.se[k]) + 1e-12 * std::fabs(r.mean[k]));
      EXPECT_NEAR(acc->stderror(k), r.se[k], 1e-10 * r.se[k]);
    }
  }
}

TEST(Accumulator, OneHugeSampleAmongOrdinaryOnes) {
  // The first sample sets the shift at 1; a later 1.7e308 rescales the sums. The mean is
  // 1.2 up to the rounding of sums that pass through 1.7e308 (an ulp there is 2^971,
  // relative to which 1 + 2 + 3 is lost whatever the method: 1.4 here).
  Accumulator acc(1);
  const double values[] = {1, 2, 1.7e308, -1.7e308, 3};
  for (double v : values) acc.add(0, &v);
  EXPECT_NEAR(acc.mean(0), 1.2, 0.5);
  EXPECT_NEAR(acc.stderror(0), 1.7e308 / 5 * std::sqrt(2.0), 1e-12 * 1.7e308);
  const double all[] = {1.7e308, 1.7e308};
  Accumulator same(1);
  for (double v : all) same.add(0, &v);
  EXPECT_EQ(same.mean(0), 1.7e308);
  EXPECT_EQ(same.stderror(0), 0);
}

TEST(Accumulator, SameCallsGiveBitIdenticalResults) {
  const Data d = makeData(500);
  Accumulator a(2), b(2);
  a.merge(addRange(d, 0, 123));
  a.merge(addRange(d, 123, 500));
  b.merge(addRange(d, 0, 123));
  b.merge(addRange(d, 123, 500));
  EXPECT_EQ(a.mean(0), b.mean(0));
  EXPECT_EQ(a.stderror(1), b.stderror(1));
  EXPECT_EQ(a.logEvidence(), b.logEvidence());
}

}  // namespace
