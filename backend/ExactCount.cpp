// backend/ExactCount.cpp — counting the exact engine's assignments before it enumerates them.
#include "backend/ExactCount.h"

#include "backend/RuntimeTable.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace mv::backend {

using ir::NodeId;
using ir::NodeKind;

void AssignmentCount::times(uint64_t k) {
  if (k == 0) k = 1;  // a site always takes some value (guards aside): never a zero factor
  log2 += std::log2(double(k));
  powerOfTwo = powerOfTwo && (k & (k - 1)) == 0;
  if (!saturated && value > std::numeric_limits<uint64_t>::max() / k) saturated = true;
  if (!saturated) value *= k;
}

std::string AssignmentCount::text() const {
  if (unbounded) return "unbounded";
  if (!saturated) return std::to_string(value);
  char buf[64];
  if (powerOfTwo) std::snprintf(buf, sizeof buf, "2^%lld", static_cast<long long>(std::llround(log2)));
  else std::snprintf(buf, sizeof buf, "about 2^%.1f", log2);
  return buf;
}

namespace {

class Counter {
public:
  Counter(const ir::QueryGraph& g) : g_(g), observed_(g.nodes.size(), 0), inverted_(g.nodes.size(), 0),
                                     mustHold_(g.nodes.size(), 0), intervened_(g.nodes.size(), 0),
                                     observedValue_(g.nodes.size(), 0) {
    for (const ir::Evidence& e : g.evidence) {
      observed_[e.node] = 1;
      inverted_[e.node] = e.invertedSite != ir::kNoNode;
      observedValue_[e.node] = e.value.toDouble(g.nodes[e.node].type);
    }
    for (const ir::Constraint& c : g.constraints) mustHold_[c.cond] = 1;
    for (const ir::World& w : g.worlds)
      for (const ir::Intervention& iv : w.interventions) intervened_[iv.node] = 1;
  }

  /// The value of node `id` when it is the same constant in every world and sample.
  std::optional<double> known(NodeId id) const {
    const ir::Node& n = g_.nodes[id];
    if (n.kind != NodeKind::Const || n.guard != ir::kNoNode || intervened_[id]) return std::nullopt;
    return n.constant.toDouble(n.type);  // the runtime takes parameters as doubles
  }

  /// The site's parameters when all are known.
  std::optional<std::vector<double>> knownParams(const ir::Node& n) const {
    std::vector<double> p;
    for (size_t k = 0; k < n.site.numParams; ++k) {
      std::optional<double> v = known(n.operands[k]);
      if (!v) return std::nullopt;
      p.push_back(*v);
    }
    return p;
  }

  /// The most values enumerated site `n` can branch over (0: no bound), and the fewest; equal
  /// for an unguarded site with constant parameters (its values of positive probability).
  std::pair<uint64_t, uint64_t> sizes(const ir::Node& n) const {
    const ir::SiteInfo& s = n.site;
    std::optional<std::vector<double>> p = knownParams(n);
    bool certain = p && n.guard == ir::kNoNode;  // a guard that is off means no branching
    auto positive = [&](uint64_t most) -> uint64_t {
      if (!certain) return 1;
      const DistributionEntry& d = distributionEntry(s.dist);
      uint64_t k = 0;
      for (uint64_t x = 0; x < most; ++x) k += d.logpdf(double(x), p->data(), int32_t(p->size())) > -INFINITY;
      return k;
    };
    using Sizes = std::pair<uint64_t, uint64_t>;
    switch (s.dist) {
      case stdlib::Distribution::Bernoulli: return certain ? Sizes(positive(2), positive(2)) : Sizes(2, 1);
      case stdlib::Distribution::Categorical:
        return certain ? Sizes(positive(s.numParams), positive(s.numParams)) : Sizes(s.numParams, 1);
      case stdlib::Distribution::Binomial: {
        std::optional<double> trials = known(n.operands[0]);
        if (!trials || !(*trials >= 0) || *trials >= 1.8e19) return {0, 1};
        uint64_t most = uint64_t(*trials) + 1;
        if (!certain) return {most, 1};
        double prob = (*p)[1];
        uint64_t k = prob == 0 || prob == 1 ? 1 : most;
        return {k, k};
      }
      case stdlib::Distribution::Poisson: case stdlib::Distribution::Uniform: case stdlib::Distribution::Normal:
      case stdlib::Distribution::Lognormal: case stdlib::Distribution::Exponential: case stdlib::Distribution::Gamma:
      case stdlib::Distribution::Beta: case stdlib::Distribution::Laplace: case stdlib::Distribution::StudentT:
        break;  // refused before counting (checkSupports)
    }
    return {0, 1};
  }

  /// Whether factual step `id`, not enumerated, can give a branch weight zero.
  bool canCut(NodeId id) const {
    const ir::Node& n = g_.nodes[id];
    // A factor may be -inf (a zero weight) wherever its value is not known.
    if (n.kind == NodeKind::Factor) return true;
    if (n.kind != NodeKind::Site) return (observed_[id] && !inverted_[id]) || mustHold_[id];
    if (!observed_[id]) return n.site.proposal == ir::ProposalKind::Point;
    std::optional<std::vector<double>> p = knownParams(n);
    if (!p || n.guard != ir::kNoNode) return true;
    const DistributionEntry& d = distributionEntry(n.site.dist);
    int32_t count = int32_t(p->size());
    return d.check(p->data(), count) >= 0 || !(d.logpdf(observedValue_[id], p->data(), count) > -INFINITY);
  }

private:
  const ir::QueryGraph& g_;
  std::vector<char> observed_, inverted_, mustHold_, intervened_;
  std::vector<double> observedValue_;
};

}  // namespace

AssignmentBounds boundAssignments(const ir::QueryGraph& g, const std::vector<ExactStep>& steps,
                                  const std::function<bool(uint32_t, NodeId)>& branches, uint64_t limit) {
  Counter counter(g);
  AssignmentBounds b;
  bool cutSeen = false;
  for (const ExactStep& s : steps) {
    if (s.node == ir::kNoNode) continue;
    if (s.mayCut && branches(s.world, s.node)) {
      uint64_t most = counter.sizes(g.nodes[s.node]).first;
      if (most == 0) b.upper.unbounded = true;
      else b.upper.times(most);
      b.exact = false;
      cutSeen = true;  // kept: observed, so it neither branches nor is certain to pass
      continue;
    }
    if (s.mayCut) {
      cutSeen = true;
      continue;
    }
    if (!branches(s.world, s.node)) {
      // Interventions never cut; only the factual world holds evidence and constraints.
      bool set = false;
      for (const ir::Intervention& iv : g.worlds[s.world].interventions) set = set || iv.node == s.node;
      cutSeen = cutSeen || (s.world == 0 && !set && counter.canCut(s.node));
      continue;
    }
    auto [most, fewest] = counter.sizes(g.nodes[s.node]);
    if (s.world > 0) fewest = 1;  // a redraw keeps its factual value where its inputs are unchanged
    if (most == 0) b.upper.unbounded = true;
    else b.upper.times(most);
    b.exact = b.exact && !cutSeen && most == fewest;
    if (cutSeen) continue;
    bool wasOver = b.lower.over(limit);
    b.lower.times(fewest);
    if (!wasOver && b.lower.over(limit)) b.lowerPassesLimitAt = s.node;
  }
  return b;
}

}  // namespace mv::backend
