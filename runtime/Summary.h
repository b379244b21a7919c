// runtime/Summary.h — streaming weighted distribution of each prediction: value probabilities, sd, histogram.
#pragma once

#include "runtime/Runtime.h"

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace mv::rt {

class WireWriter;
class WireReader;

/// The weighted distribution of one prediction, in O(kMaxValues + kMaxBins) memory.
/// Integral values are counted exactly (up to kMaxValues distinct values, the rest as
/// "other"); every value also goes into a histogram whose bins have width 2^exponent and
/// are aligned to multiples of it, so two histograms merge exactly by coarsening the finer.
/// The same sequence of add/merge calls always gives bit-identical results.
class PredictionSummary {
public:
  static constexpr size_t kMaxValues = 64;
  static constexpr size_t kMaxBins = 64;

  /// Adds value `x` with weight exp(logWeight - scale) (the owner keeps the common scale).
  void add(double x, double w);
  /// Folds `other` into this one; `otherFactor` rescales its weights to this one's scale.
  void merge(const PredictionSummary& other, double otherFactor);
  /// Multiplies every weight by `f` (a change of the common scale).
  void rescale(double f);

  /// True when every value with non-zero weight was an integer (or there was none).
  bool integral() const { return integral_; }
  /// Weighted standard deviation; NaN with no weight.
  double sd() const;
  /// value -> probability, ascending; the mass beyond kMaxValues values in `*other`.
  std::vector<std::pair<double, double>> distribution(double* other) const;
  /// A Unicode sparkline of the histogram (at most 32 cells) and its range [*lo, *hi).
  std::string sparkline(double* lo, double* hi) const;

  /// Appends every field, bit for bit (runtime/Serialize.cpp); load() reads it back.
  void save(WireWriter& w) const;
  bool load(WireReader& r);

  /// The summary add() builds from a run of values that are all 0 or 1 (a bool prediction),
  /// from sums an Accumulator fed the same weights keeps anyway (see Summary::fromBoolSums):
  /// `first` the first value, `sumW` the sum of the weights, `sumWD` the sum of w (x - first),
  /// `sameW` the sum of the weights of the values equal to `first`, `otherSeen` whether the
  /// other value occurred. Bit for bit what add() gives (the proof is in Summary.cpp).
  static PredictionSummary ofBools(double first, double sumW, double sumWD, double sameW, bool otherSeen);

private:
  void coarsen(int steps);
  int64_t binOf(double x) const;
  void widenMoments(int e);
  // Moments of x - shift_, scaled by 2^-momentExp_ (0 unless values spread beyond 2^400).
  double sumW_ = 0, sumWF_ = 0, sumWFF_ = 0, shift_ = 0;
  int momentExp_ = 0;
  double momentInv_ = 1;
  bool hasShift_ = false, integral_ = true;
  std::map<double, double> values_;
  double other_ = 0;
  int exponent_ = 0;       // bin width 2^exponent_
  double scale_ = 1;       // 2^-exponent_
  int64_t lo_ = 0;         // index of bins_[0]
  std::vector<double> bins_;
};

/// PredictionSummary for each prediction of a query, under a shared log-weight scale.
class Summary {
public:
  explicit Summary(int numPredictions = 0) : preds_(size_t(numPredictions)) {}
  /// Adds one sample (a -inf weight is ignored).
  void add(double logWeight, const double* preds);
  /// Folds `other` (the samples after this one's) into this summary.
  void merge(const Summary& other);
  /// Before any sample: weights are to be exp(lw - scale) (as Accumulator::setScale).
  void setScale(double scale) { maxLog_ = scale; }
  int numPredictions() const { return int(preds_.size()); }
  const PredictionSummary& prediction(int k) const { return preds_[size_t(k)]; }

  /// Appends every field, bit for bit (runtime/Serialize.cpp); load() reads it back.
  void save(WireWriter& w) const;
  bool load(WireReader& r);

  /// Replaces a fresh summary by what add() gives for the samples `acc` (the running sums of
  /// a fresh accumulator given the same samples in the same order, runtime/Runtime.h) holds when every prediction is bool: the
  /// weight sum and the scale are the accumulator's; per prediction k, `sameW[k]` is the
  /// (rescaled) sum of the weights of values equal to acc's shift and `otherSeen[k]` whether
  /// the other value occurred. Used by the generated block functions (runtime/Runtime.h).
  void fromBoolSums(const mv_rt_acc& acc, const double* sameW, const int32_t* otherSeen);

private:
  double maxLog_ = -std::numeric_limits<double>::infinity();
  std::vector<PredictionSummary> preds_;
};

}  // namespace mv::rt
