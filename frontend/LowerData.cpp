// frontend/LowerData.cpp — `data` declarations: the data buffer's layout and Data nodes for their uses.
#include "frontend/Lowerer.h"

#include <algorithm>

namespace mv::frontend {

void Lowerer::collectData() {
  for (const ast::DataDecl& d : program_.datas) {
    auto it = datas_.find(d.name);
    if (it == datas_.end() || it->second != SIZE_MAX) continue;  // a redefinition, reported
    std::optional<Type> t = resolveType(d.type);
    if (!t) {
      datas_.erase(it);  // uses are then undeclared names: one error, at the declaration
      continue;
    }
    ir::DataDecl decl;
    decl.name = d.name;
    decl.type = t->scalar;
    if (t->isArray()) {
      decl.dims.push_back(t->length);
      decl.dims.insert(decl.dims.end(), t->inner.begin(), t->inner.end());
    }
    decl.offset = dataSize_;
    decl.loc = d.loc;
    if (uint64_t(dataSize_) + decl.count() > 1000000) {  // the bound resolveType puts on one array
      diags_->report(DiagId::ArraySize, d.type.loc, {std::to_string(uint64_t(dataSize_) + decl.count()) +
                                                     " elements of data in all"});
      datas_.erase(it);
      continue;
    }
    dataSize_ += uint32_t(decl.count());
    it->second = dataTable_.size();
    dataTable_.push_back(std::move(decl));
  }
}

void Lowerer::checkDataRows(const Value& v, const std::string& dist, stdlib::Distribution id, size_t arg, SourceLoc loc,
                            ExprContext& ctx) {
  if (!ctx.graph || v.nodes.empty()) return;
  ir::QueryGraph& g = *ctx.graph;
  auto isData = [&](ir::NodeId id) { return g.nodes[id].kind == ir::NodeKind::Data; };
  std::vector<std::vector<uint32_t>> rows;
  const ir::Node& first = g.nodes[v.nodes[0]];
  if (std::all_of(v.nodes.begin(), v.nodes.end(), isData)) {
    rows.emplace_back();
    for (ir::NodeId id : v.nodes) rows.back().push_back(g.nodes[id].dataIndex);
  } else if (first.kind == ir::NodeKind::IndexSelect) {
    // A row selected at run time: element j is a select over element j of every row.
    for (ir::NodeId id : v.nodes) {
      const ir::Node& n = g.nodes[id];
      if (n.kind != ir::NodeKind::IndexSelect || n.operands.size() != first.operands.size() ||
          n.operands[0] != first.operands[0] || !std::all_of(n.operands.begin() + 1, n.operands.end(), isData))
        return;  // not rows of data (computed, or mixed with constants): checked in each sample
    }
    rows.resize(first.operands.size() - 1);
    for (ir::NodeId id : v.nodes)
      for (size_t r = 0; r < rows.size(); ++r) rows[r].push_back(g.nodes[g.nodes[id].operands[1 + r]].dataIndex);
  } else {
    return;
  }
  const stdlib::ParamInfo& p = stdlib::distribution(id).params[arg];
  // The model's graph has no data table yet (a query's copy gets it): look slots up here.
  ir::QueryGraph table;
  table.data = dataTable_;
  for (std::vector<uint32_t>& row : rows) {
    const ir::DataDecl* decl = ir::dataDeclOf(table, row[0]);
    std::string name = ir::dataElementName(table, row[0]);
    if (!decl || decl->dims.empty()) continue;  // a row is an array
    if (decl->dims.size() == 1) name = decl->name;  // the whole array
    else name = name.substr(0, name.rfind('['));
    ir::DataCheck c;
    c.kind = ir::DataCheck::Kind::Simplex;
    c.slots = std::move(row);
    c.type = decl->type;
    c.element = {DiagId::ConstantParamDomain, loc, {std::string(p.name), dist, "\x01", std::string(p.domainText)},
                 DiagId::NoteDataRow, decl->loc, {name, "\x07"}};
    c.sum = {DiagId::CategoricalRowSum, loc, {name, "\x01"}, DiagId::NoteDataRow, decl->loc, {name, "\x07"}};
    g.dataChecks.push_back(std::move(c));
  }
}

std::optional<Type> Lowerer::dataType(const std::string& name, const ExprContext& ctx) const {
  for (const auto& level : ctx.locals)
    if (level.count(name)) return std::nullopt;
  for (const ModelScope* s : ctx.scopes)
    if (s->names.count(name) || s->families.count(name)) return std::nullopt;
  auto it = datas_.find(name);
  if (it == datas_.end() || it->second == SIZE_MAX) return std::nullopt;
  const ir::DataDecl& d = dataTable_[it->second];
  Type t{d.type, -1};
  if (!d.dims.empty()) {
    t.length = d.dims[0];
    t.inner.assign(d.dims.begin() + 1, d.dims.end());
  }
  return t;
}

namespace {

/// Whether `scope` defines `name` as a model name, a family or a family of rows (lowerName's test).
bool scopeDefines(const ModelScope& scope, const std::string& name) {
  return scope.names.count(name) || scope.families.count(name) || scope.families.count(name + "[0]") ||
         scope.families.count(name + "[0][0]");
}

}  // namespace

void Lowerer::appendDataNodes(Value& v, const ir::DataDecl& d, size_t from, size_t count, SourceLoc loc,
                              ExprContext& ctx) {
  for (size_t k = from; k < from + count; ++k) {
    const uint32_t slot = d.offset + uint32_t(k);
    // Unguarded and shared like constants (Lowerer::constNode): a data value is the same
    // everywhere in a run. The cache's key -1 is no scalar type, so it meets no constant.
    std::pair<int, uint64_t> key{-1, slot};
    if (ctx.constCache)
      if (auto it = ctx.constCache->find(key); it != ctx.constCache->end()) {
        v.nodes.push_back(it->second);
        continue;
      }
    ir::Node n{ir::NodeKind::Data, d.type, {}, ir::kNoNode, loc};
    n.dataIndex = slot;
    ir::NodeId id = ctx.graph->add(std::move(n));
    if (ctx.constCache) (*ctx.constCache)[key] = id;
    v.nodes.push_back(id);
  }
}

Value Lowerer::dataValue(const std::string& name, const ast::Expr& e, ExprContext& ctx) {
  const size_t index = datas_.at(name);
  if (index == SIZE_MAX) return Value::poison();  // its type was bad (reported)
  const ir::DataDecl& d = dataTable_[index];
  if (!ctx.graph) {
    diags_->report(DiagId::NotConstant, e.loc, {ctx.constReason}).note(DiagId::NoteDataAtRunTime, d.loc, {name});
    return Value::poison();
  }
  Value v;
  v.type = *dataType(name, ctx);
  appendDataNodes(v, d, 0, d.count(), e.loc, ctx);
  return v;
}

std::optional<Value> Lowerer::dataRow(const ast::Expr& e, ExprContext& ctx) {
  std::vector<const ast::Expr*> indices;  // innermost (first applied) last
  const ast::Expr* root = &e;
  while (root->kind == ast::ExprKind::Index) {
    indices.push_back(root->args[1].get());
    root = root->args[0].get();
  }
  if (!ctx.graph || root->kind != ast::ExprKind::Name || !root->world.empty()) return std::nullopt;
  const std::string& name = root->name;
  // Only where lowerName would reach the data declaration: nothing of the same name before it.
  auto it = datas_.find(name);
  if (it == datas_.end() || it->second == SIZE_MAX || consts_.count(name)) return std::nullopt;
  for (const auto& level : ctx.locals)
    if (level.count(name)) return std::nullopt;
  for (const ModelScope* s : ctx.scopes)
    if (scopeDefines(*s, name)) return std::nullopt;
  if (ctx.plainWorld && *ctx.plainWorld != ctx.home && ctx.worlds && scopeDefines(ctx.worlds->model->top, name))
    return std::nullopt;
  if (ctx.model && ctx.model->branchLocal.count(name)) return std::nullopt;
  const ir::DataDecl& d = dataTable_[it->second];
  if (indices.size() > d.dims.size()) return std::nullopt;  // indexes a scalar: lowerIndex reports it
  Type t = *dataType(name, ctx);
  size_t from = 0;
  for (auto k = indices.rbegin(); k != indices.rend(); ++k) {
    std::optional<int64_t> i = silentConstInt(**k, ctx);
    if (!i || *i < 0 || *i >= t.length) return std::nullopt;  // a run-time index, or out of range
    t = t.element();
    from += size_t(*i) * t.count();
  }
  Value v;
  v.type = t;
  appendDataNodes(v, d, from, t.count(), root->loc, ctx);
  return v;
}

}  // namespace mv::frontend
