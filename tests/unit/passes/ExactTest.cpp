// tests/unit/passes/ExactTest.cpp — the exact engine: the 100 networks and the discrete examples to 1e-9; its refusals.
#include "backend/Exact.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <regex>
#include <sstream>

namespace mv::test {
namespace {

backend::ExactResult exactOf(const ir::QueryGraph& g, uint64_t limit = uint64_t(1) << 24) {
  return backend::runExact(g, backend::ExactOptions{limit});
}

TEST(Exact, EqualsTheBenchmarkAnswersOnAllNetworks) {
  nlohmann::json answers = nlohmann::json::parse(readText(MV_SOURCE_DIR "/examples/networks/exact_answers.json"));
  passes::PipelineOptions none;
  none.noOptimize = true;
  for (int i = 0; i < 100; ++i) {
    std::string file = networkFiles()[size_t(i)];
    double expected = answers.at(std::to_string(i)).get<double>();
    for (const passes::PipelineOptions& opts : {passes::PipelineOptions{}, none}) {
      ir::QueryGraph g = compileWith(file, readText(file), opts).at(0);
      backend::ExactResult r = exactOf(g);
      ASSERT_EQ(r.failure, backend::ExactFailure::None) << file;
      EXPECT_NEAR(r.means.at(0), expected, 1e-9) << file;
    }
  }
}

TEST(Exact, EqualsTheExactLinesOfTheDiscreteExamples) {
  std::regex line(R"(//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$)");
  for (const char* name : {"diagnosis", "firing_squad", "intervention", "simpsons_paradox", "consistency"}) {
    std::string file = MV_SOURCE_DIR "/examples/" + std::string(name) + ".mv", text = readText(file);
    std::vector<ir::QueryGraph> gs = compileWith(file, text, passes::PipelineOptions{});
    std::istringstream in(text);
    int checked = 0;
    for (std::string l; std::getline(in, l);) {
      std::smatch m;
      if (!std::regex_search(l, m, line)) continue;
      for (const ir::QueryGraph& g : gs) {
        if (g.name != m[1]) continue;
        backend::ExactResult r = exactOf(g);
        ASSERT_EQ(r.failure, backend::ExactFailure::None) << g.name;
        for (size_t k = 0; k < g.predictions.size(); ++k)
          if (g.predictions[k].label == m[2]) {
            EXPECT_NEAR(r.means[k], std::stod(m[3]), 1e-9) << g.name;
            ++checked;
          }
      }
    }
    EXPECT_GT(checked, 3) << file;
  }
}

ir::QueryGraph one(const std::string& text) { return compileWith("e.mv", text, passes::PipelineOptions{}).at(0); }

TEST(Exact, EnumeratesBinomialAndCategoricalAndWeighsEvidence) {
  backend::ExactResult r = exactOf(one(R"(
model m {
  n ~ binomial(3, 0.25)
  k ~ categorical([0.5, 0.2, 0.3])
  b ~ bernoulli(n >= 1 ? 0.9 : 0.1)
}
query q on m {
  observe b == true
  predict n
  predict k
}
)"));
  ASSERT_EQ(r.failure, backend::ExactFailure::None);
  double p0 = 0.75 * 0.75 * 0.75, evidence = p0 * 0.1 + (1 - p0) * 0.9;
  EXPECT_NEAR(r.means[0], 0.75 * 0.9 / evidence, 1e-12);  // E[n | b] = E[n] 0.9 / P(b)
  EXPECT_NEAR(r.means[1], 0.2 + 0.6, 1e-12);
  EXPECT_NEAR(r.logEvidence, std::log(evidence), 1e-12);
  EXPECT_EQ(r.nonzero, 4u * 3u);
}

TEST(Exact, CounterfactualRedrawsAreVariablesOfTheirOwnWhereTheirInputsChange) {
  backend::ExactResult r = exactOf(one(R"(
model m {
  x ~ bernoulli(0.5)
  y ~ bernoulli(x ? 0.9 : 0.2)
}
query q on m {
  observe y == true
  do x = true
  predict y
  predict factual x
}
)"));
  ASSERT_EQ(r.failure, backend::ExactFailure::None);
  // Consistency: where x = true, y' keeps y = true; where x = false (0.1 / 0.55), y's
  // parameter changes and y' is redrawn with 0.9.
  EXPECT_NEAR(r.means[0], 0.45 / 0.55 + 0.10 / 0.55 * 0.9, 1e-12);
  EXPECT_NEAR(r.means[1], 0.45 / 0.55, 1e-12);
  // Enumerated: x = true (no branching for y'), x = false with y' true or false.
  EXPECT_EQ(r.assignments, 3u);
}

TEST(Exact, RefusesContinuousAndUnboundedSites) {
  backend::ExactResult c = exactOf(one("model m {\n  z ~ normal(0, 1)\n  b = z > 0\n}\nquery q on m { predict b }\n"));
  EXPECT_EQ(c.failure, backend::ExactFailure::ContinuousSite);
  backend::ExactResult u = exactOf(one("model m {\n  n ~ poisson(2.0)\n}\nquery q on m { predict n }\n"));
  EXPECT_EQ(u.failure, backend::ExactFailure::UnboundedSite);
  // Observed, a poisson (or a normal) needs no enumeration.
  backend::ExactResult o = exactOf(one(R"(
model m {
  b ~ bernoulli(0.5)
  n ~ poisson(b ? 4.0 : 1.0)
}
query q on m {
  observe n == 2
  predict b
}
)"));
  ASSERT_EQ(o.failure, backend::ExactFailure::None);
  double w1 = std::exp(-4.0) * 8, w0 = std::exp(-1.0) * 0.5;
  EXPECT_NEAR(o.means[0], w1 / (w1 + w0), 1e-12);
}

TEST(Exact, RefusesBeyondTheAssignmentLimit) {
  ir::QueryGraph g = one(R"(
model m {
  for i in 0..12 { b[i] ~ bernoulli(0.5) }
  s = b[0] || b[11]
}
query q on m { predict s }
)");
  // After slicing only b[0] and b[11] are enumerated.
  EXPECT_EQ(exactOf(g, 4).failure, backend::ExactFailure::None);
  passes::PipelineOptions none;
  none.noOptimize = true;
  ir::QueryGraph full = compileWith("e.mv", R"(
model m {
  for i in 0..12 { b[i] ~ bernoulli(0.5) }
  s = b[0] || b[11]
}
query q on m { predict s }
)", none).at(0);
  backend::ExactResult r = exactOf(full, 1000);
  EXPECT_EQ(r.failure, backend::ExactFailure::TooManyAssignments);
  EXPECT_EQ(exactOf(full, 4096).assignments, 4096u);
}

}  // namespace
}  // namespace mv::test
