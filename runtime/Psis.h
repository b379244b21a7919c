// runtime/Psis.h — the Pareto-smoothed importance sampling shape estimate k-hat of a run's weights.
#pragma once

#include <cstdint>
#include <vector>

namespace mv::rt {

/// The number of largest weights PSIS fits: ceil(min(N / 5, 3 sqrt(N))) (Vehtari, Simpson,
/// Gelman, Yao and Gabry, "Pareto smoothed importance sampling", JMLR 2024, section 3).
uint64_t psisTailLength(uint64_t samples);

/// A generalized Pareto fit: shape k and scale sigma.
struct GpdFit {
  double k = 0, sigma = 0;
};

/// Zhang and Stephens (2009) empirical-Bayes fit of a generalized Pareto distribution to
/// `x` (ascending, positive), with the weakly informative prior on k of the reference
/// implementations (loo's gpdfit, ArviZ's _gpdfit): k = (n k + 10 * 0.5) / (n + 10).
GpdFit gpdFit(const std::vector<double>& x);

/// k-hat of a run of `samples` samples whose largest log weights are `largestDesc` (largest
/// first, at least psisTailLength + 1 of them when there are that many non-zero weights),
/// exactly as ArviZ's psislw: the cutoff is the (M+1)-th largest log weight (or max +
/// log(DBL_MIN) if higher), the tail the weights above it, fitted on exp(lw - max) -
/// exp(cutoff - max). NaN when the tail has fewer than 5 weights (ties at the top or too
/// few non-zero weights): no k-hat can be estimated.
double paretoKHat(const std::vector<double>& largestDesc, uint64_t samples);

}  // namespace mv::rt
