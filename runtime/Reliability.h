// runtime/Reliability.h — per-query importance-sampling diagnostics (ESS/N, max weight, k-hat) and warnings.
#pragma once

#include "runtime/Driver.h"

#include <string>
#include <vector>

namespace mv::rt {

/// Warning thresholds (documented in docs/cli.md with their sources).
/// k-hat > 0.7: Vehtari, Simpson, Gelman, Yao, Gabry, "Pareto smoothed importance
/// sampling" (JMLR 2024), section 3: beyond it the estimate's error shrinks impractically
/// slowly with more samples.
constexpr double kMaxKHat = 0.7;
/// ESS < 100: too few effective samples for the standard error to be trusted (issue 8's
/// threshold; MCMC practice asks ESS > 100 per chain, Vehtari et al., Bayesian Analysis 2021).
constexpr double kMinEss = 100;
/// ESS/N < 1e-4: the proposal (the prior) and the posterior barely overlap (issue 8's threshold).
constexpr double kMinEssPerSample = 1e-4;

/// What the user asked for besides the samples (for the warning when a target was missed).
struct Targets {
  double stderr = 0;  ///< --target-stderr (0: none)
  double ess = 0;     ///< --target-ess (0: none)
};

/// How far a run's weighted estimates can be trusted.
struct Reliability {
  double ess = 0;
  double essPerSample = 0;
  double maxWeight = 0;  ///< the largest normalised weight
  double khat = 0;       ///< PSIS shape; NaN when not estimable (fewer than 5 tail weights)
  std::vector<std::string> warnings;  ///< what is wrong and what to try; empty when healthy
};

/// The diagnostics of `r` (a run with at least one non-zero weight).
Reliability assess(const RunResult& r, const Targets& targets);

}  // namespace mv::rt
