// passes/DirichletInversion.cpp — evidence on every element of a dirichlet site (`observe p == v`)
// becomes point proposals for its gammas at S * v[i], with S ~ gamma(sum alpha, r) an internal
// site, and the weight log Dir(v; alpha) as a factor.
//
// What: frontend/LowerCompound.cpp lowers `p ~ dirichlet(alpha)` to sites g[i] ~ gamma(alpha[i], r)
// (r the constant 1), their sum s = g[0] + ... + g[k-1] and nodes p[i] = g[i] / s. Where factual
// evidence (or world evidence on the factual value, passes/Dependence.h onFactualValue) observes
// every p[i] of one such s with a simplex v — constants each in (0, 1) summing to 1 within 1e-9, or
// data the front end checks so when bound (an ir::DataCheck::Simplex over exactly those slots) —
// this pass
//  - adds a site S (named "p.scale", the next ordinal: its own stream, no other stream moves)
//    ~ gamma(alpha[0] + ... + alpha[k-1], r), drawn from its prior (weight 1);
//  - gives each g[i] the point proposal S * v[i], unweighted (SiteInfo::weighedElsewhere);
//  - adds a Factor node log Dir(v; alpha) = lgamma(A) - sum_i lgamma(alpha[i]) + sum_i
//    (alpha[i] - 1) log v[i], A = sum alpha (one Const when alpha and v are constants);
//  - marks each evidence inverted by its g[i]: the factual p[i] takes v[i] exactly, unchecked.
// Why valid: with g[i] ~ Gamma(a_i, r) independent, the change of variables g -> (S, u), S = sum g,
// u = g / S (k - 1 free coordinates), has Jacobian S^(k-1), so the joint density of (S, u) is
//   prod_i Gamma(S u_i; a_i, r) S^(k-1)
//     = prod_i r^a_i (S u_i)^(a_i - 1) e^(-r S u_i) / G(a_i) * S^(k-1)        (sum u_i = 1)
//     = [r^A S^(A-1) e^(-r S) / G(A)] * [G(A) / prod_i G(a_i) * prod_i u_i^(a_i - 1)]
//     = Gamma(S; A, r) * Dir(u; a).
// So S and u = p are independent, S ~ Gamma(A, r) (which is why the lowering is exact), and
// given p = v the gammas are g = S v with S ~ Gamma(A, r): the factual g drawn here is an exact
// draw from g | p = v, and the weight of the evidence is the density of p at v, Dir(v; a). Read
// backwards, the same identity says the point weights of the g's would give
//   sum_i log Gamma(S v_i; a_i, r) + (k - 1) log S - log Gamma(S; A, r) = log Dir(v; a),
// (checked numerically by tests/unit/passes/DirichletInversionTest.cpp); the factor computes
// the right side directly instead: no cancellation of the S terms, and no -inf or +inf where
// S v_i underflows. A counterfactual world keeps g[i] = S v[i] where alpha[i] (and r) are
// unchanged and redraws it from its prior where they changed (consistency, language.md §7), then
// recomputes p from g, as for an unobserved dirichlet; S is read by the factual proposals only.
// Rounding: the factual p is v exactly; a world that recomputes p gets g / sum(g), which where no
// gamma changed equals v only to rounding (S v_i / sum_j S v_j).
// Conditions checked: each g[i] a Prior-proposed gamma site, unobserved and unintervened; s an
// unintervened, unobserved chain of real adds whose leaves are exactly those k >= 2 distinct
// sites, each with one evidence on g[i] / s; every node on the same guard; one rate node.
// Needs: nothing before it (prune-evidence may mark the evidence separated: the factor is never
// separated, which keeps every answer); before invert-observations and schedule (new nodes).
#include "ir/Semantics.h"
#include "passes/Dependence.h"
#include "passes/Passes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace mv::passes {

using ir::Node;
using ir::NodeId;
using ir::NodeKind;
using ir::Word;

namespace {

/// The evidence observing each p[i] of one sum node: index into g.evidence, by leaf site.
struct Group {
  NodeId sum = ir::kNoNode;
  std::map<NodeId, uint32_t> byLeaf;  ///< g[i] -> evidence on g[i] / sum
};

class DirichletInverter {
public:
  explicit DirichletInverter(ir::QueryGraph& g) : g_(g), blocked_(g.nodes.size(), 0) {
    for (const ir::Intervention& iv : g.worlds[0].interventions) blocked_[iv.node] = 1;
    for (const ir::Evidence& e : g.evidence) blocked_[e.node] = 1;
  }

  void run() {
    std::map<NodeId, Group> groups;  // by sum node, in id order (a stable order of new nodes)
    for (uint32_t k = 0; k < g_.evidence.size(); ++k) {
      const ir::Evidence& ev = g_.evidence[k];
      const Node& y = g_.nodes[ev.node];
      if (y.kind != NodeKind::Div || y.type != ir::Scalar::Real || ev.invertedSite != ir::kNoNode) continue;
      if (!onFactualValue(g_, ev)) continue;
      Group& grp = groups[y.operands[1]];
      grp.sum = y.operands[1];
      grp.byLeaf.emplace(y.operands[0], k);  // a second evidence on the same share: left alone
    }
    for (auto& [sum, grp] : groups)
      if (std::optional<std::vector<NodeId>> leaves = matches(grp)) invert(grp, *leaves);
  }

private:
  /// The gamma sites g[0..k-1] of `grp`'s sum, in sum order, when the group is a whole
  /// dirichlet observation this pass may invert.
  std::optional<std::vector<NodeId>> matches(const Group& grp) const {
    const Node& s = g_.nodes[grp.sum];
    const NodeId guard = s.guard;
    std::vector<NodeId> leaves;
    if (!collectLeaves(grp.sum, guard, leaves) || leaves.size() < 2 || leaves.size() != grp.byLeaf.size())
      return std::nullopt;
    const NodeId rate = g_.nodes[leaves[0]].operands.size() == 2 ? g_.nodes[leaves[0]].operands[1] : ir::kNoNode;
    for (NodeId id : leaves) {
      const Node& n = g_.nodes[id];
      if (n.kind != NodeKind::Site || n.site.dist != stdlib::Distribution::Gamma || n.site.numParams != 2 ||
          n.operands.size() != 2 || n.site.proposal != ir::ProposalKind::Prior || n.operands[1] != rate ||
          n.guard != guard || blocked_[id])
        return std::nullopt;
      auto it = grp.byLeaf.find(id);
      if (it == grp.byLeaf.end() || g_.nodes[g_.evidence[it->second].node].guard != guard) return std::nullopt;
    }
    for (size_t i = 0; i < leaves.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (leaves[i] == leaves[j]) return std::nullopt;
    if (!isSimplex(grp, leaves)) return std::nullopt;
    return leaves;
  }

  /// The leaves of the add chain at `id`, left to right; false on anything but real adds of
  /// guard `guard` nobody observes or sets.
  bool collectLeaves(NodeId id, NodeId guard, std::vector<NodeId>& leaves) const {
    while (true) {
      const Node& n = g_.nodes[id];
      if (n.kind != NodeKind::Add) {
        leaves.push_back(id);
        std::reverse(leaves.begin(), leaves.end());
        return true;
      }
      if (n.type != ir::Scalar::Real || n.guard != guard || blocked_[id]) return false;
      leaves.push_back(n.operands[1]);  // the lowering's chain: ((g0 + g1) + g2) + ...
      id = n.operands[0];
    }
  }

  /// Whether the observed values are a simplex: checked here for constants, when bound for data.
  bool isSimplex(const Group& grp, const std::vector<NodeId>& leaves) const {
    std::vector<uint32_t> slots;
    double sum = 0;
    bool constant = true;
    for (NodeId id : leaves) {
      const ir::Evidence& ev = g_.evidence[grp.byLeaf.at(id)];
      if (ev.isData()) {
        constant = false;
        slots.push_back(ev.dataSlot);
        continue;
      }
      const double v = ev.value.asReal();
      if (!(v > 0 && v < 1)) return false;
      sum += v;
    }
    if (constant) return std::fabs(sum - 1) <= 1e-9;
    if (slots.size() != leaves.size()) return false;  // constants and data mixed: not a checked row
    for (const ir::DataCheck& c : g_.dataChecks)
      if (c.kind == ir::DataCheck::Kind::Simplex && c.slots == slots) return true;
    return false;
  }

  /// A real value being built: known at compile time (folded), or a node.
  struct Term {
    std::optional<double> known;
    NodeId node = ir::kNoNode;  ///< the node holding it (made on first use when known)
  };

  Term of(NodeId id) const {
    const Node& n = g_.nodes[id];
    return Term{n.kind == NodeKind::Const ? std::optional<double>(n.constant.asReal()) : std::nullopt, id};
  }

  NodeId node(Term& t, SourceLoc loc) {
    if (t.node != ir::kNoNode) return t.node;
    const Word w = Word::ofReal(*t.known);
    if (auto it = consts_.find(w.bits); it != consts_.end()) return t.node = it->second;
    Node n{NodeKind::Const, ir::Scalar::Real, {}, ir::kNoNode, loc};
    n.constant = w;
    return t.node = consts_[w.bits] = g_.add(std::move(n));
  }

  /// A real node of kind `k` (Add, Sub, Mul, or a Call of `b`), folded when its operands are
  /// known (ir/Semantics.h's arithmetic: what every engine computes from the nodes).
  Term make(NodeKind k, std::vector<Term> ops, NodeId guard, SourceLoc loc, stdlib::Builtin b = stdlib::Builtin::Log) {
    bool known = true;
    for (const Term& o : ops) known = known && o.known;
    if (known) {
      Word a = Word::ofReal(*ops[0].known), c = ops.size() > 1 ? Word::ofReal(*ops[1].known) : Word{};
      Word r = k == NodeKind::Call ? ir::evalCall(b, ir::Scalar::Real, ir::Scalar::Real, a, c)
                                   : ir::evalBinary(k, ir::Scalar::Real, a, c);
      return Term{r.asReal()};
    }
    std::vector<NodeId> operands;
    for (Term& o : ops) operands.push_back(node(o, loc));
    Node n{k, ir::Scalar::Real, std::move(operands), guard, loc};
    n.builtin = b;
    return Term{std::nullopt, g_.add(std::move(n))};
  }

  /// v[i]: its constant, or its data slot as a real node (converted as ir::observedValue).
  Term observed(const ir::Evidence& ev) {
    if (!ev.isData()) return Term{ev.value.asReal()};
    Node value{NodeKind::Data, ev.dataType, {}, ir::kNoNode, ev.loc};
    value.dataIndex = ev.dataSlot;
    NodeId t = g_.add(std::move(value));
    if (ev.dataType != ir::Scalar::Real) t = g_.add(Node{NodeKind::ToReal, ir::Scalar::Real, {t}, ir::kNoNode, ev.loc});
    return Term{std::nullopt, t};
  }

  void invert(const Group& grp, const std::vector<NodeId>& leaves) {
    const Node sum = g_.nodes[grp.sum];  // copy: adding nodes may reallocate
    const NodeId guard = sum.guard;
    const SourceLoc loc = g_.evidence[grp.byLeaf.at(leaves[0])].loc;
    const NodeId rate = g_.nodes[leaves[0]].operands[1];
    std::vector<Term> alpha, v;
    for (NodeId id : leaves) {
      alpha.push_back(of(g_.nodes[id].operands[0]));
      v.push_back(observed(g_.evidence[grp.byLeaf.at(id)]));
    }
    Term total = alpha[0];
    for (size_t i = 1; i < alpha.size(); ++i) total = make(NodeKind::Add, {total, alpha[i]}, guard, loc);

    // S ~ gamma(A, r): its own ordinal, so no other site's stream changes.
    Node scale{NodeKind::Site, ir::Scalar::Real, {node(total, loc), rate}, guard, sum.loc};
    scale.site.dist = stdlib::Distribution::Gamma;
    scale.site.numParams = 2;
    scale.site.ordinal = g_.numSites++;
    std::string name = g_.nodes[leaves[0]].name;
    scale.name = name.substr(0, name.rfind(".gamma[")) + ".scale";  // "p.scale": not a name users write
    const Term s{std::nullopt, g_.add(std::move(scale))};

    // log Dir(v; alpha) = lgamma(A) - sum_i lgamma(alpha[i]) + sum_i (alpha[i] - 1) log v[i].
    const Term one{1.0};
    Term logDir = make(NodeKind::Call, {total}, guard, loc, stdlib::Builtin::Lgamma);
    for (size_t i = 0; i < leaves.size(); ++i) {
      logDir = make(NodeKind::Sub, {logDir, make(NodeKind::Call, {alpha[i]}, guard, loc, stdlib::Builtin::Lgamma)},
                    guard, loc);
      Term term = make(NodeKind::Mul, {make(NodeKind::Sub, {alpha[i], one}, guard, loc),
                                       make(NodeKind::Call, {v[i]}, guard, loc, stdlib::Builtin::Log)},
                       guard, loc);
      logDir = make(NodeKind::Add, {logDir, term}, guard, loc);
    }
    g_.add(Node{NodeKind::Factor, ir::Scalar::Real, {node(logDir, loc)}, guard, loc});

    for (size_t i = 0; i < leaves.size(); ++i) {
      Term point = make(NodeKind::Mul, {s, v[i]}, guard, loc);
      const NodeId value = node(point, loc);
      Node& e = g_.nodes[leaves[i]];
      e.operands.push_back(value);
      e.site.proposal = ir::ProposalKind::Point;
      e.site.numProposalParams = 1;
      e.site.logJacobian = 0;
      e.site.weighedElsewhere = true;
      g_.evidence[grp.byLeaf.at(leaves[i])].invertedSite = leaves[i];
    }
  }

  ir::QueryGraph& g_;
  std::vector<char> blocked_;
  std::map<uint64_t, NodeId> consts_;  ///< the Const nodes this pass made, by bits
};

}  // namespace

void invertDirichlet(ir::QueryGraph& g) { DirichletInverter(g).run(); }

}  // namespace mv::passes
