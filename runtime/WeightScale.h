/* runtime/WeightScale.h — the one rule for the scale of a block's weight sums (linear space or per-block max). */
#ifndef MV_RUNTIME_WEIGHTSCALE_H
#define MV_RUNTIME_WEIGHTSCALE_H

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The widest span of log weights summed in linear space: 64 ln 2. With every non-zero log
 *  weight in [upper - span, upper], the weights relative to `upper`, w = exp(lw - upper), lie
 *  in [2^-64, 1] and their squares in [2^-128, 1]: no overflow (a sum of n <= 2^64 of them is
 *  at most 2^64) and nothing flushed to zero that today's scale (the largest weight 1) keeps
 *  above 2^-894 (squares times squared spreads: 2^-1022 / 2^-128). */
#define MV_RT_LINEAR_SPAN 44.3614195558365 /* 64 ln 2, rounded down */

/** The fixed scale of every block's sums for a query whose non-zero log weights are known to
 *  lie in [lower, upper] (backend/WeightBound.h), or NaN. A finite result `c`: each block's
 *  accumulator starts at scale c (its sums are of exp(lw - c)), one pass, no max, no rescale,
 *  and blocks merge with factor exp(c - c) = 1: the sums are plain sums of linear weights.
 *  NaN: each block's sums are of exp(lw - M) with M the block's largest log weight, found by
 *  a first pass over the block's log weights (no running max, no per-sample rescale); blocks
 *  merge with exp(M_a - M_b) as before. The driver's per-sample loop, the generated block
 *  functions and native executables all take their mode from this function alone. */
static inline double mv_rt_weight_scale(double lower, double upper) {
  if (isfinite(lower) && isfinite(upper) && lower <= upper && upper - lower <= MV_RT_LINEAR_SPAN) return upper;
  return NAN;
}

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_WEIGHTSCALE_H */
