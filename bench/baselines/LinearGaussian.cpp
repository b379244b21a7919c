// bench/baselines/LinearGaussian.cpp — the linear-Gaussian counterfactual, sampled by hand-written C++.
//
// x, z ~ normal(0, 1), e ~ normal(0, 2), y = x + z + e; observe y == 3 (e set to 3 - (x + z)
// and weighted by its density); do z = 5; predict y, and factual z, x, e.
#include "bench/baselines/Baselines.h"

namespace mv::bench {

namespace {

inline double normal(uint64_t seed, uint64_t sample, uint32_t site, double mean, double sd) {
  mv_rt_stream s = mv_rt_stream_for(seed, sample, site, 0);
  const double p[2] = {mean, sd};
  return mv_rt_draw_normal(&s, p, 2);
}

}  // namespace

int32_t linearGaussianSample(void*, uint64_t seed, uint64_t i, double* logw, double* fullLogw, double* preds,
                             mv_rt_error*) {
  const double x = normal(seed, i, 0, 0, 1);
  const double z = normal(seed, i, 1, 0, 1);
  const double e = 3.0 - (x + z);
  const double pe[2] = {0, 2};
  *logw = 0.0 + (mv_rt_logpdf_normal(e, pe, 2) + 0.0);
  *fullLogw = *logw;
  const double yCf = (x + 5.0) + e;
  preds[0] = yCf;
  preds[1] = z;
  preds[2] = x;
  preds[3] = e;
  return 0;
}

}  // namespace mv::bench
