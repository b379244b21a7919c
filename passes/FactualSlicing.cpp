// passes/FactualSlicing.cpp — the factual world computes only what the weight, the factual
// predictions and the counterfactual worlds read.
//
// What: keep in the factual schedule the ancestors, through every edge (data operands,
// proposal operands and guards; an intervened node contributes only its guard and its
// intervention's value node: passes/Dependence.h inputsOf), of:
// evidence, constraint and factor nodes; nodes predicted in the factual world; nodes predicted in a
// counterfactual world that it does not recompute; every input a counterfactual world reads
// but does not recompute; every site a counterfactual world redraws, with the factual inputs
// its redraw compares (ir::factualInputsOf: consistency keeps the factual value where they
// are unchanged); every node a Read reads from a world that does not
// compute it; and every site whose weight is not 1 per sample (a user
// `propose` or a point proposal: p/q depends on the draw). Factual interventions on nodes
// not kept are dropped (nothing kept reads them).
// Why valid: a dropped node is read by no kept node, no weight and no prediction, and every
// draw has its own stream (keyed by seed, sample, site and world), so the kept nodes take
// the same values and every sample has the same weight and predictions: the estimates, the
// ESS and the log evidence are bit-identical. A dropped site drawn from its prior
// contributes weight factor exactly 1 (p/p) in every sample. Sites with a user proposal are
// kept on purpose even when nothing reads them: dropping them would keep the
// self-normalised estimates unbiased (their factor is independent of everything kept) but
// would change each sample's weight, the ESS and the log evidence estimate; keeping them
// makes the pass exact per sample. What may change: a run-time domain error in a dropped
// node no longer happens (spec §7: the compiler may skip what reaches nothing observed).
// Needs: schedule (it filters the ordered factual list) and slice-counterfactual (it reads
// what the sliced counterfactual worlds still read); it runs last.
#include "passes/Dependence.h"
#include "passes/Passes.h"

namespace mv::passes {

using ir::NodeId;

namespace {

std::vector<NodeId> rootsOf(const ir::QueryGraph& g) {
  std::vector<NodeId> roots;
  for (const ir::Evidence& e : g.evidence) roots.push_back(e.node);
  // Evidence in a world is on a factual site where the world keeps it (worlds.md §5); a
  // world's constraints and factors are its own nodes: what they read is rooted below.
  for (const ir::Constraint& c : g.constraints)
    if (c.world == 0) roots.push_back(c.cond);
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const ir::Node& n = g.nodes[id];
    if (n.kind == ir::NodeKind::Site && n.site.proposal != ir::ProposalKind::Prior) roots.push_back(id);
    if (n.kind == ir::NodeKind::Factor && n.home == 0) roots.push_back(id);  // a factor is evidence: it weighs every sample
  }
  std::vector<std::vector<char>> member(g.worlds.size());
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    const ir::World& world = g.worlds[w];
    const WorldView view(g, w);
    member[w].assign(g.nodes.size(), 0);
    for (NodeId id : world.schedule) member[w][id] = 1;
    for (NodeId id : world.schedule) {
      for (NodeId in : view.inputsOf(id, Edges::Counterfactual))
        if (!member[w][in]) roots.push_back(in);
      for (NodeId in : view.factualInputsOf(id)) roots.push_back(in);  // a redraw compares with them
    }
  }
  // A Read takes the factual value of what its world does not compute.
  for (size_t w = 1; w < g.worlds.size(); ++w)
    for (NodeId id : g.worlds[w].schedule) {
      const ir::Node& n = g.nodes[id];
      if (n.kind == ir::NodeKind::Read && (n.readWorld == 0 || !member[n.readWorld][n.readNode]))
        roots.push_back(n.readNode);
    }
  for (const ir::Prediction& p : g.predictions)
    if (p.world == 0 || !member[p.world][p.node]) roots.push_back(p.node);
  return roots;
}

}  // namespace

void sliceFactualWorld(ir::QueryGraph& g) {
  std::vector<char> keep = ancestors(g, 0, rootsOf(g), Edges::All);
  ir::World& factual = g.worlds[0];
  std::vector<NodeId> sliced;
  for (NodeId id : factual.schedule)
    if (keep[id]) sliced.push_back(id);
  factual.schedule = std::move(sliced);
  std::vector<ir::Intervention> kept;
  for (const ir::Intervention& iv : factual.interventions)
    if (keep[iv.node]) kept.push_back(iv);
  factual.interventions = std::move(kept);
}

}  // namespace mv::passes
