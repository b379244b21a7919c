// backend/CodegenNodes.cpp — deterministic nodes, exactly as ir/Semantics.h and Interpreter::evalNode.
#include "backend/CodegenContext.h"

#include "ir/Semantics.h"

namespace mv::backend::cg {

using ir::NodeKind;
using llvm::Value;

Value* asInt(Gen& gen, Value* v) {
  // int64_t(double) compiles to cvttsd2si, which gives INT64_MIN for NaN and out-of-range
  // values; LLVM's fptosi would give poison there.
  llvm::IRBuilder<>& b = gen.b;
  Value* inRange = b.CreateAnd(b.CreateFCmpOGE(v, gen.real(-0x1p63)), b.CreateFCmpOLT(v, gen.real(0x1p63)));
  return b.CreateSelect(inRange, b.CreateFPToSI(v, gen.i64()), b.getInt64(uint64_t(1) << 63));
}

Value* fromBool(Gen& gen, Value* c) { return gen.b.CreateUIToFP(c, gen.f64()); }

Value* truth(Gen& gen, Value* v) { return gen.b.CreateFCmpUNE(v, gen.real(0)); }

namespace {

Value* fromInt(Gen& gen, Value* i) { return gen.b.CreateSIToFP(i, gen.f64()); }

Value* emitBuiltin(Gen& gen, const ir::Node& n, Value* a0, Value* a1) {
  llvm::IRBuilder<>& b = gen.b;
  if (n.builtin == stdlib::Builtin::Abs && n.type == ir::Scalar::Int) {  // ir::evalIntAbs
    Value* x = asInt(gen, a0);
    return fromInt(gen, b.CreateSelect(b.CreateICmpSLT(x, b.getInt64(0)), b.CreateSub(b.getInt64(0), x), x));
  }
  // stdlib::evalScalarBuiltin; correctly rounded operations become intrinsics, the rest libm.
  switch (n.builtin) {
    case stdlib::Builtin::Exp: return gen.libm("exp", {a0});
    case stdlib::Builtin::Log: return gen.libm("log", {a0});
    case stdlib::Builtin::Log1p: return gen.libm("log1p", {a0});
    case stdlib::Builtin::Expm1: return gen.libm("expm1", {a0});
    case stdlib::Builtin::Sqrt: return b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, a0);
    case stdlib::Builtin::Abs: return b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a0);
    case stdlib::Builtin::Pow: return gen.libm("pow", {a0, a1});
    case stdlib::Builtin::Min: return b.CreateSelect(b.CreateFCmpOLT(a1, a0), a1, a0);
    case stdlib::Builtin::Max: return b.CreateSelect(b.CreateFCmpOGT(a1, a0), a1, a0);
    case stdlib::Builtin::Floor: return b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, a0);
    case stdlib::Builtin::Ceil: return b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, a0);
    case stdlib::Builtin::Round: return b.CreateUnaryIntrinsic(llvm::Intrinsic::round, a0);
    case stdlib::Builtin::Sigmoid: {
      Value* one = gen.real(1);
      Value* pos = b.CreateFDiv(one, b.CreateFAdd(one, gen.libm("exp", {b.CreateFNeg(a0)})));
      Value* e = gen.libm("exp", {a0});
      Value* neg = b.CreateFDiv(e, b.CreateFAdd(one, e));
      return b.CreateSelect(b.CreateFCmpOGE(a0, gen.real(0)), pos, neg);
    }
    case stdlib::Builtin::Logit: return gen.libm("log", {b.CreateFDiv(a0, b.CreateFSub(gen.real(1), a0))});
    case stdlib::Builtin::Sum:
    case stdlib::Builtin::Prod:
    case stdlib::Builtin::Len: break;  // expanded at lowering
  }
  return gen.real(0);
}

Value* emitBinary(Gen& gen, NodeKind k, ir::Scalar operandType, Value* a, Value* c) {
  llvm::IRBuilder<>& b = gen.b;
  const bool isInt = operandType != ir::Scalar::Real;
  switch (k) {
    case NodeKind::Add: return isInt ? fromInt(gen, b.CreateAdd(asInt(gen, a), asInt(gen, c))) : b.CreateFAdd(a, c);
    case NodeKind::Sub: return isInt ? fromInt(gen, b.CreateSub(asInt(gen, a), asInt(gen, c))) : b.CreateFSub(a, c);
    case NodeKind::Mul: return isInt ? fromInt(gen, b.CreateMul(asInt(gen, a), asInt(gen, c))) : b.CreateFMul(a, c);
    case NodeKind::Div: return b.CreateFDiv(a, c);
    case NodeKind::Mod: {
      if (!isInt) return b.CreateFRem(a, c);  // fmod: exact, so LLVM's folding agrees with libm
      Value* x = asInt(gen, a);
      Value* y = asInt(gen, c);
      // y == -1 gives 0 (INT64_MIN % -1 traps); the divisor is never 0 here (checked
      // before), but keep srem total so no path has undefined behaviour.
      Value* minusOne = b.CreateICmpEQ(y, b.getInt64(uint64_t(-1)));
      Value* safe = b.CreateSelect(b.CreateOr(minusOne, b.CreateICmpEQ(y, b.getInt64(0))), b.getInt64(1), y);
      return b.CreateSelect(minusOne, gen.real(0), fromInt(gen, b.CreateSRem(x, safe)));
    }
    case NodeKind::Lt: return fromBool(gen, b.CreateFCmpOLT(a, c));
    case NodeKind::Le: return fromBool(gen, b.CreateFCmpOLE(a, c));
    case NodeKind::Gt: return fromBool(gen, b.CreateFCmpOGT(a, c));
    case NodeKind::Ge: return fromBool(gen, b.CreateFCmpOGE(a, c));
    case NodeKind::Eq: return fromBool(gen, b.CreateFCmpOEQ(a, c));
    case NodeKind::Ne: return fromBool(gen, b.CreateFCmpUNE(a, c));
    case NodeKind::And: return fromBool(gen, b.CreateAnd(truth(gen, a), truth(gen, c)));
    case NodeKind::Or: return fromBool(gen, b.CreateOr(truth(gen, a), truth(gen, c)));
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Copy: case NodeKind::Neg:
    case NodeKind::Not: case NodeKind::ToInt: case NodeKind::ToReal: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: break;
  }
  return gen.real(0);
}

Value* emitIndex(Gen& gen, ir::NodeId id, const ir::Node& n, size_t w) {
  llvm::IRBuilder<>& b = gen.b;
  Value* k = gen.operand(n.operands[0], w);
  const size_t length = n.operands.size() - 1;
  Value* inRange = b.CreateAnd(b.CreateFCmpOGE(k, gen.real(0)), b.CreateFCmpOLT(k, gen.real(double(length))));
  gen.failIf(b.CreateNot(inRange), MV_RT_INDEX, b.getInt32(id), b.getInt32(uint32_t(length)), k);
  // size_t(k) truncates; k is in [0, length) here so fptoui is defined.
  Value* idx = b.CreateFPToUI(k, gen.i64());
  Value* v = gen.operand(n.operands[1], w);
  for (size_t j = 1; j < length; ++j)
    v = b.CreateSelect(b.CreateICmpEQ(idx, b.getInt64(j)), gen.operand(n.operands[1 + j], w), v);
  return v;
}

}  // namespace

Value* emitNode(Gen& gen, ir::NodeId id, size_t w) {
  const ir::Node& n = gen.g.nodes[id];
  llvm::IRBuilder<>& b = gen.b;
  auto in = [&](size_t k) { return gen.operand(n.operands[k], w); };
  switch (n.kind) {
    case NodeKind::Const: return gen.real(n.constant);
    case NodeKind::Site: return gen.real(0);  // handled by the passes
    case NodeKind::Copy:
    case NodeKind::ToInt:
    case NodeKind::ToReal: return in(0);
    case NodeKind::Neg:
      return n.type == ir::Scalar::Real ? b.CreateFNeg(in(0))
                                        : fromInt(gen, b.CreateSub(b.getInt64(0), asInt(gen, in(0))));
    case NodeKind::Not: return fromBool(gen, b.CreateFCmpOEQ(in(0), gen.real(0)));
    case NodeKind::Mod:
      if (gen.g.nodes[n.operands[0]].type != ir::Scalar::Real)
        gen.failIf(b.CreateFCmpOEQ(in(1), gen.real(0)), MV_RT_DIV_ZERO, b.getInt32(id), b.getInt32(-1), gen.real(0));
      [[fallthrough]];
    case NodeKind::Add:
    case NodeKind::Sub:
    case NodeKind::Mul:
    case NodeKind::Div:
    case NodeKind::Lt:
    case NodeKind::Le:
    case NodeKind::Gt:
    case NodeKind::Ge:
    case NodeKind::Eq:
    case NodeKind::Ne:
    case NodeKind::And:
    case NodeKind::Or: return emitBinary(gen, n.kind, gen.g.nodes[n.operands[0]].type, in(0), in(1));
    case NodeKind::Select:
    case NodeKind::Merge: return b.CreateSelect(truth(gen, in(0)), in(1), in(2));
    case NodeKind::Call: return emitBuiltin(gen, n, in(0), n.operands.size() > 1 ? in(1) : gen.real(0));
    case NodeKind::IndexSelect: return emitIndex(gen, id, n, w);
  }
  return gen.real(0);
}

}  // namespace mv::backend::cg
