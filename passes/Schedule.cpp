// passes/Schedule.cpp — orders every world's nodes by dependence.
//
// What: the factual world computes every node, in a topological order of operands
// (including proposal operands added by observation inversion) and guards, keeping
// program order where dependences allow. Each counterfactual world's recomputed set
// (from twin-world) is ordered as the factual order restricted to it.
// Why valid: the factual order is a topological order of the whole graph, so its
// restriction to any subset respects every edge inside that subset; edges from outside
// the subset read factual values, which are all computed before the counterfactual pass.
// Worlds with nodes of their own (reads of other worlds, stochastic `do`s) or a `do` that
// reads its target's mechanism get an order of their own, over the nodes they may evaluate.
// Needs: twin-world (the recomputed sets); must run after every pass that adds edges.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

void scheduleWorlds(ir::QueryGraph& g) {
  // A world's own nodes (ir::homeWorlds) are in no other world's order; where a `do` reads
  // its target's mechanism the factual and counterfactual orders differ (topologicalOrder).
  std::vector<uint32_t> home = ir::homeWorlds(g);
  bool perWorld = false;
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    perWorld = perWorld || home[id] != 0 || g.nodes[id].shadowOf != ir::kNoNode;
  auto orderFor = [&](uint32_t w) {
    if (!perWorld) return topologicalOrder(g, {});
    std::vector<char> include(g.nodes.size(), 0);
    for (NodeId id = 0; id < g.nodes.size(); ++id) include[id] = home[id] == 0 || home[id] == w;
    return topologicalOrder(g, include, int(w));
  };
  std::vector<NodeId> order = orderFor(0);
  g.worlds[0].schedule = order;  // empty on a cycle: the verifier then reports it
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    if (perWorld) order = orderFor(uint32_t(w));
    std::vector<char> member(g.nodes.size(), 0);
    for (NodeId id : g.worlds[w].schedule) member[id] = 1;
    std::vector<NodeId> restricted;
    for (NodeId id : order)
      if (member[id]) restricted.push_back(id);
    g.worlds[w].schedule = std::move(restricted);
  }
}

}  // namespace mv::passes
