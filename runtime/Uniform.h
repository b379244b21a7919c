/* runtime/Uniform.h — the one rule from a stream's 64 bits to a uniform and to a bernoulli decision (C, header-only). */
#ifndef MV_RUNTIME_UNIFORM_H
#define MV_RUNTIME_UNIFORM_H

/* The runtime (mv_rt_next_open01, mv_rt_draw_bernoulli), the interpreter (through them), the
 * code generator (the same formulas as IR, and compile-time thresholds for constant p) and
 * the tests all read this header, so a change to how bits become a uniform changes every
 * engine at once. Header-only and dependency-free.
 *
 * The uniform of 64 random bits r: k = r >> 12 (52 bits) and u = (k + 0.5) * 2^-52, i.e.
 * u = (2k + 1) * 2^-53 exactly (2k + 1 < 2^53 has 53 significant bits): the range is
 * [2^-53, 1 - 2^-53] and 1 - u is exact and has the same distribution as u.
 *
 * A bernoulli(p) draw is 1 when u < p. The integer test `k < mv_rt_bernoulli_threshold(p)`
 * makes the SAME decision for every (r, p):
 *   - 0 < p < 1: t = p * 2^53 is exact (a power-of-two scaling: t < 2^53 cannot overflow,
 *     and a subnormal p is scaled up into the normal range without rounding). u < p is an
 *     exact IEEE comparison, so it holds iff the integer m = 2k + 1 is below the real t, iff
 *     m < T = ceil(t) (exact: t is a double; T <= 2^53 - 1 because p <= 1 - 2^-53, the
 *     largest double below 1), iff 2k + 1 <= T - 1, iff k <= floor((T - 2) / 2) =
 *     floor(T / 2) - 1, iff k < floor(T / 2) = T >> 1.
 *   - p >= 1 (also +inf): u <= 1 - 2^-53 < p, always 1; the threshold 2^52 exceeds every k.
 *   - p <= 0 (also -0, -inf) and NaN: u > 0 >= p, or a comparison with NaN: never 1;
 *     threshold 0.
 * The clamped form below, T = ceil(min(max(p, 0), 1) * 2^53), covers all three cases at once
 * (max(NaN, 0) = 0; p = 1 gives T = 2^53 and threshold 2^52), with no branch, so the code
 * generator emits exactly it (llvm.maxnum/minnum/ceil, fptoui, lshr).
 * tests/unit/runtime/BernoulliThresholdTest.cpp checks it against the double test at every
 * k * 2^-53 boundary and its neighbours, subnormals, the special values and random pairs. */

#include <math.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Low bits of a stream's output the uniform drops. */
#define MV_RT_UNIFORM_SHIFT 12

/** The 52-bit integer k of 64 random bits (the uniform is (k + 0.5) * 2^-52). */
static inline uint64_t mv_rt_uniform_k(uint64_t r) { return r >> MV_RT_UNIFORM_SHIFT; }

/** The uniform on (0, 1) of 64 random bits: (k + 0.5) * 2^-52, every value exact. */
static inline double mv_rt_uniform_of_bits(uint64_t r) { return ((double)mv_rt_uniform_k(r) + 0.5) * 0x1p-52; }

/** The threshold K in [0, 2^52] with mv_rt_uniform_k(r) < K exactly when
 *  mv_rt_uniform_of_bits(r) < p, for every r and every double p (NaN included). */
static inline uint64_t mv_rt_bernoulli_threshold(double p) {
  const double q = fmin(fmax(p, 0.0), 1.0); /* fmax(NaN, 0) = 0 */
  return (uint64_t)ceil(q * 0x1p53) >> 1;
}

/** A bernoulli decision from 64 random bits and mv_rt_bernoulli_threshold(p). */
static inline int mv_rt_bernoulli_of_bits(uint64_t r, uint64_t threshold) { return mv_rt_uniform_k(r) < threshold; }

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_UNIFORM_H */
