// passes/DeadInterventions.cpp — drops a `do` or `intervene` that reaches nothing the query
// observes or predicts, with a warning.
//
// What: a `do x = v` in counterfactual world w is live when a node predicted in w (or w's
// evidence, constraint or factor: worlds.md §5) descends
// from x through data operands and guards (not proposal operands: a redraw ignores them),
// not passing through the nodes w sets (its other `do`s) or keeps fixed (factual
// `intervene`s it does not override). An `intervene x = v` is live when a descendant of x,
// through every edge (proposal operands feed weights), is evidence, a constraint, a factor, a
// predicted node of any world (counterfactual worlds start from factual values), or a site
// whose weight reads its parameters (a user or point proposal); another factual
// intervention is crossed only through its guard (its value ignores its operands). A dead
// intervention is removed and a DeadIntervention warning is recorded in g.notes.
// A node another world reads (a Read) counts as predicted in the world it is read from.
// Why valid: the values a dead intervention changes are read by no weight, no check and no
// prediction, so every sample's weight and predictions stay bit-identical.
// Needs: nothing; it runs first so that no later pass works for a dead intervention.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

namespace {

/// Nodes whose value reaches a weight, a check or a prediction from the factual world.
std::vector<char> factualSinks(const ir::QueryGraph& g) {
  std::vector<char> sink(g.nodes.size(), 0);
  for (const ir::Evidence& e : g.evidence) sink[e.node] = 1;
  for (const ir::Constraint& c : g.constraints) sink[c.cond] = 1;
  for (const ir::Prediction& p : g.predictions) sink[p.node] = 1;
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const ir::Node& n = g.nodes[id];
    if (n.kind == ir::NodeKind::Read) sink[n.readNode] = 1;  // any world may read factual values
    if (n.kind == ir::NodeKind::Site && n.site.proposal != ir::ProposalKind::Prior) sink[id] = 1;
    if (n.kind == ir::NodeKind::Factor) sink[id] = 1;  // its term is a weight factor
  }
  return sink;
}

bool intersects(const std::vector<char>& a, const std::vector<char>& b) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] && b[i]) return true;
  return false;
}

void warn(ir::QueryGraph& g, const ir::Intervention& iv, const char* verb) {
  const ir::Node& n = g.nodes[iv.node];
  g.notes.push_back(ir::PassNote{DiagId::DeadIntervention, iv.loc, {verb, n.name.empty() ? "?" : n.name}});
}

}  // namespace

void removeDeadInterventions(ir::QueryGraph& g) {
  std::vector<char> sinks = factualSinks(g);
  std::vector<ir::Intervention> kept;
  // Descendants in the factual world: an intervened node is entered only through its guard.
  for (const ir::Intervention& iv : g.worlds[0].interventions) {
    if (intersects(descendants(g, 0, {iv.node}, Edges::All), sinks)) kept.push_back(iv);
    else warn(g, iv, "intervene");
  }
  g.worlds[0].interventions = std::move(kept);
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    std::vector<char> predicted(g.nodes.size(), 0);
    for (const ir::Prediction& p : g.predictions)
      if (p.world == w) predicted[p.node] = 1;
    for (const ir::Node& n : g.nodes)
      if (n.kind == ir::NodeKind::Read && n.readWorld == w) predicted[n.readNode] = 1;  // read by another world
    // The world's own evidence, constraints and factors weigh the samples.
    for (const ir::Evidence& e : g.evidence)
      if (e.world == w) predicted[e.node] = 1;
    for (const ir::Constraint& c : g.constraints)
      if (c.world == w) predicted[c.cond] = 1;
    for (NodeId id = 0; id < g.nodes.size(); ++id)
      if (g.nodes[id].home == w && g.nodes[id].kind == ir::NodeKind::Factor) predicted[id] = 1;
    kept.clear();
    // Descendants in world w: a node it sets (another `do`, a kept `intervene`) is not entered.
    for (const ir::Intervention& iv : g.worlds[w].interventions) {
      if (intersects(descendants(g, w, {iv.node}, Edges::Counterfactual), predicted)) kept.push_back(iv);
      else warn(g, iv, "do");
    }
    g.worlds[w].interventions = std::move(kept);
  }
}

}  // namespace mv::passes
