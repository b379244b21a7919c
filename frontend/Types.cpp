// frontend/Types.cpp — promotion rules: bool -> int -> real, arrays elementwise (same shape).
#include "frontend/Types.h"

namespace mv::frontend {

std::string typeName(const Type& t) {
  std::string s = t.scalar == Scalar::Bool ? "bool" : t.scalar == Scalar::Int ? "int" : "real";
  if (t.isArray()) s += "[" + std::to_string(t.length) + "]";
  for (int d : t.inner) s += "[" + std::to_string(d) + "]";
  return s;
}

int rank(Scalar s) { return s == Scalar::Bool ? 0 : s == Scalar::Int ? 1 : 2; }

Scalar widen(Scalar a, Scalar b) { return rank(a) >= rank(b) ? a : b; }

bool promotes(const Type& from, const Type& to) {
  if (from.length != to.length || from.inner != to.inner) return false;
  return rank(from.scalar) <= rank(to.scalar);
}

std::optional<Type> common(const Type& a, const Type& b) {
  if (a.length != b.length || a.inner != b.inner) return std::nullopt;
  return withScalar(a, widen(a.scalar, b.scalar));
}

Type withScalar(Type t, Scalar s) {
  t.scalar = s;
  return t;
}

}  // namespace mv::frontend
