// runtime/CountArgs.cpp — exact parsing of whole numbers written as int or real literals.
#include "runtime/CountArgs.h"

#include <cctype>

namespace mv::rt {

namespace {

/// Digits of `s` with single `_` separators between digits removed; empty if malformed.
std::string digitsOf(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) out += s[i];
    else if (s[i] == '_' && i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
             std::isdigit(static_cast<unsigned char>(s[i + 1])))
      continue;
    else return "";
  }
  return out;
}

enum class Shape { NotANumber, Fraction, TooBig, Ok };

/// The value of a literal `mantissa` (int, or real with '.') times 10^exponent, exactly.
Shape evaluate(std::string_view mantissa, int64_t exponent, uint64_t* value) {
  size_t dot = mantissa.find('.');
  std::string whole = digitsOf(mantissa.substr(0, dot));
  std::string frac = dot == std::string_view::npos ? "" : digitsOf(mantissa.substr(dot + 1));
  bool hasWhole = dot != 0, hasFrac = dot != std::string_view::npos && dot + 1 < mantissa.size();
  if ((hasWhole && whole.empty()) || (hasFrac && frac.empty()) || (whole.empty() && frac.empty()))
    return Shape::NotANumber;
  std::string digits = whole + frac;
  exponent -= int64_t(frac.size());
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return *value = 0, Shape::Ok;
  digits = digits.substr(first);
  if (exponent < 0) {
    if (uint64_t(-exponent) > digits.size()) return Shape::Fraction;
    std::string dropped = digits.substr(digits.size() - size_t(-exponent));
    if (dropped.find_first_not_of('0') != std::string::npos) return Shape::Fraction;
    digits.resize(digits.size() - size_t(-exponent));
  } else {
    if (uint64_t(exponent) + digits.size() > 20) return Shape::TooBig;
    digits.append(size_t(exponent), '0');
  }
  uint64_t v = 0;
  for (char c : digits) {
    uint64_t d = uint64_t(c - '0');
    if (v > (UINT64_MAX - d) / 10) return Shape::TooBig;
    v = v * 10 + d;
  }
  *value = v;
  return Shape::Ok;
}

}  // namespace

std::optional<uint64_t> parseCount(std::string_view text, uint64_t lo, uint64_t hi, std::string* why) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::string_view body = text;
  const bool negative = !body.empty() && body[0] == '-';
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  std::string_view mantissa = body;
  int64_t exponent = 0;
  bool badExponent = false;
  if (size_t e = body.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = body.substr(0, e);
    std::string_view ex = body.substr(e + 1);
    const bool minus = !ex.empty() && ex[0] == '-';
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.remove_prefix(1);
    std::string digits = ex.find('_') == std::string_view::npos ? digitsOf(ex) : "";
    badExponent = digits.empty();
    // Beyond 10^6 the answer is decided anyway (0, a fraction or too big): clamp.
    if (!badExponent) exponent = digits.size() > 6 ? 1000000 : std::stoll(digits);
    if (minus) exponent = -exponent;
  }
  uint64_t value = 0;
  Shape shape = badExponent ? Shape::NotANumber : evaluate(mantissa, exponent, &value);
  switch (shape) {
    case Shape::NotANumber: *why = quoted + " is not a number"; return std::nullopt;
    case Shape::Fraction: *why = quoted + " is not a whole number"; return std::nullopt;
    case Shape::TooBig: *why = quoted + " is above " + std::to_string(hi); return std::nullopt;
    case Shape::Ok: break;
  }
  if (negative && value != 0) {
    *why = quoted + " is below " + std::to_string(lo);
    return std::nullopt;
  }
  if (value < lo) {
    *why = quoted + " is below " + std::to_string(lo);
    return std::nullopt;
  }
  if (value > hi) {
    *why = quoted + " is above " + std::to_string(hi);
    return std::nullopt;
  }
  return value;
}

}  // namespace mv::rt
