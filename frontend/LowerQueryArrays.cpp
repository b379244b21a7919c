// frontend/LowerQueryArrays.cpp — what arrays and loops in queries need (data.md §2): families,
// element labels, observed arrays.
#include "frontend/Lowerer.h"

namespace mv::frontend {

bool isFamily(const ModelScope& scope, const std::string& name) {
  return scope.families.count(name) || scope.families.count(name + "[0]") || scope.families.count(name + "[0][0]");
}

std::string elementSuffix(const Type& t, size_t k) {
  std::vector<int> dims{t.length};
  dims.insert(dims.end(), t.inner.begin(), t.inner.end());
  std::string out;
  for (size_t d = dims.size(); d-- > 0;) {
    out = "[" + std::to_string(k % size_t(dims[d])) + "]" + out;
    k /= size_t(dims[d]);
  }
  return out;
}

std::optional<Value> Lowerer::observedArray(const ast::Expr& e, ExprContext& ctx) {
  ExprContext cctx;
  cctx.constReason = "an observed value";
  cctx.scopes = ctx.scopes;
  Value v;
  {
    LocalsLoan loan(ctx, cctx);  // the query's loop variables
    v = lowerExpr(e, cctx);
  }
  if (!requireConstant(v, "an observed value", e.loc)) return std::nullopt;
  return v;
}

}  // namespace mv::frontend
