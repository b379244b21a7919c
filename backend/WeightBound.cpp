// backend/WeightBound.cpp — bounds a query's log weights from the values its evidence's probabilities can take.
//
// What: for each step of the evaluation plan (ir::buildPlan), the range of the term it adds
// to a sample's log weight; the sample's log weight is their sum, so its range is the sum of
// the ranges (lower ends and upper ends added). A term that is -inf makes the weight zero,
// and zero weights are outside the bound's scope (they add nothing to any sum), so a step's
// range is over its finite terms only.
//
// Why valid, step by step (the interpreter's arithmetic, backend/Interpreter.cpp; the code
// generator computes the same values):
//  - Draw, Redraw, Stochastic, Set, Read, EnterWorld, Resume add nothing: [0, 0].
//  - Evaluate (an evidence check or a constraint) and Check add 0 or make the weight zero:
//    [0, 0]. An inverted evidence (a point proposal) sets a value and adds nothing.
//  - Observe of a bernoulli or categorical site adds log p(value), p(value) one of its
//    probability parameters (bernoulli: p or 1 - p). Where every parameter takes one of a
//    finite set of values (valueSet below) the term is one of finitely many logs: the range
//    is [min, max] of those over the values the observation can have (the constant, or the
//    whole support for data), leaving out p = 0 (weight zero). PointPropose of such a site
//    adds log p(point) + log|J|: the same over the point's values (its operand's value set,
//    or the whole support), plus the constant log|J|. Every other distribution (a density
//    can exceed 1 and a pmf of a computed parameter can be arbitrarily small), and Propose
//    (p/q): unbounded.
//  - WorldObserve: kept, it adds nothing or zeroes the weight; redrawn, the Observe term.
//    ObserveIfKept: the Observe term, or the site's own step's.
//  - Factor adds its operand: bounded where that takes finitely many values.
//  - A guarded step may be skipped (adding nothing): its range is widened to include 0.
// A parameter's value set: a constant; a bool ({0, 1}); a copy, negation or conversion of a
// set; a select, merge or table lookup (IndexSelect) of sets (the union); +, -, *, / of two
// sets (every pair); a node an intervention sets (Set steps) also takes its value node's set;
// a guarded node also 0 (the zero word). Anything else (sites, data, reads, calls): unknown.
// The sum of the terms is computed in floating point: the lower end is widened by 2^-40
// relative (plus 2^-40 absolute), far above the rounding of a sum of even 10^6 terms. The
// upper end is not: it is the sum the engines compute, in the same order from the same terms
// (log p, log1p(-p), + log|J|), for a sample that takes every step's largest term, so that
// sample's weight is exactly exp(0) = 1 at the scale (as with a running max); a sample whose
// differently ordered terms round above it is still summed right (Accumulator::add raises the
// scale, in every engine alike), so the upper end needs no margin for correctness.
// Needs: nothing beyond a verified graph; read-only.
#include "backend/WeightBound.h"

#include "ir/Plan.h"
#include "runtime/WeightScale.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

namespace mv::backend {

namespace {

using ir::NodeId;
using ir::NodeKind;
using Values = std::optional<std::vector<double>>;  // a finite set of values, or unknown

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxValues = 256;
constexpr int kMaxDepth = 64;

struct Range {
  double lo = 0, hi = 0;
  bool bounded = true;
  static Range none() { return Range{-kInf, kInf, false}; }
  void join(const Range& r) {  // either of the two
    if (!r.bounded) *this = none();
    if (!bounded) return;
    lo = std::min(lo, r.lo);
    hi = std::max(hi, r.hi);
  }
};

class Analysis {
public:
  explicit Analysis(const ir::QueryGraph& g) : g_(g), plan_(ir::buildPlan(g)) {
    for (const ir::Step& s : plan_.steps)
      if (s.kind == ir::StepKind::Set) setBy_[s.node].push_back(s.value);
  }

  WeightBounds run() {
    Range est, full;
    for (const ir::Step& s : plan_.steps) {
      bool separated = false;
      Range r = stepRange(s, &separated);
      if (s.guard != ir::kNoNode) r.join(Range{});
      add(full, r);
      if (!separated) add(est, r);
    }
    return WeightBounds{finish(est), finish(full)};
  }

private:
  static void add(Range& sum, const Range& r) {
    if (!sum.bounded || !r.bounded) {
      sum = Range::none();
      return;
    }
    sum.lo += r.lo;
    sum.hi += r.hi;
  }
  static WeightBound finish(const Range& r) {
    if (!r.bounded) return WeightBound{};
    auto widen = [](double x) { return std::ldexp(1.0, -40) * (1 + std::fabs(x)); };
    return WeightBound{r.lo - widen(r.lo), r.hi};
  }

  Range stepRange(const ir::Step& s, bool* separated) {
    const ir::Node& n = g_.nodes[s.node];
    switch (s.kind) {
      case ir::StepKind::EnterWorld:
      case ir::StepKind::Resume:
      case ir::StepKind::Set:
      case ir::StepKind::Read:
      case ir::StepKind::Draw:
      case ir::StepKind::Redraw:
      case ir::StepKind::Stochastic:
      case ir::StepKind::Evaluate:
      case ir::StepKind::Check: return Range{};
      case ir::StepKind::Propose: return Range::none();
      case ir::StepKind::PointPropose: {
        // log p(point) + log|J|, the point one of its operand's values (any support value
        // where those are unknown).
        *separated = n.site.separated;
        const Values v = valueSet(n.operands[n.site.numParams], 0);
        std::vector<int64_t> xs;
        bool known = v.has_value();
        if (v)
          for (double x : *v) {
            known = known && std::fabs(x) < 0x1p62;  // else: any value (no conversion of it)
            if (known) xs.push_back(int64_t(x));
          }
        Range r = termRange(n, known ? &xs : nullptr);
        if (r.bounded) {
          r.lo += n.site.logJacobian;
          r.hi += n.site.logJacobian;
        }
        return r;
      }
      case ir::StepKind::Observe:
        *separated = n.site.separated;
        return observeRange(s, n);
      case ir::StepKind::WorldObserve: {
        Range r = observeRange(s, n);
        r.join(Range{});
        return r;
      }
      case ir::StepKind::ObserveIfKept: {
        // Where kept the factual site's Observe (with its separation), else its own step.
        *separated = n.site.separated;
        Range r = observeRange(s, n);
        ir::Step own = s;
        own.kind = ir::factualSiteStep(n);
        bool ignored = false;
        r.join(stepRange(own, &ignored));
        return r;
      }
      case ir::StepKind::Factor: {
        const Values v = valueSet(n.operands[0], 0);
        if (!v) return Range::none();
        return rangeOfFinite(*v);
      }
    }
    return Range::none();
  }

  static Range rangeOfFinite(const std::vector<double>& terms) {
    Range r{kInf, -kInf, true};
    for (double t : terms) {
      if (std::isnan(t) || t == kInf) return Range::none();  // an error, not a weight: no claim
      if (t == -kInf) continue;
      r.lo = std::min(r.lo, t);
      r.hi = std::max(r.hi, t);
    }
    if (r.lo > r.hi) return Range{};  // always a zero weight: nothing to bound
    return r;
  }

  /// The observation of evidence s.evidence on site n: its constant, or any value for data.
  Range observeRange(const ir::Step& s, const ir::Node& n) {
    const ir::Evidence& e = g_.evidence[s.evidence];
    if (n.type == ir::Scalar::Real) return Range::none();  // not a bernoulli or categorical site
    std::vector<int64_t> one{e.value.asInt()};
    return termRange(n, e.isData() ? nullptr : &one);
  }

  /// The range of log p(x) for site n's distribution, x among `xs` (null: its whole support).
  Range termRange(const ir::Node& n, const std::vector<int64_t>* xs) {
    const ir::SiteInfo& site = n.site;
    std::vector<double> terms;
    std::vector<int64_t> all;
    auto support = [&](int64_t size) -> const std::vector<int64_t>& {
      if (xs) return *xs;
      for (int64_t k = 0; k < size; ++k) all.push_back(k);
      return all;
    };
    if (site.dist == stdlib::Distribution::Bernoulli && site.numParams == 1) {
      const Values p = valueSet(n.operands[0], 0);
      if (!p) return Range::none();
      for (int64_t x : support(2))
        for (double q : *p) terms.push_back(x == 1 ? std::log(q) : x == 0 ? std::log1p(-q) : -kInf);
      return rangeOfFinite(terms);
    }
    if (site.dist == stdlib::Distribution::Categorical) {
      for (int64_t x : support(site.numParams)) {
        if (x < 0 || x >= int64_t(site.numParams)) continue;  // probability 0
        const Values p = valueSet(n.operands[size_t(x)], 0);
        if (!p) return Range::none();
        for (double q : *p) terms.push_back(std::log(q));
      }
      return rangeOfFinite(terms);
    }
    return Range::none();
  }

  static Values unite(Values a, const Values& b) {
    if (!a || !b) return std::nullopt;
    a->insert(a->end(), b->begin(), b->end());
    std::sort(a->begin(), a->end());
    a->erase(std::unique(a->begin(), a->end()), a->end());
    if (a->size() > kMaxValues) return std::nullopt;
    return a;
  }

  Values valueSet(NodeId id, int depth) {
    if (auto it = memo_.find(id); it != memo_.end()) return it->second;
    Values v = depth > kMaxDepth ? std::nullopt : compute(id, depth + 1);
    if (auto it = setBy_.find(id); v && it != setBy_.end())
      for (NodeId value : it->second) v = unite(v, valueSet(value, depth + 1));
    if (v && g_.nodes[id].guard != ir::kNoNode) v = unite(v, std::vector<double>{0.0});
    if (depth <= kMaxDepth) memo_[id] = v;
    return v;
  }

  Values compute(NodeId id, int depth) {
    const ir::Node& n = g_.nodes[id];
    auto op = [&](size_t k) { return valueSet(n.operands[k], depth); };
    auto pairwise = [&](auto f) -> Values {
      const Values a = op(0), b = op(1);
      if (!a || !b || a->size() * b->size() > kMaxValues) return std::nullopt;
      std::vector<double> out;
      for (double x : *a)
        for (double y : *b) out.push_back(f(x, y));
      return unite(out, std::vector<double>{});
    };
    if (n.type == ir::Scalar::Bool) return std::vector<double>{0.0, 1.0};
    switch (n.kind) {
      case NodeKind::Const: return std::vector<double>{n.constant.toDouble(n.type)};
      case NodeKind::Copy:
      case NodeKind::ToInt:
      case NodeKind::ToReal: return op(0);
      case NodeKind::Neg: {
        Values a = op(0);
        if (a) for (double& x : *a) x = -x;
        return unite(a, std::vector<double>{});
      }
      case NodeKind::Add: return pairwise([](double x, double y) { return x + y; });
      case NodeKind::Sub: return pairwise([](double x, double y) { return x - y; });
      case NodeKind::Mul: return pairwise([](double x, double y) { return x * y; });
      case NodeKind::Div: return pairwise([](double x, double y) { return x / y; });
      case NodeKind::Select:
      case NodeKind::Merge: return unite(op(1), op(2));
      case NodeKind::IndexSelect: {
        Values all = std::vector<double>{};
        for (size_t k = 1; k < n.operands.size() && all; ++k) all = unite(all, op(k));
        return all;
      }
      case NodeKind::Site:
      case NodeKind::Not:
      case NodeKind::Mod:
      case NodeKind::Lt:
      case NodeKind::Le:
      case NodeKind::Gt:
      case NodeKind::Ge:
      case NodeKind::Eq:
      case NodeKind::Ne:
      case NodeKind::And:
      case NodeKind::Or:
      case NodeKind::Call:
      case NodeKind::Factor:
      case NodeKind::Read:
      case NodeKind::Data:
      case NodeKind::Table: return std::nullopt;
    }
    return std::nullopt;
  }

  const ir::QueryGraph& g_;
  ir::Plan plan_;
  std::unordered_map<NodeId, std::vector<NodeId>> setBy_;
  std::unordered_map<NodeId, Values> memo_;
};

}  // namespace

WeightBounds weightBounds(const ir::QueryGraph& g) { return Analysis(g).run(); }

WeightScales weightScales(const ir::QueryGraph& g) {
  const WeightBounds b = weightBounds(g);
  return WeightScales{mv_rt_weight_scale(b.estimate.lower, b.estimate.upper),
                      mv_rt_weight_scale(b.full.lower, b.full.upper)};
}

void setWeightScales(rt::RunConfig& config, const ir::QueryGraph& g) {
  const WeightScales scales = weightScales(g);
  config.weightScale = scales.estimate;
  config.evidenceWeightScale = scales.full;
}

}  // namespace mv::backend
