// tests/unit/ir/SemanticsTest.cpp — ir::Word and ir/Semantics.h at the edges of int64: exact
// above 2^53, wrapping at INT64_MAX, INT64_MIN % -1, exact comparisons, conversions.
#include "ir/Semantics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mv::ir {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t k2p53 = int64_t(1) << 53;

Word I(int64_t v) { return Word::ofInt(v); }
Word R(double v) { return Word::ofReal(v); }

int64_t intOp(NodeKind k, int64_t a, int64_t b) { return evalBinary(k, Scalar::Int, I(a), I(b)).asInt(); }
bool intCmp(NodeKind k, int64_t a, int64_t b) { return evalBinary(k, Scalar::Int, I(a), I(b)).asBool(); }

TEST(Word, HoldsEveryInt64AndEveryDoubleExactly) {
  for (int64_t v : {int64_t(0), int64_t(-1), k2p53 + 1, kMax, kMin}) EXPECT_EQ(I(v).asInt(), v);
  EXPECT_EQ(R(-0.0).bits, uint64_t(1) << 63);
  EXPECT_TRUE(std::isnan(R(std::nan("")).asReal()));
  EXPECT_TRUE(Word::ofBool(true).asBool());
  EXPECT_EQ(Word::ofBool(true).asInt(), 1);
  EXPECT_FALSE(Word::ofBool(false).asBool());
}

TEST(Semantics, IntArithmeticIsExactAbove2To53) {
  EXPECT_EQ(intOp(NodeKind::Mod, k2p53 + 1, 2), 1);
  EXPECT_EQ(intOp(NodeKind::Add, k2p53, 1), k2p53 + 1);
  EXPECT_EQ(intOp(NodeKind::Sub, kMax, 1), kMax - 1);
  EXPECT_EQ(intOp(NodeKind::Mul, 3037000499, 3037000499), int64_t(9223372030926249001));
}

TEST(Semantics, IntArithmeticWrapsModulo2To64) {
  EXPECT_EQ(intOp(NodeKind::Add, kMax, 1), kMin);
  EXPECT_EQ(intOp(NodeKind::Sub, kMin, 1), kMax);
  EXPECT_EQ(intOp(NodeKind::Mul, kMax, 2), -2);
  EXPECT_EQ(evalUnary(NodeKind::Neg, Scalar::Int, I(kMin)).asInt(), kMin);
}

TEST(Semantics, RemainderHasTheSignOfTheLeftOperandAndMinusOneNeverTraps) {
  EXPECT_EQ(intOp(NodeKind::Mod, kMin, -1), 0);
  EXPECT_EQ(intOp(NodeKind::Mod, kMax, -1), 0);
  EXPECT_EQ(intOp(NodeKind::Mod, -7, 2), -1);
  EXPECT_EQ(intOp(NodeKind::Mod, 7, -2), 1);
  EXPECT_EQ(intOp(NodeKind::Mod, kMin, kMax), -1);
}

TEST(Semantics, IntComparisonsAreExact) {
  EXPECT_TRUE(intCmp(NodeKind::Gt, kMax, 0));
  EXPECT_TRUE(intCmp(NodeKind::Lt, kMin, 0));
  EXPECT_TRUE(intCmp(NodeKind::Ne, k2p53 + 1, k2p53));  // equal as doubles
  EXPECT_TRUE(intCmp(NodeKind::Lt, k2p53, k2p53 + 1));
  EXPECT_FALSE(intCmp(NodeKind::Eq, kMax, kMax - 1));
  EXPECT_TRUE(intCmp(NodeKind::Ge, kMax, kMax));
  EXPECT_TRUE(intCmp(NodeKind::Le, kMin, kMin));
}

TEST(Semantics, RealsStayIeee) {
  EXPECT_TRUE(evalBinary(NodeKind::Eq, Scalar::Real, R(0.0), R(-0.0)).asBool());
  EXPECT_FALSE(evalBinary(NodeKind::Eq, Scalar::Real, R(std::nan("")), R(std::nan(""))).asBool());
  EXPECT_EQ(evalBinary(NodeKind::Mod, Scalar::Real, R(7.5), R(2.0)).asReal(), 1.5);
  EXPECT_EQ(evalBinary(NodeKind::Div, Scalar::Real, R(1.0), R(4.0)).asReal(), 0.25);
  EXPECT_TRUE(sameValue(Scalar::Real, R(0.0), R(-0.0)));
  EXPECT_FALSE(sameValue(Scalar::Int, I(k2p53), I(k2p53 + 1)));
}

TEST(Semantics, BoolsAreTheInts0And1) {
  Word t = Word::ofBool(true), f = Word::ofBool(false);
  EXPECT_TRUE(evalBinary(NodeKind::Ne, Scalar::Bool, t, f).asBool());
  EXPECT_FALSE(evalBinary(NodeKind::And, Scalar::Bool, t, f).asBool());
  EXPECT_TRUE(evalBinary(NodeKind::Or, Scalar::Bool, t, f).asBool());
  EXPECT_TRUE(evalUnary(NodeKind::Not, Scalar::Bool, f).asBool());
  EXPECT_EQ(evalUnary(NodeKind::ToInt, Scalar::Int, t).asInt(), 1);
  EXPECT_EQ(evalUnary(NodeKind::ToReal, Scalar::Real, t).asReal(), 1.0);
}

TEST(Semantics, IntToRealRoundsToNearest) {
  EXPECT_EQ(evalUnary(NodeKind::ToReal, Scalar::Real, I(k2p53 + 1)).asReal(), 0x1p53);  // tie to even
  EXPECT_EQ(evalUnary(NodeKind::ToReal, Scalar::Real, I(k2p53 + 3)).asReal(), 0x1p53 + 4);
  EXPECT_EQ(evalUnary(NodeKind::ToReal, Scalar::Real, I(kMax)).asReal(), 0x1p63);
  EXPECT_EQ(I(kMax).toDouble(Scalar::Int), 0x1p63);
  EXPECT_EQ(convertWord(Scalar::Int, Scalar::Real, I(-3)).asReal(), -3.0);
  EXPECT_EQ(convertWord(Scalar::Bool, Scalar::Int, Word::ofBool(true)).asInt(), 1);
}

TEST(Semantics, RealToIntIsCvttsd2si) {
  EXPECT_EQ(intOfReal(-2.7), -2);
  EXPECT_EQ(intOfReal(0x1p62), int64_t(1) << 62);
  EXPECT_EQ(intOfReal(0x1p63), kMin);
  EXPECT_EQ(intOfReal(-0x1p63), kMin);
  EXPECT_EQ(intOfReal(std::nan("")), kMin);
  EXPECT_EQ(intOfReal(std::numeric_limits<double>::infinity()), kMin);
  EXPECT_EQ(Word::fromDouble(Scalar::Int, 0x1p53 - 1).asInt(), k2p53 - 1);
  EXPECT_TRUE(Word::fromDouble(Scalar::Bool, 1.0).asBool());
  EXPECT_EQ(Word::fromDouble(Scalar::Real, 0.1).asReal(), 0.1);
}

TEST(Semantics, IntBuiltinsStayExact) {
  using stdlib::Builtin;
  EXPECT_EQ(evalCall(Builtin::Abs, Scalar::Int, Scalar::Int, I(-(k2p53 + 1)), Word{}).asInt(), k2p53 + 1);
  EXPECT_EQ(evalCall(Builtin::Abs, Scalar::Int, Scalar::Int, I(kMin), Word{}).asInt(), kMin);  // wraps
  EXPECT_EQ(evalCall(Builtin::Max, Scalar::Int, Scalar::Int, I(k2p53), I(k2p53 + 1)).asInt(), k2p53 + 1);
  EXPECT_EQ(evalCall(Builtin::Min, Scalar::Int, Scalar::Int, I(kMax), I(kMax - 1)).asInt(), kMax - 1);
  EXPECT_EQ(evalCall(Builtin::Floor, Scalar::Int, Scalar::Real, R(-2.5), Word{}).asInt(), -3);
  EXPECT_EQ(evalCall(Builtin::Round, Scalar::Int, Scalar::Real, R(1e300), Word{}).asInt(), kMin);
  EXPECT_EQ(evalCall(Builtin::Sqrt, Scalar::Real, Scalar::Real, R(4.0), Word{}).asReal(), 2.0);
}

}  // namespace
}  // namespace mv::ir
