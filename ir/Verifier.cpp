// ir/Verifier.cpp — checks the invariants documented in Verifier.h.
#include "ir/Verifier.h"

#include "ir/Inputs.h"
#include "ir/Plan.h"

#include <string>

namespace mv::ir {
namespace {

class Checker {
public:
  explicit Checker(const QueryGraph& g) : g_(g) {}

  std::vector<std::string> run() {
    for (NodeId id = 0; id < g_.nodes.size(); ++id) checkNode(id);
    if (g_.worlds.empty() || g_.worlds[0].kind != WorldKind::Factual) {
      fail("world 0 must be the factual world");
      return errors_;
    }
    // Before scheduling only the nodes themselves can be checked.
    if (g_.worlds[0].schedule.empty()) return errors_;
    std::vector<int> factualPos = checkSchedule(0, nullptr);
    std::vector<std::vector<int>> worldPos{factualPos};
    for (size_t w = 1; w < g_.worlds.size(); ++w) {
      if (g_.worlds[w].kind != WorldKind::Counterfactual) fail("world " + std::to_string(w) + " must be counterfactual");
      worldPos.push_back(checkSchedule(w, &factualPos));
    }
    for (const Evidence& e : g_.evidence) {
      if (e.world >= g_.worlds.size()) { fail("evidence in unknown world"); continue; }
      if (!validId(e.node) || (factualPos[e.node] < 0 && worldPos[e.world][e.node] < 0))
        fail("evidence on unscheduled node");
      if (e.invertedSite != kNoNode && (!validId(e.invertedSite) || g_.nodes[e.invertedSite].kind != NodeKind::Site))
        fail("evidence inverted by a non-site");
    }
    for (const Constraint& c : g_.constraints) {
      if (c.world >= g_.worlds.size()) { fail("constraint in unknown world"); continue; }
      if (!validId(c.cond) || (factualPos[c.cond] < 0 && worldPos[c.world][c.cond] < 0))
        fail("constraint on unscheduled node");
      else if (g_.nodes[c.cond].type != Scalar::Bool) fail("constraint is not bool");
    }
    for (const Prediction& p : g_.predictions) {
      if (p.world >= g_.worlds.size()) { fail("prediction in unknown world"); continue; }
      // A counterfactual prediction reads the world's own value, else the factual one.
      if (!validId(p.node) || (factualPos[p.node] < 0 && worldPos[p.world][p.node] < 0))
        fail("prediction \"" + p.label + "\" reads an uncomputed node");
    }
    if (errors_.empty())
      for (std::string& e : verifyPlan(g_, buildPlan(g_))) fail(std::move(e));
    return errors_;
  }

private:
  bool validId(NodeId id) const { return id < g_.nodes.size(); }
  void fail(std::string msg) { errors_.push_back(std::move(msg)); }
  void failNode(NodeId id, const std::string& msg) {
    fail("%" + std::to_string(id) + " (" + mnemonic(g_.nodes[id].kind) + "): " + msg);
  }

  void expectType(NodeId id, size_t operand, Scalar t) {
    const Node& n = g_.nodes[id];
    if (operand < n.operands.size() && validId(n.operands[operand]) &&
        g_.nodes[n.operands[operand]].type != t)
      failNode(id, "operand " + std::to_string(operand) + " must be " + scalarName(t));
  }

  void checkNode(NodeId id) {
    const Node& n = g_.nodes[id];
    int ar = arity(n.kind);
    if (ar >= 0 && n.operands.size() != size_t(ar))
      failNode(id, "expects " + std::to_string(ar) + " operands");
    for (NodeId op : n.operands)
      if (!validId(op) || op == id) failNode(id, "bad operand id");
    if (n.guard != kNoNode && (!validId(n.guard) || g_.nodes[n.guard].type != Scalar::Bool))
      failNode(id, "guard must be a bool node");
    bool arith = n.kind == NodeKind::Add || n.kind == NodeKind::Sub || n.kind == NodeKind::Mul ||
                 n.kind == NodeKind::Mod;
    bool compare = n.kind == NodeKind::Lt || n.kind == NodeKind::Le || n.kind == NodeKind::Gt ||
                   n.kind == NodeKind::Ge || n.kind == NodeKind::Eq || n.kind == NodeKind::Ne;
    if (arith || n.kind == NodeKind::Neg) {
      if (n.type == Scalar::Bool) failNode(id, "arithmetic on bool");
      for (size_t i = 0; i < n.operands.size(); ++i) expectType(id, i, n.type);
    } else if (n.kind == NodeKind::Div) {
      if (n.type != Scalar::Real) failNode(id, "div must be real");
      expectType(id, 0, Scalar::Real);
      expectType(id, 1, Scalar::Real);
    } else if (compare) {
      if (n.type != Scalar::Bool) failNode(id, "comparison must be bool");
      if (n.operands.size() == 2 && validId(n.operands[0]) && validId(n.operands[1]) &&
          g_.nodes[n.operands[0]].type != g_.nodes[n.operands[1]].type)
        failNode(id, "compared operands differ in type");
    } else if (n.kind == NodeKind::And || n.kind == NodeKind::Or || n.kind == NodeKind::Not) {
      if (n.type != Scalar::Bool) failNode(id, "logic must be bool");
      for (size_t i = 0; i < n.operands.size(); ++i) expectType(id, i, Scalar::Bool);
    } else if (n.kind == NodeKind::Select || n.kind == NodeKind::Merge) {
      expectType(id, 0, Scalar::Bool);
      expectType(id, 1, n.type);
      expectType(id, 2, n.type);
    } else if (n.kind == NodeKind::ToInt) {
      if (n.type != Scalar::Int) failNode(id, "toint must be int");
      expectType(id, 0, Scalar::Bool);
    } else if (n.kind == NodeKind::ToReal) {
      if (n.type != Scalar::Real) failNode(id, "toreal must be real");
    } else if (n.kind == NodeKind::IndexSelect) {
      if (n.operands.size() < 2) failNode(id, "index needs an index and elements");
      expectType(id, 0, Scalar::Int);
      for (size_t i = 1; i < n.operands.size(); ++i) expectType(id, i, n.type);
    } else if (n.kind == NodeKind::Factor) {
      if (n.type != Scalar::Real) failNode(id, "factor must be real");
      expectType(id, 0, Scalar::Real);
    } else if (n.kind == NodeKind::Site) {
      const SiteInfo& s = n.site;
      if (n.operands.size() != size_t(s.numParams) + s.numProposalParams)
        failNode(id, "operand count differs from its parameter counts");
      if (s.ordinal >= g_.numSites) failNode(id, "site ordinal out of range");
      if (n.type != stdlib::distribution(s.dist).valueType) failNode(id, "type differs from its distribution's");
      if (s.proposal == ProposalKind::Prior && s.numProposalParams != 0) failNode(id, "prior proposal with parameters");
      if (s.proposal == ProposalKind::Point && s.numProposalParams != 1) failNode(id, "point proposal needs one value");
      if (s.weighedElsewhere && s.proposal != ProposalKind::Point) failNode(id, "only a point proposal is weighed elsewhere");
    } else if (n.kind == NodeKind::Read) {
      if (n.readWorld >= g_.worlds.size() || n.home == 0 || n.home >= g_.worlds.size() || n.home == n.readWorld)
        failNode(id, "read needs a world of its own and another world to read");
      if (!validId(n.readNode) || g_.nodes[n.readNode].type != n.type) failNode(id, "read of a bad node or type");
    } else if (n.kind == NodeKind::Data) {
      const DataDecl* d = dataDeclOf(g_, n.dataIndex);
      if (!d || d->type != n.type) failNode(id, "data of a bad slot or type");
    } else if (n.kind == NodeKind::Table) {
      if (n.type != Scalar::Bool) failNode(id, "table must be bool");
      if (n.operands.empty() || n.operands.size() > kMaxTableInputs) failNode(id, "table needs 1 to 10 operands");
      for (size_t i = 0; i < n.operands.size(); ++i) expectType(id, i, Scalar::Bool);
      if (n.operands.size() <= kMaxTableInputs && n.table.size() != ((size_t(1) << n.operands.size()) + 63) / 64)
        failNode(id, "table size differs from 2^operands bits");
    } else if (n.kind == NodeKind::Call) {
      if (int(n.operands.size()) != stdlib::builtin(n.builtin).arity) failNode(id, "builtin arity");
    }
  }

  /// Checks world `w`'s schedule; returns the position of each node (-1: not scheduled).
  std::vector<int> checkSchedule(size_t w, const std::vector<int>* factualPos) {
    const World& world = g_.worlds[w];
    std::vector<int> pos(g_.nodes.size(), -1);
    if (homes_.empty()) homes_ = homeWorlds(g_);
    for (size_t i = 0; i < world.schedule.size(); ++i) {
      NodeId id = world.schedule[i];
      if (!validId(id)) { fail("world " + std::to_string(w) + " schedules a bad id"); continue; }
      if (homes_[id] != 0 && homes_[id] != w)
        failNode(id, "belongs to world " + std::to_string(homes_[id]) + " but is scheduled in world " + std::to_string(w));
      if (pos[id] >= 0) failNode(id, "scheduled twice in world " + std::to_string(w));
      pos[id] = int(i);
    }
    auto available = [&](NodeId op, NodeId user) {
      if (pos[op] >= 0) return pos[op] < pos[user];
      return factualPos && (*factualPos)[op] >= 0;
    };
    bool idsValid = true;  // WorldView indexes by the interventions' ids
    for (const Intervention& iv : g_.worlds[0].interventions) idsValid = idsValid && validId(iv.node);
    for (const Intervention& iv : world.interventions) {
      idsValid = idsValid && validId(iv.node);
      if (!validId(iv.node) || pos[iv.node] < 0) fail("intervention on a node not scheduled in world " + std::to_string(w));
      if (!validId(iv.valueNode)) { fail("intervention value is a bad id in world " + std::to_string(w)); continue; }
      const Node& v = g_.nodes[iv.valueNode];
      if (validId(iv.node) && v.type != g_.nodes[iv.node].type) failNode(iv.valueNode, "intervention value of another type");
      if (v.guard != kNoNode) failNode(iv.valueNode, "intervention value is guarded");
    }
    if (!idsValid) return pos;
    // In a counterfactual world a site is redrawn from its prior: proposal operands unused.
    const WorldView view(g_, w);
    const Edges edges = factualPos ? Edges::Counterfactual : Edges::All;
    for (NodeId id : world.schedule) {
      if (!validId(id)) continue;
      const Node& n = g_.nodes[id];
      for (NodeId in : view.inputsOf(id, edges)) {
        if (!validId(in) || available(in, id)) continue;
        if (in == n.guard) failNode(id, "guard not computed before it in world " + std::to_string(w));
        else failNode(id, "reads %" + std::to_string(in) + " before it is computed in world " + std::to_string(w));
      }
    }
    return pos;
  }

  const QueryGraph& g_;
  std::vector<std::string> errors_;
  std::vector<uint32_t> homes_;
};

}  // namespace

std::vector<std::string> verify(const QueryGraph& g) { return Checker(g).run(); }

}  // namespace mv::ir
