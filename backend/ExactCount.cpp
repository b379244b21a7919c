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
                                     observedValue_(g.nodes.size(), 0), observedData_(g.nodes.size(), 0) {
    for (const ir::Evidence& e : g.evidence) {
      observed_[e.node] = 1;
      inverted_[e.node] = e.invertedSite != ir::kNoNode;
      observedValue_[e.node] = e.value.toDouble(g.nodes[e.node].type);
      observedData_[e.node] = e.isData();  // its value is known only when the data are bound
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
    // A guard that is off means no branching; parameters outside their domain fail the run.
    bool certain = p && n.guard == ir::kNoNode && distributionEntry(s.dist).check(p->data(), int32_t(p->size())) < 0;
    const stdlib::DistributionInfo& info = stdlib::distribution(s.dist);
    if (stdlib::support(info.support).enumeration != stdlib::Enumeration::Finite)
      return {0, 1};  // refused before counting (checkSupports)
    if (certain) {  // the values of positive probability, from the runtime's support rule
      const mv_rt_support sup = mv_rt_support_of(distributionEntry(s.dist).family, p->data(), int32_t(p->size()));
      uint64_t k = 0;
      if (sup.probs) {  // the categories within the hull (a truncated one's is narrower)
        for (int32_t x = 0; x < sup.n; ++x) k += sup.probs[x] > 0 && x >= sup.lo && x <= sup.hi;
      } else {
        k = uint64_t(sup.hi - sup.lo) + 1;
      }
      return {k, k};
    }
    // The most values: the enumeration bound where the parameters it needs are known.
    std::vector<double> bound(s.numParams, 0.0);
    for (size_t k = 0; k < s.numParams; ++k) bound[k] = known(n.operands[k]).value_or(NAN);
    const auto [first, last] = stdlib::enumerationRange(s.dist, bound.data(), int32_t(bound.size()));
    if (!(last >= first) || last - first >= 1.8e19) return {0, 1};
    return {uint64_t(last - first) + 1, 1};
  }

  /// Whether factual step `id`, not enumerated, can give a branch weight zero.
  bool canCut(NodeId id) const {
    const ir::Node& n = g_.nodes[id];
    // A factor may be -inf (a zero weight) wherever its value is not known.
    if (n.kind == NodeKind::Factor) return true;
    if (n.kind != NodeKind::Site) return (observed_[id] && !inverted_[id]) || mustHold_[id];
    if (!observed_[id]) return n.site.proposal == ir::ProposalKind::Point;
    std::optional<std::vector<double>> p = knownParams(n);
    if (!p || n.guard != ir::kNoNode || observedData_[id]) return true;
    const DistributionEntry& d = distributionEntry(n.site.dist);
    int32_t count = int32_t(p->size());
    return d.check(p->data(), count) >= 0 || !(d.logpdf(observedValue_[id], p->data(), count) > -INFINITY);
  }

private:
  const ir::QueryGraph& g_;
  std::vector<char> observed_, inverted_, mustHold_, intervened_;
  std::vector<double> observedValue_;
  std::vector<char> observedData_;
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
