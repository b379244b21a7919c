// tests/unit/frontend/ParseTestUtil.h — helpers shared by the parser tests.
#pragma once

#include "frontend/Parse.h"

#include <memory>
#include <string>

namespace mv::test {

/// A parsed buffer together with its sources and diagnostics.
struct Parsed {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::unique_ptr<DiagnosticEngine> diags = std::make_unique<DiagnosticEngine>(*sources);
  uint32_t file = 0;
  ast::Program program;

  /// The n-th diagnostic as "line:col: Name: message".
  std::string diag(size_t n = 0) const;
  /// Every diagnostic, one per line.
  std::string allDiags() const;
};

/// Parses `text` as file "t.mv".
Parsed parseText(std::string text);

/// A compact S-expression of an expression: `(+ a (* b c))`, `(neg x)`, `(? c a b)`.
std::string sexpr(const ast::Expr& e);

}  // namespace mv::test
