// tests/unit/backend/TestCompile.h — comparing engines sample by sample (compiling: tests/unit/support).
#pragma once

#include "ir/Graph.h"
#include "runtime/Runtime.h"
#include "tests/unit/support/CompileText.h"

#include <string>
#include <vector>

namespace mv::test {

/// Runs samples [0, n) of `a` and `b` with `seed` and returns a description of the first
/// difference in return code, log weights (estimate and full), predictions or error (bit for bit; any NaN equals
/// any NaN), or "" when they agree.
std::string compareSamples(mv_rt_sample_fn a, void* actx, mv_rt_sample_fn b, void* bctx, size_t numPredictions,
                           uint64_t seed, uint64_t n);

}  // namespace mv::test
