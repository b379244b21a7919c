// frontend/LowerExpr.cpp — expressions: names, operators, indexing and arrays, with folding.
#include "frontend/Lowerer.h"
#include "ir/Semantics.h"

#include <bit>
#include <cmath>
#include <cstdlib>
#include <optional>

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

NodeId Lowerer::emit(ExprContext& ctx, ir::Node n) {
  if (n.guard == ir::kNoNode) n.guard = ctx.guard;
  return ctx.graph->add(std::move(n));
}

NodeId Lowerer::constNode(ExprContext& ctx, Scalar s, ir::Word x, SourceLoc loc) {
  std::pair<int, uint64_t> key{int(s), x.bits};
  if (ctx.constCache) {
    if (auto it = ctx.constCache->find(key); it != ctx.constCache->end()) return it->second;
  }
  ir::Node n{NodeKind::Const, s, {}, ir::kNoNode, loc};
  n.constant = x;
  NodeId id = ctx.graph->add(std::move(n));
  if (ctx.constCache) (*ctx.constCache)[key] = id;
  return id;
}

NodeId Lowerer::elementNode(const Value& v, size_t i, ExprContext& ctx, SourceLoc loc) {
  if (v.constant) return constNode(ctx, v.type.scalar, v.constants[i], loc);
  return v.nodes[i];
}

bool Lowerer::requireConstant(const Value& v, const char* what, SourceLoc loc) {
  if (v.error) return false;
  if (!v.constant) {
    diags_->report(DiagId::NotConstant, loc, {what});
    return false;
  }
  return true;
}

Value Lowerer::convert(const Value& v, Type to, ExprContext& ctx, SourceLoc loc) {
  if (v.error || v.type == to) return v;
  if (v.constant) {
    Value out = Value::known(to, v.constants);
    for (ir::Word& w : out.constants) w = ir::convertWord(v.type.scalar, to.scalar, w);
    out.sources = v.sources;
    return out;
  }
  Value out;
  out.type = to;
  out.sources = v.sources;
  for (NodeId id : v.nodes) {
    NodeKind k = to.scalar == Scalar::Real ? NodeKind::ToReal : NodeKind::ToInt;
    out.nodes.push_back(emit(ctx, ir::Node{k, to.scalar, {id}, ir::kNoNode, loc}));
  }
  return out;
}

Value Lowerer::lowerExpr(const ast::Expr& e, ExprContext& ctx) {
  switch (e.kind) {
    case ast::ExprKind::IntLit: return Value::scalar(Scalar::Int, ir::Word::ofInt(e.intValue));
    case ast::ExprKind::RealLit: return Value::scalar(Scalar::Real, ir::Word::ofReal(e.realValue));
    case ast::ExprKind::BoolLit: return Value::scalar(Scalar::Bool, ir::Word::ofBool(e.boolValue));
    case ast::ExprKind::Name: return lowerName(e, ctx);
    case ast::ExprKind::Call: return lowerCall(e, ctx);
    case ast::ExprKind::Index: return lowerIndex(e, ctx);
    case ast::ExprKind::ArrayLit: return lowerArray(e, ctx);
    case ast::ExprKind::Unary: return lowerUnary(e, ctx);
    case ast::ExprKind::Binary: return lowerBinary(e, ctx);
    case ast::ExprKind::Ternary: return lowerTernary(e, ctx);
  }
  return Value::poison();
}

namespace {

/// The array made of a loop-defined family z[0], z[1], ... if it has no gaps.
std::optional<Value> familyArray(const std::map<int64_t, NodeId>& family, const ir::QueryGraph& g) {
  if (family.empty() || family.begin()->first != 0 || family.rbegin()->first != int64_t(family.size()) - 1)
    return std::nullopt;
  Value v;
  v.type = Type{g.nodes[family.begin()->second].type, int(family.size())};
  for (const auto& [k, id] : family) {
    if (g.nodes[id].type != v.type.scalar) return std::nullopt;
    v.nodes.push_back(id);
  }
  return v;
}

/// Whether `name` is a family of families (`z[0][j]`, `z[1][j]`, ...: z[i] are families).
bool isFamilyOfRows(const ModelScope& scope, const std::string& name) {
  return scope.families.count(name + "[0]") || scope.families.count(name + "[0][0]");
}

/// The array made of a nested family (z[i][j] defined for every i < m, j < n): rows
/// z[0], z[1], ... of one shape, with no gaps. Nothing when it is not one.
std::optional<Value> nestedFamilyArray(const ModelScope& scope, const std::string& name, const ir::QueryGraph& g,
                                       int depth = 0) {
  if (auto f = scope.families.find(name); f != scope.families.end()) return familyArray(f->second, g);
  if (depth > 8 || !isFamilyOfRows(scope, name)) return std::nullopt;
  std::vector<Value> rows;
  while (auto row = nestedFamilyArray(scope, name + "[" + std::to_string(rows.size()) + "]", g, depth + 1)) {
    if (!rows.empty() && !(row->type == rows[0].type)) return std::nullopt;
    rows.push_back(std::move(*row));
  }
  if (rows.empty()) return std::nullopt;
  // A row past a gap (z[0], z[2]) makes it no array.
  const std::string prefix = name + "[";
  for (const auto& [family, ids] : scope.families) {
    if (family.compare(0, prefix.size(), prefix) != 0) continue;
    size_t close = family.find(']', prefix.size());
    if (close == std::string::npos) continue;
    int64_t k = std::atoll(family.substr(prefix.size(), close - prefix.size()).c_str());
    if (k >= int64_t(rows.size())) return std::nullopt;
  }
  Value v;
  v.type = Type{rows[0].type.scalar, int(rows.size()), {rows[0].type.length}};
  v.type.inner.insert(v.type.inner.end(), rows[0].type.inner.begin(), rows[0].type.inner.end());
  for (const Value& r : rows) v.nodes.insert(v.nodes.end(), r.nodes.begin(), r.nodes.end());
  return v;
}

}  // namespace

namespace {

/// The first site or node of `body` (loops and branches included) that defines `name` after
/// `use` in the same file, or null.
const ast::Target* definitionAfter(const std::vector<ast::StmtPtr>& body, const std::string& name, SourceLoc use) {
  for (const ast::StmtPtr& s : body) {
    if ((s->kind == ast::StmtKind::Site || s->kind == ast::StmtKind::Node) && s->target.name == name &&
        s->target.loc.file == use.file && use < s->target.loc)
      return &s->target;
    if (const ast::Target* t = definitionAfter(s->body, name, use)) return t;
    if (const ast::Target* t = definitionAfter(s->elseBody, name, use)) return t;
  }
  return nullptr;
}

}  // namespace

Value Lowerer::lowerName(const ast::Expr& e, ExprContext& ctx) {
  if (!e.world.empty()) return lowerQualified(e, ctx);
  for (auto it = ctx.locals.rbegin(); it != ctx.locals.rend(); ++it)
    if (auto f = it->find(e.name); f != it->end()) return f->second;
  if (ctx.plainWorld && *ctx.plainWorld != ctx.home && ctx.worlds) {
    const ModelScope& top = ctx.worlds->model->top;
    if (top.names.count(e.name) || top.families.count(e.name) || isFamilyOfRows(top, e.name))
      return lowerInWorld(e, *ctx.plainWorld, ctx);  // `x` in `predict w.x - x`: the default world's x
  }
  for (auto it = ctx.scopes.rbegin(); it != ctx.scopes.rend(); ++it) {
    bool found = (*it)->names.count(e.name) || (*it)->families.count(e.name) || isFamilyOfRows(**it, e.name);
    if (found && !ctx.graph) {
      diags_->report(DiagId::NotConstant, e.loc, {ctx.constReason});
      return Value::poison();
    }
    if (auto f = (*it)->names.find(e.name); f != (*it)->names.end())
      return Value::node(ctx.graph->nodes[f->second].type, f->second);
    if ((*it)->families.count(e.name) || isFamilyOfRows(**it, e.name)) {
      if (auto arr = nestedFamilyArray(**it, e.name, *ctx.graph)) return *arr;
      diags_->report(DiagId::NotAValue, e.loc, {e.name, "an indexed family with gaps"});
      return Value::poison();
    }
  }
  if (ctx.model && ctx.model->branchLocal.count(e.name)) {
    diags_->report(DiagId::BranchLocalName, e.loc, {e.name})
        .note(DiagId::NoteDeclaredHere, ctx.model->branchLocal.at(e.name), {e.name});
    return Value::poison();
  }
  if (consts_.count(e.name)) {
    Value v = constantValue(e.name, e.loc);
    if (!v.error && v.constant && v.type.isArray()) {
      auto table = std::make_shared<const std::vector<ir::Word>>(v.constants);
      v.sources = {std::make_shared<const TableSource>(TableSource{e.name, v.type, std::move(table), {}})};
    }
    return v;
  }
  if (datas_.count(e.name)) return dataValue(e.name, e, ctx);
  if (fns_.count(e.name) || stdlib::findBuiltin(e.name)) {
    diags_->report(DiagId::NotAValue, e.loc, {e.name, "a function"});
    return Value::poison();
  }
  if (models_.count(e.name)) {
    diags_->report(DiagId::NotAValue, e.loc, {e.name, "a model"});
    return Value::poison();
  }
  if (stdlib::findDistribution(e.name)) {
    diags_->report(DiagId::DistributionAsValue, e.loc, {e.name});
    return Value::poison();
  }
  if (ctx.model && ctx.model->decl)
    if (const ast::Target* later = definitionAfter(ctx.model->decl->body, e.name, e.loc)) {
      diags_->report(DiagId::UseBeforeDefinition, e.loc, {e.name}).note(DiagId::NoteDefinedLater, later->loc, {e.name});
      return Value::poison();
    }
  Diagnostic& d = diags_->report(DiagId::UndeclaredName, e.loc, {e.name});
  suggest(d, e.name, visibleNames(ctx));
  return Value::poison();
}

std::optional<int64_t> Lowerer::silentConstInt(const ast::Expr& e, ExprContext& ctx) {
  DiagnosticEngine scratch(sources_);
  DiagnosticEngine* saved = diags_;
  diags_ = &scratch;
  ExprContext cctx;
  Value k;
  {
    LocalsLoan loan(ctx, cctx);
    k = lowerExpr(e, cctx);
  }
  diags_ = saved;
  if (k.error || !k.constant || k.type != Type{Scalar::Int, -1} || scratch.hasErrors()) return std::nullopt;
  return k.constants[0].asInt();
}

std::optional<std::string> Lowerer::staticName(const ast::Expr& e, ExprContext& ctx) {
  std::vector<const ast::Expr*> indices;
  const ast::Expr* root = &e;
  while (root->kind == ast::ExprKind::Index) {
    indices.push_back(root->args[1].get());
    root = root->args[0].get();
  }
  if (root->kind != ast::ExprKind::Name || !root->world.empty()) return std::nullopt;  // W.z: not this world's
  for (const auto& level : ctx.locals)
    if (level.count(root->name)) return std::nullopt;
  std::string name = root->name;
  for (auto it = indices.rbegin(); it != indices.rend(); ++it) {
    auto k = silentConstInt(**it, ctx);
    if (!k) return std::nullopt;
    name += "[" + std::to_string(*k) + "]";
  }
  return name;
}

std::optional<std::pair<NodeId, std::string>> Lowerer::modelNameOf(const ast::Expr& e, ExprContext& ctx,
                                                                   bool report) {
  auto name = staticName(e, ctx);
  if (!name) return std::nullopt;
  for (auto it = ctx.scopes.rbegin(); it != ctx.scopes.rend(); ++it)
    if (auto f = (*it)->names.find(*name); f != (*it)->names.end()) return std::pair{f->second, *name};
  if (report) {
    Diagnostic& d = diags_->report(DiagId::UndeclaredName, e.loc, {*name});
    suggest(d, *name, visibleNames(ctx));
  }
  return std::nullopt;
}

Value Lowerer::lowerIndex(const ast::Expr& e, ExprContext& ctx) {
  const ast::Expr& base = *e.args[0];
  if (ctx.graph) {
    // A defined name with known indices ("z[2]", "z[1][3]") is a node of its own.
    if (auto found = modelNameOf(e, ctx, false))
      return Value::node(ctx.graph->nodes[found->first].type, found->first);
    // A loop-defined family indexed by a value known only at run time reads its elements.
    if (auto family = staticName(base, ctx)) {
      for (auto it = ctx.scopes.rbegin(); it != ctx.scopes.rend(); ++it) {
        auto f = (*it)->families.find(*family);
        if (f == (*it)->families.end()) continue;
        if (auto k = silentConstInt(*e.args[1], ctx)) {
          Diagnostic& d = diags_->report(DiagId::UndeclaredName, e.loc, {*family + "[" + std::to_string(*k) + "]"});
          suggest(d, *family + "[" + std::to_string(*k) + "]", visibleNames(ctx));
          return Value::poison();
        }
        break;
      }
    }
  }
  if (std::optional<Value> row = dataRow(e, ctx)) return *row;
  Value arr = lowerExpr(base, ctx);
  Value idx = lowerExpr(*e.args[1], ctx);
  if (arr.error || idx.error) return Value::poison();
  if (!arr.type.isArray()) {
    diags_->report(DiagId::NotAnArray, e.loc, {typeName(arr.type)});
    return Value::poison();
  }
  // A bool index promotes to int (false = 0, true = 1), as in arithmetic.
  if (idx.type.isArray() || idx.type.scalar == Scalar::Real) {
    diags_->report(DiagId::IndexNotInt, e.args[1]->loc, {typeName(idx.type)});
    return Value::poison();
  }
  idx = convert(idx, Type{Scalar::Int, -1}, ctx, e.args[1]->loc);
  const Type row = arr.type.element();
  const size_t rowSize = row.count(), length = size_t(arr.type.length);
  Value out;
  out.type = row;
  auto follow = [&](int64_t k) {
    for (const auto& src : arr.sources) {
      auto next = std::make_shared<TableSource>(*src);
      next->path.push_back(k);
      out.sources.push_back(std::move(next));
    }
  };
  if (idx.constant) {
    int64_t k = idx.constants[0].asInt();
    if (k < 0 || k >= arr.type.length) {
      auto what = staticName(base, ctx);
      diags_->report(DiagId::IndexOutOfRange, e.args[1]->loc,
                    {std::to_string(k), what ? *what : "array", std::to_string(arr.type.length)});
      return Value::poison();
    }
    size_t from = size_t(k) * rowSize;
    if (arr.constant) {
      out.constant = true;
      out.constants.assign(arr.constants.begin() + std::ptrdiff_t(from), arr.constants.begin() + std::ptrdiff_t(from + rowSize));
    } else {
      out.nodes.assign(arr.nodes.begin() + std::ptrdiff_t(from), arr.nodes.begin() + std::ptrdiff_t(from + rowSize));
    }
    follow(k);
    return out;
  }
  if (!ctx.graph) {
    requireConstant(idx, ctx.constReason, e.args[1]->loc);
    return Value::poison();
  }
  // A row selected at run time: one select per element of the row, over that element of
  // every row (each checks the index, so an out-of-range one stops the run at this place).
  for (size_t j = 0; j < rowSize; ++j) {
    ir::Node n{NodeKind::IndexSelect, arr.type.scalar, {idx.nodes[0]}, ir::kNoNode, e.loc};
    for (size_t r = 0; r < length; ++r) n.operands.push_back(elementNode(arr, r * rowSize + j, ctx, e.loc));
    out.nodes.push_back(emit(ctx, std::move(n)));
  }
  follow(-1);
  return out;
}

Value Lowerer::lowerArray(const ast::Expr& e, ExprContext& ctx) {
  if (e.args.empty()) {
    diags_->report(DiagId::EmptyArray, e.loc);
    return Value::poison();
  }
  // Rows may be arrays themselves (a table), all of one shape; elements are stored row-major.
  std::vector<Value> elems;
  Scalar s = Scalar::Bool;
  bool bad = false;
  std::optional<Type> shape;  ///< the first well-typed row's
  for (size_t i = 0; i < e.args.size(); ++i) {
    elems.push_back(lowerExpr(*e.args[i], ctx));
    const Value& v = elems.back();
    if (v.error) { bad = true; continue; }
    if (!shape) shape = v.type;
    if (shape->length != v.type.length || shape->inner != v.type.inner) {
      diags_->report(DiagId::RaggedArray, e.args[i]->loc,
                    {std::to_string(i), typeName(v.type), typeName(withScalar(*shape, v.type.scalar))});
      bad = true;
      continue;
    }
    s = widen(s, v.type.scalar);
  }
  if (bad) return Value::poison();
  const Type rowType = withScalar(elems[0].type, s);
  Type t{s, int(elems.size()), {}};
  if (rowType.isArray()) {
    t.inner.push_back(rowType.length);
    t.inner.insert(t.inner.end(), rowType.inner.begin(), rowType.inner.end());
  }
  if (t.count() > 1000000) {
    diags_->report(DiagId::ArraySize, e.loc, {std::to_string(t.count()) + " elements in all"});
    return Value::poison();
  }
  bool allKnown = true;
  for (const Value& v : elems) allKnown = allKnown && v.constant;
  if (allKnown) {
    std::vector<ir::Word> xs;
    for (const Value& v : elems)
      for (ir::Word w : v.constants) xs.push_back(ir::convertWord(v.type.scalar, s, w));
    return Value::known(t, xs);
  }
  Value out;
  out.type = t;
  for (const Value& v : elems) {
    Value c = convert(v, rowType, ctx, e.loc);
    for (size_t k = 0; k < c.size(); ++k) out.nodes.push_back(elementNode(c, k, ctx, e.loc));
  }
  return out;
}

Value Lowerer::lowerUnary(const ast::Expr& e, ExprContext& ctx) {
  Value v = lowerExpr(*e.args[0], ctx);
  if (v.error) return v;
  bool isNot = e.unaryOp == ast::UnaryOp::Not;
  bool ok = !v.type.isArray() && (isNot ? v.type.scalar == Scalar::Bool : true);
  if (!ok) {
    diags_->report(DiagId::UnaryOperandType, e.loc, {ast::unaryOpText(e.unaryOp), typeName(v.type)});
    return Value::poison();
  }
  Scalar t = isNot ? Scalar::Bool : widen(v.type.scalar, Scalar::Int);
  v = convert(v, Type{t, -1}, ctx, e.loc);
  NodeKind k = isNot ? NodeKind::Not : NodeKind::Neg;
  if (v.constant) return Value::scalar(t, ir::evalUnary(k, t, v.constants[0]));
  return Value::node(t, emit(ctx, ir::Node{k, t, {v.nodes[0]}, ir::kNoNode, e.loc}));
}

namespace {

NodeKind kindOf(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Mul: return NodeKind::Mul;
    case ast::BinaryOp::Div: return NodeKind::Div;
    case ast::BinaryOp::Mod: return NodeKind::Mod;
    case ast::BinaryOp::Add: return NodeKind::Add;
    case ast::BinaryOp::Sub: return NodeKind::Sub;
    case ast::BinaryOp::Lt: return NodeKind::Lt;
    case ast::BinaryOp::Le: return NodeKind::Le;
    case ast::BinaryOp::Gt: return NodeKind::Gt;
    case ast::BinaryOp::Ge: return NodeKind::Ge;
    case ast::BinaryOp::Eq: return NodeKind::Eq;
    case ast::BinaryOp::Ne: return NodeKind::Ne;
    case ast::BinaryOp::And: return NodeKind::And;
    case ast::BinaryOp::Or: return NodeKind::Or;
  }
  return NodeKind::Add;
}

}  // namespace

Value Lowerer::lowerBinary(const ast::Expr& e, ExprContext& ctx) {
  // Left-deep chains (a + b + c + ...) are walked iteratively so long sums cannot
  // exhaust the stack.
  std::vector<const ast::Expr*> spine;
  const ast::Expr* leftmost = &e;
  while (leftmost->kind == ast::ExprKind::Binary) {
    spine.push_back(leftmost);
    leftmost = leftmost->args[0].get();
  }
  Value acc = lowerExpr(*leftmost, ctx);
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    const ast::Expr& op = **it;
    Value rhs = lowerExpr(*op.args[1], ctx);
    if (acc.error || rhs.error) { acc = Value::poison(); continue; }
    NodeKind k = kindOf(op.binaryOp);
    bool logic = k == NodeKind::And || k == NodeKind::Or;
    bool equality = k == NodeKind::Eq || k == NodeKind::Ne;
    bool compare = equality || k == NodeKind::Lt || k == NodeKind::Le || k == NodeKind::Gt || k == NodeKind::Ge;
    bool bothBool = acc.type.scalar == Scalar::Bool && rhs.type.scalar == Scalar::Bool;
    bool ok = !acc.type.isArray() && !rhs.type.isArray() && (!logic || bothBool);
    if (!ok) {
      diags_->report(DiagId::BinaryOperandTypes, op.loc,
                    {ast::binaryOpText(op.binaryOp), typeName(acc.type), typeName(rhs.type)});
      acc = Value::poison();
      continue;
    }
    Scalar operand = widen(acc.type.scalar, rhs.type.scalar);
    if (!logic && !(equality && bothBool)) operand = widen(operand, Scalar::Int);
    if (k == NodeKind::Div) operand = Scalar::Real;
    Scalar result = (compare || logic) ? Scalar::Bool : operand;
    Value a = convert(acc, Type{operand, -1}, ctx, op.loc);
    Value b = convert(rhs, Type{operand, -1}, ctx, op.loc);
    if (a.constant && b.constant) {
      if (k == NodeKind::Mod && operand != Scalar::Real && b.constants[0].asInt() == 0) {
        diags_->report(DiagId::ConstantDivisionByZero, op.loc);
        acc = Value::poison();
        continue;
      }
      acc = Value::scalar(result, ir::evalBinary(k, operand, a.constants[0], b.constants[0]));
      continue;
    }
    NodeId x = elementNode(a, 0, ctx, op.loc), y = elementNode(b, 0, ctx, op.loc);
    acc = Value::node(result, emit(ctx, ir::Node{k, result, {x, y}, ir::kNoNode, op.loc}));
  }
  return acc;
}

Value Lowerer::lowerTernary(const ast::Expr& e, ExprContext& ctx) {
  Value c = lowerExpr(*e.args[0], ctx);
  Value a = lowerExpr(*e.args[1], ctx);
  Value b = lowerExpr(*e.args[2], ctx);
  if (c.error || a.error || b.error) return Value::poison();
  if (c.type != Type{Scalar::Bool, -1}) {
    diags_->report(DiagId::ConditionNotBool, e.args[0]->loc, {typeName(c.type)});
    return Value::poison();
  }
  auto t = common(a.type, b.type);
  if (!t) {
    diags_->report(DiagId::SelectArmTypes, e.loc, {typeName(a.type), typeName(b.type)});
    return Value::poison();
  }
  a = convert(a, *t, ctx, e.loc);
  b = convert(b, *t, ctx, e.loc);
  if (c.constant) return c.constants[0].asBool() ? a : b;
  Value out;
  out.type = *t;
  // Either arm's tables can reach whatever reads the result.
  out.sources = a.sources;
  out.sources.insert(out.sources.end(), b.sources.begin(), b.sources.end());
  for (size_t i = 0; i < out.size(); ++i) {
    ir::Node n{NodeKind::Select, t->scalar,
               {c.nodes[0], elementNode(a, i, ctx, e.loc), elementNode(b, i, ctx, e.loc)}, ir::kNoNode, e.loc};
    out.nodes.push_back(emit(ctx, std::move(n)));
  }
  return out;
}

}  // namespace mv::frontend
