// stdlib/Stdlib.cpp — the data of the builtin and distribution tables.
#include "stdlib/Stdlib.h"

#include <array>
#include <charconv>
#include <cmath>

namespace mv::stdlib {
namespace {

using S = Scalar;
using D = ParamDomain;

constexpr ParamInfo kBernoulli[] = {{"p", S::Real, false, D::Probability, "0 <= p <= 1"}};
constexpr ParamInfo kCategorical[] = {
    {"probs", S::Real, true, D::Simplex, "probs >= 0 summing to 1", "probs >= 0", "probs summing to 1"}};
constexpr ParamInfo kBinomial[] = {{"n", S::Int, false, D::NonNegative, "0 <= n < 2^53"},
                                   {"p", S::Real, false, D::Probability, "0 <= p <= 1"}};
constexpr ParamInfo kPoisson[] = {{"rate", S::Real, false, D::CountRate, "0 < rate < 2^53"}};
constexpr ParamInfo kUniform[] = {{"a", S::Real, false, D::Any, "a < b"},
                                  {"b", S::Real, false, D::AbovePrevious, "a < b"}};
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
constexpr ParamInfo kGeometric[] = {{"p", S::Real, false, D::SuccessProbability, "0 < p <= 1"}};
constexpr ParamInfo kNegativeBinomial[] = {{"r", S::Real, false, D::Positive, "r > 0"},
                                           {"p", S::Real, false, D::SuccessProbability, "0 < p <= 1"}};
constexpr ParamInfo kHalfNormal[] = {{"sigma", S::Real, false, D::Positive, "sigma > 0"}};
constexpr ParamInfo kCauchy[] = {{"loc", S::Real, false, D::Any, "finite"},
                                 {"scale", S::Real, false, D::Positive, "scale > 0"}};
constexpr ParamInfo kHalfCauchy[] = {{"scale", S::Real, false, D::Positive, "scale > 0"}};
constexpr ParamInfo kLogistic[] = {{"loc", S::Real, false, D::Any, "finite"},
                                   {"scale", S::Real, false, D::Positive, "scale > 0"}};
constexpr ParamInfo kWeibull[] = {{"shape", S::Real, false, D::Positive, "shape > 0"},
                                  {"scale", S::Real, false, D::Positive, "scale > 0"}};
constexpr ParamInfo kCategoricalLogits[] = {
    {"logits", S::Real, true, D::Any, "finite logits", "finite", {}}};
constexpr ParamInfo kLo = {"lo", S::Real, false, D::Any, "finite"};
constexpr ParamInfo kHi = {"hi", S::Real, false, D::AbovePrevious,
                           "lo < hi, an interval of positive probability"};
constexpr ParamInfo kDirichlet = {"alpha", S::Real, true, D::Positive, "alpha > 0", "alpha > 0", {}};
// truncated(D, lo, hi): D's parameters, then the interval (its mass is checked at run time).
constexpr ParamInfo kTruncatedUniform[] = {{"a", S::Real, false, D::Any, "a < b"},
                                           {"b", S::Real, false, D::AbovePrevious, "a < b"},
                                           kLo,
                                           kHi};
constexpr ParamInfo kTruncatedNormal[] = {{"mean", S::Real, false, D::Any, "finite"},
                                          {"sd", S::Real, false, D::Positive, "sd > 0"},
                                          kLo,
                                          kHi};
constexpr ParamInfo kTruncatedLognormal[] = {{"mu", S::Real, false, D::Any, "finite"},
                                             {"sigma", S::Real, false, D::Positive, "sigma > 0"},
                                             kLo,
                                             kHi};
constexpr ParamInfo kTruncatedExponential[] = {{"rate", S::Real, false, D::Positive, "rate > 0"}, kLo, kHi};
constexpr ParamInfo kTruncatedLaplace[] = {{"mu", S::Real, false, D::Any, "finite"},
                                           {"b", S::Real, false, D::Positive, "b > 0"},
                                           kLo,
                                           kHi};
constexpr ParamInfo kTruncatedHalfNormal[] = {{"sigma", S::Real, false, D::Positive, "sigma > 0"}, kLo, kHi};
constexpr ParamInfo kTruncatedCauchy[] = {{"loc", S::Real, false, D::Any, "finite"},
                                          {"scale", S::Real, false, D::Positive, "scale > 0"},
                                          kLo,
                                          kHi};
constexpr ParamInfo kTruncatedHalfCauchy[] = {{"scale", S::Real, false, D::Positive, "scale > 0"}, kLo, kHi};
constexpr ParamInfo kTruncatedLogistic[] = {{"loc", S::Real, false, D::Any, "finite"},
                                            {"scale", S::Real, false, D::Positive, "scale > 0"},
                                            kLo,
                                            kHi};
constexpr ParamInfo kTruncatedWeibull[] = {{"shape", S::Real, false, D::Positive, "shape > 0"},
                                           {"scale", S::Real, false, D::Positive, "scale > 0"},
                                           kLo,
                                           kHi};
constexpr ParamInfo kTruncatedGamma[] = {{"shape", S::Real, false, D::Positive, "shape > 0"},
                                         {"rate", S::Real, false, D::Positive, "rate > 0"},
                                         kLo,
                                         kHi};
constexpr ParamInfo kTruncatedBeta[] = {{"a", S::Real, false, D::Positive, "a > 0"},
                                        {"b", S::Real, false, D::Positive, "b > 0"},
                                        kLo,
                                        kHi};
constexpr ParamInfo kTruncatedStudentT[] = {{"nu", S::Real, false, D::Positive, "nu > 0"},
                                            {"mu", S::Real, false, D::Any, "finite"},
                                            {"sigma", S::Real, false, D::Positive, "sigma > 0"},
                                            kLo,
                                            kHi};

// truncated(D, lo, hi) for a discrete D: the bounds are ints (the support is D's within [lo, hi]).
constexpr ParamInfo kLoInt = {"lo", S::Int, false, D::Any, "an int below hi"};
constexpr ParamInfo kHiInt = {"hi", S::Int, false, D::AbovePrevious, "lo < hi, an interval of positive probability"};
constexpr ParamInfo kTruncatedCategorical[] = {kCategorical[0], kLoInt, kHiInt};
constexpr ParamInfo kTruncatedCategoricalLogits[] = {kCategoricalLogits[0], kLoInt, kHiInt};
constexpr ParamInfo kTruncatedBinomial[] = {kBinomial[0], kBinomial[1], kLoInt, kHiInt};
constexpr ParamInfo kTruncatedPoisson[] = {kPoisson[0], kLoInt, kHiInt};
constexpr ParamInfo kTruncatedGeometric[] = {kGeometric[0], kLoInt, kHiInt};
constexpr ParamInfo kTruncatedNegativeBinomial[] = {kNegativeBinomial[0], kNegativeBinomial[1], kLoInt, kHiInt};

using E = Enumeration;

// The order of SupportKind. Proposal classes: equal numbers are the same set up to a null set.
constexpr SupportInfo kSupports[] = {
    {SupportKind::Bool, S::Bool, E::Finite, 0, "bool"},
    {SupportKind::IntBelowLength, S::Int, E::Finite, 1, "int in [0, len)"},
    {SupportKind::IntUpToN, S::Int, E::Finite, 2, "int in [0, n]"},
    {SupportKind::NonNegativeInt, S::Int, E::Unbounded, 3, "int >= 0"},
    {SupportKind::RealInterval, S::Real, E::Continuous, 4, "real in [a, b)"},
    {SupportKind::RealLine, S::Real, E::Continuous, 5, "all reals"},
    {SupportKind::PositiveReal, S::Real, E::Continuous, 6, "real > 0"},
    {SupportKind::UnitInterval, S::Real, E::Continuous, 7, "real in (0, 1)"},
    {SupportKind::NonNegativeReal, S::Real, E::Continuous, 6, "real >= 0"},
    {SupportKind::RealClosedInterval, S::Real, E::Continuous, 4, "real in [lo, hi]"},
    {SupportKind::IntClosedInterval, S::Int, E::Finite, 8, "int in [lo, hi]"},
};

constexpr bool supportsInOrder() {
  for (size_t i = 0; i < std::size(kSupports); ++i)
    if (size_t(kSupports[i].kind) != i) return false;
  return true;
}
static_assert(supportsInOrder(), "kSupports follows SupportKind");

constexpr Scalar valueTypeOf(SupportKind k) { return kSupports[size_t(k)].valueType; }

/// The shortest text that reads back as exactly `x` ("2.3", not "2.2999999999999998").
std::string shortest(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
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
#define MV_PARAMS_Geometric kGeometric
#define MV_PARAMS_NegativeBinomial kNegativeBinomial
#define MV_PARAMS_HalfNormal kHalfNormal
#define MV_PARAMS_Cauchy kCauchy
#define MV_PARAMS_HalfCauchy kHalfCauchy
#define MV_PARAMS_Logistic kLogistic
#define MV_PARAMS_Weibull kWeibull
#define MV_PARAMS_CategoricalLogits kCategoricalLogits
#define MV_PARAMS_TruncatedUniform kTruncatedUniform
#define MV_PARAMS_TruncatedNormal kTruncatedNormal
#define MV_PARAMS_TruncatedLognormal kTruncatedLognormal
#define MV_PARAMS_TruncatedExponential kTruncatedExponential
#define MV_PARAMS_TruncatedLaplace kTruncatedLaplace
#define MV_PARAMS_TruncatedHalfNormal kTruncatedHalfNormal
#define MV_PARAMS_TruncatedCauchy kTruncatedCauchy
#define MV_PARAMS_TruncatedHalfCauchy kTruncatedHalfCauchy
#define MV_PARAMS_TruncatedLogistic kTruncatedLogistic
#define MV_PARAMS_TruncatedWeibull kTruncatedWeibull
#define MV_PARAMS_TruncatedGamma kTruncatedGamma
#define MV_PARAMS_TruncatedBeta kTruncatedBeta
#define MV_PARAMS_TruncatedStudentT kTruncatedStudentT
#define MV_PARAMS_TruncatedCategorical kTruncatedCategorical
#define MV_PARAMS_TruncatedCategoricalLogits kTruncatedCategoricalLogits
#define MV_PARAMS_TruncatedBinomial kTruncatedBinomial
#define MV_PARAMS_TruncatedPoisson kTruncatedPoisson
#define MV_PARAMS_TruncatedGeometric kTruncatedGeometric
#define MV_PARAMS_TruncatedNegativeBinomial kTruncatedNegativeBinomial

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

const SupportInfo& support(SupportKind k) { return kSupports[size_t(k)]; }

std::string supportText(SupportKind k, std::optional<double> lo, std::optional<double> hi) {
  const bool ints = support(k).valueType == Scalar::Int;
  auto b = [&](const std::optional<double>& x, const char* name) {
    return !x ? std::string(name) : ints ? std::to_string(int64_t(*x)) : shortest(*x);
  };
  switch (k) {
    case SupportKind::IntBelowLength: return "int in [0, " + b(hi, "len") + ")";
    case SupportKind::IntUpToN: return "int in [0, " + b(hi, "n") + "]";
    case SupportKind::RealInterval: return "real in [" + b(lo, "a") + ", " + b(hi, "b") + ")";
    case SupportKind::RealClosedInterval: return "real in [" + b(lo, "lo") + ", " + b(hi, "hi") + "]";
    case SupportKind::IntClosedInterval: return "int in [" + b(lo, "lo") + ", " + b(hi, "hi") + "]";
    case SupportKind::Bool:
    case SupportKind::NonNegativeInt:
    case SupportKind::RealLine:
    case SupportKind::PositiveReal:
    case SupportKind::UnitInterval:
    case SupportKind::NonNegativeReal: break;
  }
  return std::string(support(k).text);
}

double enumerationLast(SupportKind k, const double* p, int32_t n) {
  switch (k) {
    case SupportKind::Bool: return 1;
    case SupportKind::IntBelowLength: return double(n) - 1;  // the probabilities' count
    case SupportKind::IntUpToN: return p[0];                 // binomial's n
    case SupportKind::IntClosedInterval: return p[n - 1];    // hi (enumerationRange: the base's too)
    case SupportKind::NonNegativeInt:
    case SupportKind::RealInterval:
    case SupportKind::RealLine:
    case SupportKind::PositiveReal:
    case SupportKind::UnitInterval:
    case SupportKind::NonNegativeReal:
    case SupportKind::RealClosedInterval: break;
  }
  return -1;  // not Finite: nothing to enumerate
}

std::pair<double, double> enumerationRange(Distribution d, const double* p, int32_t n) {
  const SupportKind k = distribution(d).support;
  if (k != SupportKind::IntClosedInterval) return {0.0, enumerationLast(k, p, n)};
  // Every discrete base's support starts at 0; a finite one ends at its own last value.
  const double lo = p[n - 2], hi = p[n - 1];
  const SupportKind base = distribution(*truncationBase(d)).support;
  double last = hi;
  if (support(base).enumeration == Enumeration::Finite) {
    const double baseLast = enumerationLast(base, p, n - 2);
    if (std::isnan(last) || baseLast < last) last = baseLast;
  }
  return {lo > 0 ? lo : 0.0, last};  // an unknown lo: from 0, which bounds the count
}

bool inDomain(ParamDomain d, double x, std::optional<double> previous) {
  switch (d) {
    case ParamDomain::Probability: return x >= 0 && x <= 1;
    case ParamDomain::Positive: return x > 0 && std::isfinite(x);
    case ParamDomain::NonNegative: return x >= 0 && x < 0x1p53 && x == std::floor(x);  // an int
    case ParamDomain::Any: return std::isfinite(x);
    case ParamDomain::CountRate: return x > 0 && x < 0x1p53;
    case ParamDomain::Simplex: return x >= 0 && std::isfinite(x);
    case ParamDomain::AbovePrevious: return std::isfinite(x) && (!previous || x > *previous);
    case ParamDomain::SuccessProbability: return x > 0 && x <= 1;
  }
  return false;
}

bool DistributionInfo::checksSum() const {
  for (const ParamInfo& p : params)
    if (p.domain == ParamDomain::Simplex) return true;
  return false;
}

const DistributionInfo& distribution(Distribution id) { return kDistributions[size_t(id)]; }

std::optional<Distribution> findDistribution(std::string_view name) {
  for (const auto& d : kDistributions)
    if (d.name == name && !truncationBase(d.id)) return d.id;  // truncated_D only as truncated(D, ...)
  return std::nullopt;
}

namespace {
constexpr std::pair<Distribution, Distribution> kTruncations[] = {
    {Distribution::Uniform, Distribution::TruncatedUniform},
    {Distribution::Normal, Distribution::TruncatedNormal},
    {Distribution::Lognormal, Distribution::TruncatedLognormal},
    {Distribution::Exponential, Distribution::TruncatedExponential},
    {Distribution::Laplace, Distribution::TruncatedLaplace},
    {Distribution::HalfNormal, Distribution::TruncatedHalfNormal},
    {Distribution::Cauchy, Distribution::TruncatedCauchy},
    {Distribution::HalfCauchy, Distribution::TruncatedHalfCauchy},
    {Distribution::Logistic, Distribution::TruncatedLogistic},
    {Distribution::Weibull, Distribution::TruncatedWeibull},
    {Distribution::Gamma, Distribution::TruncatedGamma},
    {Distribution::Beta, Distribution::TruncatedBeta},
    {Distribution::StudentT, Distribution::TruncatedStudentT},
    {Distribution::Categorical, Distribution::TruncatedCategorical},
    {Distribution::CategoricalLogits, Distribution::TruncatedCategoricalLogits},
    {Distribution::Binomial, Distribution::TruncatedBinomial},
    {Distribution::Poisson, Distribution::TruncatedPoisson},
    {Distribution::Geometric, Distribution::TruncatedGeometric},
    {Distribution::NegativeBinomial, Distribution::TruncatedNegativeBinomial},
};
}  // namespace

std::optional<Distribution> truncatedOf(Distribution base) {
  for (const auto& [b, t] : kTruncations)
    if (b == base) return t;
  return std::nullopt;
}

std::optional<Distribution> truncationBase(Distribution d) {
  for (const auto& [b, t] : kTruncations)
    if (t == d) return b;
  return std::nullopt;
}

const ParamInfo& dirichletParam() { return kDirichlet; }

std::optional<Compound> findCompound(std::string_view name) {
  if (name == "dirichlet") return Compound::Dirichlet;
  if (name == "truncated") return Compound::Truncated;
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
    case Builtin::Lgamma: {
      int sign = 0;  // lgamma_r: std::lgamma writes the global signgam (a race between threads)
      return ::lgamma_r(a[0], &sign);
    }
    case Builtin::Sum:
    case Builtin::Prod:
    case Builtin::Len: break;  // expanded at lowering; never reaches here
  }
  (void)resultType;
  return 0.0;
}

}  // namespace mv::stdlib
