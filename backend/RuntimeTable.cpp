// backend/RuntimeTable.cpp — the table of runtime distribution functions.
#include "backend/RuntimeTable.h"

#include <array>

namespace mv::backend {

const DistributionEntry& distributionEntry(stdlib::Distribution d) {
  static const std::array<DistributionEntry, stdlib::kNumDistributions> table = {{
#define MV_DISTRIBUTION(Enum, name, Support) {mv_rt_draw_##name, mv_rt_logpdf_##name, mv_rt_check_##name, MV_RT_FAMILY_##name},
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
  }};
  return table[size_t(d)];
}

}  // namespace mv::backend
