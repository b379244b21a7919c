// tests/unit/passes/ExactCountTest.cpp — the exact engine's up-front assignment bounds: they
// hold on every network and example, are exact where supports are constant, refuse 2^200 at
// once, and never refuse what enumeration finishes under the limit.
#include "backend/Exact.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mv::test {
namespace {

backend::ExactResult exactOf(const ir::QueryGraph& g, uint64_t limit = uint64_t(1) << 24) {
  return backend::runExact(g, backend::ExactOptions{limit});
}

passes::PipelineOptions noOptimize() {
  passes::PipelineOptions o;
  o.noOptimize = true;
  return o;
}

/// The bounds are true of the enumeration that followed them.
void expectBoundsHold(const backend::ExactResult& r, const std::string& what) {
  ASSERT_EQ(r.failure, backend::ExactFailure::None) << what;
  const backend::AssignmentBounds& b = r.bounds;
  ASSERT_FALSE(b.lower.saturated) << what;
  EXPECT_LE(b.lower.value, r.assignments) << what;
  if (!b.upper.unbounded && !b.upper.saturated) EXPECT_GE(b.upper.value, r.assignments) << what;
  if (b.exact) EXPECT_EQ(b.lower.value, r.assignments) << what;
}

TEST(ExactCount, BoundsHoldOnEveryNetworkAndExample) {
  std::vector<std::string> files = networkFiles();
  for (const std::string& f : exampleFiles()) files.push_back(f);
  int exact = 0, checked = 0;
  for (const std::string& file : files)
    for (const passes::PipelineOptions& opts : {passes::PipelineOptions{}, noOptimize()})
      for (const ir::QueryGraph& g : compileWith(file, readText(file), opts)) {
        backend::ExactResult r = exactOf(g);
        if (r.failure == backend::ExactFailure::ContinuousSite || r.failure == backend::ExactFailure::UnboundedSite)
          continue;
        expectBoundsHold(r, file + " " + g.name);
        exact += r.bounds.exact;
        ++checked;
      }
  EXPECT_GT(checked, 200);
  EXPECT_GT(exact, 0);
}

TEST(ExactCount, ExactWhereSupportsAreConstant) {
  // 2 * 2 * 3 (a zero-probability category is no assignment) * 6 (binomial(5, .)): 72.
  ir::QueryGraph g = compileWith("c.mv", R"(
model m {
  a ~ bernoulli(0.3)
  b ~ bernoulli(0.6)
  c ~ categorical([0.2, 0.0, 0.3, 0.5])
  k ~ binomial(5, 0.4)
  s = a || b || c == 2 || k > 3
}
query q on m { predict s }
)", noOptimize()).at(0);
  backend::ExactResult r = exactOf(g);
  expectBoundsHold(r, "c.mv");
  EXPECT_TRUE(r.bounds.exact);
  EXPECT_EQ(r.bounds.lower.value, 72u);
  EXPECT_EQ(r.bounds.upper.value, 72u);
  EXPECT_EQ(r.assignments, 72u);
}

TEST(ExactCount, TruncatedDiscreteSitesCountTheirInts) {
  // The ints of D's support within [lo, hi] with positive probability: categorical's 2 and 3
  // (1 has probability 0), poisson's 1 .. 4, binomial's 2 .. 5 (its n cuts hi = 9): 2 * 4 * 4.
  ir::QueryGraph g = compileWith("t.mv", R"(
model m {
  c ~ truncated(categorical([0.2, 0.0, 0.3, 0.5]), 1, 3)
  k ~ truncated(poisson(2.0), 1, 4)
  b ~ truncated(binomial(5, 0.4), 2, 9)
  s = c + k + b
}
query q on m { predict s }
)", noOptimize()).at(0);
  backend::ExactResult r = exactOf(g);
  expectBoundsHold(r, "t.mv");
  EXPECT_TRUE(r.bounds.exact);
  EXPECT_EQ(r.bounds.lower.value, 32u);
  EXPECT_EQ(r.assignments, 32u);
  // A bound known only at run time: at most binomial's 0 .. 5 values, 6 + 3 enumerated.
  ir::QueryGraph h = compileWith("u.mv", R"(
model m {
  a ~ bernoulli(0.5)
  n ~ truncated(binomial(5, 0.4), (a ? 0 : 3), 9)
}
query q on m { predict n }
)", noOptimize()).at(0);
  backend::ExactResult rh = exactOf(h);
  expectBoundsHold(rh, "u.mv");
  EXPECT_EQ(rh.assignments, 9u);
  EXPECT_EQ(rh.bounds.upper.value, 12u);
}

TEST(ExactCount, AFactorCanCutTheEnumeration) {
  // A factor of -inf ends the branch a == 0 before b: 3 * 4 + 1 = 13 assignments, not 16,
  // so the count after it is a bound, not exact.
  ir::QueryGraph g = compileWith("f.mv", R"(
model m {
  a ~ categorical([0.25, 0.25, 0.25, 0.25])
  factor a == 0 ? log(0.0) : 0.0
  b ~ categorical([0.25, 0.25, 0.25, 0.25])
}
query q on m { predict b }
)", noOptimize()).at(0);
  backend::ExactResult r = exactOf(g);
  expectBoundsHold(r, "f.mv");
  EXPECT_FALSE(r.bounds.exact);
  EXPECT_EQ(r.assignments, 13u);
}

TEST(ExactCount, RefusesTwoToThe200AtOnce) {
  ir::QueryGraph g = compileWith("big.mv", R"(
model m {
  for i in 0..200 { b[i] ~ bernoulli(0.5) }
  s = b[0] || b[199]
}
query q on m { predict s }
)", noOptimize()).at(0);
  backend::ExactResult r = exactOf(g);
  EXPECT_EQ(r.failure, backend::ExactFailure::TooManyAssignments);
  EXPECT_TRUE(r.counted);
  EXPECT_EQ(r.assignments, 0u);  // nothing was enumerated
  EXPECT_TRUE(r.bounds.exact);
  EXPECT_EQ(r.bounds.lower.text(), "2^200");
  EXPECT_EQ(g.nodes.at(r.site).name, "b[24]");  // 2^25 > 2^24
}

TEST(ExactCount, CountsPastTwoToThe64WithoutAPowerOfTwo) {
  backend::AssignmentCount c;
  for (int i = 0; i < 50; ++i) c.times(3);
  EXPECT_TRUE(c.saturated);
  EXPECT_FALSE(c.powerOfTwo);
  EXPECT_EQ(c.text(), "about 2^79.2");  // 3^50 = 2^79.25
  backend::AssignmentCount d;
  for (int i = 0; i < 40; ++i) d.times(2);
  EXPECT_EQ(d.text(), "1099511627776");
}

TEST(ExactCount, NeverRefusesWhatEnumerationFinishes) {
  // Zero-probability values, guards and zero-weight cuts keep the enumeration far below the
  // product of the support sizes: none of these may be refused by counting.
  std::ostringstream cuts;
  cuts << "model m {\n  for i in 0..30 { b[i] ~ bernoulli(0.5)  c[i] = b[i] && b[0] }\n}\nquery q on m {\n";
  for (int i = 1; i < 30; ++i) cuts << "  observe c[" << i << "] == false\n";
  cuts << "  observe b[0] == true\n  predict b[29]\n}\n";
  const char* sure = R"(
model m {
  u ~ bernoulli(0.5)
  for i in 0..40 { b[i] ~ bernoulli(u ? 0.0 : 1.0) }
  s = b[0] || b[39]
}
query q on m { predict s }
)";
  const char* guarded = R"(
model m {
  g ~ bernoulli(0.0)
  if g { for i in 0..40 { b[i] ~ bernoulli(0.5) }  s = b[0] || b[39] } else { s = false }
}
query q on m { predict s }
)";
  for (std::string text : {cuts.str(), std::string(sure), std::string(guarded)}) {
    ir::QueryGraph g = compileWith("n.mv", text, noOptimize()).at(0);
    backend::ExactResult r = exactOf(g, 1000);
    expectBoundsHold(r, text);
    EXPECT_TRUE(r.bounds.upper.over(1000)) << text;  // a product bound alone would refuse it
    EXPECT_FALSE(r.bounds.exact) << text;
  }
}

}  // namespace
}  // namespace mv::test
