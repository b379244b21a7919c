// backend/Exact.cpp — depth-first enumeration of site assignments with exact weights.
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

bool isReal(const ir::Node& n) { return stdlib::distribution(n.site.dist).valueType == ir::Scalar::Real; }

class Enumerator {
public:
  Enumerator(const ir::QueryGraph& g, const ExactOptions& o)
      : g_(g), opts_(o), interp_(g), n_(g.nodes.size()), vals_(n_ * g.worlds.size(), ir::Word{}),
        observed_(n_, 0), observedValue_(n_, ir::Word{}), inverted_(n_, 0), mustHold_(n_, 0),
        sumWF_(g.predictions.size()) {
    for (const ir::Evidence& e : g.evidence) {
      observed_[e.node] = 1;
      observedValue_[e.node] = e.value;
      inverted_[e.node] = e.invertedSite != ir::kNoNode;
    }
    for (const ir::Constraint& c : g.constraints) mustHold_[c.cond] = 1;
    for (const ir::World& w : g.worlds) {
      setBy_.emplace_back(n_, 0);
      setValue_.emplace_back(n_, ir::Word{});
      for (const ir::Intervention& iv : w.interventions) setBy_.back()[iv.node] = 1, setValue_.back()[iv.node] = iv.value;
    }
    for (uint32_t w = 0; w < g.worlds.size(); ++w) {
      if (w > 0) steps_.push_back(Step{w, ir::kNoNode});
      for (NodeId id : g.worlds[w].schedule) steps_.push_back(Step{w, id});
    }
  }

  /// The first site that would be enumerated but cannot be (continuous or unbounded).
  ExactResult checkSupports() const {
    ExactResult r;
    for (const Step& s : steps_) {
      if (s.node == ir::kNoNode || !branches(s.world, s.node)) continue;
      const ir::Node& n = g_.nodes[s.node];
      stdlib::SupportKind k = stdlib::distribution(n.site.dist).support;
      if (isReal(n)) r.failure = ExactFailure::ContinuousSite;
      else if (k == stdlib::SupportKind::NonNegativeInt) r.failure = ExactFailure::UnboundedSite;
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
    if (total > 0 && g_.evidence.empty() && g_.constraints.empty()) r.logEvidence = 0;
    r.ess = total > 0 ? total * total / sumW2_.value() : 0;
    for (const Sum& s : sumWF_) r.means.push_back(total > 0 ? s.value() / total : std::nan(""));
    return r;
  }

private:
  /// Whether node `id` is a site enumerated in world `w`.
  bool branches(uint32_t w, NodeId id) const {
    const ir::Node& n = g_.nodes[id];
    if (n.kind != NodeKind::Site || setBy_[w][id]) return false;
    if (w > 0) return true;  // a counterfactual redraw from the prior
    return !observed_[id] && n.site.proposal != ir::ProposalKind::Point;
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
    for (; step < steps_.size(); ++step) {
      const Step s = steps_[step];
      ir::Word* vals = vals_.data() + size_t(s.world) * n_;
      if (s.node == ir::kNoNode) {
        std::copy(vals_.begin(), vals_.begin() + std::ptrdiff_t(n_), vals);
        continue;
      }
      NodeId id = s.node;
      const ir::Node& n = g_.nodes[id];
      bool guardOff = n.guard != ir::kNoNode && !vals[n.guard].asBool();
      // The factual world checks the guard first; a counterfactual `do` wins over it.
      if (s.world == 0 ? guardOff : (!setBy_[s.world][id] && guardOff)) { vals[id] = ir::Word{}; continue; }
      if (setBy_[s.world][id]) { vals[id] = setValue_[s.world][id]; continue; }
      if (n.kind != NodeKind::Site) {
        if (interp_.evalNode(id, vals, count_, &error_)) return fail(ExactFailure::Runtime, id);
        if (s.world == 0 && observed_[id]) {
          if (inverted_[id]) vals[id] = observedValue_[id];
          else if (!ir::sameValue(n.type, vals[id], observedValue_[id])) return cut();
        }
        if (s.world == 0 && mustHold_[id] && !vals[id].asBool()) return cut();
        continue;
      }
      const ir::SiteInfo& site = n.site;
      size_t numOps = s.world == 0 ? n.operands.size() : site.numParams;
      std::vector<double> heap;
      double* p = paramBuffer(params, heap, numOps);
      for (size_t k = 0; k < numOps; ++k) p[k] = interp_.asDouble(vals, n.operands[k]);
      const DistributionEntry& d = distributionEntry(site.dist);
      if (int32_t bad = d.check(p, site.numParams); bad >= 0) return domainError(id, bad, p, vals);
      if (!branches(s.world, id)) {
        // Observed or point-proposed: the exact value, and the density at its double.
        ir::Word w = observed_[id] ? observedValue_[id] : vals[n.operands[site.numParams]];
        double x = observed_[id] ? w.toDouble(n.type) : p[site.numParams];
        logW += d.logpdf(x, p, site.numParams) + (observed_[id] ? 0 : site.logJacobian);
        vals[id] = w;
        if (std::isnan(logW)) {
          error_ = mv_rt_error{MV_RT_NAN_WEIGHT, int32_t(id), -1, logW, count_};
          return fail(ExactFailure::Runtime, id);
        }
        if (logW == kNegInf) return cut();
        continue;
      }
      double last = site.dist == stdlib::Distribution::Bernoulli ? 1
                    : site.dist == stdlib::Distribution::Binomial ? p[0]
                                                                  : double(site.numParams) - 1;
      NodeId saved = lastBranch_;
      lastBranch_ = id;
      path_.push_back(s);
      for (double x = 0; x <= last; ++x) {
        double lp = d.logpdf(x, p, site.numParams);
        if (lp == kNegInf) continue;  // probability zero: no assignment
        vals[id] = ir::Word::fromDouble(n.type, x);
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
  size_t n_;
  std::vector<ir::Word> vals_;  ///< per world, per node
  std::vector<char> observed_;
  std::vector<ir::Word> observedValue_;
  std::vector<char> inverted_, mustHold_;
  std::vector<std::vector<char>> setBy_;        ///< per world: set by an intervention
  std::vector<std::vector<ir::Word>> setValue_;
  std::vector<Step> steps_;
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
