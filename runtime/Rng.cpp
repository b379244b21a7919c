// runtime/Rng.cpp — counter-based SplitMix64 streams, one per (seed, sample, site, world) (runtime/Stream.h).
#include "runtime/Runtime.h"
#include "runtime/Stream.h"

extern "C" {

mv_rt_stream mv_rt_stream_for(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world) {
  return mv_rt_stream{mv_rt_stream_state(mv_rt_sample_key(mv_rt_seed_key(seed), sample), mv_rt_site_key(site, world))};
}

uint64_t mv_rt_next_u64(mv_rt_stream* s) {
  s->state += MV_RT_GOLDEN;
  return mv_rt_mix64(s->state);
}

double mv_rt_next_open01(mv_rt_stream* s) { return mv_rt_open01_of_bits(mv_rt_next_u64(s)); }

}  // extern "C"
