// runtime/Rng.cpp — counter-based SplitMix64 streams, one per (seed, sample, site, world) (runtime/Stream.h).
#include "runtime/Runtime.h"
#include "runtime/Stream.h"
#include "runtime/Uniform.h"

extern "C" {

mv_rt_stream mv_rt_stream_for(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world) {
  return mv_rt_stream{mv_rt_stream_state(mv_rt_sample_key(mv_rt_seed_key(seed), sample), mv_rt_site_key(site, world))};
}

uint64_t mv_rt_next_u64(mv_rt_stream* s) {
  s->state += MV_RT_GOLDEN;
  return mv_rt_mix64(s->state);
}

double mv_rt_next_open01(mv_rt_stream* s) {
  // (k + 0.5) * 2^-52 for a 52-bit k (runtime/Uniform.h): every value is exact (53
  // significant bits), the range is [2^-53, 1 - 2^-53], and 1 - u is exact and has the same
  // distribution as u. (With 53 bits for k, k + 0.5 needs 54 bits and the top value rounds to 1.0.)
  return mv_rt_uniform_of_bits(mv_rt_next_u64(s));
}

}  // extern "C"
