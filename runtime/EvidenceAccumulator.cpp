// runtime/EvidenceAccumulator.cpp — streaming log-space sum of the full log weights.
#include "runtime/EvidenceAccumulator.h"

#include <cmath>

namespace mv::rt {

void EvidenceAccumulator::add(double logWeight) {
  ++count_;
  if (logWeight == -std::numeric_limits<double>::infinity()) return;
  ++nonzero_;
  if (logWeight > maxLog_) {
    if (nonzero_ > 1) sumW_ *= std::exp(maxLog_ - logWeight);
    maxLog_ = logWeight;
  }
  sumW_ += std::exp(logWeight - maxLog_);
}

void EvidenceAccumulator::merge(const EvidenceAccumulator& other) {
  count_ += other.count_;
  if (other.nonzero_ == 0) return;
  if (nonzero_ == 0) {
    nonzero_ = other.nonzero_;
    maxLog_ = other.maxLog_;
    sumW_ = other.sumW_;
    return;
  }
  nonzero_ += other.nonzero_;
  if (other.maxLog_ > maxLog_) {
    sumW_ *= std::exp(maxLog_ - other.maxLog_);
    maxLog_ = other.maxLog_;
  }
  sumW_ += other.sumW_ * std::exp(other.maxLog_ - maxLog_);
}

double EvidenceAccumulator::logEvidence() const {
  return nonzero_ == 0 ? -std::numeric_limits<double>::infinity()
                       : maxLog_ + std::log(sumW_) - std::log(double(count_));
}

}  // namespace mv::rt
