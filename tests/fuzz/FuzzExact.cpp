// tests/fuzz/FuzzExact.cpp — libFuzzer target: the exact engine against the interpreter on small discrete programs.
// When the exact engine answers a query (every enumerated site discrete and bounded, at most
// kExactAssignments assignments), the interpreter's estimate of each prediction must lie
// within 6 of its standard errors of the exact expectation. A miss is checked again with 32
// times the samples and another seed, so a value the first run never drew (its standard
// error cannot see it) is not a finding; a finding misses both times. Evidence the exact
// engine gives probability 0 must get no non-zero weight from the interpreter, and evidence
// of probability above 40/N must get some.
#include "backend/Exact.h"
#include "driver/Engines.h"
#include "tests/fuzz/FuzzCommon.h"

#include <cmath>
#include <optional>
#include <sstream>
#include <string>

namespace {

constexpr double kSigmas = 6;
constexpr uint64_t kSamples = 2000;

std::optional<mv::rt::RunResult> interpret(const mv::ir::QueryGraph& g, const std::vector<uint64_t>& data,
                                           uint64_t samples, uint64_t seed) {
  mv::driver::EngineRequest request;
  request.data = data.data();
  request.samples = samples;
  request.seed = seed;
  request.threads = 1;
  std::string error;
  std::optional<mv::rt::RunResult> r = mv::driver::runEngine(mv::driver::Engine::Interp, g, request, &error);
  if (!r) mv::fuzz::finding("the interpreter could not run query '" + g.name + "': " + error);
  return r;
}

/// The first prediction whose estimate misses the exact mean, described; "" when none does.
std::string miss(const mv::ir::QueryGraph& g, const mv::backend::ExactResult& exact, const mv::rt::RunResult& r) {
  for (size_t k = 0; k < exact.means.size(); ++k) {
    const double want = exact.means[k], got = r.acc.mean(int(k)), se = r.acc.stderror(int(k));
    if (!std::isfinite(want) || !std::isfinite(got) || !std::isfinite(se)) continue;
    const double tol = kSigmas * se + 1e-9 * (1 + std::fabs(want));
    if (std::fabs(got - want) > tol) {
      std::ostringstream os;
      os.precision(17);
      os << "query '" << g.name << "' prediction '" << g.predictions[k].label << "': exact " << want
         << ", interpreter " << got << " +- " << se << " (" << r.acc.count() << " samples, ESS " << r.acc.ess() << ")";
      return os.str();
    }
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mv::driver::Session s;
  if (!mv::fuzz::compileInput(data, size, s)) return 0;
  size_t n = 0;
  for (const mv::ir::QueryGraph& g : s.queries) {
    if (n++ == mv::fuzz::kMaxQueries) break;
    const std::vector<uint64_t> data = mv::fuzz::zeroData(g);
    mv::backend::ExactResult exact =
        mv::backend::runExact(g, mv::backend::ExactOptions{mv::fuzz::kExactAssignments, data.data()});
    if (exact.failure != mv::backend::ExactFailure::None) continue;
    std::optional<mv::rt::RunResult> r = interpret(g, data, kSamples, 3);
    if (!r->ok) continue;  // a run-time error in a sample the enumeration weighted zero (or never reached)
    if (exact.nonzero == 0) {
      if (r->acc.nonzero() > 0)
        mv::fuzz::finding("query '" + g.name + "': the exact engine gives the evidence probability 0, the interpreter " +
                          std::to_string(r->acc.nonzero()) + " non-zero weights");
      continue;
    }
    if (r->acc.nonzero() == 0) {
      if (exact.logEvidence > std::log(40.0 / kSamples))
        mv::fuzz::finding("query '" + g.name + "': evidence of probability " + std::to_string(std::exp(exact.logEvidence)) +
                          " got no non-zero weight in " + std::to_string(kSamples) + " samples");
      continue;
    }
    if (miss(g, exact, *r).empty()) continue;
    std::optional<mv::rt::RunResult> again = interpret(g, data, 32 * kSamples, 4);
    if (!again->ok || again->acc.nonzero() == 0) continue;
    if (std::string why = miss(g, exact, *again); !why.empty()) mv::fuzz::finding(why);
  }
  return 0;
}
