// bench/baselines/Baselines.h — hand-written C++ samplers (the practical ceiling) for the benchmarks.
#pragma once

#include "runtime/Runtime.h"

namespace mv::bench {

/// examples/networks/network_0.mv, query q, written by hand against the runtime's RNG and
/// bernoulli functions (same streams, same algorithm as the compiled query).
int32_t network0Sample(void* ctx, uint64_t seed, uint64_t sample, double* logw, double* fullLogw,
                       double* preds, mv_rt_error* err);

/// examples/linear_gaussian.mv, query cf, written by hand likewise.
int32_t linearGaussianSample(void* ctx, uint64_t seed, uint64_t sample, double* logw, double* fullLogw, double* preds,
                             mv_rt_error* err);

}  // namespace mv::bench
