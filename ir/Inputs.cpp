// ir/Inputs.cpp — inputsOf and WorldView: the dependence rule of every world.
#include "ir/Inputs.h"

namespace mv::ir {

namespace {

/// What an evaluated node reads: its operands under `edges`, then its guard.
void evaluatedInputs(const Node& n, Edges edges, std::vector<NodeId>& in) {
  in = n.operands;
  if (edges == Edges::Counterfactual && n.kind == NodeKind::Site) in.resize(n.site.numParams);
  if (n.guard != kNoNode) in.push_back(n.guard);
}

/// What a node set by `iv` reads in world `w` (see inputsOf in the header).
void setInputs(const Node& n, size_t w, const Intervention& iv, std::vector<NodeId>& in) {
  in.clear();
  if (w == 0 && n.guard != kNoNode) in.push_back(n.guard);
  in.push_back(iv.valueNode);
}

/// A site evaluated in a counterfactual world: itself and its redraw's compared inputs.
std::vector<NodeId> consistencyInputs(const Node& n, NodeId id) {
  std::vector<NodeId> in;
  if (n.kind != NodeKind::Site) return in;
  evaluatedInputs(n, Edges::Counterfactual, in);  // its parameters, then its guard
  in.insert(in.begin(), id);
  return in;
}

const Intervention* find(const std::vector<Intervention>& ivs, NodeId id) {
  for (const Intervention& iv : ivs)
    if (iv.node == id) return &iv;
  return nullptr;
}

}  // namespace

WorldView::WorldView(const QueryGraph& g, size_t world) : g_(g), world_(world), setBy_(g.nodes.size(), nullptr) {
  for (const Intervention& iv : g.worlds[0].interventions) setBy_[iv.node] = &iv;
  if (world != 0)
    for (const Intervention& iv : g.worlds[world].interventions) setBy_[iv.node] = &iv;
}

std::vector<NodeId> WorldView::inputsOf(NodeId id, Edges edges) const {
  std::vector<NodeId> in;
  if (const Intervention* iv = setBy_[id]) setInputs(g_.nodes[id], world_, *iv, in);
  else evaluatedInputs(g_.nodes[id], edges, in);
  return in;
}

std::vector<NodeId> WorldView::factualInputsOf(NodeId id) const {
  if (world_ == 0 || setBy_[id]) return {};
  return consistencyInputs(g_.nodes[id], id);
}

std::vector<NodeId> factualInputsOf(const QueryGraph& g, size_t w, NodeId id) {
  if (w == 0 || find(g.worlds[w].interventions, id) || find(g.worlds[0].interventions, id)) return {};
  return consistencyInputs(g.nodes[id], id);
}

std::vector<NodeId> inputsOf(const QueryGraph& g, size_t w, NodeId id, Edges edges) {
  const Intervention* iv = w == 0 ? nullptr : find(g.worlds[w].interventions, id);
  if (!iv) iv = find(g.worlds[0].interventions, id);
  std::vector<NodeId> in;
  if (iv) setInputs(g.nodes[id], w, *iv, in);
  else evaluatedInputs(g.nodes[id], edges, in);
  return in;
}

std::vector<NodeId> operandInputs(const Node& n, Edges edges) {
  std::vector<NodeId> in;
  evaluatedInputs(n, edges, in);
  return in;
}

}  // namespace mv::ir
