// tests/unit/backend/BlockFunctionTest.cpp — the generated block function gives what the driver's per-sample loop gives, bit for bit.
//
// Every field of the run's result (accumulators, separated evidence, summaries, top weights,
// the failure) is serialised and compared byte for byte between the JIT's sample function
// through the driver's loop and its block function (RunConfig::blockFn), over every example
// and benchmark network, random programs (run-time errors included) and programs that
// take the accumulator's rare paths (values beyond 2^399, non-finite predictions).
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ResultBytes.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mv::test {
namespace {

struct Counts {
  int queries = 0, separated = 0, failed = 0, boolOnly = 0;
};

/// Runs `g` both ways for 1 and 2 threads, with and without summaries; on a failure with 2
/// threads the partial sums depend on timing (blocks after the failing one may have run), so
/// only the failure is compared there.
void expectSameBothWays(const ir::QueryGraph& g, uint64_t samples, uint64_t seed, const std::string& what, Counts* counts) {
  std::string error;
  auto jit = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
  ASSERT_TRUE(jit) << what << ": " << error;
  ASSERT_TRUE(jit->blockFunction()) << what;
  rt::RunConfig config;
  config.samples = samples;
  config.seed = seed;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  ++counts->queries;
  counts->separated += config.separatedEvidence;
  bool boolOnly = !g.predictions.empty();
  for (const ir::Prediction& p : g.predictions) boolOnly = boolOnly && g.nodes[p.node].type == ir::Scalar::Bool;
  counts->boolOnly += boolOnly;
  for (bool summarize : {false, true})
    for (int threads : {1, 2}) {
      config.summarize = summarize;
      config.threads = threads;
      config.blockFn = nullptr;
      const rt::RunResult loop = rt::run(config, jit->function(), nullptr);
      config.blockFn = jit->blockFunction();
      const rt::RunResult block = rt::run(config, jit->function(), nullptr);
      const bool sums = loop.ok || threads == 1;
      EXPECT_EQ(resultBytes(loop, sums), resultBytes(block, sums))
          << what << " summarize " << summarize << " threads " << threads;
      if (threads == 1 && summarize) counts->failed += !loop.ok;
    }
}

TEST(BlockFunction, SameResultsOnEveryExampleAndNetwork) {
  Counts counts;
  int network = 0;
  for (const std::string& file : exampleFiles()) {
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), &errors);
    ASSERT_FALSE(graphs.empty()) << file << ": " << errors;
    // The small examples, every fifth benchmark network and those with separated evidence
    // (the JIT compiles each twice); 9000 samples: two full blocks of 4096 and a partial one.
    const bool every = file.find("networks/network_") == std::string::npos || network++ % 5 == 0;
    for (const ir::QueryGraph& g : graphs)
      if (every || g.hasSeparatedWeight()) expectSameBothWays(g, 9000, 11, file + " " + g.name, &counts);
  }
  EXPECT_GT(counts.separated, 0) << "no query with separated evidence: the evidence accumulator is untested";
  EXPECT_GT(counts.boolOnly, 0) << "no query of bool predictions only: the summaries kept as sums are untested";
}

TEST(BlockFunction, SameResultsOnRandomPrograms) {
  Counts counts;
  // 40 programs, and on until one fails at run time (how many that takes depends on what the
  // generator writes, which grows with the language).
  for (uint64_t seed = 1; seed <= 40 || (counts.failed == 0 && seed <= 400); ++seed) {
    const std::string text = randomProgram(seed);
    std::vector<ir::QueryGraph> graphs = compileText("random.mv", text, nullptr);
    for (const ir::QueryGraph& g : graphs)
      expectSameBothWays(g, 5000, seed, "program " + std::to_string(seed) + " " + g.name + "\n" + text, &counts);
  }
  EXPECT_GT(counts.failed, 0) << "no random query fails at run time: the error path is untested";
}

// The accumulator's rare paths and the driver's own checks.
TEST(BlockFunction, SameResultsOnRarePathsAndFailures) {
  const char* programs[] = {
      // every value beyond 2^399: the scaled path of Accumulator::add for every sample
      "model m { x ~ normal(0, 1) y = x * 1e150 z ~ bernoulli(0.3) }\n"
      "query q on m { observe z == true predict y predict x }\n",
      // values spreading beyond 2^400 after the shift is set: widening
      "model m { x ~ normal(0, 1) y = exp(x * 300) }\nquery q on m { predict y }\n",
      // a NaN prediction with non-zero weight (x < -3.3: a few in 10^4)
      "model m { x ~ normal(0, 1) y = log(x + 3.3) }\nquery q on m { predict y }\n",
      // an infinite prediction
      "model m { x ~ normal(0, 1) y = exp(x * 200) }\nquery q on m { predict y }\n",
      // bool predictions only (the summaries kept as sums), rescales, one value never seen
      "model m { x ~ normal(0, 3) y ~ normal(x, 0.5) b ~ bernoulli(0.5) c = x > 20.0 d = x > 0.0 }\n"
      "query q on m { observe y == 1.5 predict b predict c predict d }\n",
      // weights of every size (rescales) and zero weights
      "model m { x ~ normal(0, 3) y ~ normal(x, 0.5) b ~ bernoulli(0.5) }\n"
      "query q on m { observe y == 1.5 observe b == true predict x predict b }\n",
  };
  Counts counts;
  int k = 0;
  for (const char* text : programs) {
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText("rare.mv", text, &errors);
    ASSERT_FALSE(graphs.empty()) << text << errors;
    for (const ir::QueryGraph& g : graphs) expectSameBothWays(g, 20000, 3, "program " + std::to_string(k), &counts);
    ++k;
  }
  EXPECT_GE(counts.failed, 2) << "the NaN and infinite predictions must fail";
}

// JitOptions::sampleNow (one module holding both entries, as the fuzz target compiles them)
// gives the functions of the default two modules, bit for bit, on every example.
TEST(BlockFunction, OneModuleGivesTheSameFunctions) {
  int queries = 0;
  for (const std::string& file : exampleFiles()) {
    if (file.find("networks/network_") != std::string::npos) continue;
    std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), nullptr);
    for (const ir::QueryGraph& g : graphs) {
      std::string error;
      backend::JitOptions one;
      one.sampleNow = true;
      auto a = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
      auto b = backend::JitQuery::compile(g, one, &error);
      ASSERT_TRUE(a && b) << file << " " << g.name << ": " << error;
      rt::RunConfig config;
      config.samples = 5000;
      config.seed = 5;
      config.threads = 1;
      config.numPredictions = int(g.predictions.size());
      config.separatedEvidence = g.hasSeparatedWeight();
      config.summarize = true;
      mv::backend::setWeightScales(config, g);  // as the driver sets them
      const rt::RunResult loopA = rt::run(config, a->function(), nullptr);
      const rt::RunResult loopB = rt::run(config, b->function(), nullptr);
      config.blockFn = b->blockFunction();
      const rt::RunResult blockB = rt::run(config, nullptr, nullptr);
      EXPECT_EQ(resultBytes(loopA, true), resultBytes(loopB, true)) << file << " " << g.name;
      EXPECT_EQ(resultBytes(loopA, true), resultBytes(blockB, true)) << file << " " << g.name;
      ++queries;
    }
  }
  EXPECT_GT(queries, 10);
}

}  // namespace
}  // namespace mv::test
