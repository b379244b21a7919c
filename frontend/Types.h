// frontend/Types.h — source-level types (scalars and fixed-length arrays) and promotion.
#pragma once

#include "stdlib/Stdlib.h"

#include <optional>
#include <string>

namespace mv::frontend {

using stdlib::Scalar;

/// `bool`, `int`, `real`, or `T[length]`.
struct Type {
  Scalar scalar = Scalar::Real;
  int length = -1;  ///< -1: a scalar

  bool isArray() const { return length >= 0; }
  Type element() const { return Type{scalar, -1}; }
  friend bool operator==(const Type&, const Type&) = default;
};

std::string typeName(Type t);
/// Rank in the promotion order bool < int < real.
int rank(Scalar s);
/// The wider of two scalars (bool -> int -> real).
Scalar widen(Scalar a, Scalar b);
/// True when a value of type `from` may be used where `to` is expected.
bool promotes(Type from, Type to);
/// The type both may be promoted to, if any.
std::optional<Type> common(Type a, Type b);

}  // namespace mv::frontend
