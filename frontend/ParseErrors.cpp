// frontend/ParseErrors.cpp — syntax error messages in the project's style, and the error cap.
#include "frontend/ParseInternal.h"

namespace mv::frontend::detail {
namespace {

using mv_antlr::MvParser;

/// Tokens that can start an expression; a set holding ID, INT and '(' is shown as "expression".
bool startsExpression(size_t t) {
  switch (t) {
    case MvParser::ID: case MvParser::INT: case MvParser::REAL: case MvParser::TRUE:
    case MvParser::FALSE: case MvParser::LPAREN: case MvParser::LBRACK: case MvParser::MINUS:
    case MvParser::BANG: case MvParser::FACTOR:
    case MvParser::FACTUAL: case MvParser::COUNTERFACTUAL:  // `factual.x`
      return true;
    default:
      return false;
  }
}

std::string tokenTypeName(const antlr4::dfa::Vocabulary& vocabulary, size_t t) {
  switch (t) {
    case antlr4::Token::EOF: return "end of file";
    case MvParser::ID: return "name";
    case MvParser::INT: return "integer";
    case MvParser::REAL: return "number";
    default: break;
  }
  std::string lit = vocabulary.getLiteralName(t);
  return lit.empty() ? vocabulary.getDisplayName(t) : lit;
}

constexpr size_t kMaxExpectedShown = 5;
constexpr size_t kMaxTokenTextShown = 24;

}  // namespace

std::string describeToken(const antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = t->getText();
  if (text.size() > kMaxTokenTextShown) text = text.substr(0, kMaxTokenTextShown) + "...";
  return "'" + text + "'";
}

std::string expectedMessage(const antlr4::dfa::Vocabulary& vocabulary,
                            const antlr4::misc::IntervalSet& expected, const antlr4::Token* found) {
  if (found && found->getType() == MvParser::ERROR_CHAR)
    return "unexpected character " + describeToken(found);
  std::vector<size_t> types;
  for (ssize_t t : expected.toList())
    if (t >= 0 || t == static_cast<ssize_t>(antlr4::Token::EOF)) types.push_back(size_t(t));
  bool isExpression = expected.contains(size_t(MvParser::ID)) && expected.contains(size_t(MvParser::INT)) &&
                      expected.contains(size_t(MvParser::LPAREN));
  const bool atDeclaration = expected.contains(size_t(MvParser::MODEL)) && expected.contains(size_t(MvParser::QUERY)) &&
                             expected.contains(size_t(MvParser::CONST));
  // Shown in this order: expression or names, then keywords and punctuation, then end of file.
  std::vector<std::string> items;
  if (isExpression) items.push_back("expression");
  for (int group = 0; group < 3; ++group) {
    for (size_t t : types) {
      if (isExpression && startsExpression(t)) continue;
      // The contextual keyword `factor` is not listed: it is a name where names may stand,
      // and the statement keywords listed already say where a statement may start.
      if (t == MvParser::FACTOR) continue;
      bool eof = t == antlr4::Token::EOF;
      bool word = t == MvParser::ID || t == MvParser::INT || t == MvParser::REAL;
      if ((group == 0) == word && (group == 2) == eof) {
        // Where a query statement may start, a name can only be the contextual `world`,
        // which is not listed (the list stays what it was before named worlds); nor is
        // `for`, so the list stays within the five shown.
        if ((t == MvParser::ID || t == MvParser::FOR) && expected.contains(size_t(MvParser::OBSERVE))) continue;
        // Where a declaration may start, a name can only be the contextual `data`, listed
        // among the keywords (after 'const').
        if (t == MvParser::ID && atDeclaration) continue;
        items.push_back(tokenTypeName(vocabulary, t));
        if (t == MvParser::CONST && atDeclaration) items.push_back("'data'");
      }
    }
  }
  // The declaration keywords are always listed (`data` made them one more than the limit).
  if (items.empty() || (items.size() > kMaxExpectedShown && !atDeclaration)) return "unexpected " + describeToken(found);
  std::string list;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) list += (i + 1 == items.size()) ? " or " : ", ";
    list += items[i];
  }
  return "expected " + list + ", found " + describeToken(found);
}

Diagnostic& SyntaxErrorSink::error(const antlr4::Token* token, const std::string& message,
                                   SourceLoc fallback) {
  SourceLoc loc = token ? map_.loc(token) : fallback;
  Diagnostic& d = diags_.report(DiagId::SyntaxError, loc, {message});
  if (++count_ >= kMaxSyntaxErrors) throw ParseAbort{};
  return d;
}

namespace {

/// Whether `found` is an `=` inside an `observe` statement (`observe y = true`).
bool assignInObserve(antlr4::Parser* recognizer, const antlr4::Token* found) {
  if (!found || found->getType() != MvParser::ASSIGN) return false;
  antlr4::TokenStream* tokens = recognizer->getTokenStream();
  for (size_t i = found->getTokenIndex(); i-- > 0;) {
    switch (tokens->get(i)->getType()) {
      case MvParser::OBSERVE: return true;
      case MvParser::PREDICT: case MvParser::DO: case MvParser::INTERVENE: case MvParser::LBRACE:
      case MvParser::RBRACE: case MvParser::QUERY: case MvParser::MODEL:
        return false;
      default: break;
    }
  }
  return false;
}

/// The first token of the declaration being parsed when it was read as `data NAME: TYPE`
/// (the only declaration starting with a name) but does not start with `data`; else null.
antlr4::Token* notData(antlr4::Parser* recognizer) {
  for (antlr4::tree::ParseTree* c = recognizer->getContext(); c; c = c->parent)
    if (auto* d = dynamic_cast<MvParser::DataDeclContext*>(c))
      return d->getStart() && d->getStart()->getText() != "data" ? d->getStart() : nullptr;
  return nullptr;
}

}  // namespace

void MvErrorStrategy::reportExpected(antlr4::Parser* recognizer, const antlr4::misc::IntervalSet& expected,
                                     antlr4::Token* found) {
  if (antlr4::Token* start = notData(recognizer)) {  // `x = 1` at the top level: not a declaration at all
    sink_.error(start, "expected 'const', 'data', 'fn', 'model', 'query' or end of file, found " + describeToken(start));
    return;
  }
  Diagnostic& d = sink_.error(found, expectedMessage(recognizer->getVocabulary(), expected, found));
  if (assignInObserve(recognizer, found)) d.note(DiagId::NoteCompareWith, d.loc);
}

void SyntaxErrorSink::syntaxError(antlr4::Recognizer*, antlr4::Token* offendingSymbol, size_t line,
                                  size_t charPositionInLine, const std::string& msg,
                                  std::exception_ptr) {
  // Only reached by errors not routed through MvErrorStrategy (the lexer has a catch-all
  // token, so in practice none); keep ANTLR's text, lowercased at the start.
  std::string text = msg;
  if (!text.empty()) text[0] = char(std::tolower(static_cast<unsigned char>(text[0])));
  SourceLoc fallback{map_.file(), uint32_t(line), uint32_t(charPositionInLine) + 1, 1};
  error(offendingSymbol, text, fallback);
}

void MvErrorStrategy::reportNoViableAlternative(antlr4::Parser* recognizer,
                                                const antlr4::NoViableAltException& e) {
  reportExpected(recognizer, recognizer->getExpectedTokens(), e.getOffendingToken());
}

void MvErrorStrategy::reportInputMismatch(antlr4::Parser* recognizer,
                                          const antlr4::InputMismatchException& e) {
  reportExpected(recognizer, e.getExpectedTokens(), e.getOffendingToken());
}

void MvErrorStrategy::reportFailedPredicate(antlr4::Parser*,
                                            const antlr4::FailedPredicateException& e) {
  sink_.error(e.getOffendingToken(), "unexpected " + describeToken(e.getOffendingToken()));
}

void MvErrorStrategy::reportUnwantedToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  reportExpected(recognizer, getExpectedTokens(recognizer), recognizer->getCurrentToken());
}

antlr4::Token* MvErrorStrategy::singleTokenDeletion(antlr4::Parser* recognizer) {
  // Never delete the keyword that starts a declaration: recovery then resynchronises on it,
  // so one broken declaration does not swallow the next.
  switch (recognizer->getInputStream()->LA(1)) {
    case MvParser::CONST: case MvParser::FN: case MvParser::MODEL: case MvParser::QUERY:
      return nullptr;
    default:
      return DefaultErrorStrategy::singleTokenDeletion(recognizer);
  }
}

void MvErrorStrategy::reportMissingToken(antlr4::Parser* recognizer) {
  if (inErrorRecoveryMode(recognizer)) return;
  beginErrorCondition(recognizer);
  reportExpected(recognizer, getExpectedTokens(recognizer), recognizer->getCurrentToken());
}

}  // namespace mv::frontend::detail
