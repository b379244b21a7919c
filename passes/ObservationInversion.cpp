// passes/ObservationInversion.cpp — evidence on an invertible function of one site becomes
// a point proposal for that site (MultiVerse's "observable" random procedures, found
// automatically).
//
// What: for evidence y == v on a deterministic node, follow a chain of invertible steps
// from y down to an unobserved, unintervened site e: copy, neg, not, add/sub (the other
// operand free of e), mul/div by a nonzero constant (reals), and != / == between bools
// (flip noise). Build nodes computing e* = the inverse of the chain at v from the other
// operands; give e the point proposal e*, with log|Jacobian| of the inverse; mark the
// evidence as inverted (y then takes v without a check). A data value v (spec/data.md §1)
// is a Data node of its slot there (converted to y's type): the Jacobian never reads v, so
// data changes nothing else.
// Why valid: with e = e*, y == v holds exactly, and the weight p(e*) * |de*/dy| is the
// density of y at v given the other inputs — the same expectation as rejection (for
// discrete y) or as conditioning on the density (for continuous y), without waste.
// Conditions checked: e and every node on the chain share y's guard; no node on the
// chain is observed or intervened; the other operands do not depend on e (so e* can be
// computed before e, with no cycle); e has no other inversion.
// Needs: nothing before it; must run before schedule (it adds data edges).
#include "passes/Dependence.h"
#include "passes/Passes.h"

#include <cmath>
#include <optional>
#include <set>

namespace mv::passes {

using ir::Node;
using ir::NodeId;
using ir::NodeKind;

namespace {

struct Step {
  NodeId node;    ///< a node on the chain
  int operand;    ///< which operand of it continues towards the site
};

class Inverter {
public:
  explicit Inverter(ir::QueryGraph& g) : g_(g), blocked_(g.nodes.size(), 0) {
    for (const ir::Intervention& iv : g.worlds[0].interventions) blocked_[iv.node] = 1;
    for (const ir::Evidence& e : g.evidence) blocked_[e.node] = 1;
  }

  void run() {
    for (ir::Evidence& ev : g_.evidence) {
      const Node& y = g_.nodes[ev.node];
      if (y.kind == NodeKind::Site || y.kind == NodeKind::Merge || ev.invertedSite != ir::kNoNode) continue;
      if (!onFactualValue(g_, ev)) continue;  // a world's own value: its constraint form (worlds.md §5)
      std::vector<Step> chain;
      if (auto site = findSite(ev.node, y.guard, chain)) invert(ev, *site, chain);
    }
  }

private:
  /// Depth-first search (iterative: chains may be hundreds of thousands of steps long) for
  /// a site reachable through invertible steps from `root`, leaving its steps in `chain`.
  /// Each node is entered at most once per root: a node reached again by a second path has,
  /// at the node where the paths part, the first path as the other operand, so any site
  /// below it fails othersIndependent. That keeps the search linear in the graph.
  std::optional<NodeId> findSite(NodeId root, NodeId guard, std::vector<Step>& chain) {
    ++stamp_;
    seen_.resize(g_.nodes.size(), 0);
    seen_[root] = stamp_;
    struct Frame {
      NodeId node;
      std::vector<int> candidates;
      size_t next = 0;
    };
    std::vector<Frame> stack;
    stack.push_back(Frame{root, candidateOperands(g_.nodes[root])});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == f.candidates.size()) {
        stack.pop_back();
        if (!stack.empty()) chain.pop_back();  // the step into the frame just left
        continue;
      }
      int k = f.candidates[f.next++];
      NodeId parent = f.node;
      NodeId id = g_.nodes[parent].operands[size_t(k)];
      if (seen_[id] == stamp_) continue;
      seen_[id] = stamp_;
      const Node& n = g_.nodes[id];
      if (n.guard != guard || blocked_[id]) continue;
      chain.push_back(Step{parent, k});
      if (n.kind == NodeKind::Site) {
        bool free = n.site.proposal != ir::ProposalKind::Point && !inverted_.count(id);
        if (free && othersIndependent(chain, id)) return id;
        chain.pop_back();
        continue;
      }
      stack.push_back(Frame{id, candidateOperands(n)});
    }
    return std::nullopt;
  }

  bool isNonzeroConst(NodeId id) const {
    const Node& c = g_.nodes[id];
    return c.kind == NodeKind::Const && c.constant.asReal() != 0 && std::isfinite(c.constant.asReal());  // a real
  }

  /// Operands through which `n` is invertible, the right one first (`f + e` is the idiom).
  std::vector<int> candidateOperands(const Node& n) const {
    switch (n.kind) {
      case NodeKind::Copy: case NodeKind::Neg: case NodeKind::Not: return {0};
      case NodeKind::Add: case NodeKind::Sub: return {1, 0};
      case NodeKind::Mul:
        if (n.type != ir::Scalar::Real) return {};
        if (isNonzeroConst(n.operands[0])) return {1};
        if (isNonzeroConst(n.operands[1])) return {0};
        return {};
      case NodeKind::Div:
        if (isNonzeroConst(n.operands[1])) return {0};
        return {};
      case NodeKind::Eq: case NodeKind::Ne:
        if (g_.nodes[n.operands[0]].type != ir::Scalar::Bool) return {};
        return {1, 0};
      case NodeKind::Const: case NodeKind::Site: case NodeKind::ToInt: case NodeKind::ToReal:
      case NodeKind::Mod: case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge:
      case NodeKind::And: case NodeKind::Or: case NodeKind::Select: case NodeKind::Merge:
      case NodeKind::Call: case NodeKind::IndexSelect: case NodeKind::Factor: case NodeKind::Read:
      case NodeKind::Table:
      case NodeKind::Data: return {};
    }
    return {};
  }

  /// The operands off the chain must not depend on the site.
  bool othersIndependent(const std::vector<Step>& chain, NodeId site) const {
    std::vector<NodeId> others;
    for (const Step& s : chain) {
      const Node& n = g_.nodes[s.node];
      if (n.operands.size() == 2) others.push_back(n.operands[size_t(1 - s.operand)]);
    }
    if (others.empty()) return true;
    return !ancestors(g_, 0, others, Edges::All)[site];
  }

  NodeId add(NodeKind k, ir::Scalar t, std::vector<NodeId> ops, NodeId guard, SourceLoc loc) {
    Node n{k, t, std::move(ops), guard, loc};
    return g_.add(std::move(n));
  }

  void invert(ir::Evidence& ev, NodeId site, const std::vector<Step>& chain) {
    NodeId guard = g_.nodes[ev.node].guard;
    SourceLoc loc = ev.loc;
    ir::Scalar yType = g_.nodes[ev.node].type;
    NodeId t;
    if (ev.isData()) {
      Node value{NodeKind::Data, ev.dataType, {}, ir::kNoNode, loc};
      value.dataIndex = ev.dataSlot;
      t = g_.add(std::move(value));
      if (ev.dataType != yType)  // ir::observedValue's conversion
        t = add(yType == ir::Scalar::Real ? NodeKind::ToReal : NodeKind::ToInt, yType, {t}, ir::kNoNode, loc);
    } else {
      Node value{NodeKind::Const, yType, {}, ir::kNoNode, loc};
      value.constant = ev.value;
      t = g_.add(std::move(value));
    }
    double logJacobian = 0;
    for (const Step& s : chain) {
      Node n = g_.nodes[s.node];  // copy: adding nodes may reallocate
      ir::Scalar type = n.type == ir::Scalar::Bool && (n.kind == NodeKind::Eq || n.kind == NodeKind::Ne)
                            ? ir::Scalar::Bool
                            : n.type;
      NodeId other = n.operands.size() == 2 ? n.operands[size_t(1 - s.operand)] : ir::kNoNode;
      switch (n.kind) {
        case NodeKind::Copy: break;
        case NodeKind::Neg: t = add(NodeKind::Neg, type, {t}, guard, loc); break;
        case NodeKind::Not: t = add(NodeKind::Not, type, {t}, guard, loc); break;
        case NodeKind::Add: t = add(NodeKind::Sub, type, {t, other}, guard, loc); break;
        case NodeKind::Sub:
          t = s.operand == 0 ? add(NodeKind::Add, type, {t, other}, guard, loc)
                             : add(NodeKind::Sub, type, {other, t}, guard, loc);
          break;
        case NodeKind::Mul:
          logJacobian -= std::log(std::fabs(g_.nodes[other].constant.asReal()));
          t = add(NodeKind::Div, type, {t, other}, guard, loc);
          break;
        case NodeKind::Div:
          logJacobian += std::log(std::fabs(g_.nodes[other].constant.asReal()));
          t = add(NodeKind::Mul, type, {t, other}, guard, loc);
          break;
        case NodeKind::Ne: t = add(NodeKind::Ne, ir::Scalar::Bool, {t, other}, guard, loc); break;
        case NodeKind::Eq: t = add(NodeKind::Eq, ir::Scalar::Bool, {t, other}, guard, loc); break;
        case NodeKind::Const: case NodeKind::Site: case NodeKind::ToInt: case NodeKind::ToReal:
        case NodeKind::Mod: case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge:
        case NodeKind::And: case NodeKind::Or: case NodeKind::Select: case NodeKind::Merge:
        case NodeKind::Call: case NodeKind::IndexSelect: case NodeKind::Factor: case NodeKind::Read:
        case NodeKind::Table:
        case NodeKind::Data: return;  // not a candidate
      }
    }
    Node& e = g_.nodes[site];
    e.operands.resize(e.site.numParams);
    e.operands.push_back(t);
    e.site.proposal = ir::ProposalKind::Point;
    e.site.numProposalParams = 1;
    e.site.logJacobian = logJacobian;
    e.site.separated = ev.separated;  // its weight is the separated evidence's likelihood
    ev.invertedSite = site;
    inverted_.insert(site);
    blocked_.resize(g_.nodes.size(), 0);
  }

  ir::QueryGraph& g_;
  std::vector<char> blocked_;
  std::vector<uint32_t> seen_;  ///< == stamp_: entered by the current search
  uint32_t stamp_ = 0;
  std::set<NodeId> inverted_;
};

}  // namespace

void invertObservations(ir::QueryGraph& g) { Inverter(g).run(); }

}  // namespace mv::passes
