// runtime/EvidenceAccumulator.h — streaming log-space sum of the full log weights (all evidence), for log evidence.
#pragma once

#include <cstdint>
#include <limits>

namespace mv::rt {

/// The log evidence over all evidence when evidence pruning separated some of it from the
/// predictions (the estimate weights in Accumulator then leave its factors out). O(1) memory;
/// the same add/merge sequence gives bit-identical results. It sums weights as Accumulator
/// does (scaled by exp(-max)), so both agree to rounding on equal weights.
class EvidenceAccumulator {
public:
  /// Adds one sample's full log weight (finite or -inf).
  void add(double logWeight);
  /// Folds `other` (the samples after this one's) into this accumulator.
  void merge(const EvidenceAccumulator& other);

  uint64_t count() const { return count_; }
  uint64_t nonzero() const { return nonzero_; }
  /// log(sum w / count); -inf when every weight is 0.
  double logEvidence() const;

private:
  uint64_t count_ = 0;
  uint64_t nonzero_ = 0;
  double maxLog_ = -std::numeric_limits<double>::infinity();
  double sumW_ = 0;  // scaled by exp(-maxLog_)
};

}  // namespace mv::rt
