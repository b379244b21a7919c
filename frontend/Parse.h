// frontend/Parse.h — source text to AST; the only interface to the ANTLR-generated parser.
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"

namespace mv::frontend {

/// Limits that keep hostile input from exhausting the stack.
inline constexpr int kMaxBracketDepth = 256;
inline constexpr int kMaxExpressionDepth = 10000;

/// Parses file `file` of `sources`. Lexical and syntax errors are reported to `diags`;
/// the returned program holds every declaration that parsed (possibly none).
ast::Program parse(const SourceManager& sources, uint32_t file, DiagnosticEngine& diags);

}  // namespace mv::frontend
