// tests/unit/ir/VerifierTest.cpp — the verifier accepts a well-formed graph and names each broken invariant.
#include "ir/Plan.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <gtest/gtest.h>

namespace mv::ir {
namespace {

/// p = 0.5; b ~ bernoulli(p); n = !b; factual schedule p b n; predict n.
QueryGraph tiny() {
  QueryGraph g;
  g.name = "q";
  g.model = "m";
  g.numSites = 1;
  Node p{NodeKind::Const, Scalar::Real};
  p.constant = Word::ofReal(0.5);
  NodeId pid = g.add(p);
  Node b{NodeKind::Site, Scalar::Bool, {pid}};
  b.name = "b";
  b.site.dist = stdlib::Distribution::Bernoulli;
  b.site.numParams = 1;
  NodeId bid = g.add(b);
  NodeId nid = g.add(Node{NodeKind::Not, Scalar::Bool, {bid}});
  g.worlds.push_back(World{WorldKind::Factual, {}, {pid, bid, nid}});
  g.predictions.push_back(Prediction{"!b", 0, nid});
  return g;
}

bool mentions(const std::vector<std::string>& errors, const std::string& what) {
  for (const std::string& e : errors)
    if (e.find(what) != std::string::npos) return true;
  return false;
}

TEST(Verifier, AcceptsWellFormedGraph) { EXPECT_TRUE(verify(tiny()).empty()); }

TEST(Verifier, RejectsOperandTypeMismatch) {
  QueryGraph g = tiny();
  g.nodes[2].operands = {0};  // not of a real
  EXPECT_TRUE(mentions(verify(g), "operand 0 must be bool"));
}

TEST(Verifier, RejectsScheduleOutOfOrder) {
  QueryGraph g = tiny();
  g.worlds[0].schedule = {0, 2, 1};
  EXPECT_TRUE(mentions(verify(g), "before it is computed"));
}

TEST(Verifier, RejectsSiteOrdinalOutOfRange) {
  QueryGraph g = tiny();
  g.nodes[1].site.ordinal = 7;
  EXPECT_TRUE(mentions(verify(g), "ordinal"));
}

TEST(Verifier, RejectsCounterfactualReadOfUncomputedValue) {
  QueryGraph g = tiny();
  g.worlds[0].schedule = {0, 1};
  g.worlds.push_back(World{WorldKind::Counterfactual, {}, {}});
  g.predictions[0].world = 1;  // %2 is computed in neither world
  EXPECT_FALSE(verify(g).empty());
}

TEST(Verifier, AcceptsCounterfactualPredictionComputedOnlyThere) {
  QueryGraph g = tiny();
  g.worlds[0].schedule = {0, 1};  // the factual world is sliced: nothing it observes reads %2
  g.worlds.push_back(World{WorldKind::Counterfactual, {}, {2}});
  g.predictions[0].world = 1;
  EXPECT_TRUE(verify(g).empty());
}

/// tiny() with `intervene b = v`, v the const true %3, computed before b.
QueryGraph intervened() {
  QueryGraph g = tiny();
  Node v{NodeKind::Const, Scalar::Bool};
  v.constant = Word::ofBool(true);
  NodeId vid = g.add(v);
  g.worlds[0].interventions.push_back(Intervention{1, vid, {}});
  g.worlds[0].schedule = {0, vid, 1, 2};
  return g;
}

TEST(Verifier, AcceptsInterventionValueComputedBefore) { EXPECT_TRUE(verify(intervened()).empty()); }

TEST(Verifier, RejectsInterventionValueComputedAfter) {
  QueryGraph g = intervened();
  g.worlds[0].schedule = {0, 1, 3, 2};
  EXPECT_TRUE(mentions(verify(g), "reads %3 before it is computed in world 0"));
}

TEST(Verifier, RejectsInterventionValueOfAnotherType) {
  QueryGraph g = intervened();
  g.worlds[0].interventions[0].valueNode = 0;  // the real 0.5
  EXPECT_TRUE(mentions(verify(g), "intervention value of another type"));
}

TEST(Verifier, RejectsAGuardedInterventionValue) {
  // Expression values are nodes like any other, but a value is never guarded.
  QueryGraph g = intervened();
  g.nodes[g.worlds[0].interventions[0].valueNode].guard = 1;
  EXPECT_TRUE(mentions(verify(g), "intervention value is guarded"));
}

TEST(Verifier, RejectsAReadWithoutAWorldOfItsOwn) {
  QueryGraph g = intervened();
  Node r{NodeKind::Read, Scalar::Bool};
  r.readNode = 1;
  r.readWorld = 0;
  r.home = 0;  // a Read belongs to the world that evaluates it, never the factual one
  g.add(r);
  EXPECT_TRUE(mentions(verify(g), "read needs a world of its own"));
}

TEST(Verifier, RejectsInterventionValueWithABadId) {
  QueryGraph g = intervened();
  g.worlds[0].interventions[0].valueNode = 99;
  EXPECT_TRUE(mentions(verify(g), "intervention value is a bad id"));
}

TEST(Verifier, ChecksAnIntervenedNodesGuardInTheFactualWorld) {
  // The factual world reads the guard first: it must be computed before the node it guards.
  QueryGraph g = intervened();
  Node guard{NodeKind::Const, Scalar::Bool};
  guard.constant = Word::ofBool(true);
  NodeId gid = g.add(guard);
  g.nodes[1].guard = gid;
  g.worlds[0].schedule = {0, 3, 1, gid, 2};
  EXPECT_TRUE(mentions(verify(g), "guard not computed before it in world 0"));
  g.worlds[0].schedule = {0, 3, gid, 1, 2};
  EXPECT_TRUE(verify(g).empty());
}

TEST(Plan, SetsAnIntervenedNodeFromItsValueNode) {
  Plan plan = buildPlan(intervened());
  ASSERT_EQ(plan.steps.size(), 4u);
  EXPECT_EQ(plan.steps[2].kind, StepKind::Set);
  EXPECT_EQ(plan.steps[2].node, 1u);
  EXPECT_EQ(plan.steps[2].value, 3u);
  EXPECT_EQ(plan.steps[3].kind, StepKind::Evaluate);
  EXPECT_TRUE(verifyPlan(intervened(), plan).empty());
}

TEST(Plan, CounterfactualDoHasNoGuardAndRedrawsDownstream) {
  QueryGraph g = tiny();
  Node v{NodeKind::Const, Scalar::Real};
  v.constant = Word::ofReal(0.25);
  NodeId vid = g.add(v);
  g.worlds[0].schedule = {vid, 0, 1, 2};
  g.nodes[1].guard = 2;  // not well formed as a model, but the rule is what matters here
  g.worlds.push_back(World{WorldKind::Counterfactual, {Intervention{0, vid, {}}}, {0, 1}});
  Plan plan = buildPlan(g);
  ASSERT_EQ(plan.steps.size(), 7u);
  EXPECT_EQ(plan.steps[4].kind, StepKind::EnterWorld);
  EXPECT_EQ(plan.steps[5].kind, StepKind::Set);
  EXPECT_EQ(plan.steps[5].guard, kNoNode);
  EXPECT_EQ(plan.steps[6].kind, StepKind::Redraw);
  EXPECT_EQ(plan.steps[6].guard, 2u);
}

TEST(Plan, VerifierRejectsARedrawWhoseFactualSiteIsNotComputed) {
  // Consistency: the redraw of b compares with the factual b, so the factual world computes it.
  QueryGraph g = tiny();
  Node v{NodeKind::Const, Scalar::Real};
  v.constant = Word::ofReal(0.25);
  NodeId vid = g.add(v);
  g.worlds.push_back(World{WorldKind::Counterfactual, {Intervention{0, vid, {}}}, {0, 1}});
  g.worlds[0].schedule = {vid, 0};
  EXPECT_TRUE(mentions(verifyPlan(g, buildPlan(g)), "compares with the factual %1"));
  g.worlds[0].schedule = {vid, 0, 1};
  EXPECT_TRUE(verifyPlan(g, buildPlan(g)).empty());
}

TEST(Plan, VerifierRejectsAStepBeforeWhatItReads) {
  QueryGraph g = intervened();
  Plan plan = buildPlan(g);
  std::swap(plan.steps[1], plan.steps[2]);  // b set before its value is computed
  EXPECT_TRUE(mentions(verifyPlan(g, plan), "%1 reads %3 before it is computed"));
  plan = buildPlan(g);
  plan.steps[2].kind = StepKind::Draw;  // b evaluated although the intervention sets it
  EXPECT_TRUE(mentions(verifyPlan(g, plan), "set there exactly when"));
}

TEST(Printer, PrintsAnInterventionsValueNode) {
  EXPECT_NE(toString(intervened()).find("  intervene %1<b> = %3\n"), std::string::npos);
}

TEST(Printer, IsStable) {
  EXPECT_EQ(toString(tiny()),
            "query q on m : observational\n"
            "nodes:\n"
            "  %0 = const 0.5 : real\n"
            "  %1 b = site #0 bernoulli(%0) : bool\n"
            "  %2 = not %1<b> : bool\n"
            "world 0 factual:\n"
            "  compute %0 %1 %2\n"
            "predict \"!b\" factual %2\n");
  EXPECT_EQ(formatValue(Word::ofReal(1), Scalar::Real), "1.0");
  EXPECT_EQ(formatValue(Word::ofReal(0.1), Scalar::Real), "0.1");
  EXPECT_EQ(formatValue(Word::ofInt(-3), Scalar::Int), "-3");
  EXPECT_EQ(formatValue(Word::ofBool(true), Scalar::Bool), "true");
}

}  // namespace
}  // namespace mv::ir
