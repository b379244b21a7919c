// passes/DSeparation.cpp — building the twin network and the Bayes-ball reachability test.
#include "passes/DSeparation.h"

#include "passes/Dependence.h"

namespace mv::passes {

using ir::NodeId;

TwinNetwork::TwinNetwork(const ir::QueryGraph& g) : numNodes_(g.nodes.size()), recomputed_(g.worlds.size()) {
  size_t n = numNodes_;
  parents_.resize(n * g.worlds.size());
  children_.resize(parents_.size());
  for (size_t w = 1; w < g.worlds.size(); ++w) recomputed_[w] = counterfactualReach(g, w);
  const WorldView factual(g, 0);
  // A node no site reaches is a constant: independent of everything, so not a path.
  std::vector<char> random(n, 0);
  for (NodeId id : topologicalOrder(g, {})) {
    random[id] = g.nodes[id].kind == ir::NodeKind::Site && !factual.setBy(id);
    for (NodeId in : factual.inputsOf(id, Edges::Counterfactual)) random[id] |= random[in];
  }
  auto link = [&](uint32_t from, uint32_t to) {
    if (!random[from % n]) return;
    parents_[to].push_back(from);
    children_[from].push_back(to);
  };
  // An intervened node's only inputs are its value (a constant) and, factually, its guard.
  for (NodeId id = 0; id < n; ++id)
    for (NodeId in : factual.inputsOf(id, Edges::Counterfactual)) link(in, id);
  for (size_t w = 1; w < g.worlds.size(); ++w) {
    const WorldView world(g, w);
    for (NodeId id = 0; id < n; ++id) {
      if (!recomputed_[w][id]) continue;
      for (NodeId in : world.inputsOf(id, Edges::Counterfactual)) link(vertex(w, in), vertex(w, id));
      // Consistency: a redrawn site keeps its factual value where its inputs are unchanged.
      for (NodeId in : world.factualInputsOf(id)) link(in, vertex(w, id));
    }
  }
}

uint32_t TwinNetwork::vertex(size_t w, NodeId id) const {
  if (w == 0 || !recomputed_[w][id]) return id;
  return uint32_t(w * numNodes_ + id);
}

bool dSeparated(const TwinNetwork& net, uint32_t x, const std::vector<uint32_t>& ys, const std::vector<char>& given) {
  size_t n = net.size();
  // Vertices with an observed descendant (or observed themselves): colliders there are open.
  std::vector<char> opensCollider(n, 0);
  std::vector<uint32_t> stack;
  for (uint32_t v = 0; v < n; ++v)
    if (given[v]) opensCollider[v] = 1, stack.push_back(v);
  while (!stack.empty()) {
    uint32_t v = stack.back();
    stack.pop_back();
    for (uint32_t p : net.parents(v))
      if (!opensCollider[p]) opensCollider[p] = 1, stack.push_back(p);
  }
  // Bayes ball: (vertex, arrived from a child = going up) pairs.
  std::vector<char> seenUp(n, 0), seenDown(n, 0), reached(n, 0);
  std::vector<std::pair<uint32_t, bool>> pending{{x, true}};
  while (!pending.empty()) {
    auto [v, up] = pending.back();
    pending.pop_back();
    std::vector<char>& seen = up ? seenUp : seenDown;
    if (seen[v]) continue;
    seen[v] = 1;
    if (!given[v]) reached[v] = 1;
    if (up && !given[v]) {
      for (uint32_t p : net.parents(v)) pending.push_back({p, true});
      for (uint32_t c : net.children(v)) pending.push_back({c, false});
    } else if (!up) {
      if (!given[v])
        for (uint32_t c : net.children(v)) pending.push_back({c, false});
      if (opensCollider[v])
        for (uint32_t p : net.parents(v)) pending.push_back({p, true});
    }
  }
  for (uint32_t y : ys)
    if (reached[y]) return false;
  return true;
}

}  // namespace mv::passes
