// frontend/LowerQuery.cpp — queries: evidence, constraints, interventions per world, predictions.
#include "frontend/Lowerer.h"

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

/// Whether `v` can be a value of site `n` (its distribution's support), when that is known.
std::optional<std::string> outsideSupport(const ir::QueryGraph& g, const ir::Node& n, ir::Word w) {
  if (n.kind != NodeKind::Site) return std::nullopt;
  auto knownParam = [&](size_t i) -> std::optional<ir::Word> {
    const ir::Node& p = g.nodes[n.operands[i]];
    if (p.kind == NodeKind::Const) return p.constant;
    return std::nullopt;
  };
  const int64_t k = w.asInt();     // the int sites
  const double v = w.toDouble(n.type);  // the real ones
  switch (stdlib::distribution(n.site.dist).support) {
    case stdlib::SupportKind::Bool:
    case stdlib::SupportKind::RealLine: return std::nullopt;
    case stdlib::SupportKind::IntBelowLength:
      if (k < 0 || k >= n.site.numParams) return "int in [0, " + std::to_string(n.site.numParams) + ")";
      return std::nullopt;
    case stdlib::SupportKind::IntUpToN: {
      auto nn = knownParam(0);
      if (k < 0 || (nn && k > nn->asInt())) return nn ? "int in [0, " + valueText(*nn, Scalar::Int) + "]" : "int >= 0";
      return std::nullopt;
    }
    case stdlib::SupportKind::NonNegativeInt:
      if (k < 0) return "int >= 0";
      return std::nullopt;
    case stdlib::SupportKind::RealInterval: {
      auto a = knownParam(0), b = knownParam(1);
      if ((a && v < a->asReal()) || (b && v >= b->asReal())) return "real in [a, b)";
      return std::nullopt;
    }
    case stdlib::SupportKind::PositiveReal:
      if (v < 0 || (v == 0 && n.site.dist != stdlib::Distribution::Exponential)) return "real > 0";
      return std::nullopt;
    case stdlib::SupportKind::UnitInterval:
      if (v <= 0 || v >= 1) return "real in (0, 1)";
      return std::nullopt;
  }
  return std::nullopt;
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
  ir::QueryGraph g = lm.graph;
  g.name = q.name;
  g.model = q.model;
  g.loc = q.loc;
  auto cache = lm.constCache;
  ExprContext ctx;
  ctx.graph = &g;
  ctx.scopes = {&lm.top};
  ctx.model = &lm;
  ctx.constCache = &cache;
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
  declareWorlds(q, qw);
  const bool hasDo = qw.hasTopDo;
  g.kind = hasDo || hasWorlds ? ir::QueryKind::Counterfactual
                              : hasIntervene ? ir::QueryKind::Interventional : ir::QueryKind::Observational;

  std::map<NodeId, SourceLoc> observed;
  std::set<std::pair<std::string, std::string>> labels;  // a label is unique within its world(s)

  // A compile-time value for node `node`, or nothing (errors reported).
  auto compileTimeValue = [&](const ast::Expr& e, NodeId node, const std::string& name,
                              const char* what) -> std::optional<ir::Word> {
    ExprContext cctx;
    cctx.constReason = what;
    cctx.scopes = ctx.scopes;
    Value v;
    {
      LocalsLoan loan(ctx, cctx);  // the query's loop variables
      v = lowerExpr(e, cctx);
    }
    if (!requireConstant(v, what, e.loc)) return std::nullopt;
    Scalar t = g.nodes[node].type;
    if (!promotes(v.type, Type{t, -1})) {
      diags_->report(DiagId::ValueType, e.loc, {name, ir::scalarName(t), typeName(v.type)});
      return std::nullopt;
    }
    return ir::convertWord(v.type.scalar, t, v.constants[0]);
  };

  // Evidence on a merged name also holds on whichever branch's definition is active.
  std::function<void(NodeId, ir::Word, SourceLoc)> addEvidence = [&](NodeId id, ir::Word v, SourceLoc loc) {
    g.evidence.push_back(ir::Evidence{id, v, loc});
    if (g.nodes[id].kind == NodeKind::Merge) {
      addEvidence(g.nodes[id].operands[1], v, loc);
      addEvidence(g.nodes[id].operands[2], v, loc);
    }
  };

  // One piece of evidence: `name`'s node takes value `v` (checked against its support).
  auto observeOne = [&](NodeId node, const std::string& name, ir::Word v, SourceLoc nameLoc, SourceLoc valueLoc) {
    if (auto support = outsideSupport(g, g.nodes[node], v)) {
      diags_->report(DiagId::ValueOutsideSupport, valueLoc, {valueText(v, g.nodes[node].type), name, *support});
      return;
    }
    if (auto [it, fresh] = observed.emplace(node, nameLoc); !fresh) {
      diags_->report(DiagId::DuplicateObserve, nameLoc, {name}).note(DiagId::NoteObservedHere, it->second);
      return;
    }
    addEvidence(node, v, nameLoc);
  };

  auto tryEvidence = [&](const ast::Expr& e) -> bool {
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
    std::optional<ir::Word> v = implied ? implied : compileTimeValue(*valueExpr, node, name, "an observed value");
    if (v) observeOne(node, name, *v, nameExpr->loc, valueExpr ? valueExpr->loc : nameExpr->loc);
    return true;
  };

  // `observe y == Y` for a family y (loop-defined, or a table-valued node; rows too) and an
  // array Y of y's shape: one piece of evidence per element, each as if written alone.
  auto tryArrayEvidence = [&](const ast::Expr& e) -> bool {
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
      for (size_t k = 0; k < family.size(); ++k) {
        ir::Word w = ir::convertWord(value->type.scalar, family.type.scalar, value->constants[k]);
        observeOne(family.nodes[k], *name + elementSuffix(family.type, k), w, nameExpr.loc, valueExpr.loc);
      }
      return true;
    }
    return false;
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
      case ast::QueryStmtKind::Observe: {
        if (!s.expr || tryArrayEvidence(*s.expr) || tryEvidence(*s.expr)) break;
        ExprContext octx = ctx;
        Value c = lowerExpr(*s.expr, octx);
        if (c.error) break;
        if (c.type != Type{Scalar::Bool, -1}) {
          diags_->report(DiagId::ConditionNotBool, s.expr->loc, {typeName(c.type)});
          break;
        }
        g.constraints.push_back(ir::Constraint{elementNode(c, 0, ctx, s.expr->loc), s.expr->loc});
        break;
      }
      case ast::QueryStmtKind::Intervene:
      case ast::QueryStmtKind::Do:
        lowerIntervention(s, s.kind == ast::QueryStmtKind::Do ? 1 : 0, qw, ctx.locals);
        break;
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
        for (const ast::QueryStmt& t : s.body) {
          switch (t.kind) {
            case ast::QueryStmtKind::Do:
              if (it != qw.blocks.end()) lowerIntervention(t, it->second, qw);
              break;
            case ast::QueryStmtKind::Observe:
              diags_->report(DiagId::StatementInWorld, t.loc, {"observe"});
              break;
            case ast::QueryStmtKind::Intervene:
              diags_->report(DiagId::StatementInWorld, t.loc, {"intervene"});
              break;
            case ast::QueryStmtKind::Predict:
              diags_->report(DiagId::StatementInWorld, t.loc, {"predict"});
              break;
            case ast::QueryStmtKind::World:
              diags_->report(DiagId::StatementInWorld, t.loc, {"world"});
              break;
            case ast::QueryStmtKind::Factor:
              diags_->report(DiagId::StatementInWorld, t.loc, {"factor"});
              break;
            case ast::QueryStmtKind::For:
              diags_->report(DiagId::StatementInWorld, t.loc, {"for"});
              break;
          }
        }
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
  for (const auto& [node, loc] : observed)
    if (auto it = intervenedFactual.find(node); it != intervenedFactual.end())
      diags_->report(DiagId::ObserveAndIntervene, it->second, {g.nodes[node].name})
          .note(DiagId::NoteObservedHere, loc);
  if (!hasPredict) diags_->report(DiagId::NoPrediction, q.loc, {q.name});
  tooLarge_.erase(&g);  // the next query's graph may live at the same address
  return g;
}

}  // namespace mv::frontend
