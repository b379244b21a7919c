// runtime/SamplerEntry.cpp — `main` of a native sampler: the generated object defines the query's data and function.
#include "runtime/QueryMeta.h"

extern "C" const mv_rt_query_meta mv_query_meta;
extern "C" int32_t mv_sample(void* ctx, uint64_t seed, uint64_t sample, double* logw, double* fullLogw,
                             double* preds, mv_rt_error* err);

int main(int argc, char** argv) { return mv_rt_sampler_main(argc, argv, &mv_query_meta, mv_sample); }
