// ir/Verifier.h — structural and type invariants of a query graph.
#pragma once

#include "ir/Graph.h"

#include <string>
#include <vector>

namespace mv::ir {

/// Checks `g`; returns one message per broken invariant (empty when valid).
/// Invariants: operand counts and ids, operand and result types per kind, guards are
/// bool, every schedule is in dependency order, counterfactual schedules read only
/// values recomputed earlier in the same world or computed in the factual world, and
/// evidence, constraints, interventions and predictions name scheduled nodes. Before
/// the schedule pass (empty factual schedule) only the node invariants are checked.
std::vector<std::string> verify(const QueryGraph& g);

}  // namespace mv::ir
