// backend/RuntimeTable.h — the runtime's distribution functions indexed by stdlib::Distribution.
#pragma once

#include "runtime/Coverage.h"
#include "runtime/Runtime.h"
#include "stdlib/Stdlib.h"

#include <vector>

namespace mv::backend {

struct DistributionEntry {
  double (*draw)(mv_rt_stream*, const double*, int32_t);
  double (*logpdf)(double, const double*, int32_t);
  int32_t (*check)(const double*, int32_t);
  int32_t family;  ///< mv_rt_family, for mv_rt_covers
};

/// The runtime functions of distribution `d` (built from stdlib/Distributions.def, so a
/// new distribution without runtime functions fails to link).
const DistributionEntry& distributionEntry(stdlib::Distribution d);

/// Parameters up to this many live on the stack.
inline constexpr size_t kMaxInlineParams = 16;

/// `inlineBuf` when `n` fits, else storage in `heap`.
inline double* paramBuffer(double* inlineBuf, std::vector<double>& heap, size_t n) {
  if (n <= kMaxInlineParams) return inlineBuf;
  heap.resize(n);
  return heap.data();
}

}  // namespace mv::backend
