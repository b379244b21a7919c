// backend/WeightBound.h — static bounds on a query's log weights, and the scale of its weight sums they decide.
#pragma once

#include "ir/Graph.h"
#include "runtime/Driver.h"

#include <limits>

namespace mv::backend {

/// Bounds on the log weight of every sample whose weight is not zero: lower <= log w <= upper.
/// Infinite ends where nothing is proven (continuous densities, proposals, data-driven or
/// computed probabilities).
struct WeightBound {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
};

/// The bounds of the estimate log weight (separated evidence left out) and of the full one.
struct WeightBounds {
  WeightBound estimate, full;
};

/// A read-only analysis of `g`'s evaluation plan (ir::buildPlan): each step's log-weight term
/// is bounded from the finite set of values its parameters can take (constants, selects and
/// table lookups of constants), the terms' bounds are summed. The proof is in WeightBound.cpp.
WeightBounds weightBounds(const ir::QueryGraph& g);

/// The scales of the estimate and full weight sums: mv_rt_weight_scale (runtime/WeightScale.h)
/// of weightBounds(g). The one place the engines, the code generator and native executables
/// take them from (RunConfig::weightScale, evidenceWeightScale).
struct WeightScales {
  double estimate, full;
};
WeightScales weightScales(const ir::QueryGraph& g);

/// Sets config's weightScale and evidenceWeightScale to weightScales(g), the scales g's block
/// function was generated with: every caller of rt::run for g sets them here, so the per-sample
/// loop and the block function sum in the same bits.
void setWeightScales(rt::RunConfig& config, const ir::QueryGraph& g);

}  // namespace mv::backend
