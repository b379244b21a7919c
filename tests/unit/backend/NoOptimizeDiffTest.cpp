// tests/unit/backend/NoOptimizeDiffTest.cpp — the optional passes change speed and ESS only: with and without
// --no-optimize every example, benchmark network and random program has the same log evidence and fails alike
// (except for run-time errors in nodes the optimised query skips, which spec §7 allows).
// MV_NOOPT_RANDOM_MODELS=N sets how many random programs (default 300).
#include "backend/Exact.h"
#include "backend/WeightBound.h"
#include "backend/Interpreter.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace mv::test {
namespace {

constexpr double kRelative = 1e-12;

passes::PipelineOptions noOptimize() {
  passes::PipelineOptions o;
  o.noOptimize = true;
  return o;
}

rt::RunResult interpret(const ir::QueryGraph& g, uint64_t samples, uint64_t seed) {
  backend::Interpreter interp(g);
  rt::RunConfig config;
  config.samples = samples;
  config.seed = seed;
  config.threads = 2;
  config.blockSize = 1024;  // several blocks: the merges are exercised too
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  return rt::run(config, backend::Interpreter::sampleFn, &interp);
}

bool sameLogEvidence(double a, double b) {
  if (a == b) return true;  // also both -inf
  return std::fabs(a - b) <= kRelative * std::max(std::fabs(a), std::fabs(b));
}

/// What a run reports as its outcome: "ok", "all weights zero" or the failing sample's error.
std::string outcome(const rt::RunResult& r) {
  std::ostringstream os;
  if (!r.ok) os << "error kind " << r.error.kind << " at sample " << r.error.sample;
  else if (r.acc.nonzero() == 0) os << "all weights zero";
  else os << "ok";
  return os.str();
}

/// Whether `opt` computes node `id` in every world where `plain` computes it, so that a run-time
/// error `plain` meets there is one `opt` meets too. (Slicing may skip a world's copy of a node
/// that reaches no observation or prediction, spec §7: an error there is not the query's.)
bool computesWhereverPlainDoes(const ir::QueryGraph& opt, const ir::QueryGraph& plain, int32_t id) {
  auto in = [&](const ir::World& w) {
    return std::find(w.schedule.begin(), w.schedule.end(), ir::NodeId(id)) != w.schedule.end();
  };
  for (size_t w = 0; w < plain.worlds.size(); ++w)
    if (in(plain.worlds[w]) && !(w < opt.worlds.size() && in(opt.worlds[w]))) return false;
  return true;
}

/// Compares the optimised and unoptimised graphs of one query. Sample by sample: the full
/// log weights are bit-identical wherever both succeed; a sample that fails optimised fails
/// unoptimised too; one that fails only unoptimised fails in a node the optimised graph
/// skips (spec §7: what reaches no observation or prediction may be skipped). Run by run: the
/// same outcome (ok, all weights zero, or the same error) unless the unoptimised run stops
/// first in such a skipped node, and the same log evidence to kRelative. Returns "" or a
/// description of the difference; counts queries with separated evidence in *separated and
/// runs that only --no-optimize stops in a skipped node in *skipped.
std::string compareQuery(const ir::QueryGraph& opt, const ir::QueryGraph& plain, uint64_t samples, uint64_t seed,
                         int* separated, int* skipped) {
  *separated += opt.hasSeparatedWeight();
  std::ostringstream os;
  os.precision(17);
  os << "query " << opt.name << ": ";
  backend::Interpreter ia(opt), ib(plain);
  std::vector<double> pa(opt.predictions.size() + 1), pb(plain.predictions.size() + 1);
  for (uint64_t i = 0; i < samples; ++i) {
    double wa = 0, wb = 0, fa = 0, fb = 0;
    mv_rt_error ea{}, eb{};
    int32_t ra = ia.sample(seed, i, &wa, &fa, pa.data(), &ea), rb = ib.sample(seed, i, &wb, &fb, pb.data(), &eb);
    os << "sample " << i << ": ";
    if (ra != 0 && rb == 0) return os.str() + "fails only when optimised (error kind " + std::to_string(ea.kind) + ")";
    if (ra == 0 && rb != 0 && computesWhereverPlainDoes(opt, plain, eb.node))
      return os.str() + "fails only with --no-optimize, in node %" + std::to_string(eb.node) + " that both compute in the same worlds";
    if (ra == 0 && rb == 0 && std::memcmp(&fa, &fb, sizeof fa) != 0) {
      os << "full log weight " << fa << " vs " << fb << " (--no-optimize)";
      return os.str();
    }
    os.str("");
    os << "query " << opt.name << ": ";
  }
  rt::RunResult a = interpret(opt, samples, seed), b = interpret(plain, samples, seed);
  if (!b.ok && (a.ok || a.error.sample > b.error.sample) && !computesWhereverPlainDoes(opt, plain, b.error.node)) {
    ++*skipped;
    return "";
  }
  if (outcome(a) != outcome(b)) return os.str() + "outcome " + outcome(a) + " vs " + outcome(b) + " (--no-optimize)";
  if (a.ok && !sameLogEvidence(a.logEvidence(), b.logEvidence())) {
    os << "log evidence " << a.logEvidence() << " vs " << b.logEvidence() << " (--no-optimize)";
    return os.str();
  }
  return "";
}

/// The exact engine, where it applies to both: the same log evidence.
std::string compareExact(const ir::QueryGraph& opt, const ir::QueryGraph& plain) {
  backend::ExactOptions options;
  options.maxAssignments = uint64_t(1) << 16;
  backend::ExactResult a = backend::runExact(opt, options), b = backend::runExact(plain, options);
  if (a.failure != backend::ExactFailure::None || b.failure != backend::ExactFailure::None) return "";
  if (sameLogEvidence(a.logEvidence, b.logEvidence)) return "";
  std::ostringstream os;
  os.precision(17);
  os << "query " << opt.name << ": exact log evidence " << a.logEvidence << " vs " << b.logEvidence;
  return os.str();
}

TEST(NoOptimizeDiff, ExamplesAndNetworksHaveTheSameLogEvidence) {
  int queries = 0, separated = 0, skipped = 0;
  for (const std::string& file : exampleFiles()) {
    std::string text = readText(file), errors;
    std::vector<ir::QueryGraph> opt = compileText(file, text, &errors);
    ASSERT_FALSE(opt.empty()) << file << ": " << errors;
    std::vector<ir::QueryGraph> plain = compileText(file, text, &errors, noOptimize());
    ASSERT_EQ(opt.size(), plain.size()) << file;
    for (size_t q = 0; q < opt.size(); ++q, ++queries) {
      EXPECT_EQ(compareQuery(opt[q], plain[q], 4096, 7, &separated, &skipped), "") << file;
      EXPECT_EQ(compareExact(opt[q], plain[q]), "") << file;
    }
  }
  EXPECT_GT(queries, 100);
  EXPECT_EQ(skipped, 0);  // no example or network fails at run time
  EXPECT_GT(separated, 0) << "no example or network has separated evidence: the test says little";
}

TEST(NoOptimizeDiff, RandomProgramsHaveTheSameLogEvidenceAndOutcome) {
  const char* env = std::getenv("MV_NOOPT_RANDOM_MODELS");
  const uint64_t count = env && *env ? std::strtoull(env, nullptr, 10) : 300;
  int queries = 0, separated = 0, succeeded = 0, skipped = 0;
  for (uint64_t seed = 1; seed <= count; ++seed) {
    std::string text = randomProgram(seed), errors;
    std::vector<ir::QueryGraph> opt = compileText("random.mv", text, &errors);
    ASSERT_FALSE(opt.empty()) << "program " << seed << ": " << errors << "\n" << text;
    std::vector<ir::QueryGraph> plain = compileText("random.mv", text, &errors, noOptimize());
    ASSERT_EQ(opt.size(), plain.size());
    for (size_t q = 0; q < opt.size(); ++q, ++queries) {
      ASSERT_EQ(compareQuery(opt[q], plain[q], 2048, seed, &separated, &skipped), "")
          << "program " << seed << ":\n" << text;
      succeeded += outcome(interpret(opt[q], 64, seed)) == "ok";
    }
  }
  // The generator must produce separated evidence and runnable queries, or this says little.
  EXPECT_GT(separated * 10, queries) << separated << " of " << queries << " queries have separated evidence";
  EXPECT_GT(succeeded * 2, queries) << succeeded << " of " << queries << " queries run";
  EXPECT_LT(skipped * 10, queries) << skipped << " of " << queries << " runs stop only with --no-optimize";
}

}  // namespace
}  // namespace mv::test
