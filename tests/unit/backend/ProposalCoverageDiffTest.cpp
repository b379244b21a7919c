// tests/unit/backend/ProposalCoverageDiffTest.cpp — run-time proposal coverage checks: the JIT
// (inlined and called runtime) fails exactly the samples the interpreter fails, with the same
// error, for every kind of distribution/proposal pair.
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

namespace mv::test {
namespace {

// u picks one of four parameter settings per sample; some leave the proposal short of the
// distribution's support (those samples fail with MV_RT_PROPOSAL_SUPPORT), others cover it.
const char* kModels[] = {
    R"(model m {
  u ~ categorical([0.25, 0.25, 0.25, 0.25])
  z ~ bernoulli(u == 0 ? 0.0 : u == 1 ? 1.0 : 0.3) propose bernoulli(u == 2 ? 1.0 : u == 3 ? 0.5 : 0.0)
}
query q on m { predict z })",
    R"(model m {
  u ~ categorical([0.25, 0.25, 0.25, 0.25])
  z ~ categorical([u == 0 ? 0.0 : 0.5, 0.5, u == 0 ? 0.5 : 0.0]) propose categorical([0.5, u > 1 ? 0.0 : 0.25, u > 1 ? 0.5 : 0.25])
}
query q on m { predict z })",
    R"(model m {
  u ~ categorical([0.25, 0.25, 0.25, 0.25])
  k ~ binomial(u + 1, u == 3 ? 1.0 : 0.5) propose binomial(3, u == 0 ? 0.0 : 0.4)
}
query q on m { predict k })",
    R"(model m {
  a ~ uniform(0, 1)
  x ~ uniform(0, 1 + a) propose uniform(0, 1.5)
}
query q on m { predict x })",
    R"(model m {
  a ~ uniform(0, 1)
  x ~ normal(a, 1) propose laplace(0, 1 + a)
  y ~ gamma(1 + a, 1) propose exponential(a + 0.5)
}
query q on m { predict x  predict y })",
};

TEST(ProposalCoverageDiff, JitFailsTheSamplesTheInterpreterFails) {
  constexpr uint64_t kSamples = 400;
  int models = 0;
  for (const char* text : kModels) {
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText("cover.mv", text, &errors);
    ASSERT_EQ(graphs.size(), 1u) << text << errors;
    const ir::QueryGraph& g = graphs[0];
    backend::Interpreter interp(g);
    backend::JitOptions calls;
    calls.codegen.inlineRuntime = false;
    for (const backend::JitOptions& opts : {backend::JitOptions{}, calls}) {
      auto jit = backend::JitQuery::compile(g, opts, nullptr);
      ASSERT_TRUE(jit);
      EXPECT_EQ(compareSamples(backend::Interpreter::sampleFn, &interp, jit->function(), nullptr,
                               g.predictions.size(), 5, kSamples),
                "")
          << text;
    }
    // The check fails some samples and passes others (none for the fixed-support pairs).
    uint64_t failed = 0;
    std::vector<double> preds(g.predictions.size());
    for (uint64_t i = 0; i < kSamples; ++i) {
      double w = 0, full = 0;
      mv_rt_error e{};
      if (backend::Interpreter::sampleFn(&interp, 5, i, &w, &full, preds.data(), &e) != 0) {
        EXPECT_EQ(e.kind, MV_RT_PROPOSAL_SUPPORT) << text;
        ++failed;
      }
    }
    bool fixed = ++models == 5;
    if (fixed) EXPECT_EQ(failed, 0u) << text;
    else EXPECT_TRUE(failed > 0 && failed < kSamples) << text << ": " << failed << " of " << kSamples << " failed";
  }
}

}  // namespace
}  // namespace mv::test
