// runtime/Accumulator.cpp — streaming accumulator of weighted predictions: sums of exp(lw - scale), the scale per block (runtime/WeightScale.h).
#include "runtime/Driver.h"

#include "runtime/Scaled.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mv::rt {

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Values and shifts within it differ by at most 2^400 = kMaxScaledDiff: no scaling needed.
constexpr double kPlainLimit = 0x1p399;
}  // namespace

Accumulator::Accumulator(int numPredictions)
    : maxLog_(kNegInf),
      peak_(kNegInf),
      shift_(numPredictions, 0.0),
      sumWF_(numPredictions, 0.0),
      sumW2F_(numPredictions, 0.0),
      sumW2FF_(numPredictions, 0.0),
      exp_(numPredictions, 0),
      inv_(numPredictions, 1.0),
      hasShift_(numPredictions, 0) {}

void Accumulator::widen(size_t k, int e) {
  // Powers of two: exact (short of underflow, negligible next to a spread of 2^400).
  const int by = e - exp_[k];
  sumWF_[k] = std::ldexp(sumWF_[k], -by);
  sumW2F_[k] = std::ldexp(sumW2F_[k], -by);
  sumW2FF_[k] = std::ldexp(sumW2FF_[k], -2 * by);
  exp_[k] = e;
  inv_[k] = std::ldexp(1.0, -e);
  plain_ = false;
}

void Accumulator::rescaleTo(double newMax) {
  // Only called with newMax > maxLog_. Before the first weight every sum is 0: nothing to scale.
  if (maxLog_ != kNegInf) {
    const double s = std::exp(maxLog_ - newMax);
    const double s2 = s * s;
    sumW_ *= s;
    sumW2_ *= s2;
    for (size_t k = 0; k < shift_.size(); ++k) {
      sumWF_[k] *= s;
      sumW2F_[k] *= s2;
      sumW2FF_[k] *= s2;
    }
  }
  maxLog_ = newMax;
}

// The rare path of add(): a value or shift beyond 2^399, or sums already scaled.
double Accumulator::scaledFor(size_t k, double f) {
  const double d = (f - shift_[k]) * inv_[k];
  if (std::fabs(d) <= kMaxScaledDiff) return d;
  const int e = exponentFor(f, shift_[k], exp_[k]);
  if (e > exp_[k]) widen(k, e);
  return scaledDiff(f, shift_[k], exp_[k], inv_[k]);
}

void Accumulator::add(double logWeight, const double* preds) {
  ++count_;
  if (logWeight == kNegInf) return;  // weight 0: counts towards N, nothing else
  ++nonzero_;
  if (logWeight > maxLog_) rescaleTo(logWeight);
  if (logWeight > peak_) peak_ = logWeight;
  const double w = std::exp(logWeight - maxLog_);  // in (0, 1]: never overflows
  const double w2 = w * w;
  sumW_ += w;
  sumW2_ += w2;
  for (size_t k = 0; k < shift_.size(); ++k) {
    const double f = preds[k];
    // Centring at a typical value keeps sum w^2 (f - mu)^2 free of catastrophic
    // cancellation when |mean| >> spread.
    if (!hasShift_[k]) {
      shift_[k] = f;
      hasShift_[k] = 1;
      if (!(std::fabs(f) <= kPlainLimit)) plain_ = false;
    }
    // d is (f - c) 2^-e: e grows (rarely) so that w^2 d^2 summed over any run stays finite.
    // While every shift and f are within 2^399 (and e is 0), |f - c| <= 2^400 needs no check.
    const double d = plain_ && std::fabs(f) <= kPlainLimit ? f - shift_[k] : scaledFor(k, f);
    sumWF_[k] += w * d;
    sumW2F_[k] += w2 * d;
    sumW2FF_[k] += w2 * d * d;
  }
}

void Accumulator::merge(const Accumulator& other) {
  count_ += other.count_;
  if (other.nonzero_ == 0) return;
  if (nonzero_ == 0) {
    // Nothing weighted here yet: take other's sums (and shifts) as they are.
    nonzero_ = other.nonzero_;
    maxLog_ = other.maxLog_;
    peak_ = other.peak_;
    sumW_ = other.sumW_;
    sumW2_ = other.sumW2_;
    shift_ = other.shift_;
    sumWF_ = other.sumWF_;
    sumW2F_ = other.sumW2F_;
    sumW2FF_ = other.sumW2FF_;
    exp_ = other.exp_;
    inv_ = other.inv_;
    hasShift_ = other.hasShift_;
    plain_ = other.plain_;
    return;
  }
  nonzero_ += other.nonzero_;
  plain_ = plain_ && other.plain_;
  peak_ = std::max(peak_, other.peak_);
  if (other.maxLog_ > maxLog_) rescaleTo(other.maxLog_);
  const double s = std::exp(other.maxLog_ - maxLog_);  // other's scale relative to ours
  const double s2 = s * s;
  const double bW = other.sumW_ * s, bW2 = other.sumW2_ * s2;
  sumW_ += bW;
  sumW2_ += bW2;
  for (size_t k = 0; k < shift_.size(); ++k) {
    if (!hasShift_[k]) {  // cannot happen with nonzero_ > 0, kept for robustness
      shift_[k] = other.shift_[k];
      hasShift_[k] = other.hasShift_[k];
    }
    // A common exponent for both sides and for the shift between them.
    int e = std::max(exp_[k], other.exp_[k]);
    double delta = scaledDiff(other.shift_[k], shift_[k], e, std::ldexp(1.0, -e));
    if (!(std::fabs(delta) <= kMaxScaledDiff)) {
      e = exponentFor(other.shift_[k], shift_[k], e);
      delta = scaledDiff(other.shift_[k], shift_[k], e, std::ldexp(1.0, -e));
    }
    if (e > exp_[k]) widen(k, e);
    const int by = e - other.exp_[k];
    const double b1 = std::ldexp(other.sumWF_[k] * s, -by), b2 = std::ldexp(other.sumW2F_[k] * s2, -by),
                 b3 = std::ldexp(other.sumW2FF_[k] * s2, -2 * by);
    // Re-centre other's sums from its shift cb to ours ca, with delta = cb - ca:
    //   sum w (f - ca)      = sum w (f - cb) + delta sum w
    //   sum w^2 (f - ca)    = sum w^2 (f - cb) + delta sum w^2
    //   sum w^2 (f - ca)^2  = sum w^2 (f - cb)^2 + 2 delta sum w^2 (f - cb) + delta^2 sum w^2
    sumWF_[k] += b1 + delta * bW;
    sumW2F_[k] += b2 + delta * bW2;
    sumW2FF_[k] += b3 + 2.0 * delta * b2 + delta * delta * bW2;
  }
}

void Accumulator::blockBegin(mv_rt_acc* raw) {
  raw->count = count_;
  raw->nonzero = nonzero_;
  raw->max_log = maxLog_;
  raw->peak = peak_;
  raw->sum_w = sumW_;
  raw->sum_w2 = sumW2_;
  // The inline path is add()'s plain path once every shift is set (after the first weighted
  // sample, or a merge of one).
  raw->fast = plain_ && nonzero_ > 0 && std::all_of(hasShift_.begin(), hasShift_.end(), [](char c) { return c != 0; });
  raw->num_preds = int32_t(shift_.size());
  raw->shift = shift_.data();
  raw->sum_wf = sumWF_.data();
  raw->sum_w2f = sumW2F_.data();
  raw->sum_w2ff = sumW2FF_.data();
  raw->owner = this;
}

void Accumulator::blockEnd(const mv_rt_acc& raw) {
  count_ = raw.count;
  nonzero_ = raw.nonzero;
  maxLog_ = raw.max_log;
  peak_ = raw.peak;
  sumW_ = raw.sum_w;
  sumW2_ = raw.sum_w2;
}

double Accumulator::logSumWeights() const {
  return nonzero_ == 0 ? kNegInf : maxLog_ + std::log(sumW_);
}

double Accumulator::ess() const { return nonzero_ == 0 ? 0.0 : sumW_ * sumW_ / sumW2_; }

// With the block's own max as scale the largest weight is exactly 1 (exp(0)); with a fixed
// scale it is exp(peak - scale).
double Accumulator::maxWeight() const {
  return nonzero_ == 0 ? kNaN : (peak_ == maxLog_ ? 1.0 : std::exp(peak_ - maxLog_)) / sumW_;
}

double Accumulator::logEvidence() const {
  return nonzero_ == 0 ? kNegInf : maxLog_ + std::log(sumW_) - std::log(double(count_));
}

double Accumulator::mean(int k) const {
  return nonzero_ == 0 ? kNaN : unscaleMean(shift_[k], sumWF_[k] / sumW_, exp_[k]);
}

double Accumulator::stderror(int k) const {
  if (nonzero_ == 0) return kNaN;
  // sum w^2 (f - mu)^2 expanded around the shift c, with m = mu - c:
  //   sum w^2 (f - c)^2 - 2 m sum w^2 (f - c) + m^2 sum w^2
  const double m = sumWF_[k] / sumW_;
  const double ss = sumW2FF_[k] - 2.0 * m * sumW2F_[k] + m * m * sumW2_;
  return std::ldexp(std::sqrt(std::max(0.0, ss)) / sumW_, exp_[k]);
}

}  // namespace mv::rt

extern "C" void mv_rt_acc_add(mv_rt_acc* raw, double logWeight, const double* preds) {
  auto* acc = static_cast<mv::rt::Accumulator*>(raw->owner);
  acc->blockEnd(*raw);
  acc->add(logWeight, preds);
  acc->blockBegin(raw);
}
