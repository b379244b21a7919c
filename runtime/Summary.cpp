// runtime/Summary.cpp — weighted value probabilities, standard deviation and an exactly mergeable histogram.
#include "runtime/Summary.h"

#include "runtime/Runtime.h"
#include "runtime/Scaled.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace mv::rt {

namespace {

constexpr double kMaxExact = 9007199254740992.0;  // 2^53
constexpr size_t kMaxCells = 32;

}  // namespace

int64_t PredictionSummary::binOf(double x) const { return int64_t(std::floor(x * scale_)); }

void PredictionSummary::coarsen(int steps) {
  while (steps > 0) {
    int k = std::min(steps, 60);
    steps -= k;
    exponent_ += k;
    scale_ = std::ldexp(1.0, -exponent_);
    if (bins_.empty()) continue;
    int64_t newLo = lo_ >> k;
    std::vector<double> out(size_t(((lo_ + int64_t(bins_.size()) - 1) >> k) - newLo + 1), 0.0);
    for (size_t i = 0; i < bins_.size(); ++i) out[size_t(((lo_ + int64_t(i)) >> k) - newLo)] += bins_[i];
    bins_ = std::move(out);
    lo_ = newLo;
  }
}

void PredictionSummary::add(double x, double w) {
  if (!std::isfinite(x)) return;
  if (!hasShift_) {
    shift_ = x;
    hasShift_ = true;
  }
  double d = scaledDiff(x, shift_, momentExp_, momentInv_);  // (x - shift) 2^-momentExp_
  if (!(std::fabs(d) <= kMaxScaledDiff)) {
    widenMoments(exponentFor(x, shift_, momentExp_));
    d = scaledDiff(x, shift_, momentExp_, momentInv_);
  }
  sumW_ += w;
  sumWF_ += w * d;
  sumWFF_ += w * d * d;
  if (integral_ && (x != std::floor(x) || std::fabs(x) > kMaxExact)) {
    integral_ = false;
    values_.clear();
    other_ = 0;
  }
  if (integral_) {
    auto it = values_.find(x);
    if (it != values_.end()) it->second += w;
    else if (values_.size() < kMaxValues) values_.emplace(x, w);
    else other_ += w;
  }
  if (bins_.empty()) {
    exponent_ = x == 0 ? -20 : std::ilogb(x) - 20;
    scale_ = std::ldexp(1.0, -exponent_);
    lo_ = binOf(x);
    bins_.assign(1, w);
    return;
  }
  if (std::fabs(x) * scale_ > 0x1p41) coarsen(std::ilogb(x) - 40 - exponent_);  // keeps bin indices small
  int64_t b = binOf(x);
  if (b >= lo_ && b < lo_ + int64_t(bins_.size())) {  // the common case
    bins_[size_t(b - lo_)] += w;
    return;
  }
  while (std::max(lo_ + int64_t(bins_.size()) - 1, b) - std::min(lo_, b) + 1 > int64_t(kMaxBins)) {
    coarsen(1);
    b = binOf(x);
  }
  if (b < lo_) {
    bins_.insert(bins_.begin(), size_t(lo_ - b), 0.0);
    lo_ = b;
  }
  if (b >= lo_ + int64_t(bins_.size())) bins_.resize(size_t(b - lo_ + 1), 0.0);
  bins_[size_t(b - lo_)] += w;
}

void PredictionSummary::widenMoments(int e) {
  const int by = e - momentExp_;
  sumWF_ = std::ldexp(sumWF_, -by);
  sumWFF_ = std::ldexp(sumWFF_, -2 * by);
  momentExp_ = e;
  momentInv_ = std::ldexp(1.0, -e);
}

void PredictionSummary::rescale(double f) {
  sumW_ *= f;
  sumWF_ *= f;
  sumWFF_ *= f;
  other_ *= f;
  for (auto& [v, w] : values_) w *= f;
  for (double& w : bins_) w *= f;
}

void PredictionSummary::merge(const PredictionSummary& other, double f) {
  if (!other.hasShift_) return;
  if (!hasShift_) {
    *this = other;
    rescale(f);
    return;
  }
  int e = std::max(momentExp_, other.momentExp_);
  double delta = scaledDiff(other.shift_, shift_, e, std::ldexp(1.0, -e));
  if (!(std::fabs(delta) <= kMaxScaledDiff)) {
    e = exponentFor(other.shift_, shift_, e);
    delta = scaledDiff(other.shift_, shift_, e, std::ldexp(1.0, -e));
  }
  if (e > momentExp_) widenMoments(e);
  const int by = e - other.momentExp_;
  const double oWF = std::ldexp(other.sumWF_, -by), oWFF = std::ldexp(other.sumWFF_, -2 * by);
  sumW_ += f * other.sumW_;
  sumWF_ += f * (oWF + delta * other.sumW_);
  sumWFF_ += f * (oWFF + 2 * delta * oWF + delta * delta * other.sumW_);
  integral_ = integral_ && other.integral_;
  if (!integral_) {
    values_.clear();
    other_ = 0;
  } else {
    for (const auto& [v, w] : other.values_) values_[v] += f * w;
    other_ += f * other.other_;
    while (values_.size() > kMaxValues) {  // keep the smallest values: a fixed, deterministic rule
      auto last = std::prev(values_.end());
      other_ += last->second;
      values_.erase(last);
    }
  }
  PredictionSummary o = other;
  if (o.exponent_ < exponent_) o.coarsen(exponent_ - o.exponent_);
  if (exponent_ < o.exponent_) coarsen(o.exponent_ - exponent_);
  auto span = [&] {
    return std::max(lo_ + int64_t(bins_.size()), o.lo_ + int64_t(o.bins_.size())) - std::min(lo_, o.lo_);
  };
  while (span() > int64_t(kMaxBins)) {
    coarsen(1);
    o.coarsen(1);
  }
  int64_t newLo = std::min(lo_, o.lo_);
  std::vector<double> out(size_t(span()), 0.0);
  for (size_t i = 0; i < bins_.size(); ++i) out[size_t(lo_ - newLo) + i] += bins_[i];
  for (size_t i = 0; i < o.bins_.size(); ++i) out[size_t(o.lo_ - newLo) + i] += f * o.bins_[i];
  bins_ = std::move(out);
  lo_ = newLo;
}

double PredictionSummary::sd() const {
  if (!(sumW_ > 0)) return std::nan("");
  double m = sumWF_ / sumW_;
  return std::ldexp(std::sqrt(std::max(0.0, sumWFF_ / sumW_ - m * m)), momentExp_);
}

std::vector<std::pair<double, double>> PredictionSummary::distribution(double* other) const {
  std::vector<std::pair<double, double>> out;
  *other = sumW_ > 0 ? other_ / sumW_ : 0;
  if (!(sumW_ > 0)) return out;
  for (const auto& [v, w] : values_) out.emplace_back(v, w / sumW_);
  return out;
}

std::string PredictionSummary::sparkline(double* lo, double* hi) const {
  static const char* const kLevels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  PredictionSummary h;
  h.exponent_ = exponent_;
  h.scale_ = scale_;
  size_t first = 0, last = bins_.size();
  // Leave out the outer tails holding under 0.05% of the mass each, so outliers do not squash the picture.
  double total = 0;
  for (double w : bins_) total += w;
  double tail = 0;
  while (first < last && tail + bins_[first] < 0.0005 * total) tail += bins_[first++];
  tail = 0;
  while (last > first && tail + bins_[last - 1] < 0.0005 * total) tail += bins_[--last];
  *lo = *hi = std::nan("");
  if (first == last) return "";
  h.lo_ = lo_ + int64_t(first);
  h.bins_.assign(bins_.begin() + std::ptrdiff_t(first), bins_.begin() + std::ptrdiff_t(last));
  while (h.bins_.size() > kMaxCells) h.coarsen(1);
  *lo = std::ldexp(double(h.lo_), h.exponent_);
  *hi = std::ldexp(double(h.lo_ + int64_t(h.bins_.size())), h.exponent_);
  // A bin edge beyond the largest finite value (values near 1.8e308) is shown as that value.
  *lo = std::clamp(*lo, -DBL_MAX, DBL_MAX);
  *hi = std::clamp(*hi, -DBL_MAX, DBL_MAX);
  double top = *std::max_element(h.bins_.begin(), h.bins_.end());
  std::string out;
  for (double w : h.bins_) {
    if (w <= 0) {
      out += ' ';
      continue;
    }
    int level = int(std::ceil(w / top * 8)) - 1;
    out += kLevels[std::clamp(level, 0, 7)];
  }
  return out;
}

// Why ofBools is add()'s result, bit for bit, for values x in {0, 1} with weights w > = 0
// (each w = exp(lw - max) under the running max, rescaled by f = exp(old - new) when the max
// rises, as Summary::add and Accumulator::add both do):
// - shift_ is the first value; d = x - shift_ is 0 or +-1, so momentExp_ stays 0, sumW_ is
//   the accumulator's sum of w, sumWF_ (+= w d) its sum of w (f - shift): the same additions.
// - sumWFF_ += (w d) d adds w for the other value and +0 (a no-op) for the first: it is the
//   sum of the other value's weights, which is |sumWF_| (negation commutes with rounding).
// - values_ holds the first value's sum (`sameW`: 0 + w, then += w and += +0) and, once seen,
//   the other's, which adds exactly what sumWFF_ adds; other_ stays 0 (2 < kMaxValues).
// - The histogram: the first value sets exponent_ -20 (ilogb(1) - 20 = -20 too) and one bin;
//   the other value, 2^20 bins away, is brought within kMaxBins by 15 coarsenings (span
//   2^5 + 1 = 33), which copy each bin exactly (0 + v), and lands at index 0 or 32, the first
//   value at the other end: bins_ [w(0), 0 x 31, w(1)] from lo_ 0 at exponent_ -5. Each bin
//   receives the same additions as its value's entry, and every rescale multiplies both.
PredictionSummary PredictionSummary::ofBools(double first, double sumW, double sumWD, double sameW, bool otherSeen) {
  PredictionSummary p;
  p.hasShift_ = true;
  p.shift_ = first;
  p.sumW_ = sumW;
  p.sumWF_ = sumWD;
  p.sumWFF_ = std::fabs(sumWD);
  p.values_.emplace(first, sameW);
  if (!otherSeen) {
    p.exponent_ = -20;
    p.scale_ = std::ldexp(1.0, 20);
    p.lo_ = p.binOf(first);
    p.bins_.assign(1, sameW);
    return p;
  }
  const double other = 1.0 - first;
  p.values_.emplace(other, p.sumWFF_);
  p.exponent_ = -5;
  p.scale_ = std::ldexp(1.0, 5);
  p.lo_ = 0;
  p.bins_.assign(33, 0.0);
  p.bins_[first == 0 ? 0 : 32] = sameW;
  p.bins_[first == 0 ? 32 : 0] = p.sumWFF_;
  return p;
}

void Summary::fromBoolSums(const mv_rt_acc& acc, const double* sameW, const int32_t* otherSeen) {
  if (acc.nonzero == 0) return;  // add() saw no weighted sample: the summary stays empty
  maxLog_ = acc.max_log;
  for (size_t k = 0; k < preds_.size(); ++k)
    preds_[k] = PredictionSummary::ofBools(acc.shift[k], acc.sum_w, acc.sum_wf[k], sameW[k], otherSeen[k] != 0);
}

void Summary::add(double logWeight, const double* preds) {
  if (logWeight == -std::numeric_limits<double>::infinity()) return;
  if (logWeight > maxLog_) {
    double f = std::exp(maxLog_ - logWeight);
    for (PredictionSummary& p : preds_) p.rescale(f);
    maxLog_ = logWeight;
  }
  double w = std::exp(logWeight - maxLog_);
  for (size_t k = 0; k < preds_.size(); ++k) preds_[k].add(preds[k], w);
}

void Summary::merge(const Summary& other) {
  if (other.maxLog_ == -std::numeric_limits<double>::infinity()) return;
  if (other.maxLog_ > maxLog_) {
    double f = std::exp(maxLog_ - other.maxLog_);
    for (PredictionSummary& p : preds_) p.rescale(f);
    maxLog_ = other.maxLog_;
  }
  double f = std::exp(other.maxLog_ - maxLog_);
  for (size_t k = 0; k < preds_.size() && k < other.preds_.size(); ++k) preds_[k].merge(other.preds_[k], f);
}

}  // namespace mv::rt

extern "C" void mv_rt_summary_add(void* summary, double logWeight, const double* preds) {
  static_cast<mv::rt::Summary*>(summary)->add(logWeight, preds);
}

extern "C" void mv_rt_summary_set_scale(void* summary, double scale) {
  static_cast<mv::rt::Summary*>(summary)->setScale(scale);
}
