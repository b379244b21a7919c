// tests/unit/passes/PassTestUtil.h — compiling .mv text with chosen passes, and running it on the interpreter.
#pragma once

#include "ir/Graph.h"
#include "passes/Passes.h"
#include "runtime/Driver.h"
#include "tests/unit/support/CompileText.h"

#include <string>
#include <vector>

namespace mv::test {

/// Parses, checks and runs the pipeline with `options` on `text`; fails the test on any error.
std::vector<ir::QueryGraph> compileWith(const std::string& name, const std::string& text,
                                        const passes::PipelineOptions& options);

/// The benchmark networks and the discrete examples (absolute paths).
std::vector<std::string> networkFiles();
std::vector<std::string> exampleFiles();

/// Runs `g` on the interpreter with `samples` samples, seed 1, two threads.
rt::RunResult interpret(const ir::QueryGraph& g, uint64_t samples);

/// "" when every sample of `a` and `b` (seed 1, samples [0, n)) has the bit-identical log
/// weights (estimate and full) and predictions; else a description of the first difference.
std::string compareSampleBySample(const ir::QueryGraph& a, const ir::QueryGraph& b, uint64_t n);

/// Pipeline options with the named optional passes disabled.
passes::PipelineOptions without(std::vector<std::string> passes);

}  // namespace mv::test
