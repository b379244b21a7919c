// passes/Schedule.cpp — orders every world's nodes by dependence.
//
// What: the factual world computes every node, in a topological order of operands
// (including proposal operands added by observation inversion) and guards, keeping
// program order where dependences allow. Each counterfactual world's recomputed set
// (from twin-world) is ordered as the factual order restricted to it.
// Why valid: the factual order is a topological order of the whole graph, so its
// restriction to any subset respects every edge inside that subset; edges from outside
// the subset read factual values, which are all computed before the counterfactual pass.
// Needs: twin-world (the recomputed sets); must run after every pass that adds edges.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

void scheduleWorlds(ir::QueryGraph& g) {
  std::vector<NodeId> order = topologicalOrder(g, {});
  g.worlds[0].schedule = order;  // empty on a cycle: the verifier then reports it
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    std::vector<char> member(g.nodes.size(), 0);
    for (NodeId id : g.worlds[w].schedule) member[id] = 1;
    std::vector<NodeId> restricted;
    for (NodeId id : order)
      if (member[id]) restricted.push_back(id);
    g.worlds[w].schedule = std::move(restricted);
  }
}

}  // namespace mv::passes
