// frontend/ParseInternal.h — shared pieces of the parser: offsets, error reporting, the AST builder.
// Private to frontend/Parse*.cpp and frontend/Build*.cpp; the only header that includes ANTLR's.
#pragma once

#include "frontend/Ast.h"
#include "ir/Diagnostics.h"

#include "MvParser.h"
#include "antlr4-runtime.h"

#include <string>
#include <vector>

namespace mv::frontend::detail {

/// Thrown to abandon the parse (too many errors, or the parser's stack budget is spent).
struct ParseAbort {};

/// The maximum number of syntax errors reported before parsing stops.
inline constexpr int kMaxSyntaxErrors = 25;

/// Maps ANTLR's code-point indexes to byte offsets, and tokens to source locations.
class SourceMap {
public:
  SourceMap(const SourceManager& sources, uint32_t file, bool ascii);
  /// Byte offset of code point `cp` (cp may be one past the end).
  uint32_t byteOf(size_t cp) const;
  uint32_t tokenBegin(const antlr4::Token* t) const { return byteOf(t->getStartIndex()); }
  /// One past the token's last byte.
  uint32_t tokenEnd(const antlr4::Token* t) const;
  /// The token's location; its length is the token's length in bytes (at least 1).
  SourceLoc loc(const antlr4::Token* t) const;
  SourceLoc loc(antlr4::tree::TerminalNode* n) const { return loc(n->getSymbol()); }
  uint32_t begin(antlr4::ParserRuleContext* c) const { return tokenBegin(c->getStart()); }
  uint32_t end(antlr4::ParserRuleContext* c) const;
  const std::string& text() const { return sources_.text(file_); }
  const SourceManager& sources() const { return sources_; }
  uint32_t file() const { return file_; }

private:
  const SourceManager& sources_;
  uint32_t file_;
  std::vector<uint32_t> cpToByte_;  ///< empty when the text is ASCII
};

/// The source text as ANTLR's character stream, read in place: code points are decoded
/// from the UTF-8 bytes on demand (ANTLRInputStream's UTF-32 copy peaked at about 20 bytes
/// per input byte). Indexes are code points, as ANTLR expects; `map` converts them.
class SourceCharStream : public antlr4::CharStream {
public:
  explicit SourceCharStream(const SourceMap& map);
  void consume() override;
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = std::min(index, size_); }
  size_t size() override { return size_; }
  std::string getSourceName() const override;
  std::string getText(const antlr4::misc::Interval& interval) override;
  std::string toString() const override { return map_.text(); }

private:
  const SourceMap& map_;
  size_t size_;    ///< in code points
  size_t p_ = 0;   ///< the next code point
};

/// Counts syntax errors, reports them, and aborts the parse after kMaxSyntaxErrors.
class SyntaxErrorSink : public antlr4::BaseErrorListener {
public:
  SyntaxErrorSink(const SourceMap& map, DiagnosticEngine& diags) : map_(map), diags_(diags) {}
  /// Reports `message` at `token` (null: at `fallback`); throws ParseAbort past the cap.
  Diagnostic& error(const antlr4::Token* token, const std::string& message, SourceLoc fallback = {});
  int count() const { return count_; }
  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offendingSymbol, size_t line,
                   size_t charPositionInLine, const std::string& msg,
                   std::exception_ptr e) override;

private:
  const SourceMap& map_;
  DiagnosticEngine& diags_;
  int count_ = 0;
};

/// ANTLR's recovery, with messages in the project's style ("expected ')', found 'x'").
class MvErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  explicit MvErrorStrategy(SyntaxErrorSink& sink) : sink_(sink) {}

protected:
  /// Reports "expected ..., found X" at `found`, with a hint where one is known.
  void reportExpected(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& expected, antlr4::Token* found);
  void reportNoViableAlternative(antlr4::Parser* recognizer,
                                 const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* recognizer,
                           const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* recognizer,
                             const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* recognizer) override;
  void reportMissingToken(antlr4::Parser* recognizer) override;
  antlr4::Token* singleTokenDeletion(antlr4::Parser* recognizer) override;

private:
  SyntaxErrorSink& sink_;
};

/// "'x'" for a token, "end of file" for EOF.
std::string describeToken(const antlr4::Token* t);
/// "expected A, B or C, found X" when the expected set is small, else "unexpected X".
std::string expectedMessage(const antlr4::dfa::Vocabulary& vocabulary,
                            const antlr4::misc::IntervalSet& expected, const antlr4::Token* found);

/// Builds the AST from a parse tree; drops declarations that contain syntax errors.
class AstBuilder {
public:
  AstBuilder(const SourceMap& map, DiagnosticEngine& diags) : map_(map), diags_(diags) {}
  /// Appends every declaration under `root` without syntax errors; `skipLast`: the last
  /// one is incomplete (the parse was abandoned inside it).
  void buildProgram(mv_antlr::MvParser::ProgramContext* root, bool skipLast, ast::Program& out);

  // Declarations and statements (BuildDecl.cpp).
  ast::TypeExpr type(mv_antlr::MvParser::TypeExprContext* c);
  std::vector<ast::StmtPtr> block(mv_antlr::MvParser::BlockContext* c);
  ast::StmtPtr stmt(mv_antlr::MvParser::StmtContext* c);
  ast::StmtPtr ifStmt(mv_antlr::MvParser::IfStmtContext* c);
  ast::Target target(mv_antlr::MvParser::TargetContext* c);
  ast::DistCall distCall(mv_antlr::MvParser::DistCallContext* c);
  ast::QueryStmt queryStmt(mv_antlr::MvParser::QueryStmtContext* c);
  ast::QueryStmt predict(mv_antlr::MvParser::PredictStmtContext* c);
  /// Source text of [begin, end) without comments, whitespace runs collapsed to one space.
  std::string normalizedText(uint32_t begin, uint32_t end) const;

  // Expressions (BuildExpr.cpp).
  /// A whole expression; reports ExpressionTooDeep past kMaxExpressionDepth.
  ast::ExprPtr topExpr(mv_antlr::MvParser::ExprContext* c);

private:
  ast::ExprPtr expr(mv_antlr::MvParser::ExprContext* c, uint32_t& depth);
  ast::ExprPtr chain(antlr4::ParserRuleContext* c, uint32_t& depth);
  ast::ExprPtr unary(mv_antlr::MvParser::UnaryExprContext* c, uint32_t& depth);
  ast::ExprPtr postfix(mv_antlr::MvParser::PostfixExprContext* c, uint32_t& depth);
  ast::ExprPtr primary(mv_antlr::MvParser::PrimaryContext* c, uint32_t& depth);
  void args(mv_antlr::MvParser::ArgsContext* c, std::vector<ast::ExprPtr>& out, uint32_t& depth);
  ast::ExprPtr intLiteral(antlr4::tree::TerminalNode* t);
  ast::ExprPtr realLiteral(antlr4::tree::TerminalNode* t);
  ast::ExprPtr node(ast::ExprKind kind, SourceLoc loc, uint32_t begin, uint32_t end) const;

  const SourceMap& map_;
  DiagnosticEngine& diags_;
  bool failed_ = false;  ///< the current declaration must be dropped
};

/// True if the subtree holds no error node and no rule that failed (iterative walk).
bool subtreeClean(antlr4::ParserRuleContext* c);
/// Destroys an expression tree of any depth without recursion.
void destroyIteratively(ast::ExprPtr e);

}  // namespace mv::frontend::detail
