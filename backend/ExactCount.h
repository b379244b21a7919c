// backend/ExactCount.h — bounds on how many assignments the exact engine will visit, known
// before it enumerates, so a query far over --max-assignments is refused at once.
#pragma once

#include "ir/Graph.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mv::backend {

/// One step of the enumeration: node `node` of world `world` (kNoNode: the start of a
/// counterfactual world, which copies the factual values).
struct ExactStep {
  uint32_t world;
  ir::NodeId node;
  /// World evidence (worlds.md §5) may give the branch weight zero here; an enumerated
  /// step with it (ObserveIfKept) may also not branch (its world keeps the factual draw).
  bool mayCut = false;
};

/// A product of support sizes that may pass 2^64 (2^200 is an ordinary model).
struct AssignmentCount {
  uint64_t value = 1;       ///< exact while not saturated
  bool saturated = false;   ///< value passed UINT64_MAX
  bool unbounded = false;   ///< a factor with no bound (a binomial whose n is not constant)
  double log2 = 0;          ///< log2 of the product
  bool powerOfTwo = true;   ///< every factor a power of two, so the product is 2^log2 exactly
  void times(uint64_t k);
  bool over(uint64_t limit) const { return unbounded || saturated || value > limit; }
  /// "4096", "2^200", or "about 2^317.0" past 2^64; "unbounded".
  std::string text() const;
};

/// What the enumeration will visit (complete assignments plus partial ones cut at zero
/// weight, as ExactResult::assignments counts them): at most `upper` (the product of the
/// support sizes of every enumerated site, its values of positive probability where its
/// parameters are constant and it has no guard) and at least
/// `lower` (the product of the sizes that are certain, the number of values with positive
/// probability of each unguarded factual site with constant parameters — a counterfactual
/// redraw counts 1, as it keeps its factual value where its inputs are unchanged — over the
/// sites enumerated before the first step that can cut a branch: evidence or a constraint on a deterministic
/// node, an observed or point-proposed site whose weight may be zero). Every one of the
/// `lower` prefixes reaches that step, so `lower` over the limit means the enumeration would
/// certainly pass it.
struct AssignmentBounds {
  AssignmentCount lower, upper;
  bool exact = true;  ///< lower == upper: the enumeration visits exactly this many
  ir::NodeId lowerPassesLimitAt = ir::kNoNode;  ///< the site whose factor takes `lower` past the limit
};

/// Bounds for enumerating `steps` of `g`, where `branches(world, node)` tells which sites are
/// enumerated (the exact engine's own rule), each with a finite support.
AssignmentBounds boundAssignments(const ir::QueryGraph& g, const std::vector<ExactStep>& steps,
                                  const std::function<bool(uint32_t, ir::NodeId)>& branches, uint64_t limit);

}  // namespace mv::backend
