// frontend/Types.h — source-level types (scalars and fixed-size nested arrays) and promotion.
#pragma once

#include "stdlib/Stdlib.h"

#include <optional>
#include <string>
#include <vector>

namespace mv::frontend {

using stdlib::Scalar;

/// `bool`, `int`, `real`, or an array `T[length]`, `T[length][inner0]...` (rows of equal
/// length, outermost dimension first: `real[2][3]` is two rows of three).
struct Type {
  Scalar scalar = Scalar::Real;
  int length = -1;         ///< -1: a scalar
  std::vector<int> inner;  ///< the dimensions of each row, outermost first (empty: 1-D)

  bool isArray() const { return length >= 0; }
  /// The type of one row (`T[i]`): the scalar for a 1-D array.
  Type element() const {
    if (inner.empty()) return Type{scalar, -1, {}};
    return Type{scalar, inner[0], std::vector<int>(inner.begin() + 1, inner.end())};
  }
  /// Scalars in one value of this type.
  size_t count() const {
    if (!isArray()) return 1;
    size_t n = size_t(length);
    for (int d : inner) n *= size_t(d);
    return n;
  }
  /// Dimensions in all (0 for a scalar).
  size_t rank() const { return isArray() ? 1 + inner.size() : 0; }
  friend bool operator==(const Type&, const Type&) = default;
};

std::string typeName(const Type& t);
/// Rank in the promotion order bool < int < real.
int rank(Scalar s);
/// The wider of two scalars (bool -> int -> real).
Scalar widen(Scalar a, Scalar b);
/// True when a value of type `from` may be used where `to` is expected.
bool promotes(const Type& from, const Type& to);
/// The type both may be promoted to, if any.
std::optional<Type> common(const Type& a, const Type& b);
/// `t` with its scalar replaced (the same shape).
Type withScalar(Type t, Scalar s);

}  // namespace mv::frontend
