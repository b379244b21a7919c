// frontend/Compile.h — checks a parsed program and lowers each query to a query graph.
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"

#include <vector>

namespace mv::frontend {

/// Limits on what unrolling may produce.
inline constexpr int64_t kMaxLoopIterations = 1'000'000;
inline constexpr size_t kMaxModelNodes = 1'000'000;
/// What lowering may produce (mvc's --max-model-nodes sets both): the iterations of one loop
/// and of a loop nest (the product of its trip counts), and the nodes of one model's or
/// query's graph after unrolling and inlining. At most 10^9 each (so a nest's product of
/// two factors within the limit fits in 64 bits).
struct Limits {
  int64_t loopIterations = kMaxLoopIterations;
  size_t modelNodes = kMaxModelNodes;
};

/// Outcomes of one categorical (a site's parameter count is 16 bits).
inline constexpr size_t kMaxOutcomes = 65'535;

/// Checks every static rule of the language over `program` (reporting every error to
/// `diags`) and returns one graph per query, in source order. The graphs are only
/// meaningful when `diags` has no errors. Their worlds have empty schedules: the
/// pipeline's twin-world pass fills them.
std::vector<ir::QueryGraph> lowerProgram(const ast::Program& program, const SourceManager& sources,
                                         DiagnosticEngine& diags, const Limits& limits = {});

}  // namespace mv::frontend
