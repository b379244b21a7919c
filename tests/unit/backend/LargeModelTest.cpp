// tests/unit/backend/LargeModelTest.cpp — large graphs: the chunked sample function (CodegenOptions::
// chunkThreshold) equals the interpreter, and so does chunking forced onto every example and
// random program. Not timed (docs/performance.md records compile times).
#include "backend/Codegen.h"
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

namespace mv::test {
namespace {

/// Compiles `g` with `options` and compares `n` samples with the interpreter.
void expectJitMatchesInterpreter(const ir::QueryGraph& g, const backend::JitOptions& options, uint64_t seed,
                                 uint64_t n, const std::string& what) {
  std::string error;
  auto jit = backend::JitQuery::compile(g, options, &error);
  ASSERT_TRUE(jit) << what << ": " << error;
  backend::Interpreter interp(g);
  EXPECT_EQ(compareSamples(backend::Interpreter::sampleFn, &interp, jit->function(), nullptr, g.predictions.size(),
                           seed, n),
            "")
      << what << " query " << g.name;
}

std::vector<ir::QueryGraph> compileOrFail(const std::string& name, const std::string& text) {
  std::string errors;
  std::vector<ir::QueryGraph> graphs = compileText(name, text, &errors);
  EXPECT_FALSE(graphs.empty()) << name << ": " << errors;
  return graphs;
}

/// Every chunk holds a handful of nodes, so chunk boundaries fall everywhere: inside guarded
/// code, between evidence and its weight check, in the counterfactual copies.
backend::JitOptions tinyChunks(size_t cost) {
  backend::JitOptions o;
  o.codegen.chunkThreshold = 0;
  o.codegen.chunkCost = cost;
  return o;
}

TEST(LargeModel, LongChainIsChunkedAndMatchesTheInterpreter) {
  // The defect's reproducer: one 20000-term expression, a single basic block before chunking.
  std::string text = "model m { x ~ bernoulli(0.5); y = x";
  for (int k = 0; k < 20000; ++k) text += " + 1";
  text += " }\nquery q on m { predict y }\n";
  for (const ir::QueryGraph& g : compileOrFail("chain.mv", text)) {
    EXPECT_TRUE(backend::isChunked(g, backend::CodegenOptions{}));
    expectJitMatchesInterpreter(g, backend::JitOptions{}, 11, 200, "chain");
  }
}

TEST(LargeModel, LoopModelWithEvidenceGuardsAndCounterfactualMatchesTheInterpreter) {
  // 10000 sites plus guarded nodes, evidence, a constraint and a counterfactual world that
  // recomputes half of them; some samples get weight 0 (the constraint) in a late chunk.
  const std::string text = R"(
model m {
  x[0] ~ normal(0, 1)
  for i in 1..5000 {
    x[i] ~ normal(x[i-1] * 0.9, 1)
    if x[i] > 0 { y[i] = x[i] * 2.0 } else { y[i] = -x[i] }
    c[i] ~ bernoulli(0.5)
  }
}
query q on m {
  observe c[7] == true
  observe x[4990] > -2.0
  do x[2500] = 1.0
  predict y[4999]
  predict factual x[4999]
  predict factual c[4000]
}
)";
  for (const ir::QueryGraph& g : compileOrFail("loop.mv", text)) {
    EXPECT_TRUE(backend::isChunked(g, backend::CodegenOptions{}));
    expectJitMatchesInterpreter(g, backend::JitOptions{}, 5, 100, "loop");
  }
}

TEST(LargeModel, SmallModelsStayOneFunction) {
  for (const char* file : {MV_SOURCE_DIR "/examples/networks/network_0.mv", MV_SOURCE_DIR "/examples/diagnosis.mv"})
    for (const ir::QueryGraph& g : compileOrFail(file, readText(file)))
      EXPECT_FALSE(backend::isChunked(g, backend::CodegenOptions{})) << file << " " << g.name;
}

TEST(LargeModel, ChunksCallTheRuntimeAndShareOneFailingExit) {
  // The layout that keeps a large graph's compile time down (docs/backend.md, "Large
  // graphs"): draws and checks are runtime calls, not inline samplers, and each chunk has one
  // failing exit however many checks it holds (a 400-site chain: ~100 sites per chunk).
  // Read from the optimised module's text, as `mvc dump --llvm` prints it.
  std::string text = "model m {\n  x[0] ~ normal(0, 1)\n  for i in 1..400 { x[i] ~ normal(x[i - 1], 1) }\n}\n";
  text += "query q on m { predict x[399] }\n";
  for (const ir::QueryGraph& g : compileOrFail("normals.mv", text)) {
    ASSERT_TRUE(backend::isChunked(g, backend::CodegenOptions{}));
    std::istringstream module(backend::optimizedModuleText(g, backend::JitOptions{}));
    size_t chunks = 0, draws = 0, failBlocks = 0;
    bool inChunk = false;
    for (std::string line; std::getline(module, line);) {
      if (line.rfind("define ", 0) == 0) {
        if (inChunk) EXPECT_EQ(failBlocks, 1u) << "chunk " << chunks;
        inChunk = line.find(".chunk") != std::string::npos;
        chunks += inChunk;
        failBlocks = 0;
      } else if (inChunk && line.rfind("fail", 0) == 0 && line.find(':') != std::string::npos) {
        ++failBlocks;
      } else if (inChunk && line.find("call double @mv_rt_draw_normal(") != std::string::npos) {
        ++draws;
      }
    }
    EXPECT_GT(chunks, 1u);
    EXPECT_EQ(draws, 400u);
  }
}

TEST(LargeModel, ForcedChunksMatchTheInterpreterOnEveryExample) {
  std::vector<std::string> files;
  for (const char* dir : {MV_SOURCE_DIR "/examples", MV_SOURCE_DIR "/examples/networks",
                          MV_SOURCE_DIR "/tests/lit/diagnostics"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      const bool runtimeFailure = name.rfind("fail_runtime", 0) == 0 || name == "fail_all_weights_zero.mv";
      if (e.path().extension() == ".mv" && (std::string(dir).find("diagnostics") == std::string::npos || runtimeFailure))
        files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  size_t k = 0;
  for (const std::string& file : files)
    for (const ir::QueryGraph& g : compileOrFail(file, readText(file)))
      expectJitMatchesInterpreter(g, tinyChunks(1 + 37 * (k++ % 5)), 7, 500, file);
}

TEST(LargeModel, ForcedChunksMatchTheInterpreterOnRandomPrograms) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const std::string text = randomProgram(seed);
    for (const ir::QueryGraph& g : compileOrFail("random.mv", text))
      expectJitMatchesInterpreter(g, tinyChunks(1 + seed % 64), seed, 200, "random program " + std::to_string(seed));
  }
}

}  // namespace
}  // namespace mv::test
