// frontend/LowerWorlds.cpp — named worlds, world-qualified names and every form of intervention.
#include "frontend/Lowerer.h"

#include "ir/Inputs.h"

#include <algorithm>
#include <functional>
#include <set>

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

namespace {

/// Every qualified name in `e` (preorder: source order), with its expression.
void qualifiedNames(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == ast::ExprKind::Name && !x->world.empty()) out.push_back(x);
    for (auto it = x->args.rbegin(); it != x->args.rend(); ++it) stack.push_back(it->get());
  }
}

/// The qualified names of an intervention's value (expression or distribution arguments),
/// or of a world block's `observe` or `factor` (worlds.md §5: evaluated with its world's values).
std::vector<const ast::Expr*> valueQualifiers(const ast::QueryStmt& s) {
  std::vector<const ast::Expr*> out;
  if ((s.kind == ast::QueryStmtKind::Observe || s.kind == ast::QueryStmtKind::Factor) && s.expr)
    qualifiedNames(*s.expr, out);
  if (s.value) qualifiedNames(*s.value, out);
  if (s.dist)
    for (const auto& a : s.dist->args) qualifiedNames(*a, out);
  return out;
}

/// Whether `e` mentions the model name `root` unqualified (or qualified by world `self`).
bool mentions(const ast::Expr& e, const std::string& root, const std::string& self) {
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == ast::ExprKind::Name && x->name == root && (x->world.empty() || x->world == self)) return true;
    for (const auto& a : x->args) stack.push_back(a.get());
  }
  return false;
}

}  // namespace

void Lowerer::declareWorlds(const ast::QueryDecl& q, QueryWorlds& qw) {
  ir::QueryGraph& g = *qw.graph;
  std::vector<const ast::QueryStmt*> named;
  for (const ast::QueryStmt* s : openLoops(q.body)) qw.hasTopDo = qw.hasTopDo || s->kind == ast::QueryStmtKind::Do;
  for (const ast::QueryStmt& s : q.body)  // a block inside a loop is an error (LowerQuery)
    if (s.kind == ast::QueryStmtKind::World) named.push_back(&s);
  g.worlds.push_back(ir::World{ir::WorldKind::Factual, {}, {}, "factual"});
  qw.index["factual"] = 0;
  if (qw.hasTopDo || !named.empty()) g.worlds.push_back(ir::World{ir::WorldKind::Counterfactual, {}, {}, "counterfactual"});
  if (qw.hasTopDo) qw.index["counterfactual"] = 1;
  std::map<std::string, SourceLoc> declared;
  std::vector<const ast::QueryStmt*> owner(g.worlds.size(), nullptr);  // the block of each world
  for (const ast::QueryStmt* s : named) {
    if (s->worldName == "factual" || s->worldName == "counterfactual") {
      diags_->report(DiagId::ReservedWorldName, s->worldNameLoc, {s->worldName});
      continue;
    }
    if (auto [it, fresh] = declared.emplace(s->worldName, s->worldNameLoc); !fresh) {
      diags_->report(DiagId::DuplicateWorldName, s->worldNameLoc, {s->worldName})
          .note(DiagId::NotePreviousDefinition, it->second);
      continue;
    }
    bool hasDo = false;
    for (const ast::QueryStmt* t : openLoops(s->body)) hasDo = hasDo || t->kind == ast::QueryStmtKind::Do;
    if (!hasDo) diags_->report(DiagId::WorldWithoutDo, s->worldNameLoc, {s->worldName});
    qw.index[s->worldName] = uint32_t(g.worlds.size());
    qw.blocks[s] = uint32_t(g.worlds.size());
    g.worlds.push_back(ir::World{ir::WorldKind::Counterfactual, {}, {}, s->worldName});
    owner.push_back(s);
  }
  qw.intervened.assign(g.worlds.size(), {});

  // Which worlds each world's interventions read (syntactically), for cycles and the order.
  const size_t nw = g.worlds.size();
  std::vector<std::vector<const ast::Expr*>> reads(nw, std::vector<const ast::Expr*>(nw, nullptr));
  auto note = [&](uint32_t w, const ast::QueryStmt& s) {
    for (const ast::Expr* x : valueQualifiers(s))
      if (auto it = qw.index.find(x->world); it != qw.index.end() && it->second != w && it->second != 0)
        if (!reads[w][it->second]) reads[w][it->second] = x;
  };
  for (const ast::QueryStmt* s : openLoops(q.body))
    if (s->kind == ast::QueryStmtKind::Do && nw > 1) note(1, *s);
  for (uint32_t w = 2; w < nw; ++w)
    for (const ast::QueryStmt* t : openLoops(owner[w]->body))
      if (t->kind == ast::QueryStmtKind::Do || t->kind == ast::QueryStmtKind::Observe ||
          t->kind == ast::QueryStmtKind::Factor)
        note(w, *t);
  // The evaluation order (as ir::worldOrder will find it from the Reads), and cycles.
  qw.rank.assign(nw, 0);
  std::vector<char> placed(nw, 0);
  placed[0] = 1;
  for (uint32_t pos = 1; pos < nw; ++pos) {
    uint32_t pick = 0;
    for (uint32_t w = 1; w < nw && !pick; ++w) {
      if (placed[w]) continue;
      bool ready = true;
      for (uint32_t v = 1; v < nw; ++v) ready = ready && (!reads[w][v] || placed[v]);
      if (ready) pick = w;
    }
    if (!pick) {
      // A cycle among the rest: a world a that reads a world b that reads back to a.
      auto reaches = [&](uint32_t from, uint32_t to) {
        std::vector<char> seen(nw, 0);
        std::vector<uint32_t> stack{from};
        while (!stack.empty()) {
          uint32_t v = stack.back();
          stack.pop_back();
          if (v == to) return true;
          for (uint32_t u = 1; u < nw; ++u)
            if (reads[v][u] && !placed[u] && !seen[u]) seen[u] = 1, stack.push_back(u);
        }
        return false;
      };
      for (uint32_t a = 1; a < nw && !pick; ++a)
        for (uint32_t b = 1; b < nw && !pick && !placed[a]; ++b)
          if (reads[a][b] && !placed[b] && reaches(b, a)) {
            diags_->report(DiagId::WorldCycle, reads[a][b]->worldLoc, {g.worldName(a), g.worldName(b)})
                .note(DiagId::NoteWorldReadHere, reads[b][a] ? reads[b][a]->worldLoc : reads[a][b]->worldLoc,
                      {g.worldName(b), reads[b][a] ? g.worldName(a) : g.worldName(b)});
            pick = a;
          }
      for (uint32_t w = 1; w < nw && !pick; ++w)
        if (!placed[w]) pick = w;
      // Break the cycle so the rest are ordered: the picked world reads nothing more.
      for (uint32_t v = 1; v < nw; ++v) reads[pick][v] = nullptr;
    }
    placed[pick] = 1;
    qw.rank[pick] = pos;
  }
}

std::optional<uint32_t> Lowerer::worldOf(const ast::Expr& e, ExprContext& ctx) {
  QueryWorlds& qw = *ctx.worlds;
  auto it = qw.index.find(e.world);
  if (it == qw.index.end()) {
    if (e.world == "counterfactual") {
      diags_->report(DiagId::ReadCounterfactualWithoutDo, e.worldLoc, {e.name});
      return std::nullopt;
    }
    Diagnostic& d = diags_->report(DiagId::UnknownWorld, e.worldLoc, {e.world});
    std::vector<std::string> names;
    for (const auto& [n, w] : qw.index) names.push_back(n);
    suggest(d, e.world, names);
    return std::nullopt;
  }
  if (ctx.home == 0 && it->second != 0) {
    diags_->report(DiagId::FactualReadsWorld, e.worldLoc, {e.world});
    return std::nullopt;
  }
  return it->second;
}

Value Lowerer::lowerQualified(const ast::Expr& e, ExprContext& ctx) {
  if (!ctx.worlds || !ctx.graph) {
    diags_->report(DiagId::QualifiedNameHere, e.worldLoc, {e.world, e.name});
    return Value::poison();
  }
  std::optional<uint32_t> w = worldOf(e, ctx);
  if (!w) return Value::poison();
  return lowerInWorld(e, *w, ctx);
}

Value Lowerer::lowerInWorld(const ast::Expr& e, uint32_t world, ExprContext& ctx) {
  ast::Expr plain;
  plain.kind = ast::ExprKind::Name;
  plain.loc = e.loc;
  plain.name = e.name;
  plain.beginOffset = e.beginOffset;
  plain.endOffset = e.endOffset;
  if (world == ctx.home) {  // the context's own world
    const std::optional<uint32_t> saved = ctx.plainWorld;
    ctx.plainWorld.reset();  // `plain` means `world` itself
    Value v = lowerName(plain, ctx);
    ctx.plainWorld = saved;
    return v;
  }
  // Another world's values of the model's names (not this context's own overrides).
  ExprContext mctx = ctx;
  mctx.plainWorld.reset();
  mctx.scopes = {&ctx.worlds->model->top};
  mctx.locals.clear();
  Value v = lowerName(plain, mctx);
  if (v.error || v.constant) return v;
  QueryWorlds& qw = *ctx.worlds;
  for (NodeId& id : v.nodes) {
    auto key = std::tuple{ctx.home, world, id};
    auto found = qw.reads.find(key);
    if (found == qw.reads.end()) {
      ir::Node r{NodeKind::Read, qw.graph->nodes[id].type, {}, ir::kNoNode, e.loc};
      r.readWorld = world;
      r.readNode = id;
      r.home = ctx.home;
      found = qw.reads.emplace(key, qw.graph->add(std::move(r))).first;
    }
    id = found->second;
  }
  return v;
}

std::vector<uint32_t> Lowerer::worldsRead(const ast::Expr& e, uint32_t dflt, QueryWorlds& qw) {
  // (offset, world) of every model name, plain ones in the default world.
  std::vector<std::pair<uint32_t, uint32_t>> seen;
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    for (const auto& a : x->args) stack.push_back(a.get());
    if (x->kind != ast::ExprKind::Name) continue;
    if (!x->world.empty()) {
      if (auto it = qw.index.find(x->world); it != qw.index.end()) seen.push_back({x->beginOffset, it->second});
    } else if (qw.model->top.names.count(x->name) || qw.model->top.families.count(x->name)) {
      seen.push_back({x->beginOffset, dflt});
    }
  }
  std::sort(seen.begin(), seen.end());
  std::vector<uint32_t> out;
  for (const auto& [offset, w] : seen)
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  return out;
}

void Lowerer::lowerIntervention(const ast::QueryStmt& s, uint32_t w, QueryWorlds& qw,
                                const std::vector<std::unordered_map<std::string, Value>>& locals) {
  ir::QueryGraph& g = *qw.graph;
  LoweredModel& lm = *qw.model;
  ExprContext ctx;
  ctx.graph = &g;
  ctx.scopes = {&lm.top};
  ctx.model = &lm;
  ctx.constReason = "the value of an intervention";
  ctx.worlds = &qw;
  ctx.home = w;
  ctx.locals = locals;
  std::string family;
  int64_t index = 0;
  auto name = targetName(s.target, ctx, &family, &index);
  if (!name || (!s.value && !s.dist)) return;
  auto found = lm.top.names.find(*name);
  if (found == lm.top.names.end()) {
    Diagnostic& d = diags_->report(DiagId::UnknownModelName, s.target.loc, {*name, qw.modelName});
    suggest(d, *name, visibleNames(ctx));
    return;
  }
  const NodeId node = found->second;
  const Scalar t = g.nodes[node].type;
  // Inside the value, the target itself is its value in this world without this
  // intervention: a copy of its mechanism (or the factual `intervene` this `do` overrides).
  ModelScope own;
  const std::string root = family.empty() ? *name : family;
  bool readsItself = s.value ? mentions(*s.value, root, g.worldName(w)) : false;
  if (s.dist)
    for (const auto& a : s.dist->args) readsItself = readsItself || mentions(*a, root, g.worldName(w));
  if (readsItself) {
    NodeId pre;
    auto factual = qw.intervened[0].find(node);
    // A factual `intervene` written later still replaces the mechanism the name means here.
    if (w != 0 && factual == qw.intervened[0].end() && qw.decl)
      for (const ast::QueryStmt& t : qw.decl->body)
        if (t.kind == ast::QueryStmtKind::Intervene && t.target.name == root && !qw.early.count(&t)) {
          qw.early.insert(&t);
          lowerIntervention(t, 0, qw);
          factual = qw.intervened[0].find(node);
        }
    if (w != 0 && factual != qw.intervened[0].end()) {
      pre = ir::kNoNode;
      for (const ir::Intervention& iv : g.worlds[0].interventions)
        if (iv.node == node) pre = iv.valueNode;
    } else {
      ir::Node copy = g.nodes[node];
      if (w != 0) copy.shadowOf = node;
      pre = g.add(std::move(copy));
    }
    own.names[*name] = pre;
    // The family with the copy in it, only when the value may read the family as a whole (a
    // bare name, an index not known here, a qualified name): a copy of the family per
    // intervention cost interventions x family size (1000 `x[i] = x[i] + 1` on 10^5 sites: 40 s).
    std::function<bool(const ast::Expr&)> wholeFamily = [&](const ast::Expr& x) -> bool {
      if (x.kind == ast::ExprKind::Name && x.name == root) return true;
      if (x.kind == ast::ExprKind::Index && x.args[0]->kind == ast::ExprKind::Name && x.args[0]->name == root &&
          x.args[0]->world.empty() && silentConstInt(*x.args[1], ctx))
        return wholeFamily(*x.args[1]);
      for (const auto& a : x.args)
        if (wholeFamily(*a)) return true;
      return false;
    };
    bool whole = family.find('[') != std::string::npos;  // rows of a table: as before
    if (s.value) whole = whole || wholeFamily(*s.value);
    if (s.dist)
      for (const auto& a : s.dist->args) whole = whole || wholeFamily(*a);
    if (!family.empty() && whole) {
      own.families[family] = lm.top.families.at(family);
      own.families[family][index] = pre;
    }
    ctx.scopes.push_back(&own);
  }
  NodeId valueNode = ir::kNoNode;
  SourceLoc valueLoc = s.value ? s.value->loc : s.dist->loc;
  if (s.value) {
    Value v = lowerExpr(*s.value, ctx);
    if (v.error) return;
    if (v.type.isArray()) {
      diags_->report(DiagId::ArrayNotAllowed, valueLoc, {"the value of an intervention", typeName(v.type)});
      return;
    }
    if (!promotes(v.type, Type{t, -1})) {
      diags_->report(DiagId::ValueType, valueLoc, {*name, ir::scalarName(t), typeName(v.type)});
      return;
    }
    if (v.constant) {
      ir::Node c{NodeKind::Const, t, {}, ir::kNoNode, valueLoc};
      c.constant = ir::convertWord(v.type.scalar, t, v.constants[0]);
      valueNode = g.add(std::move(c));
    } else {
      valueNode = convert(v, Type{t, -1}, ctx, valueLoc).nodes[0];
    }
  } else {
    DistArgs d = lowerDistCall(*s.dist, ctx);
    if (!d.ok) return;
    Scalar drawn = stdlib::distribution(d.dist).valueType;
    if (!promotes(Type{drawn, -1}, Type{t, -1})) {
      diags_->report(DiagId::ValueType, valueLoc, {*name, ir::scalarName(t), ir::scalarName(drawn)});
      return;
    }
    ir::Node site{NodeKind::Site, drawn, d.params, ir::kNoNode, valueLoc};
    site.site.dist = d.dist;
    site.site.numParams = uint16_t(d.params.size());
    // x's own stream: a site's ordinal; a deterministic node gets one of its own.
    const ir::Node& target = g.nodes[node];
    site.site.ordinal = target.kind == NodeKind::Site ? target.site.ordinal : g.numSites++;
    site.home = w;  // a `do` draws it in its world only; an `intervene` in the factual world
    Value v = Value::node(drawn, g.add(std::move(site)));
    valueNode = convert(v, Type{t, -1}, ctx, valueLoc).nodes[0];
  }
  if (auto [it, fresh] = qw.intervened[w].emplace(node, s.target.loc); !fresh) {
    diags_->report(DiagId::DuplicateIntervention, s.target.loc, {*name, g.worldName(w)})
        .note(DiagId::NotePreviousDefinition, it->second);
    return;
  }
  g.worlds[w].interventions.push_back(ir::Intervention{node, valueNode, s.target.loc});
}

void Lowerer::checkInterventionCycles(const QueryWorlds& qw) {
  const ir::QueryGraph& g = *qw.graph;
  std::set<std::pair<NodeId, NodeId>> reported;  // a pair's cycle once, at the first of them
  for (uint32_t w = 0; w < g.worlds.size(); ++w) {
    const ir::WorldView view(g, w);
    const ir::Edges edges = w == 0 ? ir::Edges::All : ir::Edges::Counterfactual;
    for (const ir::Intervention& iv : g.worlds[w].interventions) {
      // Walk what the value reads in this world; reaching the target is a cycle.
      std::vector<NodeId> parent(g.nodes.size(), ir::kNoNode);
      std::vector<char> seen(g.nodes.size(), 0);
      std::vector<NodeId> stack{iv.valueNode};
      seen[iv.valueNode] = 1;
      bool cycle = false;
      while (!stack.empty() && !cycle) {
        NodeId id = stack.back();
        stack.pop_back();
        for (NodeId in : view.inputsOf(id, edges)) {
          if (seen[in]) continue;
          seen[in] = 1;
          parent[in] = id;
          if (in == iv.node) { cycle = true; break; }
          stack.push_back(in);
        }
      }
      if (!cycle) continue;
      // The path back from the target: another target of this world on it, else the first
      // named node the value reads.
      const std::string& x = g.nodes[iv.node].name;
      std::string other, first;
      for (NodeId id = parent[iv.node]; id != ir::kNoNode; id = parent[id]) {
        if (!g.nodes[id].name.empty() && g.nodes[id].shadowOf == ir::kNoNode) first = g.nodes[id].name;
        for (const ir::Intervention& o : g.worlds[w].interventions)
          if (o.node == id && o.node != iv.node && other.empty()) other = g.nodes[id].name;
      }
      NodeId otherId = ir::kNoNode;
      for (const ir::Intervention& o : g.worlds[w].interventions)
        if (g.nodes[o.node].name == other && !other.empty()) otherId = o.node;
      if (!reported.insert({std::min(iv.node, otherId), std::max(iv.node, otherId)}).second && otherId != ir::kNoNode)
        continue;
      if (!other.empty())
        diags_->report(DiagId::InterventionCycle, iv.loc, {x, other, g.worldName(w)});
      else
        diags_->report(DiagId::InterventionReadsDownstream, iv.loc, {x, first.empty() ? x : first, g.worldName(w)});
    }
  }
}

}  // namespace mv::frontend
