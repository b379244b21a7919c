// runtime/Coverage.cpp — the exported symbol of runtime/Coverage.h's rule, for generated code.
#include "runtime/Coverage.h"

extern "C" int32_t mv_rt_proposal_covers(int32_t family, const double* p, int32_t n, int32_t proposal,
                                         const double* q, int32_t m, double* missed) {
  return mv_rt_covers(family, p, n, proposal, q, m, missed);
}
