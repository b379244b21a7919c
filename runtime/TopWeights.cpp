// runtime/TopWeights.cpp — selection and merging of the largest log weights.
#include "runtime/TopWeights.h"

#include "runtime/Psis.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace mv::rt {

void TopWeights::trim() {
  if (values_.size() <= capacity_) return;
  std::nth_element(values_.begin(), values_.begin() + std::ptrdiff_t(capacity_), values_.end(), std::greater<>());
  values_.resize(capacity_);
}

void TopWeights::merge(const TopWeights& other) {
  values_.insert(values_.end(), other.values_.begin(), other.values_.end());
  trim();
}

double TopWeights::certifiedFloor() const {
  if (capacity_ == 0 || values_.size() < capacity_) return -std::numeric_limits<double>::infinity();
  return *std::min_element(values_.begin(), values_.end());
}

std::vector<double> TopWeights::largest(size_t m) const {
  std::vector<double> out = values_;
  std::sort(out.begin(), out.end(), std::greater<>());
  if (out.size() > m) out.resize(m);
  return out;
}

size_t TopWeights::capacityFor(uint64_t samples) { return size_t(psisTailLength(samples)) + 1; }

}  // namespace mv::rt
