// passes/EvidencePruning.cpp — drops evidence that is d-separated from every prediction, in
// the twin network, given the remaining evidence and constraints.
//
// What: build the twin network (DSeparation.h: factual vertices plus one vertex per node a
// counterfactual world recomputes). For each piece of evidence in turn, if its node is
// d-separated from the vertex of every prediction (factual or counterfactual) given the
// other remaining evidence and the constraint nodes, remove it.
// Why valid (for self-normalised importance sampling): the estimator converges to
// E[f | all evidence] under the joint distribution of the twin network. d-separation is
// sound for every distribution that factorises over a DAG, deterministic nodes included, so
// E ⊥ predictions | rest gives E[f | rest, E] = E[f | rest]: the pruned query has the same
// answer. Removing evidence one at a time, each tested given what is left, chains the
// equalities. The weight loses E's likelihood factor, which is independent of the
// predictions given the rest and so only adds variance: the ESS rises.
// What changes: the estimates are equal in expectation, not bit for bit; the log evidence
// becomes log P(rest) instead of log P(rest, E); evidence of probability zero given the rest
// no longer makes every weight zero. Inverted evidence (already given a proposal) is kept.
// Needs: remove-dead-interventions before it (a dead `do` adds twin paths); it must run
// before the inversion passes, so that no proposal is built for evidence it drops.
#include "passes/DSeparation.h"
#include "passes/Passes.h"

namespace mv::passes {

void pruneSeparatedEvidence(ir::QueryGraph& g) {
  if (g.evidence.empty()) return;
  TwinNetwork net(g);
  std::vector<uint32_t> predicted;
  for (const ir::Prediction& p : g.predictions) predicted.push_back(net.vertex(p.world, p.node));
  std::vector<char> given(net.size(), 0);
  for (const ir::Evidence& e : g.evidence) given[e.node] = 1;
  for (const ir::Constraint& c : g.constraints) given[c.cond] = 1;
  std::vector<ir::Evidence> kept;
  for (const ir::Evidence& e : g.evidence) {
    bool isConstraint = false;
    for (const ir::Constraint& c : g.constraints) isConstraint |= c.cond == e.node;
    if (e.invertedSite != ir::kNoNode || isConstraint) {
      kept.push_back(e);
      continue;
    }
    given[e.node] = 0;
    if (dSeparated(net, e.node, predicted, given)) continue;  // dropped: stays unobserved
    given[e.node] = 1;
    kept.push_back(e);
  }
  g.evidence = std::move(kept);
}

}  // namespace mv::passes
