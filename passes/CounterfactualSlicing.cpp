// passes/CounterfactualSlicing.cpp — each counterfactual world recomputes only what reaches
// one of its predictions, its evidence, constraints and factors, or another world's reads.
//
// What: in counterfactual world w, keep in the recompute list only the nodes that are
// ancestors of a node predicted in w (or observed, constrained or a factor in w), walking inputs (data operands and guards; not proposal
// operands, which a redraw ignores) inside the recompute list and stopping at nodes w sets
// with a `do` (they read only their value node, outside the list: inputsOf). The
// `do` targets stay (the world sets them), with what their values read in w. A node another
// world's kept Read reads from w is kept like a prediction (worlds are sliced from the last
// evaluated back). Everything else w reads is the factual value.
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
  // Later worlds first: what their kept Reads read from a world is needed there too.
  std::vector<std::vector<NodeId>> readFrom(g.worlds.size());
  std::vector<uint32_t> order = ir::worldOrder(g);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const uint32_t w = *it;
    if (w == 0) continue;
    ir::World& world = g.worlds[w];
    const WorldView view(g, w);
    std::vector<char> member(g.nodes.size(), 0), keep(g.nodes.size(), 0);
    for (NodeId id : world.schedule) member[id] = 1;
    std::vector<NodeId> stack;
    for (const ir::Intervention& iv : world.interventions) keep[iv.node] = 1, stack.push_back(iv.node);
    std::vector<NodeId> roots = readFrom[w];
    for (const ir::Prediction& p : g.predictions)
      if (p.world == w) roots.push_back(p.node);
    // The world's evidence, constraints and factors weigh every sample (worlds.md §5).
    for (const ir::Evidence& e : g.evidence)
      if (e.world == w) roots.push_back(e.node);
    for (const ir::Constraint& c : g.constraints)
      if (c.world == w) roots.push_back(c.cond);
    for (NodeId id = 0; id < g.nodes.size(); ++id)
      if (g.nodes[id].home == w && g.nodes[id].kind == ir::NodeKind::Factor) roots.push_back(id);
    for (NodeId r : roots)
      if (member[r] && !keep[r]) keep[r] = 1, stack.push_back(r);
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      for (NodeId in : view.inputsOf(id, Edges::Counterfactual))
        if (member[in] && !keep[in]) keep[in] = 1, stack.push_back(in);
    }
    std::vector<NodeId> sliced;
    for (NodeId id : world.schedule)
      if (keep[id]) {
        sliced.push_back(id);
        const ir::Node& n = g.nodes[id];
        if (n.kind == ir::NodeKind::Read) readFrom[n.readWorld].push_back(n.readNode);
      }
    world.schedule = std::move(sliced);
  }
}

}  // namespace mv::passes
