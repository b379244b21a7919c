// ir/Semantics.h — the value of each scalar node kind: one definition for the constant
// folder, the interpreter and (by construction) the code generator.
#pragma once

#include "ir/Graph.h"

#include <cmath>
#include <cstdint>

namespace mv::ir {

/// Values travel as doubles: bool is 0/1, int an exact integer (|v| < 2^53).
/// Integer arithmetic wraps modulo 2^64, like the generated code's i64 operations.
inline int64_t asInt(double v) { return int64_t(v); }

inline double wrapAdd(int64_t a, int64_t b) { return double(int64_t(uint64_t(a) + uint64_t(b))); }
inline double wrapSub(int64_t a, int64_t b) { return double(int64_t(uint64_t(a) - uint64_t(b))); }
inline double wrapMul(int64_t a, int64_t b) { return double(int64_t(uint64_t(a) * uint64_t(b))); }

/// Result of an error-free binary operation of kind `k` whose result type is `t` on
/// operands of type `operandType`. Integer `%` by zero must be checked by the caller.
inline double evalBinary(NodeKind k, Scalar operandType, double a, double b) {
  bool isInt = operandType != Scalar::Real;
  switch (k) {
    case NodeKind::Add: return isInt ? wrapAdd(asInt(a), asInt(b)) : a + b;
    case NodeKind::Sub: return isInt ? wrapSub(asInt(a), asInt(b)) : a - b;
    case NodeKind::Mul: return isInt ? wrapMul(asInt(a), asInt(b)) : a * b;
    case NodeKind::Div: return a / b;
    case NodeKind::Mod:
      if (isInt) {
        int64_t x = asInt(a), y = asInt(b);
        return (y == -1) ? 0.0 : double(x % y);  // INT64_MIN % -1 traps in hardware
      }
      return std::fmod(a, b);
    case NodeKind::Lt: return a < b;
    case NodeKind::Le: return a <= b;
    case NodeKind::Gt: return a > b;
    case NodeKind::Ge: return a >= b;
    case NodeKind::Eq: return a == b;
    case NodeKind::Ne: return a != b;
    case NodeKind::And: return (a != 0) && (b != 0);
    case NodeKind::Or: return (a != 0) || (b != 0);
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Copy: case NodeKind::Neg:
    case NodeKind::Not: case NodeKind::ToInt: case NodeKind::ToReal: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: break;
  }
  return 0;
}

/// Result of a unary operation; `t` is the result (and operand) type.
inline double evalUnary(NodeKind k, Scalar t, double a) {
  switch (k) {
    case NodeKind::Neg: return t == Scalar::Real ? -a : wrapSub(0, asInt(a));
    case NodeKind::Not: return a == 0;
    case NodeKind::Copy: case NodeKind::ToInt: case NodeKind::ToReal: return a;
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Add: case NodeKind::Sub:
    case NodeKind::Mul: case NodeKind::Div: case NodeKind::Mod: case NodeKind::Lt:
    case NodeKind::Le: case NodeKind::Gt: case NodeKind::Ge: case NodeKind::Eq:
    case NodeKind::Ne: case NodeKind::And: case NodeKind::Or: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: break;
  }
  return 0;
}

/// Builtins whose result is int take their value through this (floor/ceil/round/abs/min/max
/// on ints stay exact).
inline double evalIntAbs(double a) { int64_t x = asInt(a); return double(x < 0 ? int64_t(0 - uint64_t(x)) : x); }

}  // namespace mv::ir
