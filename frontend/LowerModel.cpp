// frontend/LowerModel.cpp — models: sites, deterministic nodes, unrolled loops, guarded branches.
#include "frontend/Lowerer.h"

#include <algorithm>
#include <set>

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

namespace {

/// At most this many nodes are counted (beyond every limit, so the sums cannot overflow).
constexpr uint64_t kCountCap = uint64_t(1) << 62;

uint64_t saturatingMul(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_mul_overflow(a, b, &r) || r > kCountCap ? kCountCap : r;
}

/// A lower bound on the nodes lowering `body` adds, from its shape alone (no unrolling): a
/// site or a defined name adds at least one node, an `if` its `!` and both branches (both
/// are lowered), a loop with literal bounds its trip count times its body; other loops and
/// factors count 0. Never above the real count, so refusing on it never refuses a model that fits.
uint64_t minNodes(const std::vector<ast::StmtPtr>& body) {
  uint64_t n = 0;
  for (const ast::StmtPtr& s : body) {
    uint64_t k = 0;
    switch (s->kind) {
      case ast::StmtKind::Site:
      case ast::StmtKind::Node: k = 1; break;
      case ast::StmtKind::Factor: break;
      case ast::StmtKind::If: k = std::min(kCountCap, 1 + minNodes(s->body) + minNodes(s->elseBody)); break;
      case ast::StmtKind::For:
        if (s->from->kind == ast::ExprKind::IntLit && s->to->kind == ast::ExprKind::IntLit &&
            s->to->intValue > s->from->intValue)
          k = saturatingMul(uint64_t(s->to->intValue) - uint64_t(s->from->intValue), minNodes(s->body));
        break;
    }
    n = std::min(kCountCap, n + k);
  }
  return n;
}

/// The site statements of `body`, at any depth of loops and branches.
void sitesOf(const std::vector<ast::StmtPtr>& body, std::vector<const ast::Stmt*>& out) {
  for (const ast::StmtPtr& s : body) {
    if (s->kind == ast::StmtKind::Site) out.push_back(s.get());
    sitesOf(s->body, out);
    sitesOf(s->elseBody, out);
  }
}

}  // namespace

void Lowerer::lowerModel(const ast::ModelDecl& m) {
  LoweredModel& lm = models_[m.name];
  lm.decl = &m;
  lm.graph.model = m.name;
  ExprContext ctx;
  ctx.graph = &lm.graph;
  ctx.scopes = {&lm.top};
  ctx.model = &lm;
  ctx.constCache = &lm.constCache;
  ctx.constReason = "this expression";
  size_t before = diags_->errorCount();
  lowerStmts(m.body, ctx, lm);
  // lowerStmts checks before each statement; this catches the last one's nodes.
  if (lm.graph.nodes.size() > limits_.modelNodes && tooLarge_.insert(&lm.graph).second)
    diags_->report(DiagId::ModelTooLarge, m.loc, {m.name, std::to_string(limits_.modelNodes)});
  if (diags_->errorCount() > before) lm.hasErrors = true;
}

void Lowerer::lowerStmts(const std::vector<ast::StmtPtr>& body, ExprContext& ctx, LoweredModel& lm) {
  for (const ast::StmtPtr& s : body) {
    if (lm.graph.nodes.size() > limits_.modelNodes) {
      if (tooLarge_.insert(&lm.graph).second)
        diags_->report(DiagId::ModelTooLarge, lm.decl->loc, {lm.decl->name, std::to_string(limits_.modelNodes)});
      lm.hasErrors = true;
      return;
    }
    switch (s->kind) {
      case ast::StmtKind::Site: lowerSite(*s, ctx, lm); break;
      case ast::StmtKind::Node: lowerNodeStmt(*s, ctx, lm); break;
      case ast::StmtKind::For: lowerFor(*s, ctx, lm); break;
      case ast::StmtKind::If: lowerIf(*s, ctx, lm); break;
      case ast::StmtKind::Factor: lowerFactorStmt(*s, ctx, lm); break;
    }
  }
}

std::optional<std::string> Lowerer::targetName(const ast::Target& t, ExprContext& ctx, std::string* family,
                                               int64_t* index) {
  std::string name = t.name;
  for (size_t i = 0; i < t.indices.size(); ++i) {
    ExprContext cctx;
    cctx.constReason = "an index of a defined name";
    cctx.scopes = ctx.scopes;
    Value k;
    {
      LocalsLoan loan(ctx, cctx);
      k = lowerExpr(*t.indices[i], cctx);
    }
    if (!requireConstant(k, "an index of a defined name", t.indices[i]->loc)) return std::nullopt;
    if (k.type != Type{Scalar::Int, -1}) {
      diags_->report(DiagId::IndexNotInt, t.indices[i]->loc, {typeName(k.type)});
      return std::nullopt;
    }
    if (i + 1 == t.indices.size()) {
      *family = name;
      *index = k.constants[0].asInt();
    }
    name += "[" + std::to_string(k.constants[0].asInt()) + "]";
  }
  return name;
}

void Lowerer::define(ExprContext& ctx, LoweredModel& lm, const std::string& name, const std::string& family,
                     int64_t index, NodeId id, SourceLoc loc) {
  ModelScope& scope = *ctx.scopes.back();
  lm.graph.nodes[id].name = name;
  auto clash = [&](SourceLoc previous) {
    diags_->report(DiagId::Redefinition, loc, {name}).note(DiagId::NotePreviousDefinition, previous);
  };
  for (ModelScope* s : ctx.scopes) {
    if (auto it = s->defLocs.find(name); it != s->defLocs.end()) return clash(it->second);
    if (family.empty() && s->families.count(name)) return clash(s->defLocs.count(name) ? s->defLocs[name] : loc);
    if (family.empty() && s->families.count(name + "[0]")) return clash(loc);  // a table-valued name
    if (!family.empty() && s->names.count(family)) return clash(s->defLocs[family]);
    if (std::string root = name.substr(0, name.find('[')); root != name && root != family && s->names.count(root))
      return clash(s->defLocs[root]);
  }
  if (consts_.count(name)) return clash(consts_.at(name)->loc);
  if (auto it = datas_.find(name); it != datas_.end() && it->second != SIZE_MAX)
    return clash(dataTable_[it->second].loc);
  if (models_.count(name)) {
    diags_->report(DiagId::Redefinition, loc, {name}).note(DiagId::NoteModelNamedHere, models_.at(name).decl->loc, {name});
    return;
  }
  if (fns_.count(name)) return clash(fns_.at(name)->loc);
  for (const auto& level : ctx.locals)
    if (level.count(name)) return clash(loc);
  scope.names[name] = id;
  scope.defLocs[name] = loc;
  if (!family.empty()) {
    scope.families[family][index] = id;
    scope.elementOf[name] = {family, index};
  }
}

void Lowerer::lowerSite(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  if (stdlib::findCompound(s.dist.name) == stdlib::Compound::Dirichlet) return lowerDirichletSite(s, ctx, lm);
  std::string family;
  int64_t index = 0;
  auto name = targetName(s.target, ctx, &family, &index);
  DistArgs d = lowerDistCall(s.dist, ctx);
  DistArgs p;
  if (s.proposal) {
    p = lowerDistCall(*s.proposal, ctx);
    if (d.ok && p.ok) checkProposalSupport(s.dist, d, *s.proposal, p);
  }
  if (!name) return;
  Scalar type = d.ok ? stdlib::distribution(d.dist).valueType
                : stdlib::findDistribution(s.dist.name) ? stdlib::distribution(*stdlib::findDistribution(s.dist.name)).valueType
                                                        : Scalar::Real;
  ir::Node n{NodeKind::Site, type, d.params, ir::kNoNode, s.target.loc};
  if (!d.ok || (s.proposal && !p.ok)) {
    // Keep the name defined so later uses do not cascade into more errors.
    n = ir::Node{NodeKind::Const, type, {}, ir::kNoNode, s.target.loc};
    lm.hasErrors = true;
  } else {
    n.site.dist = d.dist;
    n.site.numParams = uint16_t(d.params.size());
    n.site.ordinal = lm.graph.numSites++;
    if (s.proposal) {
      n.site.proposal = ir::ProposalKind::Distribution;
      n.site.proposalDist = p.dist;
      n.site.numProposalParams = uint16_t(p.params.size());
      n.operands.insert(n.operands.end(), p.params.begin(), p.params.end());
    }
  }
  define(ctx, lm, *name, family, index, emit(ctx, std::move(n)), s.target.loc);
}

void Lowerer::lowerNodeStmt(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  std::string family;
  int64_t index = 0;
  auto name = targetName(s.target, ctx, &family, &index);
  size_t firstNew = lm.graph.nodes.size();
  Value v = lowerExpr(*s.value, ctx);
  if (!name) return;
  auto named = [&](const Value& x, size_t i) -> NodeId {
    if (x.error) return emit(ctx, ir::Node{NodeKind::Const, Scalar::Real, {}, ir::kNoNode, s.target.loc});
    if (x.constant) {
      ir::Node c{NodeKind::Const, x.type.scalar, {}, ir::kNoNode, s.target.loc};
      c.constant = x.constants[i];
      return emit(ctx, std::move(c));
    }
    NodeId id = x.nodes[i];
    bool fresh = id >= firstNew && lm.graph.nodes[id].name.empty() && lm.graph.nodes[id].kind != NodeKind::Const;
    if (fresh) return id;
    return emit(ctx, ir::Node{NodeKind::Copy, x.type.scalar, {id}, ir::kNoNode, s.target.loc});
  };
  if (v.error) lm.hasErrors = true;
  if (!v.error && v.type.isArray()) {
    if (!family.empty()) {
      diags_->report(DiagId::ArrayNotAllowed, s.target.loc, {"an indexed name", typeName(v.type)});
      return;
    }
    // Element (i, j, ...) of an array value is the node `name[i][j]...`, in the family
    // `name[i]...` of its row, so a table-valued node reads back as the same array.
    std::vector<int> dims{v.type.length};
    dims.insert(dims.end(), v.type.inner.begin(), v.type.inner.end());
    for (size_t i = 0; i < v.size(); ++i) {
      std::vector<size_t> at(dims.size());
      for (size_t d = dims.size(), rest = i; d-- > 0; rest /= size_t(dims[d])) at[d] = rest % size_t(dims[d]);
      std::string fam = *name;
      for (size_t d = 0; d + 1 < dims.size(); ++d) fam += "[" + std::to_string(at[d]) + "]";
      define(ctx, lm, fam + "[" + std::to_string(at.back()) + "]", fam, int64_t(at.back()), named(v, i), s.target.loc);
    }
    return;
  }
  define(ctx, lm, *name, family, index, named(v, 0), s.target.loc);
}

std::optional<Lowerer::LoopRange> Lowerer::loopRange(const ast::Expr& fromExpr, const ast::Expr& toExpr,
                                                     const std::string& var, SourceLoc varLoc, SourceLoc loc,
                                                     ExprContext& ctx, bool* tooLong) {
  ExprContext cctx;
  cctx.constReason = "a loop bound";
  cctx.scopes = ctx.scopes;
  Value from, to;
  {
    LocalsLoan loan(ctx, cctx);
    from = lowerExpr(fromExpr, cctx);
    to = lowerExpr(toExpr, cctx);
  }
  bool ok = requireConstant(from, "a loop bound", fromExpr.loc) & requireConstant(to, "a loop bound", toExpr.loc);
  if (!ok) return std::nullopt;
  for (auto [v, e] : {std::pair{&from, &fromExpr}, std::pair{&to, &toExpr}}) {
    if (v->type != Type{Scalar::Int, -1}) {
      diags_->report(DiagId::ArgumentType, e->loc, {"", "a loop bound", "int", typeName(v->type)});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  int64_t a = from.constants[0].asInt(), b = to.constants[0].asInt();
  if (b > a && b - a > limits_.loopIterations) {
    diags_->report(DiagId::LoopTooLong, loc, {std::to_string(b - a), std::to_string(limits_.loopIterations)});
    *tooLong = true;
    return std::nullopt;
  }
  // The whole nest's count, before unrolling any of it: each factor is at most the limit
  // (the enclosing loops passed this check), so the product cannot overflow.
  int64_t trips = ctx.loopTrips * (b > a ? b - a : 0);
  if (trips > limits_.loopIterations) {
    diags_->report(DiagId::LoopNestTooLong, loc, {std::to_string(trips), std::to_string(limits_.loopIterations)});
    *tooLong = true;
    return std::nullopt;
  }
  for (ModelScope* scope : ctx.scopes)
    if (scope->defLocs.count(var)) {
      diags_->report(DiagId::Redefinition, varLoc, {var}).note(DiagId::NotePreviousDefinition, scope->defLocs[var]);
      return std::nullopt;
    }
  return LoopRange{a, b, std::max<int64_t>(trips, 1)};
}

void Lowerer::lowerFor(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  bool tooLong = false;
  auto range = loopRange(*s.from, *s.to, s.loopVar, s.loopVarLoc, s.loc, ctx, &tooLong);
  if (tooLong) lm.hasErrors = true;
  if (!range) return;
  // The nodes the loop adds at least, before unrolling it: refused here, at the loop, when
  // they cannot fit (a 10^6-site loop would otherwise be unrolled up to the limit first).
  if (range->to > range->from) {
    uint64_t adds = saturatingMul(uint64_t(range->to) - uint64_t(range->from), minNodes(s.body));
    // Plus the constants its sites share, once (`z[i] ~ normal(0, 1)`: 0.0 and 1.0), that the
    // model has not made yet: 10^6 such sites are 10^6 + 2 nodes, refused here too.
    std::vector<const ast::Stmt*> sites;
    sitesOf(s.body, sites);
    std::set<std::pair<int, uint64_t>> shared;
    for (const ast::Stmt* site : sites) literalParams(site->dist, shared);
    for (const auto& key : shared)
      if (!ctx.constCache || !ctx.constCache->count(key)) adds = std::min(kCountCap, adds + 1);
    if (adds > limits_.modelNodes - std::min(limits_.modelNodes, lm.graph.nodes.size())) {
      if (tooLarge_.insert(&lm.graph).second)
        diags_->report(DiagId::ModelTooLarge, s.loc, {lm.decl->name, std::to_string(limits_.modelNodes)});
      lm.hasErrors = true;
      return;
    }
  }
  int64_t enclosing = ctx.loopTrips;
  ctx.loopTrips = range->trips;
  for (int64_t i = range->from; i < range->to; ++i) {
    size_t before = diags_->errorCount();
    ctx.locals.push_back({{s.loopVar, Value::scalar(Scalar::Int, ir::Word::ofInt(i))}});
    lowerStmts(s.body, ctx, lm);
    ctx.locals.pop_back();
    // One iteration's errors are enough: the rest would repeat them.
    if (diags_->errorCount() > before) break;
  }
  ctx.loopTrips = enclosing;
}

void Lowerer::lowerIf(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  Value c = lowerExpr(*s.value, ctx);
  bool condOk = !c.error;
  if (condOk && c.type != Type{Scalar::Bool, -1}) {
    diags_->report(DiagId::ConditionNotBool, s.value->loc, {typeName(c.type)});
    condOk = false;
  }
  NodeId cond = condOk ? elementNode(c, 0, ctx, s.value->loc)
                       : constNode(ctx, Scalar::Bool, ir::Word::ofBool(true), s.loc);
  NodeId outer = ctx.guard;
  auto guardFor = [&](NodeId branchCond) {
    if (outer == ir::kNoNode) return branchCond;
    ctx.guard = ir::kNoNode;
    NodeId g = emit(ctx, ir::Node{NodeKind::And, Scalar::Bool, {outer, branchCond}, ir::kNoNode, s.loc});
    ctx.guard = outer;
    return g;
  };
  NodeId thenGuard = guardFor(cond);
  NodeId notCond = emit(ctx, ir::Node{NodeKind::Not, Scalar::Bool, {cond}, ir::kNoNode, s.loc});
  NodeId elseGuard = guardFor(notCond);

  ModelScope thenScope, elseScope;
  ctx.scopes.push_back(&thenScope);
  ctx.guard = thenGuard;
  lowerStmts(s.body, ctx, lm);
  ctx.scopes.back() = &elseScope;
  ctx.guard = elseGuard;
  lowerStmts(s.elseBody, ctx, lm);
  ctx.scopes.pop_back();
  ctx.guard = outer;

  // Merge in definition order so node ids (and printed IR) are stable.
  std::vector<std::pair<SourceLoc, std::string>> order;
  for (const auto& [name, id] : thenScope.names) order.push_back({thenScope.defLocs[name], name});
  std::sort(order.begin(), order.end());
  for (const auto& [loc, name] : order) {
    NodeId thenId = thenScope.names[name];
    auto e = elseScope.names.find(name);
    if (e == elseScope.names.end()) {
      lm.branchLocal[name] = thenScope.defLocs[name];
      continue;
    }
    Scalar tt = lm.graph.nodes[thenId].type, et = lm.graph.nodes[e->second].type;
    if (tt != et) {
      diags_->report(DiagId::BranchTypes, elseScope.defLocs[name],
                    {name, ir::scalarName(tt), ir::scalarName(et)});
      lm.hasErrors = true;
      continue;
    }
    NodeId merge = emit(ctx, ir::Node{NodeKind::Merge, tt, {cond, thenId, e->second}, ir::kNoNode,
                                      thenScope.defLocs[name]});
    std::string family;
    int64_t index = 0;
    if (auto el = thenScope.elementOf.find(name); el != thenScope.elementOf.end()) {
      family = el->second.first;
      index = el->second.second;
    }
    define(ctx, lm, name, family, index, merge, thenScope.defLocs[name]);
  }
  for (const auto& [name, id] : elseScope.names)
    if (!thenScope.names.count(name)) lm.branchLocal[name] = elseScope.defLocs[name];
}

}  // namespace mv::frontend
