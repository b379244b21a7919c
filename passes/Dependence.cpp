// passes/Dependence.cpp — users, ancestors, descendants and order.
#include "passes/Dependence.h"

#include <functional>
#include <queue>
#include <utility>

namespace mv::passes {

using ir::NodeId;

std::vector<std::vector<NodeId>> usersOf(const ir::QueryGraph& g, size_t w, Edges edges) {
  WorldView view(g, w);
  std::vector<std::vector<NodeId>> users(g.nodes.size());
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    for (NodeId in : view.inputsOf(id, edges)) users[in].push_back(id);
  return users;
}

std::vector<char> ancestors(const ir::QueryGraph& g, size_t w, const std::vector<NodeId>& roots, Edges edges) {
  WorldView view(g, w);
  std::vector<char> mark(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  for (NodeId r : roots)
    if (!mark[r]) mark[r] = 1, stack.push_back(r);
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    for (NodeId in : view.inputsOf(id, edges))
      if (!mark[in]) mark[in] = 1, stack.push_back(in);
  }
  return mark;
}

std::vector<char> counterfactualReach(const ir::QueryGraph& g, size_t w) {
  std::vector<NodeId> roots;
  for (const ir::Intervention& iv : g.worlds[w].interventions) roots.push_back(iv.node);
  std::vector<uint32_t> home = ir::homeWorlds(g);
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (home[id] == w) roots.push_back(id);
  std::vector<char> reach = descendants(g, w, roots, Edges::Counterfactual);
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (home[id] != 0 && home[id] != w) reach[id] = 0;  // another world's own nodes
  return reach;
}

bool onFactualValue(const ir::QueryGraph& g, const ir::Evidence& e) {
  if (e.world == 0) return true;
  for (const ir::Evidence& o : g.evidence)
    if (&o != &e && o.node == e.node) return false;
  return !counterfactualReach(g, e.world)[e.node];
}

std::vector<char> descendants(const ir::QueryGraph& g, size_t w, const std::vector<NodeId>& roots, Edges edges) {
  auto users = usersOf(g, w, edges);
  std::vector<char> mark(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  for (NodeId r : roots)
    if (!mark[r]) mark[r] = 1, stack.push_back(r);
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    for (NodeId u : users[id]) {
      if (mark[u]) continue;
      mark[u] = 1;
      stack.push_back(u);
    }
  }
  return mark;
}

std::vector<NodeId> topologicalOrder(const ir::QueryGraph& g, const std::vector<char>& include, int world) {
  size_t n = g.nodes.size();
  auto in = [&](NodeId id) { return include.empty() || include[id]; };
  // The factual world reads a `do`'s copy of its target after the target; a counterfactual
  // world evaluates the copy, so the target comes after the copy through the `do`'s value.
  std::vector<char> shadowed(n, 0);
  for (const ir::Node& node : g.nodes)
    if (node.shadowOf != ir::kNoNode && world >= 0) shadowed[node.shadowOf] = 1;
  // An intervention's value node is ordered as its target (the smallest one it sets).
  std::vector<NodeId> key(n);
  for (NodeId id = 0; id < n; ++id) key[id] = id;
  std::vector<std::vector<NodeId>> valuesOf(n);
  for (size_t w = 0; w < g.worlds.size(); ++w)
    for (const ir::Intervention& iv : g.worlds[w].interventions) {
      key[iv.valueNode] = std::min(key[iv.valueNode], iv.node);
      if (world == 0 && w != 0 && shadowed[iv.node]) continue;
      valuesOf[iv.node].push_back(iv.valueNode);
    }
  if (world == 0)
    for (NodeId id = 0; id < n; ++id)
      if (g.nodes[id].shadowOf != ir::kNoNode) valuesOf[id].push_back(g.nodes[id].shadowOf);
  std::vector<uint32_t> pending(n, 0);
  std::vector<std::vector<NodeId>> users(n);
  std::vector<NodeId> inputs;
  for (NodeId id = 0; id < n; ++id) {
    if (!in(id)) continue;
    inputs = ir::operandInputs(g.nodes[id], Edges::All);
    inputs.insert(inputs.end(), valuesOf[id].begin(), valuesOf[id].end());
    for (NodeId op : inputs) {
      if (!in(op)) continue;
      ++pending[id];
      users[op].push_back(id);
    }
  }
  using Entry = std::pair<NodeId, NodeId>;  // (key, id)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> ready;
  size_t total = 0;
  for (NodeId id = 0; id < n; ++id)
    if (in(id)) {
      ++total;
      if (pending[id] == 0) ready.push({key[id], id});
    }
  std::vector<NodeId> order;
  order.reserve(total);
  while (!ready.empty()) {
    NodeId id = ready.top().second;
    ready.pop();
    order.push_back(id);
    for (NodeId u : users[id])
      if (--pending[u] == 0) ready.push({key[u], u});
  }
  if (order.size() != total) return {};
  return order;
}

}  // namespace mv::passes
