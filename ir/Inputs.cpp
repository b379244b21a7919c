// ir/Inputs.cpp — inputsOf and WorldView: the dependence rule of every world.
#include "ir/Inputs.h"

namespace mv::ir {

namespace {

/// What an evaluated node reads in world `w`: its operands under `edges`, then its guard
/// (a `do`'s copy of its target, in the factual world: the target).
void evaluatedInputs(const Node& n, size_t w, Edges edges, std::vector<NodeId>& in) {
  if (w == 0 && n.shadowOf != kNoNode) {
    in = {n.shadowOf};
    if (n.guard != kNoNode) in.push_back(n.guard);
    return;
  }
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
  evaluatedInputs(n, 1, Edges::Counterfactual, in);  // its parameters, then its guard (as operands)
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
  else evaluatedInputs(g_.nodes[id], world_, edges, in);
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
  else evaluatedInputs(g.nodes[id], w, edges, in);
  return in;
}

std::vector<NodeId> operandInputs(const Node& n, Edges edges) {
  std::vector<NodeId> in;
  in = n.operands;
  if (edges == Edges::Counterfactual && n.kind == NodeKind::Site) in.resize(n.site.numParams);
  if (n.guard != kNoNode) in.push_back(n.guard);
  return in;
}

std::vector<uint32_t> homeWorlds(const QueryGraph& g) {
  const size_t n = g.nodes.size();
  std::vector<uint32_t> home(n, 0);
  std::vector<char> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::pair<NodeId, size_t>> stack;
  for (NodeId root = 0; root < n; ++root) {
    if (state[root]) continue;
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      const Node& node = g.nodes[id];
      size_t count = node.operands.size() + (node.guard != kNoNode);
      if (next < count) {
        NodeId in = next < node.operands.size() ? node.operands[next] : node.guard;
        ++next;
        if (in < n && !state[in]) state[in] = 1, stack.push_back({in, 0});
        continue;
      }
      uint32_t h = node.home;
      for (size_t k = 0; k < count; ++k) {
        NodeId in = k < node.operands.size() ? node.operands[k] : node.guard;
        if (in < n && state[in] == 2 && home[in] != 0) h = home[in];
      }
      home[id] = h;
      state[id] = 2;
      stack.pop_back();
    }
  }
  return home;
}

std::vector<uint32_t> worldOrder(const QueryGraph& g) {
  const size_t nw = g.worlds.size();
  std::vector<std::vector<char>> reads(nw, std::vector<char>(nw, 0));
  for (const Node& node : g.nodes)
    if (node.kind == NodeKind::Read && node.home < nw && node.readWorld < nw && node.home != node.readWorld)
      reads[node.home][node.readWorld] = 1;
  std::vector<uint32_t> order;
  std::vector<char> placed(nw, 0);
  if (nw == 0) return order;
  order.push_back(0);
  placed[0] = 1;
  while (order.size() < nw) {
    bool progress = false;
    for (uint32_t w = 1; w < nw && !progress; ++w) {
      if (placed[w]) continue;
      bool ready = true;
      for (uint32_t v = 0; v < nw; ++v) ready = ready && (!reads[w][v] || placed[v]);
      if (ready) order.push_back(w), placed[w] = 1, progress = true;
    }
    if (!progress)
      for (uint32_t w = 1; w < nw; ++w)
        if (!placed[w]) order.push_back(w), placed[w] = 1;
  }
  return order;
}

}  // namespace mv::ir
