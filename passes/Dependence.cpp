// passes/Dependence.cpp — inputs, users, ancestors, descendants and topological order.
#include "passes/Dependence.h"

#include <functional>
#include <queue>

namespace mv::passes {

using ir::NodeId;

std::vector<NodeId> inputsOf(const ir::Node& n, Edges edges) {
  std::vector<NodeId> in = n.operands;
  if (edges == Edges::Counterfactual && n.kind == ir::NodeKind::Site) in.resize(n.site.numParams);
  if (n.guard != ir::kNoNode) in.push_back(n.guard);
  return in;
}

std::vector<std::vector<NodeId>> usersOf(const ir::QueryGraph& g, Edges edges) {
  std::vector<std::vector<NodeId>> users(g.nodes.size());
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    for (NodeId in : inputsOf(g.nodes[id], edges)) users[in].push_back(id);
  return users;
}

std::vector<char> ancestors(const ir::QueryGraph& g, const std::vector<NodeId>& roots, Edges edges) {
  std::vector<char> mark(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  for (NodeId r : roots)
    if (!mark[r]) mark[r] = 1, stack.push_back(r);
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    for (NodeId in : inputsOf(g.nodes[id], edges))
      if (!mark[in]) mark[in] = 1, stack.push_back(in);
  }
  return mark;
}

std::vector<char> ancestorsCut(const ir::QueryGraph& g, const std::vector<NodeId>& roots, Edges edges,
                               const std::vector<char>& cut) {
  std::vector<char> mark(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  auto visit = [&](NodeId id) {
    if (!mark[id]) mark[id] = 1, stack.push_back(id);
  };
  for (NodeId r : roots) visit(r);
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    const ir::Node& n = g.nodes[id];
    if (cut[id]) {
      if (n.guard != ir::kNoNode) visit(n.guard);
      continue;
    }
    for (NodeId in : inputsOf(n, edges)) visit(in);
  }
  return mark;
}

std::vector<char> factualIntervened(const ir::QueryGraph& g) {
  std::vector<char> mark(g.nodes.size(), 0);
  for (const ir::Intervention& iv : g.worlds[0].interventions) mark[iv.node] = 1;
  return mark;
}

std::vector<char> counterfactualReach(const ir::QueryGraph& g, size_t w) {
  std::vector<char> barrier = factualIntervened(g);
  std::vector<NodeId> roots;
  for (const ir::Intervention& iv : g.worlds[w].interventions) {
    roots.push_back(iv.node);
    barrier[iv.node] = 0;
  }
  return descendants(g, roots, Edges::Counterfactual, barrier);
}

std::vector<char> descendants(const ir::QueryGraph& g, const std::vector<NodeId>& roots, Edges edges,
                              const std::vector<char>& barrier) {
  auto users = usersOf(g, edges);
  std::vector<char> mark(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  for (NodeId r : roots)
    if (!mark[r]) mark[r] = 1, stack.push_back(r);
  while (!stack.empty()) {
    NodeId id = stack.back();
    stack.pop_back();
    for (NodeId u : users[id]) {
      if (mark[u] || (!barrier.empty() && barrier[u])) continue;
      mark[u] = 1;
      stack.push_back(u);
    }
  }
  return mark;
}

std::vector<NodeId> topologicalOrder(const ir::QueryGraph& g, const std::vector<char>& include) {
  size_t n = g.nodes.size();
  auto in = [&](NodeId id) { return include.empty() || include[id]; };
  std::vector<uint32_t> pending(n, 0);
  std::vector<std::vector<NodeId>> users(n);
  for (NodeId id = 0; id < n; ++id) {
    if (!in(id)) continue;
    for (NodeId op : inputsOf(g.nodes[id], Edges::All)) {
      if (!in(op)) continue;
      ++pending[id];
      users[op].push_back(id);
    }
  }
  std::priority_queue<NodeId, std::vector<NodeId>, std::greater<NodeId>> ready;
  size_t total = 0;
  for (NodeId id = 0; id < n; ++id)
    if (in(id)) {
      ++total;
      if (pending[id] == 0) ready.push(id);
    }
  std::vector<NodeId> order;
  order.reserve(total);
  while (!ready.empty()) {
    NodeId id = ready.top();
    ready.pop();
    order.push_back(id);
    for (NodeId u : users[id])
      if (--pending[u] == 0) ready.push(u);
  }
  if (order.size() != total) return {};
  return order;
}

}  // namespace mv::passes
