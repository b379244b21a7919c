// passes/Dependence.h — read-only dataflow analyses over a query graph.
#pragma once

#include "ir/Graph.h"

#include <vector>

namespace mv::passes {

/// Which edges count as dependence.
enum class Edges {
  All,            ///< operands (including proposal operands) and guards: the factual world
  Counterfactual, ///< operands except proposal operands, and guards: what a redraw reads
};

/// The operands of `n` that it reads under `edges`, plus its guard.
std::vector<ir::NodeId> inputsOf(const ir::Node& n, Edges edges);

/// users[id] = nodes that read id under `edges`.
std::vector<std::vector<ir::NodeId>> usersOf(const ir::QueryGraph& g, Edges edges);

/// Marks every node reachable from `roots` by following inputs (roots included).
std::vector<char> ancestors(const ir::QueryGraph& g, const std::vector<ir::NodeId>& roots, Edges edges);

/// Marks every node reachable from `roots` by following users (roots included), not
/// propagating through nodes in `barrier`.
std::vector<char> descendants(const ir::QueryGraph& g, const std::vector<ir::NodeId>& roots, Edges edges,
                              const std::vector<char>& barrier);

/// Marks every node reachable from `roots` by following inputs (roots included), where a
/// node marked in `cut` contributes only its guard (an intervened node ignores its operands).
std::vector<char> ancestorsCut(const ir::QueryGraph& g, const std::vector<ir::NodeId>& roots, Edges edges,
                               const std::vector<char>& cut);

/// Nodes set by `intervene` in the factual world.
std::vector<char> factualIntervened(const ir::QueryGraph& g);

/// The nodes counterfactual world `w` recomputes or sets (spec §7): the descendants of its
/// `do` targets through `Edges::Counterfactual`, not through factual interventions it does
/// not override. The rule of the twin-world pass, shared with the analyses that need it.
std::vector<char> counterfactualReach(const ir::QueryGraph& g, size_t w);

/// A topological order of the nodes marked in `include` (all if empty) under
/// `Edges::All`, ties broken by node id so program order is kept where possible.
/// Returns an empty vector if the marked subgraph has a cycle.
std::vector<ir::NodeId> topologicalOrder(const ir::QueryGraph& g, const std::vector<char>& include);

}  // namespace mv::passes
