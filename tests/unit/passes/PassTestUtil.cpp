// tests/unit/passes/PassTestUtil.cpp — compiling with chosen passes; interpreter runs and sample-by-sample comparison.
#include "tests/unit/passes/PassTestUtil.h"

#include "backend/Interpreter.h"
#include "backend/WeightBound.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace mv::test {

std::vector<ir::QueryGraph> compileWith(const std::string& name, const std::string& text,
                                        const passes::PipelineOptions& options) {
  std::string errors;
  std::vector<ir::QueryGraph> graphs = compileText(name, text, &errors, options);
  EXPECT_TRUE(errors.empty()) << name << ": " << errors;
  return graphs;
}

std::vector<std::string> networkFiles() {
  std::vector<std::string> files;
  for (int i = 0; i < 100; ++i) files.push_back(MV_SOURCE_DIR "/examples/networks/network_" + std::to_string(i) + ".mv");
  return files;
}

std::vector<std::string> exampleFiles() {
  std::vector<std::string> files;
  for (const char* f : {"diagnosis", "firing_squad", "intervention", "simpsons_paradox", "linear_gaussian",
                        "linear_gaussian_implicit"})
    files.push_back(MV_SOURCE_DIR "/examples/" + std::string(f) + ".mv");
  return files;
}

rt::RunResult interpret(const ir::QueryGraph& g, uint64_t samples) {
  backend::Interpreter interp(g);
  rt::RunConfig config;
  config.samples = samples;
  config.seed = 1;
  config.threads = 2;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  return rt::run(config, backend::Interpreter::sampleFn, &interp);
}

namespace {

bool same(double x, double y) { return (std::isnan(x) && std::isnan(y)) || std::memcmp(&x, &y, sizeof x) == 0; }

}  // namespace

std::string compareSampleBySample(const ir::QueryGraph& a, const ir::QueryGraph& b, uint64_t n) {
  backend::Interpreter ia(a), ib(b);
  size_t k = a.predictions.size();
  std::vector<double> pa(k + 1), pb(k + 1);
  for (uint64_t i = 0; i < n; ++i) {
    double wa = 0, wb = 0, fa = 0, fb = 0;
    mv_rt_error ea{}, eb{};
    int32_t ra = ia.sample(1, i, &wa, &fa, pa.data(), &ea), rb = ib.sample(1, i, &wb, &fb, pb.data(), &eb);
    std::string at = a.name + " sample " + std::to_string(i) + ": ";
    if (ra != rb) return at + "return codes differ";
    if (ra != 0) continue;
    if (!same(wa, wb)) return at + "log weights " + std::to_string(wa) + " and " + std::to_string(wb);
    if (!same(fa, fb)) return at + "full log weights " + std::to_string(fa) + " and " + std::to_string(fb);
    if (wa == -std::numeric_limits<double>::infinity()) continue;
    for (size_t j = 0; j < k; ++j)
      if (!same(pa[j], pb[j])) return at + "prediction " + a.predictions[j].label + " differs";
  }
  return "";
}

passes::PipelineOptions without(std::vector<std::string> names) {
  passes::PipelineOptions o;
  o.disabled = std::move(names);
  return o;
}

}  // namespace mv::test
