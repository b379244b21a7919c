// passes/CounterfactualSlicing.cpp — each counterfactual world recomputes only what reaches
// one of its predictions.
//
// What: in counterfactual world w, keep in the recompute list only the nodes that are
// ancestors of a node predicted in w, walking inputs (data operands and guards; not proposal
// operands, which a redraw ignores) inside the recompute list and stopping at nodes w sets
// with a `do` (they read only their value node, outside the list: inputsOf). The
// `do` targets stay (the world sets them). Everything else w reads is the factual value.
// Why valid: the interpreter copies the factual values into w and then evaluates w's list in
// order; a node dropped here is read by no kept node and by no prediction of w, so every
// prediction of w gets the same value. Draws keep their own streams (keyed by site and
// world), so dropping a redraw changes no other value: predictions are bit-identical.
// Needs: twin-world (the recompute lists) and schedule (it filters ordered lists, which
// stay ordered); slice-factual runs after it and reads what the sliced worlds still read.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

void sliceCounterfactualWorlds(ir::QueryGraph& g) {
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    ir::World& world = g.worlds[w];
    const WorldView view(g, w);
    std::vector<char> member(g.nodes.size(), 0), keep(g.nodes.size(), 0);
    for (NodeId id : world.schedule) member[id] = 1;
    std::vector<NodeId> stack;
    for (const ir::Intervention& iv : world.interventions) keep[iv.node] = 1;
    for (const ir::Prediction& p : g.predictions)
      if (p.world == w && member[p.node] && !keep[p.node]) keep[p.node] = 1, stack.push_back(p.node);
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      for (NodeId in : view.inputsOf(id, Edges::Counterfactual))
        if (member[in] && !keep[in]) keep[in] = 1, stack.push_back(in);
    }
    std::vector<NodeId> sliced;
    for (NodeId id : world.schedule)
      if (keep[id]) sliced.push_back(id);
    world.schedule = std::move(sliced);
  }
}

}  // namespace mv::passes
