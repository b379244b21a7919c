// passes/TwinWorld.cpp — decides what each counterfactual world recomputes.
//
// What: for every counterfactual world, the nodes to recompute are the descendants of its
// `do` targets through data operands and guards (control dependence through `if`); the
// `do` targets themselves are set. Everything else shares the factual world's value.
// Factual `intervene`s stay in force in every counterfactual world (the counterfactual
// world is the factual, already-mutilated, model with the `do`s applied): an intervened
// node is a barrier unless a `do` sets it. (The rule is counterfactualReach in Dependence.)
// Why valid: spec §7 — a node's counterfactual value can differ from its factual value
// only if it reads (directly or through a guard) a value that differs; sites downstream
// of a `do` are redrawn from their prior (where their inputs differ from the factual ones;
// elsewhere they keep the factual value: ir::keepsFactualDraw), so proposal operands are
// not inputs here.
// Needs: nothing; the schedule pass orders the result.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

void buildTwinWorlds(ir::QueryGraph& g) {
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    std::vector<char> recompute = counterfactualReach(g, w);
    ir::World& world = g.worlds[w];
    world.schedule.clear();
    for (NodeId id = 0; id < g.nodes.size(); ++id)
      if (recompute[id]) world.schedule.push_back(id);
  }
}

}  // namespace mv::passes
