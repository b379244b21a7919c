// tests/unit/frontend/ParseTestUtil.cpp — helpers shared by the parser tests.
#include "ParseTestUtil.h"

#include <sstream>

namespace mv::test {

std::string Parsed::diag(size_t n) const {
  if (n >= diags->diagnostics().size()) return "<none>";
  const Diagnostic& d = diags->diagnostics()[n];
  std::ostringstream os;
  os << d.loc.line << ':' << d.loc.col << ": " << diagName(d.id) << ": " << d.message;
  return os.str();
}

std::string Parsed::allDiags() const {
  std::string out;
  for (size_t i = 0; i < diags->diagnostics().size(); ++i) out += diag(i) + "\n";
  return out;
}

Parsed parseText(std::string text) {
  Parsed p;
  p.file = p.sources->add("t.mv", std::move(text));
  p.program = frontend::parse(*p.sources, p.file, *p.diags);
  return p;
}

std::string sexpr(const ast::Expr& e) {
  using ast::ExprKind;
  auto joinArgs = [&](std::string head) {
    std::string s = "(" + head;
    for (const auto& a : e.args) s += " " + sexpr(*a);
    return s + ")";
  };
  switch (e.kind) {
    case ExprKind::IntLit: return std::to_string(e.intValue);
    case ExprKind::RealLit: {
      std::ostringstream os;
      os << e.realValue;
      return os.str() + "r";
    }
    case ExprKind::BoolLit: return e.boolValue ? "true" : "false";
    case ExprKind::Name: return e.name;
    case ExprKind::Call: return joinArgs("call " + e.name);
    case ExprKind::Index: return joinArgs("index");
    case ExprKind::ArrayLit: return joinArgs("array");
    case ExprKind::Unary: return joinArgs(e.unaryOp == ast::UnaryOp::Neg ? "neg" : "not");
    case ExprKind::Binary: return joinArgs(ast::binaryOpText(e.binaryOp));
    case ExprKind::Ternary: return joinArgs("?");
  }
  return "<bad>";
}

}  // namespace mv::test
