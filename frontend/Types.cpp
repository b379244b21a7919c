// frontend/Types.cpp — promotion rules: bool -> int -> real, arrays elementwise.
#include "frontend/Types.h"

namespace mv::frontend {

std::string typeName(Type t) {
  std::string s = t.scalar == Scalar::Bool ? "bool" : t.scalar == Scalar::Int ? "int" : "real";
  if (t.isArray()) s += "[" + std::to_string(t.length) + "]";
  return s;
}

int rank(Scalar s) { return s == Scalar::Bool ? 0 : s == Scalar::Int ? 1 : 2; }

Scalar widen(Scalar a, Scalar b) { return rank(a) >= rank(b) ? a : b; }

bool promotes(Type from, Type to) {
  if (from.length != to.length) return false;
  return rank(from.scalar) <= rank(to.scalar);
}

std::optional<Type> common(Type a, Type b) {
  if (a.length != b.length) return std::nullopt;
  return Type{widen(a.scalar, b.scalar), a.length};
}

}  // namespace mv::frontend
