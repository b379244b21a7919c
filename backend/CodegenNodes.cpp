// backend/CodegenNodes.cpp — deterministic nodes, exactly as ir/Semantics.h and Interpreter::evalNode.
#include "backend/CodegenContext.h"

#include "ir/Semantics.h"

namespace mv::backend::cg {

using ir::NodeKind;
using llvm::Value;

Value* asInt(Gen& gen, Value* v) {
  // ir::intOfReal: INT64_MIN for NaN and out-of-range values, where LLVM's fptosi would
  // give poison.
  llvm::IRBuilder<>& b = gen.b;
  Value* inRange = b.CreateAnd(b.CreateFCmpOGE(v, gen.real(-0x1p63)), b.CreateFCmpOLT(v, gen.real(0x1p63)));
  return b.CreateSelect(inRange, b.CreateFPToSI(v, gen.vi64()), gen.int64(uint64_t(1) << 63));
}

Value* fromBool(Gen& gen, Value* c) { return gen.b.CreateUIToFP(c, gen.vf64()); }

Value* boolSource(Value* x) {
  auto* c = llvm::dyn_cast<llvm::UIToFPInst>(x);
  return c && c->getSrcTy()->isIntOrIntVectorTy(1) ? c->getOperand(0) : nullptr;
}

Value* truth(Gen& gen, Value* v) {
  if (v->getType()->isIntOrIntVectorTy(1)) return v;
  if (v->getType()->isIntOrIntVectorTy()) return gen.b.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
  return gen.b.CreateFCmpUNE(v, gen.real(0));
}

namespace {

Value* fromInt(Gen& gen, Value* i) { return gen.b.CreateSIToFP(i, gen.vf64()); }

Value* emitBuiltin(Gen& gen, const ir::Node& n, Value* a0, Value* a1) {
  llvm::IRBuilder<>& b = gen.b;
  if (gen.g.nodes[n.operands[0]].type != ir::Scalar::Real) {  // ir::evalCall: abs, min, max of ints
    if (a0->getType()->isIntOrIntVectorTy(1)) a0 = b.CreateZExt(a0, gen.vi64());  // a bool operand: its int 0/1
    if (a1->getType()->isIntOrIntVectorTy(1)) a1 = b.CreateZExt(a1, gen.vi64());
    if (n.builtin == stdlib::Builtin::Min) return b.CreateSelect(b.CreateICmpSLT(a1, a0), a1, a0);
    if (n.builtin == stdlib::Builtin::Max) return b.CreateSelect(b.CreateICmpSGT(a1, a0), a1, a0);
    return b.CreateSelect(b.CreateICmpSLT(a0, gen.int64(0)), b.CreateSub(gen.int64(0), a0), a0);
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
    case stdlib::Builtin::Floor: return asInt(gen, b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, a0));
    case stdlib::Builtin::Ceil: return asInt(gen, b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, a0));
    case stdlib::Builtin::Round: return asInt(gen, b.CreateUnaryIntrinsic(llvm::Intrinsic::round, a0));
    case stdlib::Builtin::Sigmoid: {
      Value* one = gen.real(1);
      Value* pos = b.CreateFDiv(one, b.CreateFAdd(one, gen.libm("exp", {b.CreateFNeg(a0)})));
      Value* e = gen.libm("exp", {a0});
      Value* neg = b.CreateFDiv(e, b.CreateFAdd(one, e));
      return b.CreateSelect(b.CreateFCmpOGE(a0, gen.real(0)), pos, neg);
    }
    case stdlib::Builtin::Logit: return gen.libm("log", {b.CreateFDiv(a0, b.CreateFSub(gen.real(1), a0))});
    case stdlib::Builtin::Lgamma: return gen.lgamma(a0);
    case stdlib::Builtin::Sum:
    case stdlib::Builtin::Prod:
    case stdlib::Builtin::Len: break;  // expanded at lowering
  }
  return gen.real(0);
}

Value* emitBinary(Gen& gen, NodeKind k, ir::Scalar operandType, Value* a, Value* c) {
  llvm::IRBuilder<>& b = gen.b;
  // Arithmetic operands are never bool. Bools (i1) compare as the ints 0/1 (ir::evalBinary):
  // widened, since an i1's signed order would put true (-1) below false.
  const bool isInt = operandType != ir::Scalar::Real;
  if (operandType == ir::Scalar::Bool && k != NodeKind::And && k != NodeKind::Or) {
    a = b.CreateZExt(a, gen.vi64());
    c = b.CreateZExt(c, gen.vi64());
  }
  switch (k) {
    case NodeKind::Add: return isInt ? b.CreateAdd(a, c) : b.CreateFAdd(a, c);
    case NodeKind::Sub: return isInt ? b.CreateSub(a, c) : b.CreateFSub(a, c);
    case NodeKind::Mul: return isInt ? b.CreateMul(a, c) : b.CreateFMul(a, c);
    case NodeKind::Div: return b.CreateFDiv(a, c);
    case NodeKind::Mod: {
      if (!isInt) return b.CreateFRem(a, c);  // fmod: exact, so LLVM's folding agrees with libm
      // c == -1 gives 0 (INT64_MIN % -1 traps); the divisor is never 0 here (checked
      // before), but keep srem total so no path has undefined behaviour.
      Value* minusOne = b.CreateICmpEQ(c, gen.int64(uint64_t(-1)));
      Value* safe = b.CreateSelect(b.CreateOr(minusOne, b.CreateICmpEQ(c, gen.int64(0))), gen.int64(1), c);
      return b.CreateSelect(minusOne, gen.int64(0), b.CreateSRem(a, safe));
    }
    // Ints (and bools, widened above) compare as i64, reals as doubles; the result is an i1.
    case NodeKind::Lt: return isInt ? b.CreateICmpSLT(a, c) : b.CreateFCmpOLT(a, c);
    case NodeKind::Le: return isInt ? b.CreateICmpSLE(a, c) : b.CreateFCmpOLE(a, c);
    case NodeKind::Gt: return isInt ? b.CreateICmpSGT(a, c) : b.CreateFCmpOGT(a, c);
    case NodeKind::Ge: return isInt ? b.CreateICmpSGE(a, c) : b.CreateFCmpOGE(a, c);
    case NodeKind::Eq: return isInt ? b.CreateICmpEQ(a, c) : b.CreateFCmpOEQ(a, c);
    case NodeKind::Ne: return isInt ? b.CreateICmpNE(a, c) : b.CreateFCmpUNE(a, c);
    case NodeKind::And: return b.CreateAnd(truth(gen, a), truth(gen, c));
    case NodeKind::Or: return b.CreateOr(truth(gen, a), truth(gen, c));
    case NodeKind::Const: case NodeKind::Site: case NodeKind::Copy: case NodeKind::Neg:
    case NodeKind::Not: case NodeKind::ToInt: case NodeKind::ToReal: case NodeKind::Select:
    case NodeKind::Merge: case NodeKind::Call: case NodeKind::IndexSelect: case NodeKind::Factor: case NodeKind::Read:
    case NodeKind::Data: case NodeKind::Table: break;
  }
  return gen.real(0);
}

Value* emitIndex(Gen& gen, ir::NodeId id, const ir::Node& n, size_t w) {
  llvm::IRBuilder<>& b = gen.b;
  Value* k = gen.operand(n.operands[0], w);
  const size_t length = n.operands.size() - 1;
  Value* inRange = b.CreateICmpULT(k, gen.int64(length));  // 0 <= k < length
  gen.failIf(b.CreateNot(inRange), MV_RT_INDEX, b.getInt32(id), b.getInt32(uint32_t(length)), k);  // int_value
  Value* v = gen.operand(n.operands[1], w);
  for (size_t j = 1; j < length; ++j)
    v = b.CreateSelect(b.CreateICmpEQ(k, gen.int64(j)), gen.operand(n.operands[1 + j], w), v);
  return v;
}

/// ir::evalTable: the operands' bits as an index j, then bit j of the table. Up to 6
/// operands the table is one 64-bit constant (a shift, no memory); more read a constant
/// global array of words.
Value* emitTable(Gen& gen, const ir::Node& n, size_t w) {
  llvm::IRBuilder<>& b = gen.b;
  Value* j = gen.int64(0);
  for (size_t i = 0; i < n.operands.size(); ++i)
    j = b.CreateOr(j, b.CreateShl(b.CreateZExt(gen.operand(n.operands[i], w), gen.vi64()), i));
  Value* word = nullptr;
  if (n.table.size() == 1) {
    word = gen.int64(n.table[0]);
  } else {
    auto* type = llvm::ArrayType::get(gen.i64(), n.table.size());
    auto* init = llvm::ConstantDataArray::get(gen.ctx, llvm::ArrayRef<uint64_t>(n.table));
    auto* table = new llvm::GlobalVariable(gen.mod, type, true, llvm::GlobalValue::PrivateLinkage, init, "table");
    table->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    Value* at = b.CreateInBoundsGEP(type, table, {b.getInt64(0), b.CreateLShr(j, 6)});
    // The lane function: a gather of the lanes' words.
    word = gen.lanes > 1 ? static_cast<Value*>(b.CreateMaskedGather(gen.vi64(), at, llvm::Align(8)))
                         : b.CreateLoad(gen.i64(), at);
  }
  return b.CreateTrunc(b.CreateLShr(word, b.CreateAnd(j, gen.int64(63))), gen.lane(b.getInt1Ty()));
}

}  // namespace

Value* emitNode(Gen& gen, ir::NodeId id, size_t w) {
  const ir::Node& n = gen.g.nodes[id];
  llvm::IRBuilder<>& b = gen.b;
  auto in = [&](size_t k) { return gen.operand(n.operands[k], w); };
  switch (n.kind) {
    case NodeKind::Const: return gen.constant(n.type, n.constant);
    case NodeKind::Site: return gen.real(0);  // handled by the passes
    case NodeKind::Read: return gen.zero(id);  // a Read step: another world's values
    case NodeKind::Data: {  // one ir::Word of the run's data buffer: an int's i64, a bool's 0/1, a real's bits
      // The same word in every lane: loaded once, splat.
      Value* p = b.CreateConstInBoundsGEP1_64(gen.i64(), gen.dataBuffer(), n.dataIndex);
      if (n.type == ir::Scalar::Int) return gen.splatValue(b.CreateLoad(gen.i64(), p));
      if (n.type == ir::Scalar::Real) return gen.splatValue(b.CreateLoad(gen.f64(), p));
      return gen.splatValue(b.CreateICmpNE(b.CreateLoad(gen.i64(), p), b.getInt64(0)));
    }
    case NodeKind::Copy: return in(0);
    case NodeKind::ToInt:  // from a bool (0/1) or an int
      return gen.g.nodes[n.operands[0]].type == ir::Scalar::Bool ? b.CreateZExt(in(0), gen.vi64()) : in(0);
    case NodeKind::ToReal:  // from a bool (0.0/1.0) or an int (rounds to nearest)
      return gen.g.nodes[n.operands[0]].type == ir::Scalar::Int ? fromInt(gen, in(0)) : fromBool(gen, in(0));
    case NodeKind::Neg:
      return n.type == ir::Scalar::Real ? b.CreateFNeg(in(0)) : b.CreateSub(gen.int64(0), in(0));
    case NodeKind::Not: return b.CreateNot(truth(gen, in(0)));
    case NodeKind::Mod:
      if (gen.g.nodes[n.operands[0]].type != ir::Scalar::Real)
        gen.failIf(b.CreateICmpEQ(in(1), gen.int64(0)), MV_RT_DIV_ZERO, b.getInt32(id), b.getInt32(-1), gen.real(0));
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
    case NodeKind::Factor: return in(0);  // the Factor step adds it to the weight
    case NodeKind::Table: return emitTable(gen, n, w);
  }
  return gen.real(0);
}

}  // namespace mv::backend::cg
