// tests/unit/backend/JitEntriesTest.cpp — JitOptions::entries (only the entry a run calls is compiled), cancelling a compile, and the driver's switch from the interpreter to the JIT between blocks (RunConfig::later).
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ResultBytes.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace mv::test {
namespace {

using Entries = backend::JitOptions::Entries;

rt::RunConfig configFor(const ir::QueryGraph& g, int threads) {
  rt::RunConfig config;
  config.samples = 30000;  // 8 blocks
  config.seed = 11;
  config.threads = threads;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  backend::setWeightScales(config, g);
  config.summarize = true;
  return config;
}

std::unique_ptr<backend::JitQuery> compileWith(const ir::QueryGraph& g, Entries entries) {
  backend::JitOptions options;
  options.entries = entries;
  std::string error;
  auto q = backend::JitQuery::compile(g, options, &error);
  EXPECT_TRUE(q) << error;
  return q;
}

ir::QueryGraph example(const std::string& path) {
  std::string errors;
  std::vector<ir::QueryGraph> graphs = compileText("m.mv", readText(path), &errors);
  EXPECT_FALSE(graphs.empty()) << errors;
  return graphs.empty() ? ir::QueryGraph{} : graphs[0];
}

TEST(JitEntries, BlockOnlyAndSampleOnlyCompileOneEntryWithTheLazyOnesBits) {
  for (const char* file : {"/examples/networks/network_3.mv", "/tests/lit/cli/Inputs/normal_chain.mv"}) {
    SCOPED_TRACE(file);
    const ir::QueryGraph g = example(std::string(MV_SOURCE_DIR) + file);
    const bool large = backend::isChunked(g, backend::CodegenOptions{});
    auto lazy = compileWith(g, Entries::Lazy);
    auto block = compileWith(g, Entries::BlockOnly);
    auto sample = compileWith(g, Entries::SampleOnly);
    ASSERT_TRUE(lazy && block && sample);
    ASSERT_TRUE(block->blockFunction());
    // A small graph's BlockOnly has no sample function at all; a large one's block function calls it.
    EXPECT_EQ(block->function() != nullptr, large);
    EXPECT_EQ(sample->blockFunction(), nullptr);
    ASSERT_TRUE(sample->function());
    rt::RunConfig config = configFor(g, 2);
    config.blockFn = lazy->blockFunction();
    const std::string expected = resultBytes(rt::run(config, nullptr, nullptr));
    config.blockFn = block->blockFunction();
    EXPECT_EQ(resultBytes(rt::run(config, nullptr, nullptr)), expected);
    config.blockFn = nullptr;
    EXPECT_EQ(resultBytes(rt::run(config, sample->function(), nullptr)), expected);
    EXPECT_EQ(compareSamples(lazy->function(), nullptr, sample->function(), nullptr, g.predictions.size(), 3, 2000), "");
  }
}

TEST(JitEntries, ACancelledCompileGivesUp) {
  const ir::QueryGraph g = example(MV_SOURCE_DIR "/examples/networks/network_3.mv");
  std::atomic<bool> cancel{true};
  backend::JitOptions options;
  options.cancel = &cancel;
  std::string error;
  EXPECT_FALSE(backend::JitQuery::compile(g, options, &error));
  EXPECT_EQ(error, "cancelled");
}

// The tiered start's switch: blocks before K on the interpreter (per-sample loop), the rest on
// the JIT's block function, or on its sample function when rows are wanted: the same bits as
// either engine alone, at 1 and 2 threads, for every K; and with the JIT published by another
// thread while the run goes on (laterPending holding one thread back meanwhile).
TEST(JitEntries, SwitchingFromTheInterpreterToTheJitBetweenBlocksKeepsTheBits) {
  for (const char* file : {"/examples/networks/network_3.mv", "/examples/diagnosis.mv"}) {
    SCOPED_TRACE(file);
    const ir::QueryGraph g = example(std::string(MV_SOURCE_DIR) + file);
    backend::Interpreter interp(g, nullptr);
    auto jit = compileWith(g, Entries::BlockOnly);
    ASSERT_TRUE(jit);
    const rt::BlockEngine compiled{nullptr, nullptr, jit->blockFunction()};
    const std::string expected = resultBytes(rt::run(configFor(g, 1), backend::Interpreter::sampleFn, &interp));
    for (int threads : {1, 2}) {
      rt::RunConfig jitOnly = configFor(g, threads);
      jitOnly.blockFn = jit->blockFunction();
      ASSERT_EQ(resultBytes(rt::run(jitOnly, nullptr, nullptr)), expected);
      for (uint64_t k : {0, 1, 3, 7, 8}) {
        SCOPED_TRACE(k);
        std::atomic<const rt::BlockEngine*> later{&compiled};
        rt::RunConfig config = configFor(g, threads);
        config.later = &later;
        config.laterFromBlock = k;
        const rt::RunResult r = rt::run(config, backend::Interpreter::sampleFn, &interp);
        EXPECT_EQ(resultBytes(r), expected);
        EXPECT_EQ(r.blocksRun, 8u);
        EXPECT_EQ(r.laterBlocks, 8 - k);
      }
      // Published mid-run from another thread.
      std::atomic<const rt::BlockEngine*> later{nullptr};
      std::atomic<bool> pending{true};
      rt::RunConfig config = configFor(g, threads);
      config.samples = 400000;
      config.later = &later;
      config.laterPending = &pending;
      std::thread publisher([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        later.store(&compiled, std::memory_order_release);
        pending.store(false);
      });
      const rt::RunResult r = rt::run(config, backend::Interpreter::sampleFn, &interp);
      publisher.join();
      rt::RunConfig plain = configFor(g, threads);
      plain.samples = 400000;
      plain.blockFn = jit->blockFunction();
      EXPECT_EQ(resultBytes(r), resultBytes(rt::run(plain, nullptr, nullptr)));
    }
  }
}

}  // namespace
}  // namespace mv::test
