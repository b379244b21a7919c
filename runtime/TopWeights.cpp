// runtime/TopWeights.cpp — selection and merging of the largest log weights.
#include "runtime/TopWeights.h"

#include "runtime/Psis.h"
#include "runtime/Runtime.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace mv::rt {

void TopWeights::trim() {
  if (values_.size() < capacity_ || capacity_ == 0) return;
  if (values_.size() > capacity_) {
    std::nth_element(values_.begin(), values_.begin() + std::ptrdiff_t(capacity_), values_.end(), std::greater<>());
    values_.resize(capacity_);
  }
  certified_ = std::max(certified_, *std::min_element(values_.begin(), values_.end()));
}

void TopWeights::merge(const TopWeights& other, double floor) {
  for (double v : other.values_)
    if (v >= floor) values_.push_back(v);
  certified_ = std::max(certified_, other.certified_);
  if (values_.size() <= 2 * capacity_) return;
  // Dropping what the floor rules out first keeps the selection small once the floor is high.
  values_.erase(std::remove_if(values_.begin(), values_.end(), [floor](double v) { return v < floor; }), values_.end());
  trim();
}

std::vector<double> TopWeights::largest(size_t m) const {
  std::vector<double> out = values_;
  std::sort(out.begin(), out.end(), std::greater<>());
  if (out.size() > m) out.resize(m);
  return out;
}

size_t TopWeights::capacityFor(uint64_t samples) { return size_t(psisTailLength(samples)) + 1; }

}  // namespace mv::rt

extern "C" void mv_rt_top_add(void* top, double logWeight) { static_cast<mv::rt::TopWeights*>(top)->add(logWeight); }
