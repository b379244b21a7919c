// frontend/PreScan.h — a byte-level pass that rejects input the ANTLR parser must never see.
#pragma once

#include "ir/Diagnostics.h"
#include "ir/SourceManager.h"

#include <cstdint>

namespace mv::frontend {

/// What the pre-scan learnt about a file.
struct PreScanResult {
  bool ok = true;     ///< no error was reported: the text is safe to lex and parse
  bool ascii = true;  ///< every byte is < 0x80 (code-point index == byte offset)
};

/// Checks file `file` of `sources` before ANTLR sees it, reporting to `diags`:
/// - invalid UTF-8, NUL and control bytes other than \t \r \n (InvalidByte, the first few);
/// - a `/*` comment with no `*/` (UnterminatedComment at the `/*`);
/// - brackets `( [ {` and `?` of `?:` nested deeper than kMaxBracketDepth (NestingTooDeep);
/// - a run of prefix `-` / `!` longer than kMaxExpressionDepth (ExpressionTooDeep).
/// Together with the grammar's loops, this bounds the parser's recursion depth.
PreScanResult preScan(const SourceManager& sources, uint32_t file, DiagnosticEngine& diags);

}  // namespace mv::frontend
