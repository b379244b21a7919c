// backend/Exact.h — the exact engine: enumerates every assignment of the finite-support sites
// a (sliced) query reads and computes exact expectations (`mvc run --engine exact`).
#pragma once

#include "backend/ExactCount.h"
#include "ir/Graph.h"
#include "runtime/Runtime.h"

#include <cstdint>
#include <vector>

namespace mv::backend {

/// Limits of one exact run.
struct ExactOptions {
  uint64_t maxAssignments = uint64_t(1) << 24;  ///< refuse beyond this many
  const uint64_t* data = nullptr;                ///< the run's data buffer (Interpreter's)
};

/// Why the exact engine gave no answer.
enum class ExactFailure : uint8_t {
  None,
  ContinuousSite,      ///< a site that must be enumerated has a continuous distribution
  UnboundedSite,       ///< ... or an unbounded discrete one (poisson)
  TooManyAssignments,  ///< more than maxAssignments
  Runtime,             ///< a run-time error in some assignment (domain, index, NaN)
};

/// One enumerated site's value on the path where a run-time error happened.
struct ExactAssignment {
  ir::NodeId node;
  uint32_t world;
  double value;
};

/// The exact answers of one query, or why there are none.
struct ExactResult {
  ExactFailure failure = ExactFailure::None;
  ir::NodeId site = ir::kNoNode;  ///< the offending site; TooManyAssignments: the one being enumerated
                                  ///< (counted: the one whose factor takes the count past the limit)
  bool counted = false;           ///< TooManyAssignments found by counting, before enumerating
  AssignmentBounds bounds;        ///< counted: what the enumeration would have needed
  mv_rt_error error{};            ///< Runtime: what failed; `sample` is the assignment's index
  std::vector<ExactAssignment> assignment;  ///< Runtime: the enumerated sites' values where it failed
  std::vector<double> means;      ///< per prediction: E[f | evidence], exactly
  double logEvidence = 0;         ///< log of the total weight, log P(evidence) (0 with no evidence)
  double ess = 0;                 ///< 1 / sum of squared posterior probabilities of the assignments
  uint64_t assignments = 0;       ///< enumerated: complete ones plus partial ones cut by zero weight
  uint64_t nonzero = 0;           ///< complete assignments with non-zero weight
  double seconds = 0;
};

/// Enumerates `g` (a scheduled query graph) depth-first over its sites in schedule order:
/// each site that is neither observed, intervened nor point-proposed branches over its
/// support with weight p(x) (a user proposal is ignored: enumeration needs none), and a
/// counterfactual redraw is a variable of its own in the assignments where its inputs differ
/// from the factual ones (elsewhere it keeps its factual value: ir::keepsFactualDraw); deterministic nodes are evaluated
/// incrementally and a branch is cut as soon as its weight is zero. Exactly the
/// interpreter's semantics with every draw replaced by a sum over its support. A query whose
/// assignments certainly number more than the limit (AssignmentBounds::lower) is refused
/// before enumerating.
ExactResult runExact(const ir::QueryGraph& g, const ExactOptions& options);

}  // namespace mv::backend
