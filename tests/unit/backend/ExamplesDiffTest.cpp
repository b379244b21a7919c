// tests/unit/backend/ExamplesDiffTest.cpp — every example and benchmark network: JIT == interpreter,
// sample by sample and in the driver's estimates for 1, 2 and 8 threads.
#include "backend/Interpreter.h"
#include "backend/WeightBound.h"
#include "backend/Jit.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

namespace mv::test {
namespace {

bool sameBits(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0 || (x != x && y != y); }

void expectSameRun(const rt::RunResult& a, const rt::RunResult& b, int numPredictions, const std::string& what) {
  ASSERT_EQ(a.ok, b.ok) << what;
  if (!a.ok) {
    EXPECT_EQ(a.error.kind, b.error.kind) << what;
    EXPECT_EQ(a.error.sample, b.error.sample) << what;
    return;
  }
  EXPECT_TRUE(sameBits(a.acc.ess(), b.acc.ess())) << what;
  EXPECT_TRUE(sameBits(a.logEvidence(), b.logEvidence())) << what;
  for (int k = 0; k < numPredictions; ++k) {
    EXPECT_TRUE(sameBits(a.acc.mean(k), b.acc.mean(k))) << what << " prediction " << k;
    EXPECT_TRUE(sameBits(a.acc.stderror(k), b.acc.stderror(k))) << what << " prediction " << k;
  }
}

TEST(ExamplesDiff, JitMatchesInterpreterOnEveryExample) {
  std::vector<std::string> files = exampleFiles();
  ASSERT_FALSE(files.empty());
  for (const std::string& file : files) {
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), &errors);
    ASSERT_FALSE(graphs.empty()) << file << ": " << errors;
    for (const ir::QueryGraph& g : graphs) {
      std::string error;
      auto jit = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
      ASSERT_TRUE(jit) << file << " " << g.name << ": " << error;
      backend::Interpreter interp(g);
      EXPECT_EQ(compareSamples(backend::Interpreter::sampleFn, &interp, jit->function(), nullptr,
                               g.predictions.size(), 7, 3000),
                "")
          << file << " query " << g.name;
    }
  }
}

TEST(ExamplesDiff, EstimatesIdenticalForOneTwoAndEightThreads) {
  // Every query of the small examples and a few networks; 20000 samples = 5 blocks.
  std::vector<std::string> files;
  for (const std::string& f : exampleFiles())
    if (f.find("networks") == std::string::npos || f.find("network_1.mv") != std::string::npos ||
        f.find("network_2.mv") != std::string::npos)
      files.push_back(f);
  for (const std::string& file : files) {
    std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), nullptr);
    for (const ir::QueryGraph& g : graphs) {
      auto jit = backend::JitQuery::compile(g, backend::JitOptions{}, nullptr);
      ASSERT_TRUE(jit);
      backend::Interpreter interp(g);
      rt::RunConfig config;
      config.samples = 20000;
      config.seed = 3;
      config.numPredictions = int(g.predictions.size());
      config.separatedEvidence = g.hasSeparatedWeight();
      mv::backend::setWeightScales(config, g);  // as the driver sets them
      config.threads = 1;
      rt::RunResult reference = rt::run(config, backend::Interpreter::sampleFn, &interp);
      for (int threads : {1, 2, 8}) {
        config.threads = threads;
        expectSameRun(reference, rt::run(config, jit->function(), nullptr), config.numPredictions,
                      file + " " + g.name + " threads " + std::to_string(threads));
      }
    }
  }
}

TEST(ExamplesDiff, InlinedAndCalledRuntimeAgree) {
  std::string file = MV_SOURCE_DIR "/examples/linear_gaussian.mv";
  std::vector<ir::QueryGraph> graphs = compileText(file, readText(file), nullptr);
  ASSERT_FALSE(graphs.empty());
  backend::JitOptions calls;
  calls.codegen.inlineRuntime = false;
  auto a = backend::JitQuery::compile(graphs[0], backend::JitOptions{}, nullptr);
  auto b = backend::JitQuery::compile(graphs[0], calls, nullptr);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(compareSamples(a->function(), nullptr, b->function(), nullptr, graphs[0].predictions.size(), 1, 5000), "");
}

}  // namespace
}  // namespace mv::test
