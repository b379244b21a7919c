// frontend/LowerDistribution.cpp — distribution calls: arity, parameter types, constant domains, proposal support.
#include "frontend/Lowerer.h"

#include "runtime/Coverage.h"

#include <charconv>
#include <cmath>

namespace mv::frontend {

using stdlib::ParamDomain;
using stdlib::SupportKind;

namespace {

/// The shortest text that reads back as exactly `w` ("2.3", not "2.2999999999999998").
std::string number(ir::Word w, Scalar t) {
  if (t != Scalar::Real) return std::to_string(w.asInt());
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, w.asReal());
  return std::string(buf, r.ptr);
}

bool inDomain(ParamDomain d, Scalar t, ir::Word w, std::optional<double> previous = std::nullopt) {
  return stdlib::inDomain(d, w.toDouble(t), previous);
}

}  // namespace

bool Lowerer::checkTableRows(const Value& v, const std::string& dist, stdlib::Distribution id, size_t arg,
                             SourceLoc loc) {
  const stdlib::ParamInfo& p = stdlib::distribution(id).params[arg];
  for (const auto& src : v.sources) {
    std::vector<int> dims{src->type.length};
    dims.insert(dims.end(), src->type.inner.begin(), src->type.inner.end());
    if (src->path.size() + 1 != dims.size()) continue;  // not a row of this table
    const size_t rowSize = size_t(dims.back());
    std::vector<int64_t> at(src->path.size(), 0);
    for (size_t k = 0; k < at.size(); ++k) at[k] = src->path[k] < 0 ? 0 : src->path[k];
    while (true) {
      size_t offset = 0;
      std::string row = src->name;
      for (size_t k = 0; k < at.size(); ++k) {
        offset = offset * size_t(dims[k]) + size_t(at[k]);
        row += "[" + std::to_string(at[k]) + "]";
      }
      offset *= rowSize;
      double sum = 0;
      for (size_t j = 0; j < rowSize; ++j) {
        ir::Word x = ir::convertWord(src->type.scalar, Scalar::Real, (*src->table)[offset + j]);
        sum += x.asReal();
        if (!inDomain(p.domain, Scalar::Real, x)) {
          diags_->report(DiagId::ConstantParamDomain, loc,
                        {std::string(p.name), dist, number(x, Scalar::Real), std::string(p.domainText)})
              .note(DiagId::NoteInTableRow, consts_.at(src->name)->loc, {row});
          return false;
        }
      }
      if (std::fabs(sum - 1.0) > 1e-9) {
        diags_->report(DiagId::CategoricalRowSum, loc, {row, number(ir::Word::ofReal(sum), Scalar::Real)})
            .note(DiagId::NoteDeclaredHere, consts_.at(src->name)->loc, {src->name});
        return false;
      }
      // The next row a run-time index can select (the last free index fastest).
      size_t k = at.size();
      while (k-- > 0) {
        if (src->path[k] >= 0) continue;
        if (++at[k] < dims[k]) break;
        at[k] = 0;
      }
      if (k == size_t(-1)) break;
    }
  }
  return true;
}

Lowerer::DistArgs Lowerer::lowerDistCall(const ast::DistCall& call, ExprContext& ctx) {
  if (stdlib::findCompound(call.name) == stdlib::Compound::Truncated) return lowerTruncated(call, ctx);
  std::vector<const ast::Expr*> args;
  for (const auto& a : call.args) args.push_back(a.get());
  return lowerDistArgs(call.name, call.loc, args, ctx);
}

Lowerer::DistArgs Lowerer::lowerDistArgs(const std::string& name, SourceLoc loc,
                                         const std::vector<const ast::Expr*>& argExprs, ExprContext& ctx,
                                         std::optional<stdlib::Distribution> id) {
  DistArgs out;
  if (!id) id = stdlib::findDistribution(name);
  if (!id) {
    const bool dirichlet = stdlib::findCompound(name) == stdlib::Compound::Dirichlet;
    // dirichlet draws an array: only `NAME ~ dirichlet(alpha)` (lowerDirichletSite) gets one.
    Diagnostic& d = dirichlet ? diags_->report(DiagId::DirichletPlacement, loc, {})
                              : diags_->report(DiagId::UnknownDistribution, loc, {name});
    std::vector<std::string> names{"dirichlet", "truncated"};
#define MV_DISTRIBUTION(Enum, dname, Support) \
  if (stdlib::findDistribution(#dname)) names.push_back(#dname);
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
    // `exp(1.0)` for `exponential(1.0)`: a builtin function that begins a distribution's name.
    std::string meant;
    if (stdlib::findBuiltin(name))
      for (const std::string& n : names)
        if (n.rfind(name, 0) == 0) meant = n;
    if (!dirichlet && !meant.empty()) d.note(DiagId::NoteFunctionNotDistribution, loc, {name, meant});
    else if (!dirichlet) suggest(d, name, names);
    for (const ast::Expr* a : argExprs) lowerExpr(*a, ctx);
    return out;
  }
  out.dist = *id;
  const stdlib::DistributionInfo& info = stdlib::distribution(*id);
  std::vector<Value> args;
  bool bad = false;
  for (const ast::Expr* a : argExprs) {
    args.push_back(lowerExpr(*a, ctx));
    bad = bad || args.back().error;
  }
  if (args.size() != info.params.size()) {
    diags_->report(DiagId::ArgumentCount, loc, {name, std::to_string(info.params.size()), std::to_string(args.size())});
    return out;
  }
  if (bad) return out;
  for (size_t i = 0; i < args.size(); ++i) {
    const stdlib::ParamInfo& p = info.params[i];
    Value& v = args[i];
    bool ok = p.isArray ? (v.type.isArray() && promotes(v.type, Type{p.type, v.type.length}))
                        : promotes(v.type, Type{p.type, -1});
    if (!ok) {
      std::string expected = std::string(p.type == Scalar::Int ? "int" : "real") + (p.isArray ? "[n]" : "");
      diags_->report(DiagId::ArgumentType, argExprs[i]->loc,
                    {std::to_string(i + 1), name, expected, typeName(v.type)});
      bad = true;
      continue;
    }
    if (p.isArray && size_t(v.type.length) > kMaxOutcomes) {
      // A site's parameter count is 16 bits (ir::SiteInfo): refused here, at the argument.
      diags_->report(DiagId::TooManyOutcomes, argExprs[i]->loc,
                    {name, std::to_string(v.type.length), std::to_string(kMaxOutcomes)});
      bad = true;
      continue;
    }
    v = convert(v, Type{p.type, p.isArray ? v.type.length : -1}, ctx, argExprs[i]->loc);
    if (p.domain == ParamDomain::Simplex && !v.constant) checkDataRows(v, name, *id, i, argExprs[i]->loc, ctx);
    if (p.domain == ParamDomain::Simplex && !v.sources.empty()) {
      // Rows of constant tables: every one a run-time index can select is checked now.
      if (!checkTableRows(v, name, *id, i, argExprs[i]->loc)) bad = true;
      continue;
    }
    if (!v.constant) continue;
    // The parameter before, for a domain that depends on it (uniform's a < b), when known and
    // in its own domain (else that is the error).
    std::optional<double> previous;
    if (i > 0 && args[i - 1].constant && !args[i - 1].type.isArray() && !bad)
      previous = args[i - 1].constants[0].toDouble(args[i - 1].type.scalar);
    double sum = 0;
    for (ir::Word x : v.constants) {
      sum += x.toDouble(p.type);
      if (!inDomain(p.domain, p.type, x, previous)) {
        diags_->report(DiagId::ConstantParamDomain, argExprs[i]->loc,
                      {std::string(p.name), name, number(x, p.type), std::string(p.domainText)});
        bad = true;
        break;
      }
    }
    if (!bad && p.domain == ParamDomain::Simplex && std::fabs(sum - 1.0) > 1e-9) {
      diags_->report(DiagId::CategoricalSum, argExprs[i]->loc, {number(ir::Word::ofReal(sum), Scalar::Real)});
      bad = true;
    }
  }
  if (bad) return out;
  for (size_t i = 0; i < args.size(); ++i)
    for (size_t k = 0; k < args[i].size(); ++k) out.params.push_back(elementNode(args[i], k, ctx, argExprs[i]->loc));
  out.values = std::move(args);
  out.ok = true;
  return out;
}

namespace {

struct Support {
  SupportKind kind;
  std::optional<double> lo, hi;  ///< known bounds where they matter

  std::string text() const { return stdlib::supportText(kind, lo, hi); }
};

Support supportOf(stdlib::Distribution d, const std::vector<Value>& v) {
  Support s{stdlib::distribution(d).support, {}, {}};
  auto known = [&](size_t i) -> std::optional<double> {
    if (i < v.size() && v[i].constant && !v[i].type.isArray()) return v[i].constants[0].toDouble(v[i].type.scalar);
    return std::nullopt;
  };
  if (s.kind == SupportKind::IntBelowLength && !v.empty()) s.hi = double(v[0].type.length);
  if (s.kind == SupportKind::IntUpToN) s.hi = known(0);
  if (s.kind == SupportKind::RealInterval) {
    s.lo = known(0);
    s.hi = known(1);
  }
  if (s.kind == SupportKind::RealClosedInterval) {  // truncated(D, lo, hi): D's support within [lo, hi]
    s.lo = known(v.size() - 2);
    s.hi = known(v.size() - 1);
    std::optional<double> baseLo, baseHi;
    switch (stdlib::distribution(*stdlib::truncationBase(d)).support) {
      case SupportKind::RealInterval: baseLo = known(0), baseHi = known(1); break;
      case SupportKind::UnitInterval: baseLo = 0.0, baseHi = 1.0; break;
      case SupportKind::PositiveReal:
      case SupportKind::NonNegativeReal: baseLo = 0.0; break;
      case SupportKind::Bool:
      case SupportKind::IntBelowLength:
      case SupportKind::IntUpToN:
      case SupportKind::NonNegativeInt:
      case SupportKind::RealLine:
      case SupportKind::RealClosedInterval:
      case SupportKind::IntClosedInterval: break;
    }
    if (s.lo && baseLo && *baseLo > *s.lo) s.lo = baseLo;
    if (s.hi && baseHi && *baseHi < *s.hi) s.hi = baseHi;
  }
  if (s.kind == SupportKind::IntClosedInterval) {  // a truncated discrete D: its ints within [lo, hi]
    s.lo = known(v.size() - 2);
    s.hi = known(v.size() - 1);
    std::optional<double> baseHi;
    switch (stdlib::distribution(*stdlib::truncationBase(d)).support) {
      case SupportKind::IntBelowLength: baseHi = double(v[0].type.length) - 1; break;
      case SupportKind::IntUpToN: baseHi = known(0); break;
      case SupportKind::Bool:
      case SupportKind::NonNegativeInt:
      case SupportKind::RealInterval:
      case SupportKind::RealLine:
      case SupportKind::PositiveReal:
      case SupportKind::UnitInterval:
      case SupportKind::NonNegativeReal:
      case SupportKind::RealClosedInterval:
      case SupportKind::IntClosedInterval: break;
    }
    if (s.lo && *s.lo < 0) s.lo = 0.0;  // every discrete base's support starts at 0
    if (s.hi && baseHi && *baseHi < *s.hi) s.hi = baseHi;
  }
  // An interval from 0 to 1 is the unit interval up to a null set.
  if ((s.kind == SupportKind::RealInterval || s.kind == SupportKind::RealClosedInterval) && s.lo == 0.0 &&
      s.hi == 1.0)
    s = Support{SupportKind::UnitInterval, {}, {}};
  return s;
}

bool sameSupport(const Support& a, const Support& b) {
  if (stdlib::support(a.kind).proposalClass != stdlib::support(b.kind).proposalClass) return false;
  if (a.kind == SupportKind::IntBelowLength) return a.hi == b.hi;
  if (a.kind == SupportKind::IntUpToN || a.kind == SupportKind::RealInterval ||
      a.kind == SupportKind::RealClosedInterval || a.kind == SupportKind::IntClosedInterval)
    return !(a.lo && b.lo && *a.lo != *b.lo) && !(a.hi && b.hi && *a.hi != *b.hi);
  return true;
}

/// The runtime's family id of `d` (runtime/Coverage.h).
int32_t family(stdlib::Distribution d) {
  static const int32_t kFamily[] = {
#define MV_DISTRIBUTION(Enum, name, Support) MV_RT_FAMILY_##name,
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
  };
  return kFamily[size_t(d)];
}

/// Every parameter's elements in order, when all are constant.
std::optional<std::vector<double>> constantParams(const std::vector<Value>& values) {
  std::vector<double> out;
  for (const Value& v : values) {
    if (!v.constant) return std::nullopt;
    for (const ir::Word& w : v.constants) out.push_back(w.toDouble(v.type.scalar));
  }
  return out;
}

}  // namespace

void Lowerer::checkProposalSupport(const ast::DistCall& site, const DistArgs& s, const ast::DistCall& prop,
                                   const DistArgs& p) {
  Support a = supportOf(s.dist, s.values), b = supportOf(p.dist, p.values);
  if (!sameSupport(a, b)) {
    diags_->report(DiagId::ProposalSupport, prop.loc, {prop.name, b.text(), site.name, a.text()});
    return;
  }
  // The run-time check (interpreter, generated code) applies the same rule to non-constant ones.
  std::optional<std::vector<double>> sp = constantParams(s.values), pp = constantParams(p.values);
  double missed = 0;
  if (!sp || !pp ||
      mv_rt_covers(family(s.dist), sp->data(), int32_t(sp->size()), family(p.dist), pp->data(), int32_t(pp->size()),
                   &missed))
    return;
  Scalar type = stdlib::distribution(s.dist).valueType;
  std::string value = type == Scalar::Bool ? (missed != 0 ? "true" : "false")
                                           : number(ir::Word::fromDouble(type, missed), type);
  diags_->report(DiagId::ProposalCoverage, prop.loc, {prop.name, value, site.name})
      .note(DiagId::NoteProposalCoverage, prop.loc);
}

void Lowerer::literalParams(const ast::DistCall& call, std::set<std::pair<int, uint64_t>>& keys) {
  // Only a call every argument of which is a literal of its parameter's type, in its domain:
  // then lowerDistArgs surely emits each as a shared constant (constNode's key).
  std::optional<stdlib::Distribution> id = stdlib::findDistribution(call.name);
  if (!id) return;
  const stdlib::DistributionInfo& info = stdlib::distribution(*id);
  if (call.args.size() != info.params.size()) return;
  std::vector<std::pair<int, uint64_t>> found;
  std::optional<double> previous;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const ast::Expr& a = *call.args[i];
    const stdlib::ParamInfo& p = info.params[i];
    if (p.isArray) return;
    ir::Word w;
    if (a.kind == ast::ExprKind::IntLit && (p.type == Scalar::Int || p.type == Scalar::Real))
      w = ir::convertWord(Scalar::Int, p.type, ir::Word::ofInt(a.intValue));
    else if (a.kind == ast::ExprKind::RealLit && p.type == Scalar::Real) w = ir::Word::ofReal(a.realValue);
    else return;
    if (!inDomain(p.domain, p.type, w, previous)) return;
    previous = w.toDouble(p.type);
    found.push_back({int(p.type), w.bits});
  }
  keys.insert(found.begin(), found.end());
}

}  // namespace mv::frontend
