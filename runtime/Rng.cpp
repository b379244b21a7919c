// runtime/Rng.cpp — counter-based SplitMix64 streams, one per (seed, sample, site, world).
#include "runtime/Runtime.h"
#include "runtime/Uniform.h"

namespace {

// The SplitMix64 / Murmur3 64-bit finaliser: a bijection with full avalanche, so
// inputs differing in one bit give unrelated outputs.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Keeps seed 0 away from the finaliser's fixed point mix64(0) == 0.
constexpr uint64_t kSeedSalt = 0x6a09e667f3bcc909ULL;
constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

}  // namespace

extern "C" {

mv_rt_stream mv_rt_stream_for(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world) {
  // Each step is a bijection of its new input for a fixed prefix, so for one (seed, sample)
  // distinct (site, world) pairs always get distinct states.
  uint64_t h = mix64(seed ^ kSeedSalt);
  h = mix64(h ^ sample);
  h = mix64(h ^ ((uint64_t(site) << 32) | uint64_t(world)));
  return mv_rt_stream{h};
}

uint64_t mv_rt_next_u64(mv_rt_stream* s) {
  s->state += kGolden;
  return mix64(s->state);
}

double mv_rt_next_open01(mv_rt_stream* s) {
  // (k + 0.5) * 2^-52 for a 52-bit k (runtime/Uniform.h): every value is exact (53
  // significant bits), the range is [2^-53, 1 - 2^-53], and 1 - u is exact and has the same
  // distribution as u. (With 53 bits for k, k + 0.5 needs 54 bits and the top value rounds to 1.0.)
  return mv_rt_uniform_of_bits(mv_rt_next_u64(s));
}

}  // extern "C"
