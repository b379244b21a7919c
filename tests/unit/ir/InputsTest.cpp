// tests/unit/ir/InputsTest.cpp — inputsOf, the one dependence rule: an intervened node reads its value node, never its operands.
#include "ir/Inputs.h"

#include <gtest/gtest.h>

namespace mv::ir {
namespace {

/// p = 0.5; g ~ bernoulli(p); b ~ bernoulli(p) if g; v = true; v2 = false.
/// World 0 intervenes b = v; world 1 does g = v2.
struct Fixture {
  QueryGraph g;
  NodeId p, guard, b, v, v2;
  Fixture() {
    Node c{NodeKind::Const, Scalar::Real};
    c.constant = Word::ofReal(0.5);
    p = g.add(c);
    Node s{NodeKind::Site, Scalar::Bool, {p}};
    s.site.dist = stdlib::Distribution::Bernoulli;
    s.site.numParams = 1;
    guard = g.add(s);
    s.guard = guard;
    s.site.ordinal = 1;
    b = g.add(s);
    Node t{NodeKind::Const, Scalar::Bool};
    t.constant = Word::ofBool(true);
    v = g.add(t);
    t.constant = Word::ofBool(false);
    v2 = g.add(t);
    g.worlds.push_back(World{WorldKind::Factual, {Intervention{b, v, {}}}, {}});
    g.worlds.push_back(World{WorldKind::Counterfactual, {Intervention{guard, v2, {}}}, {}});
  }
};

using Ids = std::vector<NodeId>;

TEST(Inputs, EvaluatedNodeReadsOperandsThenGuard) {
  Fixture f;
  EXPECT_EQ(inputsOf(f.g, 0, f.guard, Edges::All), (Ids{f.p}));
  f.g.worlds[0].interventions.clear();
  EXPECT_EQ(inputsOf(f.g, 0, f.b, Edges::All), (Ids{f.p, f.guard}));
}

TEST(Inputs, FactualInterventionReadsGuardThenValueNotOperands) {
  Fixture f;
  EXPECT_EQ(inputsOf(f.g, 0, f.b, Edges::All), (Ids{f.guard, f.v}));
  EXPECT_EQ(inputsOf(f.g, 0, f.b, Edges::Counterfactual), (Ids{f.guard, f.v}));
}

TEST(Inputs, CounterfactualWorldReadsOnlyTheValue) {
  Fixture f;
  // Its own `do` applies whatever the guard; a kept factual `intervene` keeps its value.
  EXPECT_EQ(inputsOf(f.g, 1, f.guard, Edges::Counterfactual), (Ids{f.v2}));
  EXPECT_EQ(inputsOf(f.g, 1, f.b, Edges::Counterfactual), (Ids{f.v}));
  // The `do` is world 1's only: the factual world evaluates the guard site.
  EXPECT_EQ(inputsOf(f.g, 0, f.guard, Edges::Counterfactual), (Ids{f.p}));
}

TEST(Inputs, ARedrawnSiteReadsItsFactualSelfParametersAndGuard) {
  Fixture f;
  f.g.worlds[0].interventions.clear();
  // World 1 sets the guard and evaluates b: b's redraw compares with the factual b, p, guard.
  EXPECT_EQ(factualInputsOf(f.g, 1, f.b), (Ids{f.b, f.p, f.guard}));
  EXPECT_EQ(WorldView(f.g, 1).factualInputsOf(f.b), (Ids{f.b, f.p, f.guard}));
  // Nothing in the factual world, for a node a world sets, or for a deterministic node.
  EXPECT_TRUE(factualInputsOf(f.g, 0, f.b).empty());
  EXPECT_TRUE(factualInputsOf(f.g, 1, f.guard).empty());
  EXPECT_TRUE(factualInputsOf(f.g, 1, f.p).empty());
  // A factual `intervene` the world keeps: set there, no redraw.
  Fixture kept;
  EXPECT_TRUE(factualInputsOf(kept.g, 1, kept.b).empty());
}

TEST(Inputs, WorldViewAgreesWithInputsOf) {
  Fixture f;
  for (size_t w = 0; w < f.g.worlds.size(); ++w) {
    WorldView view(f.g, w);
    for (NodeId id = 0; id < f.g.nodes.size(); ++id)
      for (Edges e : {Edges::All, Edges::Counterfactual}) EXPECT_EQ(view.inputsOf(id, e), inputsOf(f.g, w, id, e));
    for (NodeId id = 0; id < f.g.nodes.size(); ++id) EXPECT_EQ(view.factualInputsOf(id), factualInputsOf(f.g, w, id));
  }
  EXPECT_EQ(WorldView(f.g, 1).setBy(f.guard)->valueNode, f.v2);
  EXPECT_EQ(WorldView(f.g, 0).setBy(f.guard), nullptr);
}

}  // namespace
}  // namespace mv::ir
