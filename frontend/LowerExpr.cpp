// frontend/LowerExpr.cpp — expressions: names, operators, indexing and arrays, with folding.
#include "frontend/Lowerer.h"
#include "ir/Semantics.h"

#include <bit>
#include <cmath>

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
    return out;
  }
  Value out;
  out.type = to;
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
  for (auto it = ctx.locals.rbegin(); it != ctx.locals.rend(); ++it)
    if (auto f = it->find(e.name); f != it->end()) return f->second;
  for (auto it = ctx.scopes.rbegin(); it != ctx.scopes.rend(); ++it) {
    bool found = (*it)->names.count(e.name) || (*it)->families.count(e.name);
    if (found && !ctx.graph) {
      diags_->report(DiagId::NotConstant, e.loc, {ctx.constReason});
      return Value::poison();
    }
    if (auto f = (*it)->names.find(e.name); f != (*it)->names.end())
      return Value::node(ctx.graph->nodes[f->second].type, f->second);
    if (auto f = (*it)->families.find(e.name); f != (*it)->families.end()) {
      if (auto arr = familyArray(f->second, *ctx.graph)) return *arr;
      diags_->report(DiagId::NotAValue, e.loc, {e.name, "an indexed family with gaps"});
      return Value::poison();
    }
  }
  if (ctx.model && ctx.model->branchLocal.count(e.name)) {
    diags_->report(DiagId::BranchLocalName, e.loc, {e.name})
        .note(DiagId::NoteDeclaredHere, ctx.model->branchLocal.at(e.name), {e.name});
    return Value::poison();
  }
  if (consts_.count(e.name)) return constantValue(e.name, e.loc);
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
  if (root->kind != ast::ExprKind::Name) return std::nullopt;
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
  Value arr = lowerExpr(base, ctx);
  Value idx = lowerExpr(*e.args[1], ctx);
  if (arr.error || idx.error) return Value::poison();
  if (!arr.type.isArray()) {
    diags_->report(DiagId::NotAnArray, e.loc, {typeName(arr.type)});
    return Value::poison();
  }
  if (idx.type != Type{Scalar::Int, -1}) {
    diags_->report(DiagId::IndexNotInt, e.args[1]->loc, {typeName(idx.type)});
    return Value::poison();
  }
  std::string what = base.kind == ast::ExprKind::Name ? base.name : "array";
  if (idx.constant) {
    int64_t k = idx.constants[0].asInt();
    if (k < 0 || k >= arr.type.length) {
      diags_->report(DiagId::IndexOutOfRange, e.args[1]->loc,
                    {std::to_string(k), what, std::to_string(arr.type.length)});
      return Value::poison();
    }
    if (arr.constant) return Value::scalar(arr.type.scalar, arr.constants[size_t(k)]);
    return Value::node(arr.type.scalar, arr.nodes[size_t(k)]);
  }
  if (!ctx.graph) {
    requireConstant(idx, ctx.constReason, e.args[1]->loc);
    return Value::poison();
  }
  ir::Node n{NodeKind::IndexSelect, arr.type.scalar, {idx.nodes[0]}, ir::kNoNode, e.loc};
  for (size_t i = 0; i < arr.size(); ++i) n.operands.push_back(elementNode(arr, i, ctx, e.loc));
  return Value::node(arr.type.scalar, emit(ctx, std::move(n)));
}

Value Lowerer::lowerArray(const ast::Expr& e, ExprContext& ctx) {
  if (e.args.empty()) {
    diags_->report(DiagId::EmptyArray, e.loc);
    return Value::poison();
  }
  std::vector<Value> elems;
  Scalar s = Scalar::Bool;
  bool bad = false;
  for (const auto& a : e.args) {
    elems.push_back(lowerExpr(*a, ctx));
    const Value& v = elems.back();
    if (v.error) { bad = true; continue; }
    if (v.type.isArray()) {
      diags_->report(DiagId::ArrayNotAllowed, a->loc, {"an array element", typeName(v.type)});
      bad = true;
      continue;
    }
    s = widen(s, v.type.scalar);
  }
  if (bad) return Value::poison();
  Type t{s, int(elems.size())};
  bool allKnown = true;
  for (const Value& v : elems) allKnown = allKnown && v.constant;
  if (allKnown) {
    std::vector<ir::Word> xs;
    for (const Value& v : elems) xs.push_back(ir::convertWord(v.type.scalar, s, v.constants[0]));
    return Value::known(t, xs);
  }
  Value out;
  out.type = t;
  for (const Value& v : elems) {
    Value c = convert(v, Type{s, -1}, ctx, e.loc);
    out.nodes.push_back(elementNode(c, 0, ctx, e.loc));
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
  for (size_t i = 0; i < out.size(); ++i) {
    ir::Node n{NodeKind::Select, t->scalar,
               {c.nodes[0], elementNode(a, i, ctx, e.loc), elementNode(b, i, ctx, e.loc)}, ir::kNoNode, e.loc};
    out.nodes.push_back(emit(ctx, std::move(n)));
  }
  return out;
}

}  // namespace mv::frontend
