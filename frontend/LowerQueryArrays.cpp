// frontend/LowerQueryArrays.cpp — what arrays and loops in queries need (data.md §2): families,
// element labels, loop variables in labels, opened loops, observed arrays.
#include "frontend/Lowerer.h"

#include <cctype>

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

std::string substituteLocals(const std::string& text, const std::vector<std::unordered_map<std::string, Value>>& locals) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    auto word = [&](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (!word(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && word(text[j])) ++j;
    std::string id = text.substr(i, j - i);
    // Part of a number (1e5) or a qualified name's member (w.i): not a variable.
    bool variable = !std::isdigit(static_cast<unsigned char>(id[0])) && (i == 0 || text[i - 1] != '.');
    std::optional<Value> v;
    for (auto it = locals.rbegin(); variable && !v && it != locals.rend(); ++it)
      if (auto f = it->find(id); f != it->end()) v = f->second;
    out += v && v->constant && !v->type.isArray() ? std::to_string(v->constants[0].asInt()) : id;
    i = j;
  }
  return out;
}

std::vector<const ast::QueryStmt*> openLoops(const std::vector<ast::QueryStmt>& body) {
  std::vector<const ast::QueryStmt*> out;
  for (const ast::QueryStmt& s : body) {
    if (s.kind != ast::QueryStmtKind::For) {
      out.push_back(&s);
      continue;
    }
    std::vector<const ast::QueryStmt*> inner = openLoops(s.body);
    out.insert(out.end(), inner.begin(), inner.end());
  }
  return out;
}

std::optional<Value> Lowerer::observedArray(const ast::Expr& e, ExprContext& ctx) {
  ExprContext cctx;
  cctx.constReason = "an observed value";
  cctx.scopes = ctx.scopes;
  // Data names lower to their Data nodes (shared through the cache, unguarded): an observed
  // value may be data (spec/data.md §1), read from the data buffer at run time.
  cctx.graph = ctx.graph;
  cctx.constCache = ctx.constCache;
  Value v;
  {
    LocalsLoan loan(ctx, cctx);  // the query's loop variables
    v = lowerExpr(e, cctx);
  }
  if (v.error) return std::nullopt;
  if (v.constant) return v;
  for (ir::NodeId id : v.nodes)
    if (ctx.graph->nodes[id].kind != ir::NodeKind::Data) {
      // Anything computed at run time (arithmetic on data, a data index): evidence holds a
      // constant or one data element, so the value must be bound as data itself.
      diags_->report(DiagId::ObservedNotData, e.loc);
      return std::nullopt;
    }
  return v;
}

}  // namespace mv::frontend
