// runtime/Serialize.cpp — bit-exact save/load of the reduction state (accumulators, summaries, top weights) for MPI.
#include "runtime/Driver.h"
#include "runtime/Summary.h"
#include "runtime/TopWeights.h"
#include "runtime/Wire.h"

namespace mv::rt {

// Every field is written, private scratch included, so a loaded object continues exactly as
// the saved one would have: merging it gives the same bits as merging the original.

void Accumulator::save(WireWriter& w) const {
  w.put(count_);
  w.put(nonzero_);
  w.put(maxLog_);
  w.put(peak_);
  w.put(sumW_);
  w.put(sumW2_);
  w.putVector(shift_);
  w.putVector(sumWF_);
  w.putVector(sumW2F_);
  w.putVector(sumW2FF_);
  w.putVector(exp_);
  w.putVector(inv_);
  w.put(plain_);
  w.putVector(hasShift_);
}

bool Accumulator::load(WireReader& r) {
  count_ = r.get<uint64_t>();
  nonzero_ = r.get<uint64_t>();
  maxLog_ = r.get<double>();
  peak_ = r.get<double>();
  sumW_ = r.get<double>();
  sumW2_ = r.get<double>();
  shift_ = r.getVector<double>();
  sumWF_ = r.getVector<double>();
  sumW2F_ = r.getVector<double>();
  sumW2FF_ = r.getVector<double>();
  exp_ = r.getVector<int>();
  inv_ = r.getVector<double>();
  plain_ = r.get<bool>();
  hasShift_ = r.getVector<char>();
  const size_t n = shift_.size();
  return r.ok() && sumWF_.size() == n && sumW2F_.size() == n && sumW2FF_.size() == n && exp_.size() == n &&
         inv_.size() == n && hasShift_.size() == n;
}

void PredictionSummary::save(WireWriter& w) const {
  w.put(sumW_);
  w.put(sumWF_);
  w.put(sumWFF_);
  w.put(shift_);
  w.put(momentExp_);
  w.put(momentInv_);
  w.put(hasShift_);
  w.put(integral_);
  w.put<uint64_t>(values_.size());
  for (const auto& [x, p] : values_) {
    w.put(x);
    w.put(p);
  }
  w.put(other_);
  w.put(exponent_);
  w.put(scale_);
  w.put(lo_);
  w.putVector(bins_);
}

bool PredictionSummary::load(WireReader& r) {
  sumW_ = r.get<double>();
  sumWF_ = r.get<double>();
  sumWFF_ = r.get<double>();
  shift_ = r.get<double>();
  momentExp_ = r.get<int>();
  momentInv_ = r.get<double>();
  hasShift_ = r.get<bool>();
  integral_ = r.get<bool>();
  const uint64_t n = r.get<uint64_t>();
  values_.clear();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    const double x = r.get<double>();
    values_[x] = r.get<double>();
  }
  other_ = r.get<double>();
  exponent_ = r.get<int>();
  scale_ = r.get<double>();
  lo_ = r.get<int64_t>();
  bins_ = r.getVector<double>();
  return r.ok();
}

void Summary::save(WireWriter& w) const {
  w.put(maxLog_);
  w.put<uint64_t>(preds_.size());
  for (const PredictionSummary& p : preds_) p.save(w);
}

bool Summary::load(WireReader& r) {
  maxLog_ = r.get<double>();
  const uint64_t n = r.get<uint64_t>();
  if (!r.ok() || n > (uint64_t(1) << 24)) return false;
  preds_.assign(size_t(n), PredictionSummary());
  for (PredictionSummary& p : preds_)
    if (!p.load(r)) return false;
  return r.ok();
}

void TopWeights::save(WireWriter& w) const {
  w.put<uint64_t>(capacity_);
  w.put(floor_);
  w.put(certified_);
  w.putVector(values_);
}

bool TopWeights::load(WireReader& r) {
  capacity_ = size_t(r.get<uint64_t>());
  floor_ = r.get<double>();
  certified_ = r.get<double>();
  values_ = r.getVector<double>();
  return r.ok();
}

}  // namespace mv::rt
