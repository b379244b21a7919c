// tests/unit/backend/TestCompile.h — compiling .mv text to scheduled query graphs, and comparing engines sample by sample.
#pragma once

#include "ir/Graph.h"
#include "runtime/Runtime.h"

#include <string>
#include <vector>

namespace mv::test {

/// Parses, checks and runs the pass pipeline on `text`; on error returns no graphs and
/// puts the printed diagnostics in *errors.
std::vector<ir::QueryGraph> compileText(const std::string& name, const std::string& text, std::string* errors);

/// The file's contents ("" when unreadable).
std::string readText(const std::string& path);

/// Runs samples [0, n) of `a` and `b` with `seed` and returns a description of the first
/// difference in return code, log weight, predictions or error (bit for bit; any NaN equals
/// any NaN), or "" when they agree.
std::string compareSamples(mv_rt_sample_fn a, void* actx, mv_rt_sample_fn b, void* bctx, size_t numPredictions,
                           uint64_t seed, uint64_t n);

}  // namespace mv::test
