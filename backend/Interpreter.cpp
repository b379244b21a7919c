// backend/Interpreter.cpp — the reference importance sampler over twin worlds (spec §7).
#include "backend/Interpreter.h"

#include "backend/RuntimeTable.h"
#include "ir/Semantics.h"

#include <cmath>
#include <limits>
#include <vector>

namespace mv::backend {

using ir::NodeId;
using ir::NodeKind;

Interpreter::Interpreter(const ir::QueryGraph& g)
    : g_(g), evidence_(g.nodes.size()), mustHold_(g.nodes.size(), 0) {
  for (const ir::Evidence& e : g.evidence)
    evidence_[e.node] = Check{true, e.value, e.invertedSite != ir::kNoNode};
  for (const ir::Constraint& c : g.constraints) mustHold_[c.cond] = 1;
  for (const ir::World& w : g.worlds) {
    intervened_.emplace_back(g.nodes.size(), 0);
    interventionValue_.emplace_back(g.nodes.size(), ir::Word{});
    for (const ir::Intervention& iv : w.interventions) {
      intervened_.back()[iv.node] = 1;
      interventionValue_.back()[iv.node] = iv.value;
    }
  }
}

int32_t Interpreter::sampleFn(void* ctx, uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight,
                              double* preds, mv_rt_error* err) {
  return static_cast<const Interpreter*>(ctx)->sample(seed, index, logWeight, fullLogWeight, preds, err);
}

int32_t Interpreter::sample(uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight, double* preds,
                            mv_rt_error* err) const {
  size_t n = g_.nodes.size();
  thread_local std::vector<ir::Word> scratch;
  scratch.assign(n * g_.worlds.size(), ir::Word{});
  ir::Word* factual = scratch.data();
  *logWeight = *fullLogWeight = 0;
  if (int32_t rc = factualPass(seed, index, factual, logWeight, fullLogWeight, err)) return rc;
  if (*fullLogWeight == -std::numeric_limits<double>::infinity()) {
    *logWeight = *fullLogWeight;
    for (size_t k = 0; k < g_.predictions.size(); ++k) preds[k] = 0;
    return 0;
  }
  for (size_t w = 1; w < g_.worlds.size(); ++w) {
    ir::Word* vals = scratch.data() + w * n;
    std::copy(factual, factual + n, vals);
    if (int32_t rc = counterfactualPass(w, seed, index, vals, err)) return rc;
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

int32_t Interpreter::factualPass(uint64_t seed, uint64_t index, ir::Word* vals, double* logWeight, double* full,
                                 mv_rt_error* err) const {
  const double negInf = -std::numeric_limits<double>::infinity();
  // Every factor goes into the full weight, in schedule order (as without pruning); the
  // estimate weight skips the separated ones. A failed check zeroes both.
  auto addFactor = [&](double term, bool separated) {
    *full += term;
    if (!separated) *logWeight += term;
  };
  const std::vector<char>& intervened = intervened_[0];
  double params[kMaxInlineParams];
  for (NodeId id : g_.worlds[0].schedule) {
    const ir::Node& n = g_.nodes[id];
    if (n.guard != ir::kNoNode && !vals[n.guard].asBool()) {
      vals[id] = ir::Word{};
      continue;
    }
    if (intervened[id]) {
      vals[id] = interventionValue_[0][id];
      continue;
    }
    if (n.kind == NodeKind::Site) {
      const ir::SiteInfo& s = n.site;
      std::vector<double> heap;
      double* p = paramBuffer(params, heap, n.operands.size());
      for (size_t k = 0; k < n.operands.size(); ++k) p[k] = asDouble(vals, n.operands[k]);
      const DistributionEntry& d = distributionEntry(s.dist);
      if (int32_t bad = d.check(p, s.numParams); bad >= 0)
        return domainError(err, id, bad, s.numParams, p, vals, index);
      const Check& ev = evidence_[id];
      double x = 0;
      if (ev.active) {
        x = ev.value.toDouble(n.type);
        addFactor(d.logpdf(x, p, s.numParams), s.separated);
      } else {
        switch (s.proposal) {
          case ir::ProposalKind::Prior: {
            mv_rt_stream st = mv_rt_stream_for(seed, index, s.ordinal, 0);
            x = d.draw(&st, p, s.numParams);
            break;
          }
          case ir::ProposalKind::Distribution: {
            const DistributionEntry& q = distributionEntry(s.proposalDist);
            const double* qp = p + s.numParams;
            if (int32_t bad = q.check(qp, s.numProposalParams); bad >= 0) {
              domainError(err, id, s.numParams + bad, s.numParams + s.numProposalParams, p, vals, index);
              err->param = s.proposalErrorParam(bad);  // the proposal's slot in the report
              return 1;
            }
            if (int32_t rc = checkCoverage(err, id, s, p, qp, index)) return rc;
            mv_rt_stream st = mv_rt_stream_for(seed, index, s.ordinal, 0);
            x = q.draw(&st, qp, s.numProposalParams);
            addFactor(d.logpdf(x, p, s.numParams) - q.logpdf(x, qp, s.numProposalParams), s.separated);
            break;
          }
          case ir::ProposalKind::Point:
            x = p[s.numParams];
            addFactor(d.logpdf(x, p, s.numParams) + s.logJacobian, s.separated);
            break;
        }
      }
      // Observed and point values are kept exactly (a count above 2^53 is not a double).
      if (ev.active) vals[id] = ev.value;
      else if (s.proposal == ir::ProposalKind::Point) vals[id] = vals[n.operands[s.numParams]];
      else vals[id] = ir::Word::fromDouble(n.type, x);
    } else {
      if (int32_t rc = evalNode(id, vals, index, err)) return rc;
      const Check& ev = evidence_[id];
      if (ev.active) {
        if (ev.inverted) vals[id] = ev.value;
        else if (!ir::sameValue(n.type, vals[id], ev.value)) *logWeight = *full = negInf;
      }
      if (mustHold_[id] && !vals[id].asBool()) *logWeight = *full = negInf;
    }
    if (std::isnan(*full)) {
      *err = mv_rt_error{MV_RT_NAN_WEIGHT, int32_t(id), -1, *full, index};
      return 1;
    }
    // Every draw has its own stream, so stopping early changes no other value.
    if (*full == negInf) return 0;
  }
  return 0;
}

int32_t Interpreter::counterfactualPass(size_t world, uint64_t seed, uint64_t index, ir::Word* vals,
                                        mv_rt_error* err) const {
  const std::vector<char>& intervened = intervened_[world];
  double params[kMaxInlineParams];
  for (NodeId id : g_.worlds[world].schedule) {
    const ir::Node& n = g_.nodes[id];
    if (intervened[id]) {
      vals[id] = interventionValue_[world][id];
      continue;
    }
    if (n.guard != ir::kNoNode && !vals[n.guard].asBool()) {
      vals[id] = ir::Word{};
      continue;
    }
    if (n.kind == NodeKind::Site) {
      // Downstream of a do: redrawn from the prior with its new parameters.
      const ir::SiteInfo& s = n.site;
      std::vector<double> heap;
      double* p = paramBuffer(params, heap, s.numParams);
      for (size_t k = 0; k < s.numParams; ++k) p[k] = asDouble(vals, n.operands[k]);
      const DistributionEntry& d = distributionEntry(s.dist);
      if (int32_t bad = d.check(p, s.numParams); bad >= 0)
        return domainError(err, id, bad, s.numParams, p, vals, index);
      mv_rt_stream st = mv_rt_stream_for(seed, index, s.ordinal, uint32_t(world));
      vals[id] = ir::Word::fromDouble(n.type, d.draw(&st, p, s.numParams));
    } else if (int32_t rc = evalNode(id, vals, index, err)) {
      return rc;
    }
  }
  return 0;
}

int32_t Interpreter::evalNode(NodeId id, ir::Word* vals, uint64_t index, mv_rt_error* err) const {
  const ir::Node& n = g_.nodes[id];
  auto in = [&](size_t k) { return vals[n.operands[k]]; };
  switch (n.kind) {
    case NodeKind::Const: vals[id] = n.constant; return 0;
    case NodeKind::Site: return 0;  // handled by the passes
    case NodeKind::Copy:
    case NodeKind::ToInt:
    case NodeKind::ToReal:
    case NodeKind::Neg:
    case NodeKind::Not: vals[id] = ir::evalUnary(n.kind, n.type, in(0)); return 0;
    case NodeKind::Mod:
      if (g_.nodes[n.operands[0]].type != ir::Scalar::Real && in(1).asInt() == 0) {
        *err = mv_rt_error{MV_RT_DIV_ZERO, int32_t(id), -1, 0, index};
        return 1;
      }
      [[fallthrough]];
    case NodeKind::Add:
    case NodeKind::Sub:
    case NodeKind::Mul:
    case NodeKind::Div:
    case NodeKind::Lt:
    case NodeKind::Le:
    case NodeKind::Gt:
    case NodeKind::Ge:
    case NodeKind::Eq:
    case NodeKind::Ne:
    case NodeKind::And:
    case NodeKind::Or:
      vals[id] = ir::evalBinary(n.kind, g_.nodes[n.operands[0]].type, in(0), in(1));
      return 0;
    case NodeKind::Select:
    case NodeKind::Merge: vals[id] = in(0).asBool() ? in(1) : in(2); return 0;
    case NodeKind::Call:
      vals[id] = ir::evalCall(n.builtin, n.type, g_.nodes[n.operands[0]].type, in(0),
                              n.operands.size() > 1 ? in(1) : ir::Word{});
      return 0;
    case NodeKind::IndexSelect: {
      int64_t k = in(0).asInt();
      size_t length = n.operands.size() - 1;
      if (!(k >= 0 && uint64_t(k) < length)) {
        *err = mv_rt_error{MV_RT_INDEX, int32_t(id), int32_t(length), 0, index};
        err->int_value = k;
        return 1;
      }
      vals[id] = in(1 + size_t(k));
      return 0;
    }
  }
  return 0;
}

}  // namespace mv::backend
