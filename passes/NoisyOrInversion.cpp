// passes/NoisyOrInversion.cpp — evidence on a noisy-OR gets the exact conditional proposal
// over its leak sites (the MultiVerse paper's "observable noisy-OR").
//
// What: for evidence s == v where s is an OR (through copies) of terms, each term either a
// bernoulli leak site l, a gated leak `c && l` (the leak on the right, as in `d1 && l1`,
// else on the left) or a deterministic term t, give every leak l_i a bernoulli proposal
// with the parameter, computed by new nodes from the causes and the leaks drawn before it:
//   v = true:  q_i = p_i                    if an earlier term is already true, or c_i false
//              q_i = min(1, p_i / R_i)      otherwise, R_i = 1 - prod_{j >= i} (1 - c_j p_j)
//   v = false: q_i = c_i ? 0 : p_i
// where p_i is l_i's prior parameter and deterministic terms come first.
// Why valid: q_i is P(l_i | s = v, causes, l_1..l_{i-1}) (for v = true: if nothing so far
// is true, l_i = 1 with probability p_i over the chance R_i that some term from i on fires),
// so the leaks are drawn from their exact joint conditional and the product of the weights
// p(l_i)/q(l_i) telescopes to P(s = v | causes) in every sample that satisfies s = v. The
// evidence check stays (it never fails when P(s = v | causes) > 0 and gives weight 0 when it
// is 0), so the estimator has the same expectation as rejection with no waste. No new IR is
// needed: these are ordinary bernoulli proposals (ProposalKind::Distribution).
// Conditions checked: every OR, copy and AND on the way shares s's guard and is neither
// observed nor intervened; every leak is a bernoulli site with the same guard, unobserved,
// unintervened, not point-proposed, in one term only; causes, deterministic terms and leak
// parameters do not depend on any leak. A user `propose` on a leak is replaced (the exact
// conditional is the best proposal for this evidence).
// Needs: invert-observations before it (sites it inverted are left alone); schedule after.
#include "passes/Dependence.h"
#include "passes/Passes.h"

#include <algorithm>

namespace mv::passes {

using ir::Node;
using ir::NodeId;
using ir::NodeKind;
using ir::Scalar;

namespace {

struct Term {
  NodeId node;                 ///< the term's value (the site itself for a bare leak)
  NodeId leak = ir::kNoNode;   ///< none: a deterministic term
  NodeId cause = ir::kNoNode;  ///< none: an ungated leak
};

class NoisyOr {
public:
  NoisyOr(ir::QueryGraph& g, const ir::Evidence& ev, std::vector<char>& taken)
      : g_(g), ev_(ev), guard_(g.nodes[ev.node].guard), blocked_(g.nodes.size(), 0), taken_(taken) {
    for (const ir::Intervention& iv : g.worlds[0].interventions) blocked_[iv.node] = 1;
    for (const ir::Evidence& e : g.evidence) blocked_[e.node] = 1;
  }

  bool match() {
    collect(ev_.node, true);
    if (failed_) return false;
    std::stable_partition(terms_.begin(), terms_.end(), [](const Term& t) { return t.leak == ir::kNoNode; });
    std::vector<NodeId> leaks, inputs;
    for (const Term& t : terms_) {
      if (t.leak == ir::kNoNode) { inputs.push_back(t.node); continue; }
      leaks.push_back(t.leak);
      if (t.cause != ir::kNoNode) inputs.push_back(t.cause);
      inputs.push_back(g_.nodes[t.leak].operands[0]);
    }
    if (leaks.empty()) return false;
    std::vector<NodeId> sorted = leaks;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return false;
    std::vector<char> up = ancestors(g_, 0, inputs, Edges::All);
    for (NodeId l : leaks)
      if (up[l]) return false;
    return true;
  }

  void rewrite() {
    bool value = ev_.value.asBool();
    NodeId one = constant(Scalar::Real, 1), zero = constant(Scalar::Real, 0);
    NodeId already = ir::kNoNode;  // OR of the terms before the current one
    for (const Term& t : terms_)
      if (t.leak == ir::kNoNode) already = orWith(already, t.node);
    // R_i = 1 - prod_{j >= i} (1 - c_j p_j), built from the last leak back.
    std::vector<NodeId> rest(terms_.size(), ir::kNoNode);
    NodeId prod = one;
    for (size_t i = terms_.size(); i-- > 0;) {
      const Term& t = terms_[i];
      if (t.leak == ir::kNoNode) continue;
      NodeId p = g_.nodes[t.leak].operands[0];
      NodeId active = t.cause == ir::kNoNode ? p : add(NodeKind::Select, Scalar::Real, {t.cause, p, zero});
      prod = add(NodeKind::Mul, Scalar::Real, {prod, add(NodeKind::Sub, Scalar::Real, {one, active})});
      rest[i] = add(NodeKind::Sub, Scalar::Real, {one, prod});
    }
    for (size_t i = 0; i < terms_.size(); ++i) {
      const Term& t = terms_[i];
      if (t.leak == ir::kNoNode) continue;
      NodeId p = g_.nodes[t.leak].operands[0];
      NodeId q;
      if (value) {
        NodeId ratio = add(NodeKind::Select, Scalar::Real,
                           {add(NodeKind::Ge, Scalar::Bool, {p, rest[i]}), one,
                            add(NodeKind::Div, Scalar::Real, {p, rest[i]})});
        q = t.cause == ir::kNoNode ? ratio : add(NodeKind::Select, Scalar::Real, {t.cause, ratio, p});
        if (already != ir::kNoNode) q = add(NodeKind::Select, Scalar::Real, {already, p, q});
      } else {
        q = t.cause == ir::kNoNode ? zero : add(NodeKind::Select, Scalar::Real, {t.cause, zero, p});
      }
      Node& leak = g_.nodes[t.leak];
      leak.operands.resize(leak.site.numParams);
      leak.operands.push_back(q);
      leak.site.proposal = ir::ProposalKind::Distribution;
      leak.site.proposalDist = stdlib::Distribution::Bernoulli;
      leak.site.numProposalParams = 1;
      leak.site.conditionalProposal = true;
      leak.site.logJacobian = 0;
      leak.site.separated = ev_.separated;  // the weights telescope to the evidence's likelihood
      taken_[t.leak] = 1;
      already = orWith(already, t.node);
    }
  }

private:
  bool eligibleLeak(NodeId id) const {
    const Node& n = g_.nodes[id];
    return n.kind == NodeKind::Site && n.site.dist == stdlib::Distribution::Bernoulli && n.guard == guard_ &&
           !blocked_[id] && !taken_[id] && n.site.proposal != ir::ProposalKind::Point;
  }

  /// Flattens the OR tree under `id` into terms_.
  void collect(NodeId id, bool isRoot) {
    const Node& n = g_.nodes[id];
    bool inner = n.guard == guard_ && (isRoot || !blocked_[id]);
    if (inner && (n.kind == NodeKind::Or || n.kind == NodeKind::Copy)) {
      for (NodeId op : n.operands) collect(op, false);
      return;
    }
    if (isRoot) { failed_ = true; return; }
    if (eligibleLeak(id)) { terms_.push_back(Term{id, id}); return; }
    if (inner && n.kind == NodeKind::And) {
      if (eligibleLeak(n.operands[1])) { terms_.push_back(Term{id, n.operands[1], n.operands[0]}); return; }
      if (eligibleLeak(n.operands[0])) { terms_.push_back(Term{id, n.operands[0], n.operands[1]}); return; }
    }
    terms_.push_back(Term{id});
  }

  NodeId add(NodeKind k, Scalar t, std::vector<NodeId> ops) {
    return g_.add(Node{k, t, std::move(ops), guard_, ev_.loc});
  }
  NodeId constant(Scalar t, double v) {
    Node c{NodeKind::Const, t, {}, ir::kNoNode, ev_.loc};
    c.constant = ir::Word::fromDouble(t, v);
    return g_.add(std::move(c));
  }
  NodeId orWith(NodeId a, NodeId b) { return a == ir::kNoNode ? b : add(NodeKind::Or, Scalar::Bool, {a, b}); }

  ir::QueryGraph& g_;
  ir::Evidence ev_;
  NodeId guard_;
  std::vector<char> blocked_;
  std::vector<char>& taken_;  ///< leaks already given a proposal by an earlier evidence
  std::vector<Term> terms_;
  bool failed_ = false;
};

}  // namespace

void invertNoisyOr(ir::QueryGraph& g) {
  std::vector<char> taken(g.nodes.size(), 0);
  for (size_t k = 0; k < g.evidence.size(); ++k) {
    const ir::Evidence ev = g.evidence[k];
    const Node& s = g.nodes[ev.node];
    if (s.kind == NodeKind::Site || s.type != Scalar::Bool || ev.invertedSite != ir::kNoNode) continue;
    // The proposal depends on the observed value (true or false); a data value is not known
    // here, so the evidence keeps its rejection check (exact either way).
    if (ev.isData()) continue;
    if (!onFactualValue(g, g.evidence[k])) continue;  // a world's own value: its constraint form
    taken.resize(g.nodes.size(), 0);
    NoisyOr n(g, ev, taken);
    if (n.match()) n.rewrite();
  }
}

}  // namespace mv::passes
