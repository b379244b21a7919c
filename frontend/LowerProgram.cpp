// frontend/LowerProgram.cpp — top-level declarations: names, constants, functions, recursion.
#include "frontend/Lowerer.h"

#include <algorithm>
#include <functional>
#include <set>

namespace mv::frontend {

std::vector<ir::QueryGraph> lowerProgram(const ast::Program& program, const SourceManager& sources,
                                         DiagnosticEngine& diags, const Limits& limits) {
  return Lowerer(program, sources, diags, limits).run();
}

QueryLowering::QueryLowering(const ast::Program& program, const SourceManager& sources, DiagnosticEngine& diags,
                             const Limits& limits)
    : lowerer_(std::make_unique<Lowerer>(program, sources, diags, limits)), queries_(lowerer_->prepare()) {}

QueryLowering::~QueryLowering() = default;

std::optional<ir::QueryGraph> QueryLowering::lower(size_t k) { return lowerer_->lowerQuery(*queries_.at(k)); }

const std::vector<ir::DataDecl>& QueryLowering::data() const { return lowerer_->dataTable_; }
uint32_t QueryLowering::dataSize() const { return lowerer_->dataSize_; }

std::vector<ir::QueryGraph> Lowerer::run() {
  std::vector<ir::QueryGraph> out;
  for (const ast::QueryDecl* q : prepare())
    if (auto g = lowerQuery(*q)) out.push_back(std::move(*g));
  return out;
}

std::vector<const ast::QueryDecl*> Lowerer::prepare() {
  collectGlobals();
  collectData();
  checkFunctionRecursion();
  for (const ast::ConstDecl& c : program_.consts) constantValue(c.name, c.loc);
  checkFunctionBodies();
  for (const ast::ModelDecl& m : program_.models)
    if (!models_.count(m.name) || models_.at(m.name).decl == &m) lowerModel(m);
  std::vector<const ast::QueryDecl*> queries;
  std::unordered_map<std::string, SourceLoc> seen;
  for (const ast::QueryDecl& q : program_.queries) {
    auto [it, fresh] = seen.emplace(q.name, q.loc);
    if (!fresh) {
      diags_->report(DiagId::DuplicateQuery, q.loc, {q.name})
          .note(DiagId::NotePreviousDefinition, it->second);
      continue;
    }
    queries.push_back(&q);
  }
  return queries;
}

void Lowerer::collectGlobals() {
  std::unordered_map<std::string, SourceLoc> defined;
  auto declare = [&](const std::string& name, SourceLoc loc) {
    auto [it, fresh] = defined.emplace(name, loc);
    if (!fresh) {
      diags_->report(DiagId::Redefinition, loc, {name}).note(DiagId::NotePreviousDefinition, it->second);
      return false;
    }
    if (stdlib::findBuiltin(name) || stdlib::findDistribution(name)) {
      diags_->report(DiagId::Redefinition, loc, {name});
      return false;
    }
    globalNames_.push_back(name);
    return true;
  };
  for (const ast::ConstDecl& c : program_.consts)
    if (declare(c.name, c.loc)) consts_[c.name] = &c;
  for (const ast::FnDecl& f : program_.fns)
    if (declare(f.name, f.loc)) fns_[f.name] = &f;
  for (const ast::ModelDecl& m : program_.models)
    if (declare(m.name, m.loc)) models_[m.name].decl = &m;
  for (const ast::DataDecl& d : program_.datas)
    if (declare(d.name, d.loc)) datas_[d.name] = SIZE_MAX;  // laid out by collectData
}

namespace {

void collectCalls(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  std::vector<const ast::Expr*> stack{&e};
  while (!stack.empty()) {
    const ast::Expr* x = stack.back();
    stack.pop_back();
    if (x->kind == ast::ExprKind::Call) out.push_back(x);
    for (const auto& a : x->args) stack.push_back(a.get());
  }
}

}  // namespace

void Lowerer::checkFunctionRecursion() {
  // Depth-first search over the call graph; a back edge is a cycle.
  std::unordered_map<std::string, int> state;  // 0 new, 1 on stack, 2 done
  std::vector<std::string> path;
  std::set<std::string> reported;
  std::function<void(const ast::FnDecl&)> visit = [&](const ast::FnDecl& f) {
    state[f.name] = 1;
    path.push_back(f.name);
    std::vector<const ast::Expr*> calls;
    if (f.body) collectCalls(*f.body, calls);
    for (const ast::Expr* c : calls) {
      auto it = fns_.find(c->name);
      if (it == fns_.end()) continue;
      int s = state[c->name];
      if (s == 1) {
        auto from = std::find(path.begin(), path.end(), c->name);
        std::string cycle;
        for (auto p = from; p != path.end(); ++p) cycle += *p + " -> ";
        cycle += c->name;
        if (reported.insert(c->name).second)
          diags_->report(DiagId::FunctionRecursion, c->loc, {c->name, cycle});
      } else if (s == 0) {
        visit(*it->second);
      }
    }
    path.pop_back();
    state[f.name] = 2;
  };
  for (const ast::FnDecl& f : program_.fns)
    if (fns_.count(f.name) && fns_.at(f.name) == &f && state[f.name] == 0) visit(f);
  // Recursive functions are never inlined.
  for (const std::string& name : reported) fns_.erase(name);
}

void Lowerer::checkFunctionBodies() {
  // Each body is checked once with opaque parameters, so errors in it are reported even
  // when it is never called, and reported once.
  for (const ast::FnDecl& f : program_.fns) {
    if (!fns_.count(f.name) || fns_.at(f.name) != &f || !f.body) continue;
    ir::QueryGraph scratch;
    std::map<std::pair<int, uint64_t>, ir::NodeId> cache;
    ExprContext ctx;
    ctx.graph = &scratch;
    ctx.constCache = &cache;
    ctx.opaqueCalls = true;
    ctx.locals.emplace_back();
    bool ok = true;
    for (const ast::Param& p : f.params) {
      auto t = resolveType(p.type);
      if (!t) { ok = false; continue; }
      Value v;
      v.type = *t;
      for (size_t i = 0; i < v.size(); ++i)
        v.nodes.push_back(scratch.add(ir::Node{ir::NodeKind::Const, t->scalar, {}, ir::kNoNode, p.loc}));
      ctx.locals.back()[p.name] = v;
    }
    auto result = resolveType(f.result);
    if (!ok || !result) continue;
    Value body = lowerExpr(*f.body, ctx);
    if (!body.error && !promotes(body.type, *result))
      diags_->report(DiagId::ReturnType, f.body->loc, {f.name, typeName(body.type), typeName(*result)});
  }
}

Value Lowerer::constantValue(const std::string& name, SourceLoc use) {
  if (auto it = constValues_.find(name); it != constValues_.end()) return it->second;
  const ast::ConstDecl* decl = consts_.at(name);
  if (constInProgress_[name]) {
    diags_->report(DiagId::NotConstant, use, {"constant '" + name + "' (it depends on itself)"});
    return Value::poison();
  }
  constInProgress_[name] = true;
  ExprContext ctx;
  ctx.constReason = "the value of a constant";
  Value v = decl->value ? lowerExpr(*decl->value, ctx) : Value::poison();
  constInProgress_[name] = false;
  constValues_[name] = v;
  return v;
}

std::optional<Type> Lowerer::resolveType(const ast::TypeExpr& t) {
  Type out;
  if (t.name == "bool") out.scalar = Scalar::Bool;
  else if (t.name == "int") out.scalar = Scalar::Int;
  else if (t.name == "real") out.scalar = Scalar::Real;
  else {
    diags_->report(DiagId::UnknownType, t.loc, {t.name});
    return std::nullopt;
  }
  std::vector<int> dims;
  uint64_t total = 1;
  for (const ast::ExprPtr& size : t.sizes) {
    ExprContext ctx;
    ctx.constReason = "an array size";
    Value n = lowerExpr(*size, ctx);
    if (n.error) return std::nullopt;
    bool isInt = n.constant && n.type == Type{Scalar::Int, -1};
    if (!isInt || n.constants[0].asInt() < 1 || n.constants[0].asInt() > 1000000) {
      diags_->report(DiagId::ArraySize, size->loc,
                    {isInt ? std::to_string(n.constants[0].asInt()) : "'" + typeName(n.type) + "'"});
      return std::nullopt;
    }
    dims.push_back(int(n.constants[0].asInt()));
    // The elements are scalarised: the whole shape is bounded as one dimension is.
    total *= uint64_t(dims.back());
    if (total > 1000000) {
      diags_->report(DiagId::ArraySize, size->loc, {std::to_string(total) + " elements in all"});
      return std::nullopt;
    }
  }
  if (!dims.empty()) {
    out.length = dims[0];
    out.inner.assign(dims.begin() + 1, dims.end());
  }
  return out;
}

std::vector<std::string> Lowerer::visibleNames(const ExprContext& ctx) const {
  // Values only: a model or function name is never what a misspelt value meant.
  std::vector<std::string> names;
  for (const std::string& n : globalNames_)
    if (consts_.count(n) || datas_.count(n)) names.push_back(n);
  for (const ModelScope* s : ctx.scopes) {
    for (const auto& [n, id] : s->names) names.push_back(n);
    for (const auto& [n, f] : s->families) names.push_back(n);
  }
  for (const auto& level : ctx.locals)
    for (const auto& [n, v] : level) names.push_back(n);
  return names;
}

namespace {

size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

void Lowerer::suggest(Diagnostic& d, const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t bestDist = std::max<size_t>(1, std::min<size_t>(2, name.size() / 3)) + 1;
  for (const std::string& c : candidates) {
    if (c == name || c.size() > 64) continue;
    size_t dist = editDistance(name, c);
    if (dist < bestDist || (dist == bestDist && !best.empty() && c < best && dist < bestDist)) {
      bestDist = dist;
      best = c;
    }
  }
  if (!best.empty()) d.note(DiagId::NoteDidYouMean, d.loc, {best});
}

}  // namespace mv::frontend
