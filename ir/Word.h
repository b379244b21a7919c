// ir/Word.h — one 8-byte scalar value: an int (int64), a bool (int64 0/1) or a real (double).
#pragma once

#include "stdlib/Stdlib.h"

#include <bit>
#include <cstdint>

namespace mv::ir {

using stdlib::Scalar;

/// The value of a node: constants, evidence and intervention values in the IR, and the
/// value arrays of the interpreter and the exact engine. The type is the node's, so a Word
/// does not carry it; read it with the accessor of that type. Ints are exact over all of
/// int64 (never a double in disguise), bools are the ints 0 and 1, reals are doubles.
struct Word {
  uint64_t bits = 0;

  static Word ofInt(int64_t v) { return Word{uint64_t(v)}; }
  static Word ofBool(bool v) { return Word{v ? 1u : 0u}; }
  static Word ofReal(double v) { return Word{std::bit_cast<uint64_t>(v)}; }

  int64_t asInt() const { return int64_t(bits); }
  double asReal() const { return std::bit_cast<double>(bits); }
  /// A bool's value (also an int's `!= 0`; never used on reals).
  bool asBool() const { return bits != 0; }

  /// The value as the runtime's C ABI takes it (distribution parameters and values,
  /// predictions): an int rounds to the nearest double, exact below 2^53.
  double toDouble(Scalar t) const { return t == Scalar::Real ? asReal() : double(asInt()); }
  /// A value the runtime returned as a double (a draw) as a value of type `t`: counts are
  /// exact doubles, so the conversion is exact.
  static Word fromDouble(Scalar t, double x);
};

/// Real to int as x86's cvttsd2si does it: truncation, INT64_MIN for NaN and for values
/// outside int64 (the generated code does the same, so every engine agrees).
inline int64_t intOfReal(double x) {
  return (x >= -0x1p63 && x < 0x1p63) ? int64_t(x) : INT64_MIN;
}

inline Word Word::fromDouble(Scalar t, double x) {
  switch (t) {
    case Scalar::Bool: return ofBool(x != 0);
    case Scalar::Int: return ofInt(intOfReal(x));
    case Scalar::Real: break;
  }
  return ofReal(x);
}

/// Whether two values of type `t` are equal as the language's `==` says (reals: IEEE, so
/// 0.0 == -0.0 and NaN equals nothing).
inline bool sameValue(Scalar t, Word a, Word b) {
  return t == Scalar::Real ? a.asReal() == b.asReal() : a.bits == b.bits;
}

/// The value of a ToInt/ToReal conversion (or none) of `w` from type `from` to type `to`:
/// bool to int keeps 0/1, bool and int to real round to nearest.
inline Word convertWord(Scalar from, Scalar to, Word w) {
  if (to == Scalar::Real && from != Scalar::Real) return Word::ofReal(double(w.asInt()));
  return w;
}

}  // namespace mv::ir
