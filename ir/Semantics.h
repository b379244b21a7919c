// ir/Semantics.h — the value of each scalar node kind: one definition for the constant
// folder, the interpreter and (by construction) the code generator.
#pragma once

#include "ir/Graph.h"
#include "ir/Word.h"

#include <cmath>
#include <cstdint>

namespace mv::ir {

/// Values are ir::Word (ir/Word.h): ints exact int64, bools 0/1, reals doubles.
/// Integer arithmetic wraps modulo 2^64, like the generated code's i64 operations.
inline Word wrapAdd(int64_t a, int64_t b) { return Word::ofInt(int64_t(uint64_t(a) + uint64_t(b))); }
inline Word wrapSub(int64_t a, int64_t b) { return Word::ofInt(int64_t(uint64_t(a) - uint64_t(b))); }
inline Word wrapMul(int64_t a, int64_t b) { return Word::ofInt(int64_t(uint64_t(a) * uint64_t(b))); }

/// Result of an error-free binary operation of kind `k` whose result type is `t` on
/// operands of type `operandType`. Integer `%` by zero must be checked by the caller.
/// Bool operands (`==`/`!=` of two bools, `&&`, `||`) compare as the ints 0/1.
inline Word evalBinary(NodeKind k, Scalar operandType, Word a, Word b) {
  const bool isInt = operandType != Scalar::Real;
  const int64_t i = a.asInt(), j = b.asInt();
  const double x = a.asReal(), y = b.asReal();
  switch (k) {
    case NodeKind::Add: return isInt ? wrapAdd(i, j) : Word::ofReal(x + y);
    case NodeKind::Sub: return isInt ? wrapSub(i, j) : Word::ofReal(x - y);
    case NodeKind::Mul: return isInt ? wrapMul(i, j) : Word::ofReal(x * y);
    case NodeKind::Div: return Word::ofReal(x / y);
    case NodeKind::Mod:
      if (isInt) return Word::ofInt(j == -1 ? 0 : i % j);  // INT64_MIN % -1 traps in hardware
      return Word::ofReal(std::fmod(x, y));
    case NodeKind::Lt: return Word::ofBool(isInt ? i < j : x < y);
    case NodeKind::Le: return Word::ofBool(isInt ? i <= j : x <= y);
    case NodeKind::Gt: return Word::ofBool(isInt ? i > j : x > y);
    case NodeKind::Ge: return Word::ofBool(isInt ? i >= j : x >= y);
    case NodeKind::Eq: return Word::ofBool(isInt ? i == j : x == y);
    case NodeKind::Ne: return Word::ofBool(isInt ? i != j : x != y);
    case NodeKind::And: return Word::ofBool(a.asBool() && b.asBool());
    case NodeKind::Or: return Word::ofBool(a.asBool() || b.asBool());
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Copy: case NodeKind::Neg:
    case NodeKind::Not: case NodeKind::ToInt: case NodeKind::ToReal: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: case NodeKind::Factor: case NodeKind::Read:
    case NodeKind::Data: case NodeKind::Table: break;
  }
  return Word{};
}

/// Result of a unary operation; `t` is the result type (the operand's, except for the
/// conversions, whose operands are bool or int: both are int64 words).
inline Word evalUnary(NodeKind k, Scalar t, Word a) {
  switch (k) {
    case NodeKind::Neg: return t == Scalar::Real ? Word::ofReal(-a.asReal()) : wrapSub(0, a.asInt());
    case NodeKind::Not: return Word::ofBool(!a.asBool());
    case NodeKind::ToReal: return Word::ofReal(double(a.asInt()));  // rounds to nearest
    case NodeKind::Copy: case NodeKind::ToInt: case NodeKind::Factor: return a;
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Add: case NodeKind::Sub:
    case NodeKind::Mul: case NodeKind::Div: case NodeKind::Mod: case NodeKind::Lt:
    case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge: case NodeKind::Eq:
    case NodeKind::Ne: case NodeKind::And: case NodeKind::Or: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: case NodeKind::Read:
    case NodeKind::Data: case NodeKind::Table: break;
  }
  return Word{};
}

/// A call of builtin `b` with result type `t` on operands of type `operandType`: abs, min
/// and max of ints stay exact in int64 (abs(INT64_MIN) wraps to itself); floor, ceil and
/// round take a real and give its int (intOfReal of the rounded value); the rest are real.
inline Word evalCall(stdlib::Builtin b, Scalar t, Scalar operandType, Word a0, Word a1) {
  if (operandType != Scalar::Real) {
    const int64_t x = a0.asInt(), y = a1.asInt();
    if (b == stdlib::Builtin::Min) return Word::ofInt(y < x ? y : x);
    if (b == stdlib::Builtin::Max) return Word::ofInt(y > x ? y : x);
    return x < 0 ? wrapSub(0, x) : Word::ofInt(x);  // abs
  }
  double args[2] = {a0.asReal(), a1.asReal()};
  double r = stdlib::evalScalarBuiltin(b, t, args);
  return t == Scalar::Int ? Word::ofInt(intOfReal(r)) : Word::ofReal(r);
}

/// A Table node's value: bit j of its table, where bit i of j is operand i's bool.
inline Word evalTable(const Node& n, const Word* vals) {
  uint64_t j = 0;
  for (size_t i = 0; i < n.operands.size(); ++i) j |= uint64_t(vals[n.operands[i]].asBool()) << i;
  return Word::ofBool((n.table[j >> 6] >> (j & 63)) & 1);
}

/// Whether node `id` is evaluated by evalPure alone: deterministic, reading only its operands
/// in its own world, never raising a run-time error (so not a site, Read, Data, Factor,
/// IndexSelect (its range check) or an int `%` (its zero check)).
inline bool isPure(const QueryGraph& g, NodeId id) {
  const Node& n = g.nodes[id];
  switch (n.kind) {
    case NodeKind::Site: case NodeKind::Read: case NodeKind::Data: case NodeKind::Factor:
    case NodeKind::IndexSelect: return false;
    case NodeKind::Mod: return g.nodes[n.operands[0]].type == Scalar::Real;
    case NodeKind::Const: case NodeKind::Copy: case NodeKind::Neg: case NodeKind::Not: case NodeKind::ToInt:
    case NodeKind::ToReal: case NodeKind::Add: case NodeKind::Sub: case NodeKind::Mul: case NodeKind::Div:
    case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge: case NodeKind::Eq:
    case NodeKind::Ne: case NodeKind::And: case NodeKind::Or: case NodeKind::Select: case NodeKind::Merge:
    case NodeKind::Call: case NodeKind::Table: return true;
  }
  return false;
}

/// The value of node `id` from its operands' values in `vals`, for every kind but a site, a
/// Read and Data (their values come from elsewhere); an int `%` by zero and an IndexSelect out
/// of range must be checked by the caller. The interpreter's evalNode (and through it the
/// exact engine) and the boolean-table pass both evaluate with this, so a table is exact.
inline Word evalPure(const QueryGraph& g, NodeId id, const Word* vals) {
  const Node& n = g.nodes[id];
  auto in = [&](size_t k) { return vals[n.operands[k]]; };
  switch (n.kind) {
    case NodeKind::Const: return n.constant;
    case NodeKind::Copy: case NodeKind::Factor: case NodeKind::ToInt: case NodeKind::ToReal: case NodeKind::Neg:
    case NodeKind::Not: return evalUnary(n.kind, n.type, in(0));
    case NodeKind::Mod: case NodeKind::Add: case NodeKind::Sub: case NodeKind::Mul: case NodeKind::Div:
    case NodeKind::Lt: case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge: case NodeKind::Eq:
    case NodeKind::Ne: case NodeKind::And: case NodeKind::Or:
      return evalBinary(n.kind, g.nodes[n.operands[0]].type, in(0), in(1));
    case NodeKind::Select: case NodeKind::Merge: return in(0).asBool() ? in(1) : in(2);
    case NodeKind::Call:
      return evalCall(n.builtin, n.type, g.nodes[n.operands[0]].type, in(0), n.operands.size() > 1 ? in(1) : Word{});
    case NodeKind::IndexSelect: {
      const uint64_t k = in(0).bits;
      return k < n.operands.size() - 1 ? in(1 + size_t(k)) : Word{};
    }
    case NodeKind::Table: return evalTable(n, vals);
    case NodeKind::Site: case NodeKind::Read: case NodeKind::Data: break;
  }
  return Word{};
}

}  // namespace mv::ir
