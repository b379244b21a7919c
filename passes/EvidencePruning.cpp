// passes/EvidencePruning.cpp — marks evidence that is d-separated from every prediction, in
// the twin network, given the remaining evidence, constraints and factors, as separated.
//
// What: build the twin network (DSeparation.h: factual vertices plus one vertex per node a
// counterfactual world recomputes). For each piece of evidence in turn, if its node is
// d-separated from the vertex of every prediction (factual or counterfactual) given the
// other evidence not yet separated and the constraint nodes, mark it separated (and, when it
// observes a site, that site's weight factor). Nothing is deleted: separated evidence is
// still evaluated, and the inversion passes after this one treat it exactly as without
// pruning (marking the proposals they build for it separated too).
// Why valid: every sample then has two log weights. The full one holds every factor, so it
// is the --no-optimize weight (the same draws and factors in the same order): log evidence
// and the all-weights-zero failure are over all evidence. The estimate one (means, stderr,
// ESS) leaves out the separated finite factors (an observed site's likelihood, a point or
// noisy-OR proposal's weight for separated evidence), and is -inf whenever the full one is
// (a failed check of separated evidence zeroes both). For self-normalised importance
// sampling: d-separation is sound for every distribution that factorises over a DAG,
// deterministic nodes included, so E ⊥ predictions | rest gives E[f | rest, E] = E[f | rest];
// separating one at a time, each tested given what is left, chains the equalities. A
// separated factor is a function of E's parents, which (by the same d-separation) the
// predictions do not see given the rest, so leaving it out keeps the answer and only removes
// variance: the ESS rises. Zeroing the estimate weight where E's check fails conditions on
// an event the predictions are independent of, which keeps the answer too.
// Needs: remove-dead-interventions before it (a dead `do` adds twin paths); it must run
// before the inversion passes, so that they mark the proposals they build for separated
// evidence.
#include "passes/DSeparation.h"
#include "passes/Passes.h"

namespace mv::passes {

namespace {

/// The twin network models one counterfactual world of constant `do`s; with more worlds,
/// cross-world reads or other intervention forms pruning is not proved safe, so it is skipped.
bool twinNetworkApplies(const ir::QueryGraph& g) {
  if (g.worlds.size() > 2) return false;
  // Evidence in a counterfactual world conditions on a world's values (worlds.md §5): the
  // twin network has no vertex for "the factual site set where the world keeps it".
  for (const ir::Evidence& e : g.evidence)
    if (e.world != 0) return false;
  for (const ir::Constraint& c : g.constraints)
    if (c.world != 0) return false;
  for (const ir::Node& n : g.nodes)
    if (n.kind == ir::NodeKind::Read || n.home != 0 || n.shadowOf != ir::kNoNode) return false;
  for (const ir::World& w : g.worlds)
    for (const ir::Intervention& iv : w.interventions)
      if (g.nodes[iv.valueNode].kind != ir::NodeKind::Const) return false;
  return true;
}

}  // namespace

void pruneSeparatedEvidence(ir::QueryGraph& g) {
  if (g.evidence.empty() || !twinNetworkApplies(g)) return;
  TwinNetwork net(g);
  std::vector<uint32_t> predicted;
  for (const ir::Prediction& p : g.predictions) predicted.push_back(net.vertex(p.world, p.node));
  std::vector<char> given(net.size(), 0);
  for (const ir::Evidence& e : g.evidence) given[e.node] = 1;
  for (const ir::Constraint& c : g.constraints) given[c.cond] = 1;
  // A factor is evidence on what it reads (an observed child of its inputs): always given,
  // never separated (its term is not a density of one node, so nothing here proves it safe).
  for (ir::NodeId id = 0; id < g.nodes.size(); ++id)
    if (g.nodes[id].kind == ir::NodeKind::Factor) given[id] = 1;
  for (ir::Evidence& e : g.evidence) {
    bool isConstraint = false;
    for (const ir::Constraint& c : g.constraints) isConstraint |= c.cond == e.node;
    if (e.invertedSite != ir::kNoNode || isConstraint) continue;
    given[e.node] = 0;
    if (dSeparated(net, e.node, predicted, given)) {
      e.separated = true;  // unobserved for the d-separation tests of the evidence after it
      ir::Node& n = g.nodes[e.node];
      if (n.kind == ir::NodeKind::Site) n.site.separated = true;
      continue;
    }
    given[e.node] = 1;
  }
}

}  // namespace mv::passes
