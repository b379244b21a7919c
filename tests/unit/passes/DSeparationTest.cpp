// tests/unit/passes/DSeparationTest.cpp — Bayes-ball on chains, forks, colliders and twin networks.
#include "passes/DSeparation.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

namespace mv::test {
namespace {

struct Net {
  ir::QueryGraph g;
  passes::TwinNetwork net;
  explicit Net(const std::string& text) : g(compile(text)), net(g) {}
  static ir::QueryGraph compile(const std::string& text) {
    passes::PipelineOptions none;
    none.noOptimize = true;
    return compileWith("d.mv", text, none).at(0);
  }
  uint32_t v(const std::string& name, size_t world = 0) const {
    for (ir::NodeId id = 0; id < g.nodes.size(); ++id)
      if (g.nodes[id].name == name) return net.vertex(world, id);
    ADD_FAILURE() << "no node " << name;
    return 0;
  }
  bool separated(const std::string& x, const std::string& y, std::vector<std::string> given, size_t yWorld = 0) const {
    std::vector<char> z(net.size(), 0);
    for (const std::string& n : given) z[v(n)] = 1;
    return passes::dSeparated(net, v(x), {v(y, yWorld)}, z);
  }
};

const char* kDag = R"(
model m {
  a ~ bernoulli(0.5)
  b ~ bernoulli(a ? 0.9 : 0.1)
  c ~ bernoulli(b ? 0.9 : 0.1)
  d ~ bernoulli(0.5)
  e = b || d
  f = !e
}
query q on m { predict c }
)";

TEST(DSeparation, Chain) {
  Net n(kDag);
  EXPECT_FALSE(n.separated("a", "c", {}));
  EXPECT_TRUE(n.separated("a", "c", {"b"}));
}

TEST(DSeparation, Fork) {
  Net n(kDag);
  EXPECT_FALSE(n.separated("c", "e", {}));
  EXPECT_TRUE(n.separated("c", "e", {"b"}));
}

TEST(DSeparation, ColliderOpensWhenItOrADescendantIsObserved) {
  Net n(kDag);
  EXPECT_TRUE(n.separated("a", "d", {}));
  EXPECT_FALSE(n.separated("a", "d", {"e"}));
  EXPECT_FALSE(n.separated("a", "d", {"f"}));
  EXPECT_TRUE(n.separated("a", "d", {"e", "b"}));
}

TEST(DSeparation, TwinNetworkSharesNoiseAcrossWorlds) {
  Net n(R"(
model m {
  u ~ bernoulli(0.2)
  x ~ bernoulli(0.5)
  w ~ bernoulli(0.5)
  y = x != u
}
query q on m {
  observe w == true
  do x = true
  predict y
}
)");
  // Factual x and counterfactual y: separated (the do cuts x' from x), but the factual y
  // reaches y' through the shared noise u.
  EXPECT_TRUE(n.separated("x", "y", {}, 1));
  EXPECT_FALSE(n.separated("y", "y", {}, 1));
  EXPECT_TRUE(n.separated("w", "y", {}, 1));
  EXPECT_NE(n.v("y", 1), n.v("y", 0));
  EXPECT_EQ(n.v("u", 1), n.v("u", 0));  // not recomputed: shared
}

}  // namespace
}  // namespace mv::test
