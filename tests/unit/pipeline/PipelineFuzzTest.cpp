// tests/unit/pipeline/PipelineFuzzTest.cpp — mutated programs never crash the compiler: each
// either gets diagnostics, or checks, lowers, passes the verifier and runs a few samples.
#include "backend/Interpreter.h"
#include "backend/WeightBound.h"
#include "driver/Session.h"
#include "runtime/Driver.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace mv {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> corpus() {
  std::vector<std::string> texts;
  for (const char* dir : {"examples", "tests/lit/diagnostics", "tests/lit/ir"}) {
    for (const auto& e : fs::directory_iterator(fs::path(MV_SOURCE_DIR) / dir)) {
      if (e.path().extension() != ".mv") continue;
      // Programs that unroll to ~10^6 nodes on purpose are too slow to mutate thousands of times.
      std::string name = e.path().filename().string();
      if (name.find("too_large") != std::string::npos || name.find("too_long") != std::string::npos) continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str().size() < 20000) texts.push_back(ss.str());
    }
  }
  return texts;
}

const char* kTokens[] = {"model", "query", "on", "observe", "do", "intervene", "predict", "factual",
                         "counterfactual", "propose", "for", "in", "if", "else", "{", "}", "(", ")",
                         "[", "]", "~", "=", "==", "!=", "&&", "||", "?", ":", ",", "..", "0", "1",
                         "0.5", "-", "+", "*", "/", "%", "!", "x", "y", "normal", "bernoulli",
                         "categorical", "const", "fn", "->", "real", "int", "bool", "true", "sum", "W"};

std::string mutate(std::string s, std::mt19937_64& rng) {
  int edits = 1 + int(rng() % 4);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    size_t at = rng() % s.size();
    switch (rng() % 5) {
      case 0: s.erase(at, 1 + rng() % 8); break;
      case 1: s.insert(at, std::string(" ") + kTokens[rng() % std::size(kTokens)] + " "); break;
      case 2: s[at] = char(32 + rng() % 95); break;
      case 3: {  // duplicate a slice
        size_t len = std::min<size_t>(s.size() - at, 1 + rng() % 40);
        s.insert(rng() % s.size(), s.substr(at, len));
        break;
      }
      case 4: s.insert(at, kTokens[rng() % std::size(kTokens)]); break;
    }
  }
  return s;
}

/// Compiles `text`; if it is valid, the IR must verify and a few samples must run.
void compileAndMaybeRun(const std::string& text) {
  driver::Session session;
  bool ok = driver::compile(session, "fuzz.mv", text, {});
  ASSERT_TRUE(session.internalError.empty()) << session.internalError << "\n--- program:\n" << text;
  if (!ok) return;  // diagnostics: fine
  for (ir::QueryGraph& g : session.queries) {
    std::vector<uint64_t> data(g.dataSize);  // a program with `data` runs on zeros: it must not crash
    backend::Interpreter interp(g, data.data());
    rt::RunConfig config;
    config.samples = 64;
    config.threads = 1;
    config.numPredictions = int(g.predictions.size());
    config.separatedEvidence = g.hasSeparatedWeight();
    mv::backend::setWeightScales(config, g);  // as the driver sets them
    rt::run(config, backend::Interpreter::sampleFn, &interp);  // may fail at run time: never crash
  }
}

TEST(PipelineFuzz, MutatedProgramsNeverCrash) {
  std::vector<std::string> texts = corpus();
  ASSERT_GT(texts.size(), 20u);
  std::mt19937_64 rng(20261128);
  for (int i = 0; i < 2000; ++i) {
    std::string t = mutate(texts[rng() % texts.size()], rng);
    compileAndMaybeRun(t);
    if (HasFatalFailure()) return;
  }
}

TEST(PipelineFuzz, EveryCorpusProgramVerifies) {
  for (const std::string& t : corpus()) {
    compileAndMaybeRun(t);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace mv
