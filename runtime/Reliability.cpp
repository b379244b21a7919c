// runtime/Reliability.cpp — the diagnostics of a run's weights and the warnings they raise.
#include "runtime/Reliability.h"

#include "runtime/Psis.h"

#include <fmt/format.h>

#include <cmath>

namespace mv::rt {

namespace {

constexpr const char* kRemedy =
    "; try more samples, a 'propose' distribution for the sites the evidence depends on, or explicit "
    "noise ('y = f + e' with 'e ~ normal(0, s)') so the evidence is inverted instead of rejected";

}  // namespace

Reliability assess(const RunResult& r, const Targets& targets) {
  Reliability out;
  const Accumulator& acc = r.acc;
  const uint64_t n = acc.count();
  out.ess = acc.ess();
  out.essPerSample = n ? out.ess / double(n) : 0;
  out.maxWeight = acc.maxWeight();
  out.khat = paretoKHat(r.top.largest(size_t(psisTailLength(n)) + 1), n);
  if (out.khat > kMaxKHat)
    out.warnings.push_back(fmt::format(
        "pareto k-hat {:.2f} > {}: the largest weights have so heavy a tail that the estimates and their standard "
        "errors are unreliable (the sampler rarely reaches where the evidence puts the posterior){}",
        out.khat, kMaxKHat, kRemedy));
  if (out.ess < kMinEss)
    out.warnings.push_back(fmt::format(
        "effective sample size {:.1f} < {}: the estimates rest on a few samples (the largest has weight {:.2g}) "
        "and their standard errors are unreliable{}",
        out.ess, kMinEss, out.maxWeight, kRemedy));
  if (out.essPerSample < kMinEssPerSample)
    out.warnings.push_back(fmt::format(
        "effective sample size is {:.2g} of the samples (< {}): the evidence is far from what the model "
        "predicts, so almost every sample is wasted{}",
        out.essPerSample, kMinEssPerSample, kRemedy));
  if (targets.stderr > 0 || targets.ess > 0) {
    if (!r.targetMet) {
      double worst = 0;
      for (int k = 0; k < acc.numPredictions(); ++k) worst = std::fmax(worst, acc.stderror(k));
      std::string what;
      if (targets.stderr > 0) what += fmt::format("stderr below {} (largest {:.3g})", targets.stderr, worst);
      if (targets.ess > 0) what += fmt::format("{}ess above {} (got {:.1f})", what.empty() ? "" : " and ", targets.ess, out.ess);
      out.warnings.push_back(fmt::format("target not reached in {} samples: {}; raise --samples", n, what));
    }
  }
  return out;
}

}  // namespace mv::rt
