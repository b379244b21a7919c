// passes/Dependence.h — read-only dataflow analyses over a query graph.
#pragma once

#include "ir/Graph.h"
#include "ir/Inputs.h"

#include <vector>

namespace mv::passes {

// The dependence rule itself (Edges, WorldView, inputsOf) is ir/Inputs.h, shared with the
// verifier and the printer; these analyses are built on it.
using ir::Edges;
using ir::WorldView;
using ir::inputsOf;

/// users[id] = nodes that read id in world `w` under `edges`.
std::vector<std::vector<ir::NodeId>> usersOf(const ir::QueryGraph& g, size_t w, Edges edges);

/// Marks every node reachable from `roots` by following world `w`'s inputs (roots included).
std::vector<char> ancestors(const ir::QueryGraph& g, size_t w, const std::vector<ir::NodeId>& roots, Edges edges);

/// Marks every node reachable from `roots` by following world `w`'s users (roots
/// included). A node the world sets is reached only through what it reads there.
std::vector<char> descendants(const ir::QueryGraph& g, size_t w, const std::vector<ir::NodeId>& roots, Edges edges);

/// The nodes counterfactual world `w` recomputes or sets (spec §7): the descendants of its
/// `do` targets through world `w`'s inputs under `Edges::Counterfactual` (a factual
/// intervention it does not override reads only its value, so it is not reached). The
/// rule of the twin-world pass, shared with the analyses that need it.
std::vector<char> counterfactualReach(const ir::QueryGraph& g, size_t w);

/// Whether evidence `e` holds on a factual value: factual evidence, or evidence in a world
/// on a node that world does not recompute (worlds.md §5: then it is evidence on the value
/// it shares with the factual world) when no other evidence observes that node.
bool onFactualValue(const ir::QueryGraph& g, const ir::Evidence& e);

/// A topological order of the nodes marked in `include` (all if empty) that is valid in
/// every world: a node comes after its operands (`Edges::All`), its guard and the value
/// node of every intervention on it. Ties are broken by node id so program order is kept
/// where possible; an intervention's value node takes its target's place in that order
/// (so adding value nodes never reorders the others).
/// `world` >= 0: valid in that world only where a `do` reads its target's mechanism
/// (Node::shadowOf): in the factual world the copy comes after the target and that `do`'s
/// value does not order the target; in a counterfactual world the copy is evaluated.
/// Returns an empty vector if the marked subgraph has a cycle.
std::vector<ir::NodeId> topologicalOrder(const ir::QueryGraph& g, const std::vector<char>& include, int world = -1);

}  // namespace mv::passes
