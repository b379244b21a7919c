// frontend/LowerCompound.cpp — the distributions rewritten into table entries: truncated(D, lo, hi)
// into D's truncated entry, `p ~ dirichlet(alpha)` into normalised gamma draws.
#include "frontend/Lowerer.h"
#include "ir/Inputs.h"

#include <charconv>
#include <cmath>

namespace mv::frontend {

using ir::NodeId;
using ir::NodeKind;

namespace {

std::string shortest(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

/// "uniform, normal, ..., categorical, ...": the distributions truncated(D, lo, hi) accepts as D.
std::string truncatable() {
  std::string out;
  for (int d = 0; d < stdlib::kNumDistributions; ++d) {
    const auto id = stdlib::Distribution(d);
    if (!stdlib::truncatedOf(id)) continue;
    out += (out.empty() ? "" : ", ") + std::string(stdlib::distribution(id).name);
  }
  return out;
}

}  // namespace

Lowerer::DistArgs Lowerer::lowerTruncated(const ast::DistCall& call, ExprContext& ctx) {
  if (call.args.size() != 3) {
    diags_->report(DiagId::ArgumentCount, call.loc, {call.name, "3", std::to_string(call.args.size())});
    for (const auto& a : call.args)
      if (a->kind != ast::ExprKind::Call) lowerExpr(*a, ctx);
    return {};
  }
  const ast::Expr& inner = *call.args[0];
  const bool isCall = inner.kind == ast::ExprKind::Call;
  if (!isCall || !(stdlib::findDistribution(inner.name) || stdlib::findCompound(inner.name))) {
    std::string found = isCall || inner.kind == ast::ExprKind::Name ? "'" + inner.name + "'" : "an expression";
    diags_->report(DiagId::TruncatedBase, inner.loc, {found});
    lowerExpr(*call.args[1], ctx);
    lowerExpr(*call.args[2], ctx);
    return {};
  }
  std::optional<stdlib::Distribution> base = stdlib::findDistribution(inner.name);
  std::optional<stdlib::Distribution> t = base ? stdlib::truncatedOf(*base) : std::nullopt;
  if (!t) {
    Diagnostic& d = diags_->report(DiagId::TruncatedUnsupported, inner.loc, {inner.name, truncatable()});
    if (base && stdlib::distribution(*base).valueType == Scalar::Bool)
      d.note(DiagId::NoteTruncatedBool, inner.loc, {inner.name});
    return {};
  }
  const size_t baseParams = stdlib::distribution(*base).params.size();
  if (inner.args.size() != baseParams) {
    diags_->report(DiagId::ArgumentCount, inner.loc,
                   {inner.name, std::to_string(baseParams), std::to_string(inner.args.size())});
    return {};
  }
  // D's arguments, then lo and hi: the truncated entry's parameters, checked as one call.
  std::vector<const ast::Expr*> args;
  for (const auto& a : inner.args) args.push_back(a.get());
  args.push_back(call.args[1].get());
  args.push_back(call.args[2].get());
  return lowerDistArgs("truncated(" + inner.name + ")", call.loc, args, ctx, t);
}

void Lowerer::lowerDirichletSite(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm) {
  std::string family;
  int64_t index = 0;
  auto name = targetName(s.target, ctx, &family, &index);
  const ast::DistCall& call = s.dist;
  const stdlib::ParamInfo& alphaInfo = stdlib::dirichletParam();
  bool ok = true;
  if (s.proposal) {  // a proposal draws one value; the site is an array
    diags_->report(DiagId::DirichletPlacement, s.proposal->loc, {});
    ok = false;
  }
  if (name && !family.empty()) {  // an element of a family is a scalar
    diags_->report(DiagId::DirichletPlacement, call.loc, {});
    ok = false;
  }
  Value alpha;
  if (call.args.size() != 1) {
    diags_->report(DiagId::ArgumentCount, call.loc, {call.name, "1", std::to_string(call.args.size())});
    for (const auto& a : call.args) lowerExpr(*a, ctx);
    ok = false;
  } else {
    alpha = lowerExpr(*call.args[0], ctx);
    const SourceLoc loc = call.args[0]->loc;
    if (alpha.error) {
      ok = false;
    } else if (!alpha.type.isArray() || !alpha.type.inner.empty() ||
               !promotes(alpha.type, Type{Scalar::Real, alpha.type.length})) {
      diags_->report(DiagId::ArgumentType, loc, {"1", call.name, "real[n]", typeName(alpha.type)});
      ok = false;
    } else if (alpha.type.length < 2) {
      diags_->report(DiagId::DirichletLength, loc, {std::to_string(alpha.type.length)});
      ok = false;
    } else if (size_t(alpha.type.length) > kMaxOutcomes) {
      diags_->report(DiagId::TooManyOutcomes, loc,
                     {call.name, std::to_string(alpha.type.length), std::to_string(kMaxOutcomes)});
      ok = false;
    } else {
      alpha = convert(alpha, Type{Scalar::Real, alpha.type.length}, ctx, loc);
      if (alpha.constant)
        for (ir::Word w : alpha.constants)
          if (!stdlib::inDomain(alphaInfo.domain, w.asReal())) {
            diags_->report(DiagId::ConstantParamDomain, loc,
                           {std::string(alphaInfo.name), call.name, shortest(w.asReal()),
                            std::string(alphaInfo.domainText)});
            ok = false;
            break;
          }
    }
  }
  if (!name) return;
  const size_t k = ok ? alpha.size() : 0;
  if (!ok) {
    lm.hasErrors = true;  // keep the name defined so later uses do not cascade into more errors
    define(ctx, lm, *name, family, index, emit(ctx, ir::Node{NodeKind::Const, Scalar::Real, {}, ir::kNoNode, s.target.loc}),
           s.target.loc);
    return;
  }
  // p[i] = g[i] / (g[0] + ... + g[k-1]) with g[i] ~ gamma(alpha[i], 1) is Dirichlet(alpha) exactly.
  const SourceLoc loc = s.target.loc;
  const NodeId one = constNode(ctx, Scalar::Real, ir::Word::ofReal(1.0), loc);
  std::vector<NodeId> g;
  for (size_t i = 0; i < k; ++i) {
    ir::Node n{NodeKind::Site, Scalar::Real, {elementNode(alpha, i, ctx, loc), one}, ir::kNoNode, loc};
    n.site.dist = stdlib::Distribution::Gamma;
    n.site.numParams = 2;
    n.site.ordinal = lm.graph.numSites++;
    g.push_back(emit(ctx, std::move(n)));
    lm.graph.nodes[g.back()].name = *name + ".gamma[" + std::to_string(i) + "]";  // not a name users write
  }
  NodeId sum = g[0];
  for (size_t i = 1; i < k; ++i) sum = emit(ctx, ir::Node{NodeKind::Add, Scalar::Real, {sum, g[i]}, ir::kNoNode, loc});
  for (size_t i = 0; i < k; ++i) {
    const NodeId p = emit(ctx, ir::Node{NodeKind::Div, Scalar::Real, {g[i], sum}, ir::kNoNode, loc});
    define(ctx, lm, *name + "[" + std::to_string(i) + "]", *name, int64_t(i), p, loc);
  }
  lm.dirichlets.insert(*name);  // observed whole, passes/DirichletInversion.cpp inverts it
}

bool Lowerer::checkDirichletObserved(const std::string& name, const std::vector<ObservedElement>& v, SourceLoc loc,
                                     ir::QueryGraph& g) {
  const std::string support = stdlib::supportText(stdlib::SupportKind::UnitInterval);
  size_t data = 0;
  for (const ObservedElement& e : v) data += e.isData;
  if (data == 0) {
    double sum = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const double x = v[i].value;
      if (!(x > 0 && x < 1)) {
        diags_->report(DiagId::ValueOutsideSupport, loc,
                       {shortest(x), name + "[" + std::to_string(i) + "]", support});
        return false;
      }
      sum += x;
    }
    if (std::fabs(sum - 1) > 1e-9) {  // the tolerance of categorical rows
      diags_->report(DiagId::DirichletObservedSum, loc, {name, shortest(sum)});
      return false;
    }
    return true;
  }
  if (data != v.size()) return true;  // constants and data mixed: not inverted (rejection evidence)
  // Data: the same checks, with the same messages, when the data are bound (each element
  // first, then the sum: the order the driver reports them in).
  ir::DataCheck row;
  row.kind = ir::DataCheck::Kind::Simplex;
  row.type = v[0].type;
  for (size_t i = 0; i < v.size(); ++i) {
    const uint32_t slot = v[i].slot;
    const ir::DataDecl* decl = ir::dataDeclOf(g, slot);
    ir::DataCheck c;
    c.slots = {slot};
    c.type = v[i].type;
    c.lo = 0, c.hi = 1, c.loOpen = c.hiOpen = true;
    c.element = {DiagId::ValueOutsideSupport, loc,
                 {v[i].type == Scalar::Real ? "\x01" : "\x05", name + "[" + std::to_string(i) + "]", support},
                 DiagId::NoteDataValue, decl ? decl->loc : loc, {ir::dataElementName(g, slot), "\x07"}};
    g.dataChecks.push_back(std::move(c));
    row.slots.push_back(slot);
  }
  const ir::DataDecl* decl = ir::dataDeclOf(g, row.slots[0]);
  std::string rowName = ir::dataElementName(g, row.slots[0]);
  rowName = decl && decl->dims.size() == 1 ? decl->name : rowName.substr(0, rowName.rfind('['));
  row.element = g.dataChecks.back().element;  // never reached: the elements are checked first
  row.sum = {DiagId::DirichletObservedSum, loc, {name, "\x01"}, DiagId::NoteDataRow, decl ? decl->loc : loc,
             {rowName, "\x07"}};
  g.dataChecks.push_back(std::move(row));
  return true;
}

bool Lowerer::recomputedInWorld(const ir::QueryGraph& g, uint32_t w, const std::vector<NodeId>& nodes) {
  // The nodes' ancestors in world w (ir/Inputs.h's rule): one set by w's own `do`, or a node of
  // w only, makes w recompute them (passes/Dependence.h counterfactualReach, read backwards).
  const ir::WorldView view(g, w);
  const std::vector<uint32_t> home = ir::homeWorlds(g);
  const std::vector<ir::Intervention>& own = g.worlds[w].interventions;
  std::vector<char> seen(g.nodes.size(), 0);
  std::vector<NodeId> stack(nodes.begin(), nodes.end());
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    if (seen[id]) continue;
    seen[id] = 1;
    const ir::Intervention* iv = view.setBy(id);
    if (home[id] == w || (iv && iv >= own.data() && iv < own.data() + own.size())) return true;
    for (NodeId in : view.inputsOf(id, ir::Edges::Counterfactual)) stack.push_back(in);
  }
  return false;
}

}  // namespace mv::frontend
