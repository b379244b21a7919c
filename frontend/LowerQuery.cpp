// frontend/LowerQuery.cpp — queries: evidence, constraints, interventions per world, predictions.
#include "frontend/Lowerer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

namespace {

/// A value that a node of `type` may take, for messages.
std::string valueText(ir::Word v, Scalar t) {
  if (t == Scalar::Bool) return v.asBool() ? "true" : "false";
  if (t == Scalar::Int) return std::to_string(v.asInt());
  char buf[64];  // the shortest text that reads back exactly
  auto r = std::to_chars(buf, buf + sizeof buf, v.asReal());
  return std::string(buf, r.ptr);
}

/// The values site `n` can take (its distribution's support, with the bounds its constant
/// parameters give), as an interval and the text messages show: the one rule for an observed
/// constant (checked here) and an observed data value (checked when bound, ir::DataCheck).
/// Nothing for a node that is not a site, or a support with no bound to check.
struct SupportBounds {
  double lo = -HUGE_VAL, hi = HUGE_VAL;
  bool loOpen = false, hiOpen = false;
  std::string text;
  bool contains(double v) const { return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi); }
};
std::optional<SupportBounds> supportBounds(const ir::QueryGraph& g, const ir::Node& n) {
  if (n.kind != NodeKind::Site) return std::nullopt;
  auto knownParam = [&](size_t i) -> std::optional<double> {
    const ir::Node& p = g.nodes[n.operands[i]];
    if (p.kind == NodeKind::Const) return p.constant.toDouble(p.type);
    return std::nullopt;
  };
  using stdlib::SupportKind;
  const SupportKind kind = stdlib::distribution(n.site.dist).support;
  SupportBounds b;
  b.text = stdlib::supportText(kind);
  switch (kind) {
    case SupportKind::Bool:
    case SupportKind::RealLine: return std::nullopt;
    case SupportKind::IntBelowLength:
      b.lo = 0, b.hi = double(n.site.numParams) - 1;
      b.text = stdlib::supportText(kind, std::nullopt, double(n.site.numParams));
      return b;
    case SupportKind::IntUpToN:
      b.lo = 0;
      if (auto nn = knownParam(0)) b.hi = *nn, b.text = stdlib::supportText(kind, std::nullopt, *nn);
      else b.text = stdlib::supportText(SupportKind::NonNegativeInt);
      return b;
    case SupportKind::NonNegativeInt:
    case SupportKind::NonNegativeReal: b.lo = 0; return b;
    case SupportKind::PositiveReal: b.lo = 0, b.loOpen = true; return b;
    case SupportKind::UnitInterval: b.lo = 0, b.hi = 1, b.loOpen = b.hiOpen = true; return b;
    case SupportKind::RealInterval: {
      auto a = knownParam(0), c = knownParam(1);
      if (a) b.lo = *a;
      if (c) b.hi = *c, b.hiOpen = true;
      return b;
    }
    case SupportKind::IntClosedInterval: {  // truncated(D, lo, hi), D discrete: D's ints within [lo, hi]
      const size_t np = n.site.numParams;
      auto lo = knownParam(np - 2), hi = knownParam(np - 1);
      b.lo = lo && *lo > 0 ? *lo : 0.0;
      if (hi) b.hi = *hi;
      const stdlib::DistributionInfo& base = stdlib::distribution(*stdlib::truncationBase(n.site.dist));
      if (base.support == SupportKind::IntBelowLength) b.hi = std::fmin(b.hi, double(np) - 3);  // len - 1
      if (base.support == SupportKind::IntUpToN)
        if (auto nn = knownParam(0)) b.hi = std::fmin(b.hi, *nn);
      b.text = stdlib::supportText(kind, lo ? std::optional<double>(b.lo) : std::nullopt,
                                   std::isinf(b.hi) ? std::nullopt : std::optional<double>(b.hi));
      return b;
    }
    case SupportKind::RealClosedInterval: {  // truncated(D, lo, hi): within [lo, hi]
      auto lo = knownParam(size_t(n.site.numParams) - 2), hi = knownParam(size_t(n.site.numParams) - 1);
      if (lo) b.lo = *lo;
      if (hi) b.hi = *hi;
      b.text = stdlib::supportText(kind, lo, hi);
      return b;
    }
  }
  return std::nullopt;
}

/// Whether `w` can be a value of site `n` (supportBounds), when that is known.
std::optional<std::string> outsideSupport(const ir::QueryGraph& g, const ir::Node& n, ir::Word w) {
  std::optional<SupportBounds> b = supportBounds(g, n);
  if (!b) return std::nullopt;
  // Ints compare exactly: every bound is a small int, and a count beyond 2^53 only rounds.
  const double v = n.type == Scalar::Real ? w.asReal() : double(w.asInt());
  if (b->contains(v)) return std::nullopt;
  return b->text;
}

bool mentionsModelName(const ast::Expr& e, const ModelScope& scope) {
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == ast::ExprKind::Name && (scope.names.count(x->name) || scope.families.count(x->name)))
      return true;
    for (const auto& a : x->args) stack.push_back(a.get());
  }
  return false;
}

}  // namespace

std::optional<ir::QueryGraph> Lowerer::lowerQuery(const ast::QueryDecl& q) {
  auto mit = models_.find(q.model);
  if (mit == models_.end() || !mit->second.decl) {
    Diagnostic& d = diags_->report(DiagId::UnknownModel, q.modelLoc, {q.model});
    std::vector<std::string> names;
    for (const auto& [n, m] : models_) names.push_back(n);
    suggest(d, q.model, names);
    return std::nullopt;
  }
  LoweredModel& lm = mit->second;
  // A model refused as too large may stop before defining its names: its queries would only
  // repeat that as undeclared names.
  if (tooLarge_.count(&lm.graph)) return std::nullopt;
  const size_t errorsBefore = diags_->errorCount();
  // The query is lowered onto the model's graph and taken off it when done: a copy of the
  // model per query cost queries x model size in time and memory.
  QueryScratch scratch(lm, tooLarge_);
  ir::QueryGraph& g = lm.graph;
  g.name = q.name;
  g.model = q.model;
  g.loc = q.loc;
  g.data = dataTable_;
  g.dataSize = dataSize_;
  ExprContext ctx;
  ctx.graph = &g;
  ctx.scopes = {&lm.top};
  ctx.model = &lm;
  ctx.constCache = &lm.constCache;  // the query's entries leave with it (QueryScratch)
  ctx.constReason = "this expression";

  bool hasIntervene = false, hasPredict = false, hasWorlds = false;
  for (const ast::QueryStmt* s : openLoops(q.body)) {
    hasPredict = hasPredict || s->kind == ast::QueryStmtKind::Predict;
    hasIntervene = hasIntervene || s->kind == ast::QueryStmtKind::Intervene;
    hasWorlds = hasWorlds || s->kind == ast::QueryStmtKind::World;
  }
  QueryWorlds qw;
  qw.graph = &g;
  qw.model = &lm;
  qw.modelName = q.model;
  qw.decl = &q;
  declareWorlds(q, qw);
  const bool hasDo = qw.hasTopDo;
  g.kind = hasDo || hasWorlds ? ir::QueryKind::Counterfactual
                              : hasIntervene ? ir::QueryKind::Interventional : ir::QueryKind::Observational;

  std::map<std::pair<uint32_t, NodeId>, SourceLoc> observed;  // (world, node): a node once per world
  std::set<std::pair<std::string, std::string>> labels;  // a label is unique within its world(s)

  // An observed value: a compile-time value (`value`) or a data element (ir::Evidence::dataSlot).
  struct Observed {
    ir::Word value;
    uint32_t slot = ir::Evidence::kNoDataSlot;
    Scalar dataType = Scalar::Real;
  };
  // Element k of an observed value `v` (observedArray's) for a node of type `t`.
  auto observedElement = [&](const Value& v, size_t k, Scalar t) {
    Observed o;
    if (v.constant) o.value = ir::convertWord(v.type.scalar, t, v.constants[k]);
    else o.slot = g.nodes[v.nodes[k]].dataIndex, o.dataType = v.type.scalar;
    return o;
  };
  // The observed value for node `node`, or nothing (errors reported).
  auto observedScalar = [&](const ast::Expr& e, NodeId node, const std::string& name) -> std::optional<Observed> {
    std::optional<Value> v = observedArray(e, ctx);
    if (!v) return std::nullopt;
    Scalar t = g.nodes[node].type;
    if (!promotes(v->type, Type{t, -1})) {
      diags_->report(DiagId::ValueType, e.loc, {name, ir::scalarName(t), typeName(v->type)});
      return std::nullopt;
    }
    return observedElement(*v, 0, t);
  };

  // Evidence on a merged name also holds on whichever branch's definition is active.
  std::function<void(NodeId, const Observed&, SourceLoc, uint32_t)> addEvidence =
      [&](NodeId id, const Observed& v, SourceLoc loc, uint32_t w) {
        ir::Evidence ev{id, v.value, loc};
        ev.world = w;
        ev.dataSlot = v.slot;
        ev.dataType = v.dataType;
        g.evidence.push_back(ev);
        if (g.nodes[id].kind == NodeKind::Merge) {
          addEvidence(g.nodes[id].operands[1], v, loc, w);
          addEvidence(g.nodes[id].operands[2], v, loc, w);
        }
      };

  // One piece of evidence in world `w` (0: factual; else a `world` block, worlds.md §5):
  // `name`'s node takes value `v` (a constant checked against its support here; data when
  // bound, driver/DataChecks.h).
  auto observeOne = [&](NodeId node, const std::string& name, const Observed& v, SourceLoc nameLoc,
                        SourceLoc valueLoc, uint32_t w) {
    if (v.slot == ir::Evidence::kNoDataSlot) {
      if (auto support = outsideSupport(g, g.nodes[node], v.value)) {
        diags_->report(DiagId::ValueOutsideSupport, valueLoc,
                       {valueText(v.value, g.nodes[node].type), name, *support});
        return;
      }
    } else if (auto b = supportBounds(g, g.nodes[node])) {
      // Data: the same check, with the same message, when the data are bound.
      ir::DataCheck c;
      c.slots = {v.slot};
      c.type = v.dataType;
      c.lo = b->lo, c.hi = b->hi, c.loOpen = b->loOpen, c.hiOpen = b->hiOpen;
      const ir::DataDecl* decl = ir::dataDeclOf(g, v.slot);
      c.element = {DiagId::ValueOutsideSupport, valueLoc,
                   {g.nodes[node].type == Scalar::Real ? "\x01" : "\x05", name, b->text},
                   DiagId::NoteDataValue, decl ? decl->loc : valueLoc,
                   {ir::dataElementName(g, v.slot), "\x07"}};
      g.dataChecks.push_back(std::move(c));
    }
    if (auto [it, fresh] = observed.emplace(std::pair{w, node}, nameLoc); !fresh) {
      diags_->report(DiagId::DuplicateObserve, nameLoc, {name}).note(DiagId::NoteObservedHere, it->second);
      return;
    }
    addEvidence(node, v, nameLoc, w);
  };

  auto tryEvidence = [&](const ast::Expr& e, uint32_t w) -> bool {
    const ast::Expr* nameExpr = nullptr;
    const ast::Expr* valueExpr = nullptr;
    std::optional<ir::Word> implied;
    if (e.kind == ast::ExprKind::Binary && e.binaryOp == ast::BinaryOp::Eq) {
      if (modelNameOf(*e.args[0], ctx, false)) nameExpr = e.args[0].get(), valueExpr = e.args[1].get();
      else if (modelNameOf(*e.args[1], ctx, false)) nameExpr = e.args[1].get(), valueExpr = e.args[0].get();
      if (valueExpr) {
        // Only a value that reads no model name makes evidence; anything else is a constraint.
        if (mentionsModelName(*valueExpr, lm.top)) return false;
      }
    } else if (modelNameOf(e, ctx, false)) {
      nameExpr = &e;
      implied = ir::Word::ofBool(true);
    } else if (e.kind == ast::ExprKind::Unary && e.unaryOp == ast::UnaryOp::Not && modelNameOf(*e.args[0], ctx, false)) {
      nameExpr = e.args[0].get();
      implied = ir::Word::ofBool(false);
    }
    if (!nameExpr) return false;
    auto [node, name] = *modelNameOf(*nameExpr, ctx, false);
    if (implied && g.nodes[node].type != Scalar::Bool) return false;
    std::optional<Observed> v = implied ? Observed{*implied} : observedScalar(*valueExpr, node, name);
    if (v) observeOne(node, name, *v, nameExpr->loc, valueExpr ? valueExpr->loc : nameExpr->loc, w);
    return true;
  };

  // A dirichlet site observed in a world block: refused below where the world recomputes it.
  struct WorldDirichlet {
    std::string name;
    uint32_t world;
    SourceLoc loc;
    std::vector<NodeId> nodes;
  };
  std::vector<WorldDirichlet> dirichletInWorld;
  std::set<std::pair<uint32_t, std::string>> wholeDirichlets;  // (world, p) observed as an array

  // `observe y == Y` for a family y (loop-defined, or a table-valued node; rows too) and an
  // array Y of y's shape: one piece of evidence per element, each as if written alone.
  auto tryArrayEvidence = [&](const ast::Expr& e, uint32_t w) -> bool {
    if (e.kind != ast::ExprKind::Binary || e.binaryOp != ast::BinaryOp::Eq) return false;
    for (size_t side = 0; side < 2; ++side) {
      const ast::Expr& nameExpr = *e.args[side];
      const ast::Expr& valueExpr = *e.args[1 - side];
      auto name = staticName(nameExpr, ctx);
      if (!name || !isFamily(lm.top, *name) || mentionsModelName(valueExpr, lm.top)) continue;
      Value family = lowerExpr(nameExpr, ctx);  // its elements' nodes: nothing new is emitted
      if (family.error) return true;
      std::optional<Value> value = observedArray(valueExpr, ctx);
      if (!value) return true;
      if (value->type.length != family.type.length || value->type.inner != family.type.inner) {
        diags_->report(DiagId::ObserveShape, valueExpr.loc, {*name, typeName(family.type), typeName(value->type)});
        return true;
      }
      if (!promotes(value->type, family.type)) {
        diags_->report(DiagId::ValueType, valueExpr.loc, {*name, typeName(family.type), typeName(value->type)});
        return true;
      }
      if (lm.dirichlets.count(*name)) {  // a simplex, inverted whole (passes/DirichletInversion.cpp)
        std::vector<ObservedElement> elements;
        for (size_t k = 0; k < value->size(); ++k) {
          Observed o = observedElement(*value, k, Scalar::Real);
          elements.push_back({o.slot != ir::Evidence::kNoDataSlot, o.value.asReal(), o.slot, o.dataType});
        }
        if (!checkDirichletObserved(*name, elements, valueExpr.loc, g)) return true;
        wholeDirichlets.insert({w, *name});
        if (w != 0) dirichletInWorld.push_back({*name, w, nameExpr.loc, family.nodes});
      }
      for (size_t k = 0; k < family.size(); ++k)
        observeOne(family.nodes[k], *name + elementSuffix(family.type, k),
                   observedElement(*value, k, family.type.scalar), nameExpr.loc, valueExpr.loc, w);
      return true;
    }
    return false;
  };

  // `observe` in world `w`: evidence (per element for an array) when it is a model name equal
  // to a compile-time value, else a constraint evaluated with w's values.
  auto observe = [&](const ast::QueryStmt& s, uint32_t w) {
    if (!s.expr || tryArrayEvidence(*s.expr, w) || tryEvidence(*s.expr, w)) return;
    ExprContext octx = ctx;
    if (w != 0) octx.worlds = &qw, octx.home = w;  // evaluated with w's values (and may read others)
    Value c = lowerExpr(*s.expr, octx);
    if (c.error) return;
    if (c.type != Type{Scalar::Bool, -1}) {
      diags_->report(DiagId::ConditionNotBool, s.expr->loc, {typeName(c.type)});
      return;
    }
    NodeId cond = elementNode(c, 0, octx, s.expr->loc);
    if (w != 0) {
      // A node of w only (a copy, so a model node is not moved out of the other worlds).
      ir::Node copy{NodeKind::Copy, Scalar::Bool, {cond}, ir::kNoNode, s.expr->loc};
      copy.home = w;
      cond = g.add(std::move(copy));
    }
    ir::Constraint con{cond, s.expr->loc};
    con.world = w;
    g.constraints.push_back(con);
  };

  // A statement of world block `w` (worlds.md §2): `do`, `observe`, `factor`, or a `for` of them.
  std::function<void(const ast::QueryStmt&, uint32_t)> lowerWorldStmt = [&](const ast::QueryStmt& t, uint32_t w) {
    switch (t.kind) {
      case ast::QueryStmtKind::Do: lowerIntervention(t, w, qw, ctx.locals); break;
      case ast::QueryStmtKind::Observe: observe(t, w); break;
      case ast::QueryStmtKind::Factor:
        if (t.expr) {
          // A term of w's weight, evaluated with w's values: a node of w only.
          ExprContext fctx = ctx;
          fctx.worlds = &qw;
          fctx.home = w;
          NodeId f = lowerFactor(*t.expr, t.loc, fctx);
          if (f != ir::kNoNode) g.nodes[f].home = w;
        }
        break;
      case ast::QueryStmtKind::Intervene: diags_->report(DiagId::StatementInWorld, t.loc, {"intervene"}); break;
      case ast::QueryStmtKind::Predict: diags_->report(DiagId::StatementInWorld, t.loc, {"predict"}); break;
      case ast::QueryStmtKind::World: diags_->report(DiagId::StatementInWorld, t.loc, {"world"}); break;
      case ast::QueryStmtKind::For: {
        bool tooLong = false;
        auto range = loopRange(*t.from, *t.to, t.loopVar, t.loopVarLoc, t.loc, ctx, &tooLong);
        if (!range) break;
        const int64_t enclosing = ctx.loopTrips;
        ctx.loopTrips = range->trips;
        for (int64_t i = range->from; i < range->to; ++i) {
          const size_t before = diags_->errorCount();
          ctx.locals.push_back({{t.loopVar, Value::scalar(Scalar::Int, ir::Word::ofInt(i))}});
          for (const ast::QueryStmt& u : t.body) lowerWorldStmt(u, w);
          ctx.locals.pop_back();
          if (diags_->errorCount() > before) break;  // the other iterations would repeat it
        }
        ctx.loopTrips = enclosing;
        break;
      }
    }
  };

  auto predict = [&](const ast::QueryStmt& s) {
    if (s.worldQualifierCount > 1) diags_->report(DiagId::DuplicateWorld, s.loc);
    uint32_t world = hasDo ? 1 : 0;
    if (s.world == ast::WorldQualifier::Factual) world = 0;
    if (s.world == ast::WorldQualifier::Counterfactual) {
      if (!hasDo) {
        diags_->report(DiagId::CounterfactualWithoutDo, s.loc);
        return;
      }
      world = 1;
    }
    if (!s.expr) return;
    // Several worlds: evaluated in the last of them to be evaluated, reading the others.
    std::vector<uint32_t> read = worldsRead(*s.expr, world, qw);
    const uint32_t plainWorld = world;  // what an unqualified name means (worlds.md §2)
    std::string worlds;
    if (read.size() == 1) world = read[0];
    if (read.size() > 1) {
      world = read[0];
      for (uint32_t w : read) {
        if (qw.rank[w] > qw.rank[world]) world = w;
        worlds += (worlds.empty() ? "" : ",") + g.worldName(w);
      }
    }
    ExprContext pctx = ctx;
    pctx.worlds = &qw;
    pctx.home = world;
    if (plainWorld != world) pctx.plainWorld = plainWorld;
    Value v = lowerExpr(*s.expr, pctx);
    if (v.error) return;
    // In a loop, a label reads the loop variables: `p[i] = ...` has indices, and an
    // expression's own text has the variables replaced by their values.
    std::string label = s.hasLabel ? s.label : substituteLocals(s.label, ctx.locals);
    for (const ast::ExprPtr& index : s.labelIndices) {
      auto k = silentConstInt(*index, ctx);
      if (!k) {
        ExprContext cctx;
        cctx.constReason = "an index of a prediction label";
        cctx.scopes = ctx.scopes;
        LocalsLoan loan(ctx, cctx);
        Value bad = lowerExpr(*index, cctx);
        if (requireConstant(bad, "an index of a prediction label", index->loc))
          diags_->report(DiagId::IndexNotInt, index->loc, {typeName(bad.type)});
        return;
      }
      label += "[" + std::to_string(*k) + "]";
    }
    // An array is reported per element, labelled `x[0]`, `x[1]`, ... (row-major).
    std::string key = worlds.empty() ? g.worldName(world) : worlds;
    for (size_t k = 0; k < v.size(); ++k) {
      std::string element = v.type.isArray() ? label + elementSuffix(v.type, k) : label;
      if (!labels.insert({element, key}).second) {
        diags_->report(DiagId::DuplicateLabel, s.hasLabel ? s.labelLoc : s.expr->loc, {element, key});
        return;
      }
      g.predictions.push_back(ir::Prediction{element, world, elementNode(v, k, pctx, s.expr->loc), s.expr->loc, worlds});
    }
  };

  // The statements in order; a `for` lowers its body once per iteration.
  std::function<void(const ast::QueryStmt&)> lowerStmt = [&](const ast::QueryStmt& s) {
    switch (s.kind) {
      case ast::QueryStmtKind::Observe: observe(s, 0); break;
      case ast::QueryStmtKind::Intervene:
        if (!qw.early.count(&s)) lowerIntervention(s, 0, qw, ctx.locals);
        break;
      case ast::QueryStmtKind::Do: lowerIntervention(s, 1, qw, ctx.locals); break;
      case ast::QueryStmtKind::Factor:
        // Evaluated with factual values, once (not again in a counterfactual world).
        if (s.expr) lowerFactor(*s.expr, s.loc, ctx);
        break;
      case ast::QueryStmtKind::Predict: predict(s); break;
      case ast::QueryStmtKind::World: {
        if (!ctx.locals.empty()) {
          diags_->report(DiagId::WorldInLoop, s.loc);
          break;
        }
        auto it = qw.blocks.find(&s);  // not there: a name already reported
        if (it != qw.blocks.end())
          for (const ast::QueryStmt& t : s.body) lowerWorldStmt(t, it->second);
        break;
      }
      case ast::QueryStmtKind::For: {
        bool tooLong = false;
        auto range = loopRange(*s.from, *s.to, s.loopVar, s.loopVarLoc, s.loc, ctx, &tooLong);
        if (!range) break;
        const int64_t enclosing = ctx.loopTrips;
        ctx.loopTrips = range->trips;
        for (int64_t i = range->from; i < range->to; ++i) {
          const size_t before = diags_->errorCount();
          ctx.locals.push_back({{s.loopVar, Value::scalar(Scalar::Int, ir::Word::ofInt(i))}});
          for (const ast::QueryStmt& t : s.body) lowerStmt(t);
          ctx.locals.pop_back();
          if (diags_->errorCount() > before) break;  // the other iterations would repeat it
        }
        ctx.loopTrips = enclosing;
        break;
      }
    }
  };
  for (const ast::QueryStmt& s : q.body) lowerStmt(s);
  if (diags_->errorCount() == errorsBefore) checkInterventionCycles(qw);  // on a well-formed query only
  const std::map<NodeId, SourceLoc>& intervenedFactual = qw.intervened[0];
  for (const auto& [key, loc] : observed) {
    const auto [w, node] = key;
    if (auto it = intervenedFactual.find(node); it != intervenedFactual.end() && w == 0)
      diags_->report(DiagId::ObserveAndIntervene, it->second, {g.nodes[node].name})
          .note(DiagId::NoteObservedHere, loc);
    // A world sets what its `do`s and the factual `intervene`s it keeps set: not evidence there.
    if (w == 0) continue;
    std::optional<SourceLoc> setAt;
    if (auto o = qw.intervened[w].find(node); o != qw.intervened[w].end()) setAt = o->second;
    else if (auto f = intervenedFactual.find(node); f != intervenedFactual.end()) setAt = f->second;
    if (setAt)
      diags_->report(DiagId::ObserveWhatWorldSets, loc, {g.nodes[node].name, g.worldName(w)})
          .note(DiagId::NoteSetHere, *setAt);
  }
  // Every element of a dirichlet site observed one by one is the same evidence as the array
  // (data.md §2): the same checks, at the first element's evidence.
  for (const std::string& d : lm.dirichlets) {
    auto fam = lm.top.families.find(d);
    if (fam == lm.top.families.end()) continue;
    std::map<uint32_t, std::vector<const ir::Evidence*>> byWorld;
    for (const auto& [i, id] : fam->second)
      for (const ir::Evidence& e : g.evidence)
        if (e.node == id) {
          auto& list = byWorld[e.world];
          list.resize(fam->second.size(), nullptr);
          if (size_t(i) < list.size()) list[size_t(i)] = &e;
        }
    for (const auto& [w, list] : byWorld) {
      if (wholeDirichlets.count({w, d}) || std::count(list.begin(), list.end(), nullptr)) continue;
      std::vector<ObservedElement> elements;
      for (const ir::Evidence* e : list)
        elements.push_back({e->isData(), e->isData() ? 0.0 : e->value.asReal(), e->dataSlot, e->dataType});
      const SourceLoc at = list[0]->loc;
      std::vector<NodeId> nodes;
      for (const auto& [i, id] : fam->second) nodes.push_back(id);
      if (checkDirichletObserved(d, elements, at, g) && w != 0) dirichletInWorld.push_back({d, w, at, nodes});
    }
  }
  // Its gammas would be partly redrawn there, so p == v would almost never hold (worlds.md §5's
  // constraint form); where the world shares p, the evidence is on the factual value.
  for (const WorldDirichlet& d : dirichletInWorld)
    if (recomputedInWorld(g, d.world, d.nodes))
      diags_->report(DiagId::DirichletObservedInWorld, d.loc, {d.name, g.worldName(d.world)});
  if (!hasPredict) diags_->report(DiagId::NoPrediction, q.loc, {q.name});
  return scratch.take(limits_.compactModelNodes);
}

}  // namespace mv::frontend
