// tests/unit/backend/LaneFunctionTest.cpp — the block function computing W samples at once in vector lanes gives what W = 1 and the interpreter give, bit for bit.
//
// Every field of the run's result (accumulators, separated evidence, summaries, top weights,
// the failure) is compared byte for byte between the JIT's block function at W = 4 and at
// W = 1 (CodegenOptions::lanes) on every example, every eighth benchmark network and random
// programs, and between the interpreter through the driver's loop and W = 1, 2, 4 and 8 on
// programs made to reach the lane code's own paths: blocks whose length is no multiple of W,
// a run-time failure first in each lane of a group and in each lane of a block's tail,
// zero-weight lanes beside live ones, counterfactual sites kept in some lanes and
// redrawn in others, runtime calls per lane; for 1 and 2 threads, with and without summaries.
#include "backend/Codegen.h"
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ResultBytes.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <utility>
#include <string>
#include <vector>

namespace mv::test {
namespace {

/// Whether `g`'s block function at `lanes` lanes computes its samples in lanes.
bool hasLaneFunction(const ir::QueryGraph& g, unsigned lanes) {
  backend::CodegenOptions options;
  options.lanes = lanes;
  return backend::blockLanes(g, options) == lanes;
}

struct Seen {
  int queries = 0, laned = 0, separated = 0, twoPass = 0, boolOnly = 0, failed = 0;
  std::set<uint64_t> failingLanes;  ///< the first failing sample's index mod 4, one thread
  /// (block length mod 4, lane) of first failures in a block's last, partial group of 4 (one
  /// thread, blocks shorter than the driver's).
  std::set<std::pair<uint64_t, uint64_t>> tailFailures;
};

/// Runs `g` on the JIT's block function at each of `widths` and, with `interpreter`, on the
/// interpreter through the driver's loop (else the first width is the reference), for each
/// sample count in `counts` and each of `seeds`, and expects the same bytes everywhere.
void expectSameAtEveryWidth(const ir::QueryGraph& g, const std::vector<unsigned>& widths, bool interpreter,
                            std::vector<uint64_t> counts, const std::vector<uint64_t>& seeds, const std::string& what,
                            Seen* seen) {
  std::vector<std::unique_ptr<backend::JitQuery>> jits;
  for (unsigned w : widths) {
    backend::JitOptions options;
    options.codegen.lanes = w;
    std::string error;
    jits.push_back(backend::JitQuery::compile(g, options, &error));
    ASSERT_TRUE(jits.back() && jits.back()->blockFunction()) << what << " W " << w << ": " << error;
  }
  const bool laned = hasLaneFunction(g, 4);
  backend::Interpreter interp(g);
  rt::RunConfig config;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  backend::setWeightScales(config, g);  // as the driver sets them
  ++seen->queries;
  seen->laned += laned;
  seen->separated += config.separatedEvidence;
  seen->twoPass += std::isnan(backend::weightScales(g).estimate);
  bool boolOnly = !g.predictions.empty();
  for (const ir::Prediction& p : g.predictions) boolOnly = boolOnly && g.nodes[p.node].type == ir::Scalar::Bool;
  seen->boolOnly += boolOnly;
  for (uint64_t seed : seeds)
    for (uint64_t samples : counts)
      for (bool summarize : {false, true})
        for (int threads : {1, 2}) {
          config.seed = seed;
          config.samples = samples;
          config.summarize = summarize;
          config.threads = threads;
          config.blockFn = interpreter ? nullptr : jits[0]->blockFunction();
          const rt::RunResult reference = interpreter ? rt::run(config, backend::Interpreter::sampleFn, &interp)
                                                      : rt::run(config, nullptr, nullptr);
          const bool sums = reference.ok || threads == 1;  // 2 threads: later blocks may have run
          if (threads == 1 && summarize && !reference.ok) {
            ++seen->failed;
            seen->failingLanes.insert(reference.error.sample % 4);
            if (samples < 4096 && samples % 4 != 0 && reference.error.sample >= samples - samples % 4)
              seen->tailFailures.insert({samples % 4, reference.error.sample % 4});
          }
          for (size_t k = interpreter ? 0 : 1; k < jits.size(); ++k) {
            config.blockFn = jits[k]->blockFunction();
            const rt::RunResult r = rt::run(config, nullptr, nullptr);
            EXPECT_EQ(resultBytes(reference, sums), resultBytes(r, sums))
                << what << ": W " << widths[k] << ", seed " << seed << ", " << samples << " samples, summarize "
                << summarize << ", threads " << threads;
          }
        }
}

/// Every width and the interpreter on each query of `text`.
void expectSameOnText(const std::string& text, std::vector<uint64_t> counts, const std::vector<uint64_t>& seeds,
                      Seen* seen) {
  std::string errors;
  std::vector<ir::QueryGraph> graphs = compileText("lanes.mv", text, &errors);
  ASSERT_FALSE(graphs.empty()) << text << errors;
  for (const ir::QueryGraph& g : graphs)
    expectSameAtEveryWidth(g, {1, 2, 4, 8}, true, counts, seeds, text + " " + g.name, seen);
}

TEST(LaneFunction, SameResultsOnExamplesAndNetworks) {
  Seen seen;
  int network = 0, networks = 0, networksLaned = 0;
  for (const std::string& file : exampleFiles()) {
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), &errors);
    ASSERT_FALSE(graphs.empty()) << file << ": " << errors;
    const bool isNetwork = file.find("networks/network_") != std::string::npos;
    for (const ir::QueryGraph& g : graphs) {
      // Every benchmark network takes the lane path; every eighth one is run. W = 1 is the
      // reference here (BlockFunction and ExamplesDiff check it against the interpreter).
      if (isNetwork) {
        ++networks;
        networksLaned += hasLaneFunction(g, 4);
      }
      if (!isNetwork || network % 8 == 0)  // blocks of 4096, 4096 and 809 samples
        expectSameAtEveryWidth(g, {1, 4}, false, {9001}, {11}, file + " " + g.name, &seen);
    }
    network += isNetwork;
  }
  EXPECT_EQ(networksLaned, networks);
  EXPECT_GE(networks, 100);
  EXPECT_GT(seen.laned, seen.queries * 9 / 10);
  EXPECT_GT(seen.separated, 0);
  EXPECT_GT(seen.twoPass, 0);
  EXPECT_GT(seen.boolOnly, 0);
}

TEST(LaneFunction, SameResultsOnRandomPrograms) {
  Seen seen;
  for (uint64_t seed = 1; seed <= 30 || (seen.failed == 0 && seed <= 400); ++seed) {
    const std::string text = randomProgram(seed);
    std::vector<ir::QueryGraph> graphs = compileText("random.mv", text, nullptr);
    for (const ir::QueryGraph& g : graphs)
      expectSameAtEveryWidth(g, {1, 4}, false, {5003}, {seed}, "program " + std::to_string(seed) + "\n" + text, &seen);
  }
  EXPECT_GT(seen.failed, 0);
}

// A run-time failure is first in lane 0, 1, 2 and 3 of its group over the seeds, for checks
// inlined (normal, bernoulli) and called per lane (poisson); the lane function records each
// lane's first failure and the block function reports the lowest failing lane's.
TEST(LaneFunction, FailureFirstInEveryLane) {
  const char* programs[] = {
      "model m { x ~ normal(0, 1) z ~ normal(x, x + 3.1) }\nquery q on m { predict z }\n",
      "model m { x ~ normal(0, 1) b ~ bernoulli(x * 0.16 + 0.5) }\nquery q on m { predict b }\n",
      "model m { x ~ normal(0, 1) k ~ poisson(x + 3.1) }\nquery q on m { predict k }\n",
  };
  for (const char* text : programs) {
    Seen seen;
    for (uint64_t seed = 1; seed <= 60 && seen.failingLanes.size() < 4; ++seed)
      expectSameOnText(text, {6000, 4099}, {seed}, &seen);
    EXPECT_EQ(seen.failingLanes.size(), 4u) << text;
  }
}

// The first failure in a block's tail (the last group, with 1, 2 or 3 of its 4 lanes past
// the block's end dead from the start), in each of the tail's lanes: for a check inlined, one
// called per lane, a factor's and the driver's prediction check; lanes past the end never
// fail, and the samples before the failing one are folded.
TEST(LaneFunction, FailureInTheTail) {
  const char* programs[] = {
      "model m { x ~ normal(0, 1) z ~ normal(x, x + 0.6) }\nquery q on m { predict z }\n",
      "model m { x ~ normal(0, 1) k ~ poisson(x + 0.6) }\nquery q on m { predict k }\n",
      "model m { x ~ normal(0, 1) factor log(x + 0.6) }\nquery q on m { predict x }\n",
      "model m { x ~ normal(0, 1) y = log(x + 0.6) }\nquery q on m { predict x predict y }\n",
  };
  std::vector<uint64_t> seeds;
  for (uint64_t seed = 1; seed <= 40; ++seed) seeds.push_back(seed);
  for (const char* text : programs) {
    Seen seen;
    expectSameOnText(text, {1, 2, 3, 5, 6, 7, 9, 10, 11}, seeds, &seen);
    EXPECT_EQ(seen.tailFailures.size(), 6u) << text;  // (1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)
  }
}

// Lanes that differ in what the scalar code branches on.
TEST(LaneFunction, SameResultsWhereLanesDisagree) {
  const char* programs[] = {
      // zero weights beside live lanes; a check that fails only in lanes already at weight 0
      "model m { x ~ normal(0, 1) c = x > -2.0 z ~ normal(x, x + 3.1) }\n"
      "query q on m { observe c == true predict z predict x }\n",
      // counterfactual sites kept in some lanes and redrawn in others, bool predictions only
      "model m { x ~ bernoulli(0.5) y ~ bernoulli(x ? 0.9 : 0.2) z ~ bernoulli(y ? 0.7 : 0.1) }\n"
      "query q on m { observe z == true do x = true predict y predict z }\n",
      // the same with continuous evidence (per-block scales: two passes) and real predictions
      "model m { x ~ bernoulli(0.4) y ~ normal(x ? 1.0 : -1.0, 1) w ~ normal(y, 0.5) }\n"
      "query q on m { observe w == 0.3 do x = false predict y predict x }\n",
      // a guarded site (if) and a table, with separated evidence
      "model m { a ~ bernoulli(0.3) b ~ bernoulli(0.6) if a { r ~ normal(0, 3) } t = a && !b "
      "u ~ normal(0, 1) v ~ normal(u, 1) }\n"
      "query q on m { observe v == 0.4 observe b == true predict t predict a }\n",
      // the driver's checks, which the lane function does for its group: a NaN prediction
      // with non-zero weight (x < -3.3), an infinite one
      "model m { x ~ normal(0, 1) y = log(x + 3.3) }\nquery q on m { predict y }\n",
      "model m { x ~ normal(0, 1) y = exp(x * 200) }\nquery q on m { predict y }\n",
      // runtime samplers and densities per lane
      "model m { g ~ gamma(2, 1) k ~ poisson(g) e ~ exponential(g) }\n"
      "query q on m { observe k == 3 predict e predict g }\n",
  };
  Seen seen;
  for (const char* text : programs) expectSameOnText(text, {9001, 4099, 4098, 4097, 3}, {5}, &seen);
  EXPECT_EQ(seen.laned, seen.queries);
  EXPECT_GE(seen.failed, 2) << "the NaN and infinite predictions must fail";
}

}  // namespace
}  // namespace mv::test
