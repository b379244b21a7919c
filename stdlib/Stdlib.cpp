// stdlib/Stdlib.cpp — the data of the builtin and distribution tables.
#include "stdlib/Stdlib.h"

#include <array>
#include <cmath>

namespace mv::stdlib {
namespace {

using S = Scalar;
using D = ParamDomain;

constexpr ParamInfo kBernoulli[] = {{"p", S::Real, false, D::Probability, "0 <= p <= 1"}};
constexpr ParamInfo kCategorical[] = {
    {"probs", S::Real, true, D::Simplex, "probs >= 0 summing to 1"}};
constexpr ParamInfo kBinomial[] = {{"n", S::Int, false, D::NonNegative, "0 <= n < 2^53"},
                                   {"p", S::Real, false, D::Probability, "0 <= p <= 1"}};
constexpr ParamInfo kPoisson[] = {{"rate", S::Real, false, D::CountRate, "0 < rate < 2^53"}};
constexpr ParamInfo kUniform[] = {{"a", S::Real, false, D::Any, "a < b"},
                                  {"b", S::Real, false, D::Any, "a < b"}};
constexpr ParamInfo kNormal[] = {{"mean", S::Real, false, D::Any, "finite"},
                                 {"sd", S::Real, false, D::Positive, "sd > 0"}};
constexpr ParamInfo kLognormal[] = {{"mu", S::Real, false, D::Any, "finite"},
                                    {"sigma", S::Real, false, D::Positive, "sigma > 0"}};
constexpr ParamInfo kExponential[] = {{"rate", S::Real, false, D::Positive, "rate > 0"}};
constexpr ParamInfo kGamma[] = {{"shape", S::Real, false, D::Positive, "shape > 0"},
                                {"rate", S::Real, false, D::Positive, "rate > 0"}};
constexpr ParamInfo kBeta[] = {{"a", S::Real, false, D::Positive, "a > 0"},
                               {"b", S::Real, false, D::Positive, "b > 0"}};
constexpr ParamInfo kLaplace[] = {{"mu", S::Real, false, D::Any, "finite"},
                                  {"b", S::Real, false, D::Positive, "b > 0"}};
constexpr ParamInfo kStudentT[] = {{"nu", S::Real, false, D::Positive, "nu > 0"},
                                   {"mu", S::Real, false, D::Any, "finite"},
                                   {"sigma", S::Real, false, D::Positive, "sigma > 0"}};

constexpr Scalar valueTypeOf(SupportKind k) {
  switch (k) {
    case SupportKind::Bool: return S::Bool;
    case SupportKind::IntBelowLength:
    case SupportKind::IntUpToN:
    case SupportKind::NonNegativeInt: return S::Int;
    case SupportKind::RealInterval:
    case SupportKind::RealLine:
    case SupportKind::PositiveReal:
    case SupportKind::UnitInterval: return S::Real;
  }
  return S::Real;
}

#define MV_PARAMS_Bernoulli kBernoulli
#define MV_PARAMS_Categorical kCategorical
#define MV_PARAMS_Binomial kBinomial
#define MV_PARAMS_Poisson kPoisson
#define MV_PARAMS_Uniform kUniform
#define MV_PARAMS_Normal kNormal
#define MV_PARAMS_Lognormal kLognormal
#define MV_PARAMS_Exponential kExponential
#define MV_PARAMS_Gamma kGamma
#define MV_PARAMS_Beta kBeta
#define MV_PARAMS_Laplace kLaplace
#define MV_PARAMS_StudentT kStudentT

const std::array<DistributionInfo, kNumDistributions> kDistributions = {{
#define MV_DISTRIBUTION(Enum, name, Support)                                              \
  {Distribution::Enum, #name, SupportKind::Support, valueTypeOf(SupportKind::Support),   \
   std::span<const ParamInfo>(MV_PARAMS_##Enum), "mv_rt_draw_" #name, "mv_rt_logpdf_" #name, \
   "mv_rt_check_" #name},
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
}};

constexpr int arityOf(BuiltinSignature s) {
  switch (s) {
    case BuiltinSignature::RealToReal:
    case BuiltinSignature::RoundToInt:
    case BuiltinSignature::Abs:
    case BuiltinSignature::ArrayReduce:
    case BuiltinSignature::ArrayLength: return 1;
    case BuiltinSignature::RealRealToReal:
    case BuiltinSignature::MinMax: return 2;
  }
  return 1;
}

const BuiltinInfo kBuiltins[] = {
#define MV_BUILTIN(Enum, name, Sig) \
  {Builtin::Enum, #name, BuiltinSignature::Sig, arityOf(BuiltinSignature::Sig)},
#include "stdlib/Builtins.def"
#undef MV_BUILTIN
};

}  // namespace

const DistributionInfo& distribution(Distribution id) { return kDistributions[size_t(id)]; }

std::optional<Distribution> findDistribution(std::string_view name) {
  for (const auto& d : kDistributions)
    if (d.name == name) return d.id;
  return std::nullopt;
}

const BuiltinInfo& builtin(Builtin id) { return kBuiltins[size_t(id)]; }

std::optional<Builtin> findBuiltin(std::string_view name) {
  for (const auto& b : kBuiltins)
    if (b.name == name) return b.id;
  return std::nullopt;
}

double evalScalarBuiltin(Builtin id, Scalar resultType, const double* a) {
  switch (id) {
    case Builtin::Exp: return std::exp(a[0]);
    case Builtin::Log: return std::log(a[0]);
    case Builtin::Log1p: return std::log1p(a[0]);
    case Builtin::Expm1: return std::expm1(a[0]);
    case Builtin::Sqrt: return std::sqrt(a[0]);
    case Builtin::Abs: return std::fabs(a[0]);
    case Builtin::Pow: return std::pow(a[0], a[1]);
    case Builtin::Min: return a[1] < a[0] ? a[1] : a[0];
    case Builtin::Max: return a[1] > a[0] ? a[1] : a[0];
    case Builtin::Floor: return std::floor(a[0]);
    case Builtin::Ceil: return std::ceil(a[0]);
    case Builtin::Round: return std::round(a[0]);
    case Builtin::Sigmoid:
      return a[0] >= 0 ? 1.0 / (1.0 + std::exp(-a[0])) : std::exp(a[0]) / (1.0 + std::exp(a[0]));
    case Builtin::Logit: return std::log(a[0] / (1.0 - a[0]));
    case Builtin::Sum:
    case Builtin::Prod:
    case Builtin::Len: break;  // expanded at lowering; never reaches here
  }
  (void)resultType;
  return 0.0;
}

}  // namespace mv::stdlib
