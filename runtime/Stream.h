/* runtime/Stream.h — the one definition of the random streams (C, header-only): keys, states, bits -> uniform. */
#ifndef MV_RUNTIME_STREAM_H
#define MV_RUNTIME_STREAM_H

#include <stdint.h>

/* Every engine derives its streams from these lines: runtime/Rng.cpp (mv_rt_stream_for,
 * mv_rt_next_*), the interpreter (one sample key per sample, docs/runtime.md) and the code
 * generator, which emits the same formulas as IR (backend/CodegenDistributions.cpp) and
 * evaluates the compile-time parts with these functions. A stream of (seed, sample, site,
 * world) is built in stages, each computed as rarely as it can be:
 *   seed key   = mix64(seed ^ MV_RT_SEED_SALT)                       once per run
 *   sample key = mix64(seed key ^ sample)                             once per sample
 *   site key   = mix64((site << 32 | world) ^ MV_RT_SITE_SALT)        a constant of the site
 *   state      = sample key + site key                                one add per site
 * and draws uniform k (k = 1, 2, ...) as bits = mix64(state + k * MV_RT_GOLDEN) (SplitMix64):
 * one mix per uniform, so a site drawn from one uniform costs one mix. Why the streams stay
 * distinct and independent across sites: docs/runtime.md, "Random streams". */

#define MV_RT_SEED_SALT 0x6a09e667f3bcc909ULL /* keeps seed 0 away from mix64's fixed point 0 */
#define MV_RT_SITE_SALT 0xbb67ae8584caa73bULL /* likewise for site 0 in world 0 */
#define MV_RT_GOLDEN 0x9e3779b97f4a7c15ULL    /* SplitMix64's increment: 2^64 / golden ratio, odd */
#define MV_RT_MIX_M1 0xbf58476d1ce4e5b9ULL
#define MV_RT_MIX_M2 0x94d049bb133111ebULL
/* bits -> uniform and bits -> bernoulli: runtime/Uniform.h. */

/** The SplitMix64 / Murmur3 64-bit finaliser (Stafford's mix 13): a bijection with full
 *  avalanche, so inputs differing in one bit give unrelated outputs. */
static inline uint64_t mv_rt_mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * MV_RT_MIX_M1;
  z = (z ^ (z >> 27)) * MV_RT_MIX_M2;
  return z ^ (z >> 31);
}

/** The run's key: the only function of the seed the streams use. */
static inline uint64_t mv_rt_seed_key(uint64_t seed) { return mv_rt_mix64(seed ^ MV_RT_SEED_SALT); }

/** The key of one sample, shared by every site and world of it. */
static inline uint64_t mv_rt_sample_key(uint64_t seed_key, uint64_t sample) { return mv_rt_mix64(seed_key ^ sample); }

/** The key of site `site` (its ordinal) in world `world`: a pseudo-random constant, distinct
 *  for distinct (site, world) pairs (mix64 is a bijection), which the code generator folds
 *  into the code and the interpreter keeps in a table. */
static inline uint64_t mv_rt_site_key(uint32_t site, uint32_t world) {
  return mv_rt_mix64((((uint64_t)site << 32) | (uint64_t)world) ^ MV_RT_SITE_SALT);
}

/** The initial state of the stream with site key `site_key` in the sample with `sample_key`:
 *  for one sample key, distinct site keys give distinct states. */
static inline uint64_t mv_rt_stream_state(uint64_t sample_key, uint64_t site_key) { return sample_key + site_key; }

#endif /* MV_RUNTIME_STREAM_H */
