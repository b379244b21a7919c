// frontend/LowerFactor.cpp — `factor expr` in models and queries: a Factor node adding expr to the log weight.
#include "frontend/Lowerer.h"

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

NodeId Lowerer::lowerFactor(const ast::Expr& e, SourceLoc loc, ExprContext& ctx) {
  Value v = lowerExpr(e, ctx);
  if (v.error) return ir::kNoNode;
  // bool and int promote to real (a bool factor is 0 or 1 added to the log weight).
  if (v.type.isArray()) {
    diags_->report(DiagId::FactorType, e.loc, {typeName(v.type)});
    return ir::kNoNode;
  }
  v = convert(v, Type{Scalar::Real, -1}, ctx, e.loc);
  // A constant term is a node too: it still enters the log evidence, and -inf still
  // zeroes every sample (the run then fails as impossible evidence does).
  NodeId term = elementNode(v, 0, ctx, e.loc);
  return emit(ctx, ir::Node{NodeKind::Factor, Scalar::Real, {term}, ir::kNoNode, loc});
}

void Lowerer::lowerFactorStmt(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  // The factor's guard is its branch's: a factor in an `if` not taken adds nothing.
  if (lowerFactor(*s.value, s.loc, ctx) == ir::kNoNode) lm.hasErrors = true;
}

}  // namespace mv::frontend
