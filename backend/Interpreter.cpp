// backend/Interpreter.cpp — the reference importance sampler: walks the evaluation plan (ir/Plan.h, spec §7).
#include "backend/Interpreter.h"

#include "backend/RuntimeTable.h"
#include "ir/Semantics.h"
#include "runtime/Stream.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace mv::backend {

using ir::NodeId;
using ir::NodeKind;

Interpreter::Interpreter(const ir::QueryGraph& g, const uint64_t* data)
    : g_(g), data_(data), plan_(ir::buildPlan(g)) {
  for (const ir::Node& n : g.nodes)
    if (n.kind == NodeKind::Site) numOrdinals_ = std::max<size_t>(numOrdinals_, size_t(n.site.ordinal) + 1);
  siteKeys_.resize(numOrdinals_ * g.worlds.size());
  for (size_t w = 0; w < g.worlds.size(); ++w)
    for (size_t k = 0; k < numOrdinals_; ++k) siteKeys_[w * numOrdinals_ + k] = mv_rt_site_key(uint32_t(k), uint32_t(w));
}

int32_t Interpreter::sampleFn(void* ctx, uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight,
                              double* preds, mv_rt_error* err) {
  return static_cast<const Interpreter*>(ctx)->sample(seed, index, logWeight, fullLogWeight, preds, err);
}

int32_t Interpreter::sample(uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight, double* preds,
                            mv_rt_error* err) const {
  const double negInf = -std::numeric_limits<double>::infinity();
  size_t n = g_.nodes.size();
  thread_local std::vector<ir::Word> scratch;
  scratch.assign(n * g_.worlds.size(), ir::Word{});
  // The streams' keys (runtime/Stream.h): the seed's once per run (per thread), the
  // sample's once per sample; each site then adds its own key (siteKeys_).
  thread_local uint64_t lastSeed = 0, seedKey = mv_rt_seed_key(0);
  if (seed != lastSeed) seedKey = mv_rt_seed_key(lastSeed = seed);
  const uint64_t key = mv_rt_sample_key(seedKey, index);
  ir::Word* factual = scratch.data();
  *logWeight = *fullLogWeight = 0;
  for (const ir::Step& s : plan_.steps) {
    ir::Word* vals = scratch.data() + size_t(s.world) * n;
    const NodeId id = s.node;
    if (s.guard != ir::kNoNode && !vals[s.guard].asBool()) {
      vals[id] = ir::Word{};
      continue;
    }
    switch (s.kind) {
      case ir::StepKind::EnterWorld: std::copy(factual, factual + n, vals); continue;
      case ir::StepKind::Resume:
        for (NodeId k : plan_.shared[s.world]) vals[k] = factual[k];
        continue;
      case ir::StepKind::Set: vals[id] = vals[s.value]; continue;  // a counterfactual world: the factual value
      case ir::StepKind::Read: vals[id] = scratch[size_t(s.from) * n + s.value]; continue;
      case ir::StepKind::Stochastic:
        if (int32_t rc = drawInWorld(s, key, index, vals, err)) return rc;
        break;
      case ir::StepKind::Evaluate: {
        if (int32_t rc = evalNode(id, vals, index, err)) return rc;
        if (s.evidence != ir::kNoEvidence) {
          const ir::Word value = observed(s.evidence);
          if (g_.evidence[s.evidence].invertedSite != ir::kNoNode) vals[id] = value;
          else if (!ir::sameValue(g_.nodes[id].type, vals[id], value)) *logWeight = *fullLogWeight = negInf;
        }
        if (s.mustHold && !vals[id].asBool()) *logWeight = *fullLogWeight = negInf;
        break;
      }
      case ir::StepKind::Draw:
      case ir::StepKind::Propose:
      case ir::StepKind::PointPropose:
      case ir::StepKind::Observe:
        if (int32_t rc = factualSite(s, key, index, vals, logWeight, fullLogWeight, err)) return rc;
        break;
      case ir::StepKind::Redraw:
        if (ir::keepsFactualDraw(g_.nodes[id], factual, vals)) vals[id] = factual[id];  // consistency
        else if (int32_t rc = drawInWorld(s, key, index, vals, err)) return rc;
        break;
      case ir::StepKind::ObserveIfKept: {
        // worlds.md §5: where world `from` keeps the draw, the evidence holds for the factual value.
        ir::Step own = s;
        const bool kept = ir::keepsFactualDraw(g_.nodes[id], factual, scratch.data() + size_t(s.from) * n);
        own.kind = kept ? ir::StepKind::Observe : ir::factualSiteStep(g_.nodes[id]);
        if (int32_t rc = factualSite(own, key, index, vals, logWeight, fullLogWeight, err)) return rc;
        break;
      }
      case ir::StepKind::WorldObserve:
        if (int32_t rc = observeInWorld(s, factual, vals, logWeight, fullLogWeight, index, err)) return rc;
        break;
      case ir::StepKind::Check:
        if (!ir::sameValue(g_.nodes[id].type, vals[id], observed(s.evidence)))
          *logWeight = *fullLogWeight = negInf;
        break;
      case ir::StepKind::Factor: {
        if (int32_t rc = evalNode(id, vals, index, err)) return rc;
        const double term = vals[id].asReal();
        if (int32_t rc = factorError(id, term, index, err)) return rc;
        *logWeight += term;
        *fullLogWeight += term;
        break;
      }
    }
    if (!s.checksWeight) continue;
    if (std::isnan(*fullLogWeight)) {
      *err = mv_rt_error{MV_RT_NAN_WEIGHT, int32_t(id), -1, *fullLogWeight, index};
      return 1;
    }
    // Every draw has its own stream, so stopping early changes no other value.
    if (*fullLogWeight == negInf) {
      *logWeight = *fullLogWeight;
      for (size_t k = 0; k < g_.predictions.size(); ++k) preds[k] = 0;
      return 0;
    }
  }
  for (size_t k = 0; k < g_.predictions.size(); ++k) {
    const ir::Prediction& p = g_.predictions[k];
    preds[k] = asDouble(scratch.data() + p.world * n, p.node);
  }
  return 0;
}

int32_t Interpreter::domainError(mv_rt_error* err, NodeId id, int32_t param, int32_t end, const double* p,
                                 const ir::Word* vals, uint64_t index) const {
  const ir::Node& n = g_.nodes[id];
  const bool operand = param < end;
  *err = mv_rt_error{MV_RT_DOMAIN, int32_t(id), param, operand ? p[param] : 0, index};
  if (operand && g_.nodes[n.operands[size_t(param)]].type != ir::Scalar::Real)
    err->int_value = vals[n.operands[size_t(param)]].asInt();
  return 1;
}

int32_t Interpreter::factorError(NodeId id, double term, uint64_t index, mv_rt_error* err) {
  // -inf is a zero weight (the sample ends); NaN or +inf would poison every estimate.
  if (!std::isnan(term) && term != std::numeric_limits<double>::infinity()) return 0;
  *err = mv_rt_error{MV_RT_FACTOR, int32_t(id), std::isnan(term) ? 0 : 1, term, index};
  return 1;
}

namespace {

/// A user proposal that never draws a value the distribution can take biases the estimate
/// (runtime/Coverage.h): fails the sample with MV_RT_PROPOSAL_SUPPORT and that value.
int32_t checkCoverage(mv_rt_error* err, NodeId id, const ir::SiteInfo& s, const double* p, const double* qp,
                      uint64_t index) {
  double missed = 0;
  if (s.conditionalProposal) return 0;
  if (mv_rt_covers(distributionEntry(s.dist).family, p, s.numParams, distributionEntry(s.proposalDist).family, qp,
                   s.numProposalParams, &missed))
    return 0;
  *err = mv_rt_error{MV_RT_PROPOSAL_SUPPORT, int32_t(id), -1, missed, index};
  return 1;
}

}  // namespace

int32_t Interpreter::factualSite(const ir::Step& step, uint64_t key, uint64_t index, ir::Word* vals,
                                 double* logWeight, double* full, mv_rt_error* err) const {
  // Every factor goes into the full weight, in plan order (as without pruning); the
  // estimate weight skips the separated ones. A failed check zeroes both.
  auto addFactor = [&](double term, bool separated) {
    *full += term;
    if (!separated) *logWeight += term;
  };
  const NodeId id = step.node;
  const ir::Node& n = g_.nodes[id];
  const ir::SiteInfo& s = n.site;
  double params[kMaxInlineParams];
  std::vector<double> heap;
  double* p = paramBuffer(params, heap, n.operands.size());
  if (int32_t rc = siteParameters(id, n.operands.size(), vals, p, index, err)) return rc;
  const DistributionEntry& d = distributionEntry(s.dist);
  switch (step.kind) {
    case ir::StepKind::Observe: {
      // Observed values are kept exactly (a count above 2^53 is not a double).
      const ir::Word value = observed(step.evidence);
      addFactor(d.logpdf(value.toDouble(n.type), p, s.numParams), s.separated);
      vals[id] = value;
      return 0;
    }
    case ir::StepKind::Draw: {
      mv_rt_stream st{mv_rt_stream_state(key, siteKey(s.ordinal, 0))};
      vals[id] = ir::Word::fromDouble(n.type, d.draw(&st, p, s.numParams));
      return 0;
    }
    case ir::StepKind::Propose: {
      const DistributionEntry& q = distributionEntry(s.proposalDist);
      const double* qp = p + s.numParams;
      if (int32_t bad = q.check(qp, s.numProposalParams); bad >= 0) {
        domainError(err, id, s.numParams + bad, s.numParams + s.numProposalParams, p, vals, index);
        err->param = s.proposalErrorParam(bad);  // the proposal's slot in the report
        return 1;
      }
      if (int32_t rc = checkCoverage(err, id, s, p, qp, index)) return rc;
      mv_rt_stream st{mv_rt_stream_state(key, siteKey(s.ordinal, 0))};
      double x = q.draw(&st, qp, s.numProposalParams);
      addFactor(d.logpdf(x, p, s.numParams) - q.logpdf(x, qp, s.numProposalParams), s.separated);
      vals[id] = ir::Word::fromDouble(n.type, x);
      return 0;
    }
    case ir::StepKind::PointPropose:
      // The point value is kept exactly, as observed values are.
      addFactor((s.weighedElsewhere ? 0.0 : d.logpdf(p[s.numParams], p, s.numParams)) + s.logJacobian, s.separated);
      vals[id] = vals[n.operands[s.numParams]];
      return 0;
    case ir::StepKind::EnterWorld:
    case ir::StepKind::Resume:
    case ir::StepKind::ObserveIfKept:
    case ir::StepKind::WorldObserve:
    case ir::StepKind::Check:
    case ir::StepKind::Set:
    case ir::StepKind::Evaluate:
    case ir::StepKind::Factor:
    case ir::StepKind::Read:
    case ir::StepKind::Stochastic:
    case ir::StepKind::Redraw: break;  // not factual site steps
  }
  return 0;
}

int32_t Interpreter::siteParameters(NodeId id, size_t count, const ir::Word* vals, double* p, uint64_t index,
                                    mv_rt_error* err) const {
  const ir::Node& n = g_.nodes[id];
  for (size_t k = 0; k < count; ++k) p[k] = asDouble(vals, n.operands[k]);
  const DistributionEntry& d = distributionEntry(n.site.dist);
  if (int32_t bad = d.check(p, n.site.numParams); bad >= 0)
    return domainError(err, id, bad, n.site.numParams, p, vals, index);
  return 0;
}

int32_t Interpreter::drawInWorld(const ir::Step& step, uint64_t key, uint64_t index, ir::Word* vals,
                                 mv_rt_error* err) const {
  // A Redraw (downstream of a do, its inputs changed: its prior with its new parameters) or a
  // Stochastic step (a stochastic do's own distribution): drawn with the world's stream.
  const NodeId id = step.node;
  const ir::Node& n = g_.nodes[id];
  const ir::SiteInfo& s = n.site;
  double params[kMaxInlineParams];
  std::vector<double> heap;
  double* p = paramBuffer(params, heap, s.numParams);
  if (int32_t rc = siteParameters(id, s.numParams, vals, p, index, err)) return rc;
  const DistributionEntry& d = distributionEntry(s.dist);
  mv_rt_stream st{mv_rt_stream_state(key, siteKey(s.ordinal, step.world))};
  vals[id] = ir::Word::fromDouble(n.type, d.draw(&st, p, s.numParams));
  return 0;
}

int32_t Interpreter::observeInWorld(const ir::Step& step, const ir::Word* factual, ir::Word* vals,
                                    double* logWeight, double* full, uint64_t index, mv_rt_error* err) const {
  // worlds.md §5: kept, the factual value (which must be the evidence's); redrawn, the
  // evidence's value with its probability under the world's parameters.
  const NodeId id = step.node;
  const ir::Node& n = g_.nodes[id];
  const ir::Word value = observed(step.evidence);
  if (ir::keepsFactualDraw(n, factual, vals)) {
    vals[id] = factual[id];
    if (!ir::sameValue(n.type, factual[id], value)) *logWeight = *full = -std::numeric_limits<double>::infinity();
    return 0;
  }
  const ir::SiteInfo& s = n.site;
  double params[kMaxInlineParams];
  std::vector<double> heap;
  double* p = paramBuffer(params, heap, s.numParams);
  if (int32_t rc = siteParameters(id, s.numParams, vals, p, index, err)) return rc;
  const DistributionEntry& d = distributionEntry(s.dist);
  const double term = d.logpdf(value.toDouble(n.type), p, s.numParams);
  *logWeight += term;
  *full += term;
  vals[id] = value;
  return 0;
}

int32_t Interpreter::evalNode(NodeId id, ir::Word* vals, uint64_t index, mv_rt_error* err) const {
  const ir::Node& n = g_.nodes[id];
  auto in = [&](size_t k) { return vals[n.operands[k]]; };
  switch (n.kind) {
    case NodeKind::Site: return 0;  // handled by the passes
    case NodeKind::Read: return 0;  // a Read step: another world's values
    case NodeKind::Data: vals[id] = ir::Word{data_[n.dataIndex]}; return 0;
    case NodeKind::Mod:
      if (g_.nodes[n.operands[0]].type != ir::Scalar::Real && in(1).asInt() == 0) {
        *err = mv_rt_error{MV_RT_DIV_ZERO, int32_t(id), -1, 0, index};
        return 1;
      }
      break;
    case NodeKind::IndexSelect: {
      int64_t k = in(0).asInt();
      size_t length = n.operands.size() - 1;
      if (!(k >= 0 && uint64_t(k) < length)) {
        *err = mv_rt_error{MV_RT_INDEX, int32_t(id), int32_t(length), 0, index};
        err->int_value = k;
        return 1;
      }
      break;
    }
    // The value of every other kind, in one place (ir::evalPure; the boolean-table pass too).
    case NodeKind::Const: case NodeKind::Copy: case NodeKind::Factor: case NodeKind::ToInt: case NodeKind::ToReal:
    case NodeKind::Neg: case NodeKind::Not: case NodeKind::Add: case NodeKind::Sub: case NodeKind::Mul:
    case NodeKind::Div: case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge:
    case NodeKind::Eq: case NodeKind::Ne: case NodeKind::And: case NodeKind::Or: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::Table: break;
  }
  vals[id] = ir::evalPure(g_, id, vals);
  return 0;
}

}  // namespace mv::backend
