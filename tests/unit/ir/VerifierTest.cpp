// tests/unit/ir/VerifierTest.cpp — the verifier accepts a well-formed graph and names each broken invariant.
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
