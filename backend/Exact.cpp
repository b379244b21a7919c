// backend/Exact.cpp — depth-first enumeration of site assignments with exact weights, over the evaluation plan.
#include "backend/Exact.h"

#include "backend/Interpreter.h"
#include "backend/RuntimeTable.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace mv::backend {

using ir::NodeId;
using ir::NodeKind;

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// Neumaier-compensated sum.
struct Sum {
  double s = 0, c = 0;
  void add(double x) {
    double t = s + x;
    c += std::fabs(s) >= std::fabs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  double value() const { return s + c; }
  void scale(double f) { s *= f, c *= f; }
};

using Step = ExactStep;

class Enumerator {
public:
  Enumerator(const ir::QueryGraph& g, const ExactOptions& o)
      : g_(g), opts_(o), interp_(g, o.data), plan_(interp_.plan().steps), n_(g.nodes.size()),
        vals_(n_ * g.worlds.size(), ir::Word{}), enumerated_(g.worlds.size(), std::vector<char>(n_, 0)),
        sumWF_(g.predictions.size()) {
    // The interpreter's plan, step for step (EnterWorld: no node).
    for (const ir::Step& s : plan_) {
      // World evidence may cut a branch (worlds.md §5); an ObserveIfKept step branches where
      // its world redraws the site.
      bool mayCut = s.kind == ir::StepKind::ObserveIfKept || s.kind == ir::StepKind::WorldObserve ||
                    s.kind == ir::StepKind::Check ||
                    (s.world > 0 && (s.evidence != ir::kNoEvidence || s.mustHold || s.kind == ir::StepKind::Factor));
      steps_.push_back(Step{s.world, s.node, mayCut});
      bool enumerates = s.kind == ir::StepKind::Draw || s.kind == ir::StepKind::Propose ||
                        s.kind == ir::StepKind::Redraw || s.kind == ir::StepKind::Stochastic ||
                        s.kind == ir::StepKind::ObserveIfKept;
      if (enumerates) enumerated_[s.world][s.node] = 1;
    }
  }

  /// The first site that would be enumerated but cannot be (continuous or unbounded).
  ExactResult checkSupports() const {
    ExactResult r;
    for (const Step& s : steps_) {
      if (s.node == ir::kNoNode || !branches(s.world, s.node)) continue;
      const ir::Node& n = g_.nodes[s.node];
      switch (stdlib::support(stdlib::distribution(n.site.dist).support).enumeration) {
        case stdlib::Enumeration::Finite: break;
        case stdlib::Enumeration::Unbounded: r.failure = ExactFailure::UnboundedSite; break;
        case stdlib::Enumeration::Continuous: r.failure = ExactFailure::ContinuousSite; break;
      }
      if (r.failure != ExactFailure::None) { r.site = s.node; return r; }
    }
    return r;
  }

  ExactResult run() {
    ExactResult r = checkSupports();
    if (r.failure != ExactFailure::None) return r;
    r.bounds = boundAssignments(g_, steps_, [this](uint32_t w, NodeId id) { return branches(w, id); },
                                opts_.maxAssignments);
    if (r.bounds.lower.over(opts_.maxAssignments)) {
      r.failure = ExactFailure::TooManyAssignments;
      r.counted = true;
      r.site = r.bounds.lowerPassesLimitAt;
      return r;
    }
    walk(0, 0.0);
    r.failure = failure_;
    r.site = failSite_;
    r.error = error_;
    r.assignment = assignment_;
    r.assignments = count_;
    r.nonzero = nonzero_;
    double total = sumW_.value();
    r.logEvidence = total > 0 ? std::log(total) + maxLog_ : kNegInf;
    // No evidence: P = 1 exactly (the sum of the assignments' probabilities rounds near it).
    if (total > 0 && g_.evidence.empty() && g_.constraints.empty() && !hasFactor()) r.logEvidence = 0;
    r.ess = total > 0 ? total * total / sumW2_.value() : 0;
    for (const Sum& s : sumWF_) r.means.push_back(total > 0 ? s.value() / total : std::nan(""));
    return r;
  }

private:
  /// Whether node `id` is a site enumerated in world `w`.
  /// (Its plan step draws it: from the prior, a user proposal — enumerated over the
  /// prior's support — or a counterfactual redraw.)
  bool branches(uint32_t w, NodeId id) const { return id != ir::kNoNode && enumerated_[w][id]; }

  /// Whether some step adds a factor to the weight (then P(evidence) is not 1).
  bool hasFactor() const {
    for (const ir::Step& s : plan_)
      if (s.kind == ir::StepKind::Factor) return true;
    return false;
  }

  bool fail(ExactFailure f, NodeId site) {
    failure_ = f;
    failSite_ = site;
    if (f == ExactFailure::Runtime)
      for (const Step& b : path_)
        assignment_.push_back({b.node, b.world, vals_[size_t(b.world) * n_ + b.node].toDouble(g_.nodes[b.node].type)});
    return false;
  }

  bool domainError(NodeId id, int32_t param, const double* p, const ir::Word* vals) {
    interp_.domainError(&error_, id, param, g_.nodes[id].site.numParams, p, vals, count_);
    return fail(ExactFailure::Runtime, id);
  }

  /// Ends one path of the enumeration; false when the limit is passed.
  bool cut() { return ++count_ <= opts_.maxAssignments || fail(ExactFailure::TooManyAssignments, lastBranch_); }

  bool leaf(double logW) {
    if (!cut()) return false;
    ++nonzero_;
    if (logW > maxLog_) {
      double f = std::exp(maxLog_ - logW);
      sumW_.scale(f), sumW2_.scale(f * f);
      for (Sum& s : sumWF_) s.scale(f);
      maxLog_ = logW;
    }
    double w = std::exp(logW - maxLog_);
    sumW_.add(w);
    sumW2_.add(w * w);
    for (size_t k = 0; k < g_.predictions.size(); ++k) {
      const ir::Prediction& p = g_.predictions[k];
      double f = interp_.asDouble(vals_.data() + p.world * n_, p.node);
      if (!std::isfinite(f)) {
        int32_t kind = std::isnan(f) ? MV_RT_NAN_PREDICTION : MV_RT_INF_PREDICTION;
        error_ = mv_rt_error{kind, -1, int32_t(k), f, count_ - 1};
        return fail(ExactFailure::Runtime, ir::kNoNode);
      }
      sumWF_[k].add(w * f);
    }
    return true;
  }

  /// Evaluates steps from `step` on; returns false to stop the whole enumeration.
  bool walk(size_t step, double logW) {
    double params[kMaxInlineParams];
    for (; step < plan_.size(); ++step) {
      const ir::Step& s = plan_[step];
      ir::Word* vals = vals_.data() + size_t(s.world) * n_;
      const NodeId id = s.node;
      if (s.guard != ir::kNoNode && !vals[s.guard].asBool()) {
        vals[id] = ir::Word{};
        continue;
      }
      const ir::Node* n = id != ir::kNoNode ? &g_.nodes[id] : nullptr;
      bool branch = branches(s.world, id), observed = s.kind == ir::StepKind::Observe;
      switch (s.kind) {
        case ir::StepKind::EnterWorld: std::copy(vals_.begin(), vals_.begin() + std::ptrdiff_t(n_), vals); continue;
        case ir::StepKind::Resume:
          for (NodeId k : interp_.plan().shared[s.world]) vals[k] = vals_[k];
          continue;
        case ir::StepKind::Check:
          if (!ir::sameValue(n->type, vals[id], interp_.observed(s.evidence))) return cut();
          continue;
        case ir::StepKind::ObserveIfKept:
          // Kept in its world: observed (worlds.md §5); else enumerated as a draw.
          if (ir::keepsFactualDraw(*n, vals_.data(), vals_.data() + size_t(s.from) * n_)) branch = false, observed = true;
          break;
        case ir::StepKind::WorldObserve:
          if (ir::keepsFactualDraw(*n, vals_.data(), vals)) {
            vals[id] = vals_[id];
            if (!ir::sameValue(n->type, vals[id], interp_.observed(s.evidence))) return cut();
            continue;
          }
          observed = true;  // the evidence's value, weight p(value) under the world's parameters
          break;
        case ir::StepKind::Set: vals[id] = vals[s.value]; continue;
        case ir::StepKind::Read: vals[id] = vals_[size_t(s.from) * n_ + s.value]; continue;
        case ir::StepKind::Evaluate:
          if (interp_.evalNode(id, vals, count_, &error_)) return fail(ExactFailure::Runtime, id);
          if (s.evidence != ir::kNoEvidence) {
            const ir::Word value = interp_.observed(s.evidence);
            if (g_.evidence[s.evidence].invertedSite != ir::kNoNode) vals[id] = value;
            else if (!ir::sameValue(n->type, vals[id], value)) return cut();
          }
          if (s.mustHold && !vals[id].asBool()) return cut();
          continue;
        case ir::StepKind::Redraw:
          // Consistency: no branching where the inputs are the factual ones.
          if (ir::keepsFactualDraw(*n, vals_.data(), vals)) {
            vals[id] = vals_[id];
            continue;
          }
          break;
        case ir::StepKind::Factor: {
          if (interp_.evalNode(id, vals, count_, &error_)) return fail(ExactFailure::Runtime, id);
          const double term = vals[id].asReal();
          if (Interpreter::factorError(id, term, count_, &error_)) return fail(ExactFailure::Runtime, id);
          logW += term;
          if (std::isnan(logW)) {
            error_ = mv_rt_error{MV_RT_NAN_WEIGHT, int32_t(id), -1, logW, count_};
            return fail(ExactFailure::Runtime, id);
          }
          if (logW == kNegInf) return cut();
          continue;
        }
        case ir::StepKind::Observe:
        case ir::StepKind::PointPropose:
        case ir::StepKind::Draw:
        case ir::StepKind::Propose:
        case ir::StepKind::Stochastic: break;
      }
      const ir::SiteInfo& site = n->site;
      size_t numOps = s.world == 0 ? n->operands.size() : site.numParams;
      std::vector<double> heap;
      double* p = paramBuffer(params, heap, numOps);
      for (size_t k = 0; k < numOps; ++k) p[k] = interp_.asDouble(vals, n->operands[k]);
      const DistributionEntry& d = distributionEntry(site.dist);
      if (int32_t bad = d.check(p, site.numParams); bad >= 0) return domainError(id, bad, p, vals);
      if (!branch) {
        // Observed or point-proposed: the exact value, and the density at its double.
        ir::Word w = observed ? interp_.observed(s.evidence) : vals[n->operands[site.numParams]];
        double x = observed ? w.toDouble(n->type) : p[site.numParams];
        logW += (observed || !site.weighedElsewhere ? d.logpdf(x, p, site.numParams) : 0) +
                (observed ? 0 : site.logJacobian);
        vals[id] = w;
        if (std::isnan(logW)) {
          error_ = mv_rt_error{MV_RT_NAN_WEIGHT, int32_t(id), -1, logW, count_};
          return fail(ExactFailure::Runtime, id);
        }
        if (logW == kNegInf) return cut();
        continue;
      }
      const auto [first, last] = stdlib::enumerationRange(site.dist, p, site.numParams);
      NodeId saved = lastBranch_;
      lastBranch_ = id;
      path_.push_back(steps_[step]);
      for (double x = first; x <= last; ++x) {
        double lp = d.logpdf(x, p, site.numParams);
        if (lp == kNegInf) continue;  // probability zero: no assignment
        vals[id] = ir::Word::fromDouble(n->type, x);
        if (!walk(step + 1, logW + lp)) return false;
      }
      path_.pop_back();
      lastBranch_ = saved;
      return true;
    }
    return leaf(logW);
  }

  const ir::QueryGraph& g_;
  ExactOptions opts_;
  Interpreter interp_;
  const std::vector<ir::Step>& plan_;           ///< the interpreter's evaluation plan
  size_t n_;
  std::vector<ir::Word> vals_;  ///< per world, per node
  std::vector<std::vector<char>> enumerated_;   ///< per world, per node: its step draws it
  std::vector<Step> steps_;                     ///< plan_'s (world, node), for the counter
  ExactFailure failure_ = ExactFailure::None;
  NodeId failSite_ = ir::kNoNode, lastBranch_ = ir::kNoNode;
  mv_rt_error error_{};
  std::vector<Step> path_;                      ///< the sites being enumerated, outermost first
  std::vector<ExactAssignment> assignment_;     ///< path_'s values at a run-time failure
  uint64_t count_ = 0, nonzero_ = 0;
  double maxLog_ = kNegInf;
  Sum sumW_, sumW2_;
  std::vector<Sum> sumWF_;
};

}  // namespace

ExactResult runExact(const ir::QueryGraph& g, const ExactOptions& options) {
  auto start = std::chrono::steady_clock::now();
  ExactResult r = Enumerator(g, options).run();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace mv::backend
