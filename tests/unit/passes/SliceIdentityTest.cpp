// tests/unit/passes/SliceIdentityTest.cpp — the passes the theory calls exact per sample leave every sample bit-identical.
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

namespace mv::test {
namespace {

std::vector<std::string> allFiles() {
  std::vector<std::string> files = exampleFiles();
  for (const std::string& f : networkFiles()) files.push_back(f);
  return files;
}

size_t scheduled(const ir::QueryGraph& g) {
  size_t n = 0;
  for (const ir::World& w : g.worlds) n += w.schedule.size();
  return n;
}

/// Compiles every file both ways and compares every query sample by sample.
void expectIdentical(const passes::PipelineOptions& a, const passes::PipelineOptions& b) {
  for (const std::string& file : allFiles()) {
    std::string text = readText(file);
    std::vector<ir::QueryGraph> ga = compileWith(file, text, a), gb = compileWith(file, text, b);
    ASSERT_EQ(ga.size(), gb.size()) << file;
    for (size_t q = 0; q < ga.size(); ++q) {
      EXPECT_EQ(compareSampleBySample(ga[q], gb[q], 3000), "") << file;
      EXPECT_LE(scheduled(gb[q]), scheduled(ga[q])) << file << " " << ga[q].name;
    }
  }
}

passes::PipelineOptions noOptimize(std::vector<std::string> disabled = {}) {
  passes::PipelineOptions o = without(std::move(disabled));
  o.noOptimize = true;
  return o;
}

// Dead-intervention removal and both slicings on top of the required passes: the same
// samples as --no-optimize.
TEST(SliceIdentity, SlicingIsBitIdenticalToNoOptimization) {
  expectIdentical(noOptimize(), without({"prune-evidence"}));
}

// The same with every evidence checked by rejection (no inversion at all).
TEST(SliceIdentity, SlicingIsBitIdenticalUnderRejection) {
  expectIdentical(noOptimize({"invert-observations", "invert-noisy-or"}),
                  without({"prune-evidence", "invert-observations", "invert-noisy-or"}));
}

// With the noisy-OR proposals on, adding the slicing passes still changes no sample.
TEST(SliceIdentity, SlicingOnTopOfNoisyOrIsBitIdentical) {
  expectIdentical(without({"prune-evidence", "remove-dead-interventions", "slice-factual", "slice-counterfactual"}),
                  without({"prune-evidence"}));
}

}  // namespace
}  // namespace mv::test
