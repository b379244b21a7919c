// stdlib/Stdlib.h — the table of built-in functions and distributions that every phase reads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mv::stdlib {

/// Scalar value types of the language.
enum class Scalar : uint8_t { Bool, Int, Real };

/// The support of a distribution, as a class; proposals must match it.
enum class SupportKind : uint8_t {
  Bool,            ///< {false, true}
  IntBelowLength,  ///< 0 .. len(probs)-1
  IntUpToN,        ///< 0 .. n
  NonNegativeInt,  ///< 0, 1, 2, ...
  RealInterval,    ///< [a, b)
  RealLine,        ///< all reals
  PositiveReal,    ///< (0, inf)
  UnitInterval,    ///< (0, 1)
  NonNegativeReal, ///< [0, inf) (0 itself is a null set: the same proposal class as PositiveReal)
  RealClosedInterval,  ///< [lo, hi], the last two parameters (a truncated distribution's)
  IntClosedInterval,   ///< the ints of the base's support in [lo, hi] (a truncated discrete one's)
};

/// How the exact engine treats a site of a support: it enumerates a finite one, value by
/// value, and refuses the others with a message naming why.
enum class Enumeration : uint8_t {
  Finite,      ///< enumerationRange(d, params): bool, int in [0, len), int in [0, n], int in [lo, hi]
  Unbounded,   ///< every int >= 0
  Continuous,  ///< reals
};

/// The facts of one support kind that every phase reads.
struct SupportInfo {
  SupportKind kind;
  Scalar valueType;         ///< the type of a draw
  Enumeration enumeration;
  uint8_t proposalClass;    ///< a proposal needs the same class (the same set up to a null set)
  std::string_view text;    ///< for messages, with the parameters named: "int in [0, n]"
};

const SupportInfo& support(SupportKind k);

/// The support's text with the bounds filled in where known: "int in [0, 4)",
/// "real in [0, b)"; `lo`/`hi` are read only by the kinds with parameter bounds.
std::string supportText(SupportKind k, std::optional<double> lo = std::nullopt,
                        std::optional<double> hi = std::nullopt);

/// The last value the exact engine enumerates (from 0) for a Finite support, given the
/// site's parameters p[0..n) in their domain (NaN for one not known: then NaN or a bound).
double enumerationLast(SupportKind k, const double* p, int32_t n);

enum class Distribution : uint8_t {
#define MV_DISTRIBUTION(Enum, name, Support) Enum,
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
};
inline constexpr int kNumDistributions = 0
#define MV_DISTRIBUTION(Enum, name, Support) +1
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
    ;

/// The domain a parameter must lie in; checked at run time by the runtime.
enum class ParamDomain : uint8_t {
  Probability,   ///< 0 <= p <= 1
  Positive,      ///< > 0
  NonNegative,   ///< 0 <= n < 2^53 (binomial's n, an int: it and every count are exact doubles)
  Any,           ///< any finite real
  CountRate,     ///< 0 < rate < 2^53 (poisson's: so every draw is an exact int64)
  Simplex,       ///< an array of probabilities >= 0 summing to 1 (within 1e-9)
  AbovePrevious, ///< finite and greater than the parameter before it (uniform's b)
  SuccessProbability,  ///< 0 < p <= 1 (geometric's and negative_binomial's p)
};

/// Whether one value (an element, for an array parameter) is in `d`. AbovePrevious and
/// Simplex's sum involve other values: the caller checks those (previous: the parameter
/// before, when known).
bool inDomain(ParamDomain d, double x, std::optional<double> previous = std::nullopt);

/// One parameter of a distribution.
struct ParamInfo {
  std::string_view name;
  Scalar type;        ///< the type the argument is promoted to
  bool isArray;       ///< an array argument (categorical's probs)
  ParamDomain domain;
  std::string_view domainText;  ///< for messages: "0 <= p <= 1"
  std::string_view elementText = {};  ///< an array's: the domain of one element ("probs >= 0")
  std::string_view sumText = {};      ///< a Simplex's: the domain of the sum ("probs summing to 1")
};

struct DistributionInfo {
  Distribution id;
  std::string_view name;
  SupportKind support;
  Scalar valueType;  ///< the type of a draw
  std::span<const ParamInfo> params;
  std::string_view drawSymbol;    ///< mv_rt_draw_NAME
  std::string_view logpdfSymbol;  ///< mv_rt_logpdf_NAME
  std::string_view checkSymbol;   ///< mv_rt_check_NAME

  /// Whether mv_rt_check_NAME may report index n (the count of parameter values): a Simplex
  /// parameter whose values do not sum to 1.
  bool checksSum() const;
};

const DistributionInfo& distribution(Distribution id);
std::optional<Distribution> findDistribution(std::string_view name);

/// The first and last values the exact engine enumerates for distribution `d` of a Finite
/// support, given the site's parameters p[0..n) (NaN for one not known: a bound then needs
/// only the known ones, else it is NaN): 0 .. enumerationLast, and for a truncated discrete
/// one the base's range within [lo, hi] (empty, first > last, when they do not meet).
std::pair<double, double> enumerationRange(Distribution d, const double* p, int32_t n);

/// The truncated entry of distribution `base` (truncated(base(...), lo, hi)), if any.
std::optional<Distribution> truncatedOf(Distribution base);
/// The distribution a truncated entry truncates; nullopt for the others.
std::optional<Distribution> truncationBase(Distribution d);

/// Distributions the front end rewrites into table entries rather than sites of their own:
/// dirichlet(alpha), an array of normalised gamma(alpha[i], 1) draws, and truncated(D, lo, hi).
enum class Compound : uint8_t { Dirichlet, Truncated };
std::optional<Compound> findCompound(std::string_view name);
/// dirichlet's one parameter: an array of k >= 2 positive reals.
const ParamInfo& dirichletParam();

enum class BuiltinSignature : uint8_t {
  RealToReal, RoundToInt, Abs, RealRealToReal, MinMax, ArrayReduce, ArrayLength,
};

enum class Builtin : uint8_t {
#define MV_BUILTIN(Enum, name, Sig) Enum,
#include "stdlib/Builtins.def"
#undef MV_BUILTIN
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  BuiltinSignature signature;
  int arity;
};

const BuiltinInfo& builtin(Builtin id);
std::optional<Builtin> findBuiltin(std::string_view name);

/// Evaluates a scalar builtin on promoted arguments (reals, or ints/bools as doubles).
/// Shared by the constant folder and the interpreter so they cannot disagree.
/// ArrayReduce/ArrayLength are not handled here (they are expanded at lowering).
double evalScalarBuiltin(Builtin id, Scalar resultType, const double* args);

}  // namespace mv::stdlib
