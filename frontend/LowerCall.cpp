// frontend/LowerCall.cpp — calls: built-in functions (typed per signature) and inlined user functions.
#include "frontend/Lowerer.h"
#include "ir/Semantics.h"

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;
using stdlib::BuiltinSignature;

Value Lowerer::lowerCall(const ast::Expr& e, ExprContext& ctx) {
  if (auto it = fns_.find(e.name); it != fns_.end()) return lowerUserCall(e, *it->second, ctx);
  if (auto b = stdlib::findBuiltin(e.name)) return lowerBuiltin(e, *b, ctx);
  for (const ast::FnDecl& f : program_.fns)
    if (f.name == e.name) return Value::poison();  // recursive: already reported
  if (stdlib::findDistribution(e.name) || stdlib::findCompound(e.name)) {
    diags_->report(DiagId::DistributionAsValue, e.loc, {e.name});
    return Value::poison();
  }
  Diagnostic& d = diags_->report(DiagId::UnknownFunction, e.loc, {e.name});
  std::vector<std::string> names;
  for (const auto& [n, f] : fns_) names.push_back(n);
#define MV_BUILTIN(Enum, name, Sig) names.push_back(#name);
#include "stdlib/Builtins.def"
#undef MV_BUILTIN
  suggest(d, e.name, names);
  return Value::poison();
}

Value Lowerer::lowerBuiltin(const ast::Expr& e, stdlib::Builtin b, ExprContext& ctx) {
  const stdlib::BuiltinInfo& info = stdlib::builtin(b);
  // A data array's shape is static, so `len(D)` is a compile-time int even though D is not.
  if (info.signature == BuiltinSignature::ArrayLength && e.args.size() == 1 && e.args[0]->kind == ast::ExprKind::Name &&
      e.args[0]->world.empty())
    if (std::optional<Type> t = dataType(e.args[0]->name, ctx); t && t->isArray())
      return Value::scalar(Scalar::Int, ir::Word::ofInt(t->length));
  std::vector<Value> args;
  bool bad = false;
  for (const auto& a : e.args) {
    args.push_back(lowerExpr(*a, ctx));
    bad = bad || args.back().error;
  }
  if (int(args.size()) != info.arity) {
    diags_->report(DiagId::ArgumentCount, e.loc,
                  {std::string(info.name), std::to_string(info.arity), std::to_string(args.size())});
    return Value::poison();
  }
  if (bad) return Value::poison();
  auto argError = [&](size_t i, const char* expected) {
    diags_->report(DiagId::ArgumentType, e.args[i]->loc,
                  {std::to_string(i + 1), std::string(info.name), expected, typeName(args[i].type)});
    return Value::poison();
  };

  // Array builtins expand at lowering: len is a constant, sum/prod are chains.
  if (info.signature == BuiltinSignature::ArrayLength || info.signature == BuiltinSignature::ArrayReduce) {
    if (!args[0].type.isArray()) return argError(0, "an array");
    if (info.signature == BuiltinSignature::ArrayLength)
      return Value::scalar(Scalar::Int, ir::Word::ofInt(args[0].type.length));
    if (args[0].type.rank() > 1) return argError(0, "a one-dimensional array");
    Scalar t = widen(args[0].type.scalar, Scalar::Int);
    Value arr = convert(args[0], Type{t, args[0].type.length}, ctx, e.loc);
    NodeKind k = b == stdlib::Builtin::Sum ? NodeKind::Add : NodeKind::Mul;
    if (arr.constant) {
      ir::Word acc = arr.constants[0];
      for (size_t i = 1; i < arr.size(); ++i) acc = ir::evalBinary(k, t, acc, arr.constants[i]);
      return Value::scalar(t, acc);
    }
    NodeId acc = elementNode(arr, 0, ctx, e.loc);
    for (size_t i = 1; i < arr.size(); ++i)
      acc = emit(ctx, ir::Node{k, t, {acc, elementNode(arr, i, ctx, e.loc)}, ir::kNoNode, e.loc});
    return Value::node(t, acc);
  }

  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type.isArray()) return argError(i, "a scalar");

  Scalar operand = Scalar::Real, result = Scalar::Real;
  switch (info.signature) {
    case BuiltinSignature::RealToReal:
    case BuiltinSignature::RealRealToReal: break;
    case BuiltinSignature::RoundToInt:
      result = Scalar::Int;
      if (args[0].type.scalar != Scalar::Real) return convert(args[0], Type{Scalar::Int, -1}, ctx, e.loc);
      break;
    case BuiltinSignature::Abs:
      operand = result = widen(args[0].type.scalar, Scalar::Int);
      break;
    case BuiltinSignature::MinMax:
      operand = result = widen(widen(args[0].type.scalar, args[1].type.scalar), Scalar::Int);
      break;
    case BuiltinSignature::ArrayReduce:
    case BuiltinSignature::ArrayLength: break;
  }
  bool allKnown = true;
  for (Value& a : args) {
    a = convert(a, Type{operand, -1}, ctx, e.loc);
    allKnown = allKnown && a.constant;
  }
  if (allKnown) {
    ir::Word a1 = args.size() > 1 ? args[1].constants[0] : ir::Word{};
    return Value::scalar(result, ir::evalCall(b, result, operand, args[0].constants[0], a1));
  }
  ir::Node n{NodeKind::Call, result, {}, ir::kNoNode, e.loc};
  n.builtin = b;
  for (Value& a : args) n.operands.push_back(elementNode(a, 0, ctx, e.loc));
  return Value::node(result, emit(ctx, std::move(n)));
}

Value Lowerer::lowerUserCall(const ast::Expr& e, const ast::FnDecl& fn, ExprContext& ctx) {
  std::vector<Value> args;
  bool bad = false;
  for (const auto& a : e.args) {
    args.push_back(lowerExpr(*a, ctx));
    bad = bad || args.back().error;
  }
  if (args.size() != fn.params.size()) {
    diags_->report(DiagId::ArgumentCount, e.loc,
                  {fn.name, std::to_string(fn.params.size()), std::to_string(args.size())});
    return Value::poison();
  }
  if (bad || !fn.body) return Value::poison();
  if (ctx.graph && ctx.graph->nodes.size() > limits_.modelNodes) {
    // Inlining stops once the graph is over the limit, so a chain of functions that each
    // call the previous one twice costs the limit, not 2^n.
    if (tooLarge_.insert(ctx.graph).second)
      diags_->report(DiagId::ModelTooLarge, ctx.inlineDepth ? ctx.inlinedFrom : e.loc, {ctx.graph->model, std::to_string(limits_.modelNodes)});
    return Value::poison();
  }
  // Parameter and result types were reported (if bad) when the body was checked.
  std::unordered_map<std::string, Value> params;
  std::pair<const ast::FnDecl*, std::vector<uint64_t>> key{&fn, {}};
  bool allKnown = true;
  for (size_t i = 0; i < args.size(); ++i) {
    std::optional<Type> t = resolveType(fn.params[i].type);
    if (!t) return Value::poison();
    if (!promotes(args[i].type, *t)) {
      diags_->report(DiagId::ArgumentType, e.args[i]->loc,
                    {std::to_string(i + 1), fn.name, typeName(*t), typeName(args[i].type)});
      return Value::poison();
    }
    Value& p = params[fn.params[i].name] = convert(args[i], *t, ctx, e.loc);
    allKnown = allKnown && p.constant;
    if (p.constant)
      for (ir::Word w : p.constants) key.second.push_back(w.bits);
  }
  auto result = resolveType(fn.result);
  if (!result) return Value::poison();
  // Functions are pure: a call on known arguments is evaluated once per distinct argument
  // list (so constant evaluation of call chains is linear, not exponential).
  if (allKnown) {
    if (auto it = knownCalls_.find(key); it != knownCalls_.end()) return it->second;
  } else if (ctx.opaqueCalls) {
    // Checking a function body: the callee's own body is checked once on its own, so its
    // result is an opaque value of its declared type, as a parameter is.
    Value v;
    v.type = *result;
    for (size_t i = 0; i < v.size(); ++i)
      v.nodes.push_back(ctx.graph->add(ir::Node{NodeKind::Const, result->scalar, {}, ir::kNoNode, e.loc}));
    return v;
  }
  // Each evaluation is counted before it starts, so the chains memoisation cannot shorten
  // (f_i(x) = f_{i-1}(f_{i-1}(x)), or known arguments that all differ) stop at the budget.
  const uint64_t budget = 4 * uint64_t(limits_.modelNodes);
  if (++callEvaluations_ > budget) {
    if (!callBudgetReported_) {
      callBudgetReported_ = true;
      diags_->report(DiagId::CallsTooMany, ctx.inlineDepth ? ctx.inlinedFrom : e.loc, {std::to_string(budget)});
    }
    return Value::poison();
  }
  // The body sees only its parameters, globals and builtins: not the caller's names.
  ExprContext inner;
  inner.graph = ctx.graph;
  inner.constReason = ctx.constReason;
  inner.guard = ctx.guard;
  inner.constCache = ctx.constCache;
  inner.inlineDepth = ctx.inlineDepth + 1;
  inner.inlinedFrom = ctx.inlineDepth ? ctx.inlinedFrom : e.loc;
  inner.locals.push_back(std::move(params));
  inner.opaqueCalls = ctx.opaqueCalls;
  Value body = lowerExpr(*fn.body, inner);
  Value out = body.error || !promotes(body.type, *result) ? Value::poison() : convert(body, *result, ctx, e.loc);
  // A silent evaluation (silentConstInt) must not hide the errors of a later, reported one.
  // A result of nodes (a body reading `data`) is never kept: its nodes belong to this graph
  // only, and a later query (or a model, after a body check) would read other nodes by them.
  if (allKnown && (out.constant || (out.error && diags_ == primaryDiags_))) knownCalls_.emplace(std::move(key), out);
  return out;
}

}  // namespace mv::frontend
