// frontend/LowerQueryGraph.cpp — a query lowered onto its model's graph, then taken off it (no copy of the model per query).
#include "frontend/Lowerer.h"

#include <algorithm>

namespace mv::frontend {

using ir::NodeId;

QueryScratch::QueryScratch(LoweredModel& lm, std::set<const ir::QueryGraph*>& tooLarge)
    : lm_(lm), tooLarge_(tooLarge), modelNodes_(lm.graph.nodes.size()), modelDataChecks_(lm.graph.dataChecks.size()), numSites_(lm.graph.numSites),
      name_(lm.graph.name), model_(lm.graph.model), loc_(lm.graph.loc), kind_(lm.graph.kind) {}

QueryScratch::~QueryScratch() {
  ir::QueryGraph& g = lm_.graph;
  // The query's constants and data values leave the model's cache with their nodes: the
  // cache's only entries above the model's nodes are theirs (Lowerer::constNode, dataValue).
  for (NodeId id = NodeId(modelNodes_); id < g.nodes.size(); ++id) {
    const ir::Node& n = g.nodes[id];
    std::pair<int, uint64_t> key;
    if (n.kind == ir::NodeKind::Const) key = {int(n.type), n.constant.bits};
    else if (n.kind == ir::NodeKind::Data) key = {-1, n.dataIndex};
    else continue;
    auto it = lm_.constCache.find(key);
    if (it != lm_.constCache.end() && it->second == id) lm_.constCache.erase(it);
  }
  g.nodes.erase(g.nodes.begin() + std::ptrdiff_t(modelNodes_), g.nodes.end());
  g.numSites = numSites_;
  g.name = name_;
  g.model = model_;
  g.loc = loc_;
  g.kind = kind_;
  g.worlds.clear();
  g.evidence.clear();
  g.constraints.clear();
  g.predictions.clear();
  g.notes.clear();
  g.data.clear();
  g.dataSize = 0;
  g.dataChecks.resize(modelDataChecks_);
  tooLarge_.erase(&g);  // a query over the limit marks its own graph, not the model's
}

namespace {

/// The nodes `g`'s worlds, evidence, constraints, predictions, factors and non-prior
/// proposals read, through every edge (operands, guards, Read and shadow links), whatever
/// intervenes: a superset of what any pass keeps or any world evaluates.
std::vector<char> cone(const ir::QueryGraph& g) {
  std::vector<char> keep(g.nodes.size(), 0);
  std::vector<NodeId> stack;
  auto mark = [&](NodeId id) {
    if (id != ir::kNoNode && id < keep.size() && !keep[id]) keep[id] = 1, stack.push_back(id);
  };
  for (const ir::World& w : g.worlds)
    for (const ir::Intervention& iv : w.interventions) mark(iv.node), mark(iv.valueNode);
  for (const ir::Evidence& e : g.evidence) mark(e.node);
  for (const ir::Constraint& c : g.constraints) mark(c.cond);
  for (const ir::Prediction& p : g.predictions) mark(p.node);
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    const ir::Node& n = g.nodes[id];
    // A factor weighs every sample; a proposal's p/q does too (passes/FactualSlicing.cpp).
    if (n.kind == ir::NodeKind::Factor) mark(id);
    if (n.kind == ir::NodeKind::Site && n.site.proposal != ir::ProposalKind::Prior) mark(id);
  }
  while (!stack.empty()) {
    const ir::Node& n = g.nodes[stack.back()];
    stack.pop_back();
    for (NodeId in : n.operands) mark(in);
    mark(n.guard);
    mark(n.readNode);
    mark(n.shadowOf);
  }
  return keep;
}

}  // namespace

ir::QueryGraph QueryScratch::take(size_t compactAbove) const {
  const ir::QueryGraph& g = lm_.graph;
  ir::QueryGraph out;
  out.name = g.name;
  out.model = g.model;
  out.kind = g.kind;
  out.loc = g.loc;
  out.worlds = g.worlds;
  out.evidence = g.evidence;
  out.constraints = g.constraints;
  out.predictions = g.predictions;
  out.numSites = g.numSites;
  out.notes = g.notes;
  out.data = g.data;
  out.dataSize = g.dataSize;
  out.dataChecks = g.dataChecks;  // slots of the data buffer, not nodes: nothing to renumber
  if (modelNodes_ <= compactAbove) {
    out.nodes = g.nodes;
    return out;
  }
  // A large model: only the nodes the query reads, renumbered in their order (so every
  // node still follows its operands). Sites keep their ordinals, which key their streams,
  // so every kept node takes the same values; a dropped node reaches nothing observed.
  std::vector<char> keep = cone(g);
  std::vector<NodeId> to(g.nodes.size(), ir::kNoNode);
  for (NodeId id = 0; id < g.nodes.size(); ++id)
    if (keep[id]) to[id] = NodeId(out.nodes.size()), out.nodes.push_back(g.nodes[id]);
  auto map = [&](NodeId& id) {
    if (id != ir::kNoNode) id = to[id];
  };
  for (ir::Node& n : out.nodes) {
    for (NodeId& in : n.operands) map(in);
    map(n.guard);
    map(n.readNode);
    map(n.shadowOf);
  }
  for (ir::World& w : out.worlds) {
    for (ir::Intervention& iv : w.interventions) map(iv.node), map(iv.valueNode);
    for (NodeId& id : w.schedule) map(id);
  }
  for (ir::Evidence& e : out.evidence) map(e.node), map(e.invertedSite);
  for (ir::Constraint& c : out.constraints) map(c.cond);
  for (ir::Prediction& p : out.predictions) map(p.node);
  return out;
}

}  // namespace mv::frontend
