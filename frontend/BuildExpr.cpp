// frontend/BuildExpr.cpp — parse tree to AST for expressions and number literals.
//
// Operator chains are flat in the parse tree and folded here with loops, so a 200000-term
// sum costs no recursion. Depth counts genuine nesting (brackets, calls, prefix operators,
// `?:` links, indexing); a left-deep chain of one binary level counts once.
#include "frontend/Parse.h"
#include "frontend/ParseInternal.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace mv::frontend::detail {

using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;
using mv_antlr::MvParser;
using TerminalNode = antlr4::tree::TerminalNode;

namespace {

ast::BinaryOp binaryOp(size_t tokenType) {
  switch (tokenType) {
    case MvParser::STAR: return ast::BinaryOp::Mul;
    case MvParser::SLASH: return ast::BinaryOp::Div;
    case MvParser::PERCENT: return ast::BinaryOp::Mod;
    case MvParser::PLUS: return ast::BinaryOp::Add;
    case MvParser::MINUS: return ast::BinaryOp::Sub;
    case MvParser::LT: return ast::BinaryOp::Lt;
    case MvParser::LE: return ast::BinaryOp::Le;
    case MvParser::GT: return ast::BinaryOp::Gt;
    case MvParser::GE: return ast::BinaryOp::Ge;
    case MvParser::EQEQ: return ast::BinaryOp::Eq;
    case MvParser::NEQ: return ast::BinaryOp::Ne;
    case MvParser::ANDAND: return ast::BinaryOp::And;
    default: return ast::BinaryOp::Or;
  }
}

TerminalNode* terminal(antlr4::tree::ParseTree* t) { return dynamic_cast<TerminalNode*>(t); }

/// The digits of a literal without `_` separators, or an error if a `_` is misplaced.
bool stripSeparators(const std::string& text, std::string& digits) {
  digits.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '_') {
      digits += text[i];
      continue;
    }
    bool digitBefore = i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]));
    bool digitAfter = i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (!digitBefore || !digitAfter) return false;
  }
  return true;
}

}  // namespace

ExprPtr AstBuilder::node(ExprKind kind, SourceLoc loc, uint32_t begin, uint32_t end) const {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->loc = loc;
  e->beginOffset = begin;
  e->endOffset = end;
  return e;
}

ExprPtr AstBuilder::topExpr(MvParser::ExprContext* c) {
  uint32_t depth = 0;
  ExprPtr e = expr(c, depth);
  if (depth > uint32_t(kMaxExpressionDepth)) {
    diags_.report(DiagId::ExpressionTooDeep, map_.loc(c->getStart()),
                  {std::to_string(kMaxExpressionDepth)});
    failed_ = true;
    uint32_t b = e->beginOffset, en = e->endOffset;
    destroyIteratively(std::move(e));
    e = node(ExprKind::IntLit, map_.loc(c->getStart()), b, en);
  }
  return e;
}

// expr : orExpr ('?' expr ':' orExpr)* — grouped to the right.
ExprPtr AstBuilder::expr(MvParser::ExprContext* c, uint32_t& depth) {
  std::vector<antlr4::tree::ParseTree*>& kids = c->children;
  if (kids.size() == 1) return chain(static_cast<antlr4::ParserRuleContext*>(kids[0]), depth);
  // kids: or0 ? mid0 : or1 ? mid1 : or2 ...; fold from the right.
  size_t last = kids.size() - 1;
  uint32_t d = 0;
  ExprPtr result = chain(static_cast<antlr4::ParserRuleContext*>(kids[last]), d);
  uint32_t end = result->endOffset;
  for (size_t k = last; k >= 4; k -= 4) {
    auto* cond = static_cast<antlr4::ParserRuleContext*>(kids[k - 4]);
    TerminalNode* question = terminal(kids[k - 3]);
    auto* mid = static_cast<MvParser::ExprContext*>(kids[k - 2]);
    uint32_t dc = 0, dm = 0;
    ExprPtr ce = chain(cond, dc);
    ExprPtr me = expr(mid, dm);
    d = std::max({d, dc, dm}) + 1;
    ExprPtr t = node(ExprKind::Ternary, map_.loc(question), ce->beginOffset, end);
    t->args.push_back(std::move(ce));
    t->args.push_back(std::move(me));
    t->args.push_back(std::move(result));
    result = std::move(t);
  }
  depth = d;
  return result;
}

// orExpr ... mulExpr: sub (op sub)* — grouped to the left.
ExprPtr AstBuilder::chain(antlr4::ParserRuleContext* c, uint32_t& depth) {
  if (auto* u = dynamic_cast<MvParser::UnaryExprContext*>(c)) return unary(u, depth);
  std::vector<antlr4::tree::ParseTree*>& kids = c->children;
  uint32_t d = 0;
  ExprPtr left = chain(static_cast<antlr4::ParserRuleContext*>(kids[0]), d);
  for (size_t i = 1; i + 1 < kids.size(); i += 2) {
    TerminalNode* op = terminal(kids[i]);
    uint32_t dr = 0;
    ExprPtr right = chain(static_cast<antlr4::ParserRuleContext*>(kids[i + 1]), dr);
    d = std::max(d, dr);
    ExprPtr b = node(ExprKind::Binary, map_.loc(op), left->beginOffset, right->endOffset);
    b->binaryOp = binaryOp(op->getSymbol()->getType());
    b->args.push_back(std::move(left));
    b->args.push_back(std::move(right));
    left = std::move(b);
  }
  depth = kids.size() > 1 ? d + 1 : d;
  return left;
}

// unaryExpr : ('-' | '!')* postfixExpr
ExprPtr AstBuilder::unary(MvParser::UnaryExprContext* c, uint32_t& depth) {
  std::vector<antlr4::tree::ParseTree*>& kids = c->children;
  ExprPtr e = postfix(static_cast<MvParser::PostfixExprContext*>(kids.back()), depth);
  uint32_t end = e->endOffset;
  for (size_t i = kids.size() - 1; i-- > 0;) {
    const antlr4::Token* op = terminal(kids[i])->getSymbol();
    ExprPtr u = node(ExprKind::Unary, map_.loc(op), map_.tokenBegin(op), end);
    u->unaryOp = op->getType() == MvParser::MINUS ? ast::UnaryOp::Neg : ast::UnaryOp::Not;
    u->args.push_back(std::move(e));
    e = std::move(u);
    ++depth;
  }
  return e;
}

// postfixExpr : primary ('[' expr ']')*
ExprPtr AstBuilder::postfix(MvParser::PostfixExprContext* c, uint32_t& depth) {
  std::vector<antlr4::tree::ParseTree*>& kids = c->children;
  ExprPtr e = primary(static_cast<MvParser::PrimaryContext*>(kids[0]), depth);
  for (size_t i = 1; i + 2 < kids.size(); i += 3) {
    TerminalNode* open = terminal(kids[i]);
    uint32_t di = 0;
    ExprPtr index = expr(static_cast<MvParser::ExprContext*>(kids[i + 1]), di);
    ExprPtr x = node(ExprKind::Index, map_.loc(open), e->beginOffset,
                     map_.tokenEnd(terminal(kids[i + 2])->getSymbol()));
    x->args.push_back(std::move(e));
    x->args.push_back(std::move(index));
    e = std::move(x);
    depth = std::max(depth, di) + 1;
  }
  return e;
}

void AstBuilder::args(MvParser::ArgsContext* c, std::vector<ExprPtr>& out, uint32_t& depth) {
  if (!c) return;
  for (antlr4::tree::ParseTree* kid : c->children) {
    auto* e = dynamic_cast<MvParser::ExprContext*>(kid);
    if (!e) continue;
    uint32_t d = 0;
    out.push_back(expr(e, d));
    depth = std::max(depth, d);
  }
}

ExprPtr AstBuilder::primary(MvParser::PrimaryContext* c, uint32_t& depth) {
  uint32_t begin = map_.begin(c), end = map_.end(c);
  depth = 1;
  if (auto* p = dynamic_cast<MvParser::NamePrimaryContext*>(c)) {
    ExprPtr e = node(ExprKind::Name, map_.loc(p->name()->getStart()), begin, end);
    e->name = p->name()->getText();
    return e;
  }
  if (auto* p = dynamic_cast<MvParser::QualifiedPrimaryContext*>(c)) {
    // `W.x`: the world is the first token (an ID, `factual` or `counterfactual`).
    antlr4::tree::TerminalNode* name = p->ID().size() == 2 ? p->ID(1) : p->ID(0);
    ExprPtr e = node(ExprKind::Name, map_.loc(name), begin, end);
    e->name = name->getText();
    e->world = p->getStart()->getText();
    e->worldLoc = map_.loc(p->getStart());
    return e;
  }
  if (auto* p = dynamic_cast<MvParser::CallPrimaryContext*>(c)) {
    ExprPtr e = node(ExprKind::Call, map_.loc(p->ID()), begin, end);
    e->name = p->ID()->getText();
    uint32_t d = 0;
    args(p->args(), e->args, d);
    depth = d + 1;
    return e;
  }
  if (auto* p = dynamic_cast<MvParser::IntPrimaryContext*>(c)) return intLiteral(p->INT());
  if (auto* p = dynamic_cast<MvParser::RealPrimaryContext*>(c)) return realLiteral(p->REAL());
  if (auto* p = dynamic_cast<MvParser::BoolPrimaryContext*>(c)) {
    ExprPtr e = node(ExprKind::BoolLit, map_.loc(p->getStart()), begin, end);
    e->boolValue = p->TRUE() != nullptr;
    return e;
  }
  if (auto* p = dynamic_cast<MvParser::ParenPrimaryContext*>(c)) {
    uint32_t d = 0;
    ExprPtr e = expr(p->expr(), d);
    // The parentheses belong to the expression's text: `(a + b) * c` starts at '('.
    e->beginOffset = begin;
    e->endOffset = end;
    depth = d + 1;
    return e;
  }
  auto* p = static_cast<MvParser::ArrayPrimaryContext*>(c);
  ExprPtr e = node(ExprKind::ArrayLit, map_.loc(p->getStart()), begin, end);
  uint32_t d = 0;
  args(p->args(), e->args, d);
  depth = d + 1;
  return e;
}

ExprPtr AstBuilder::intLiteral(TerminalNode* t) {
  const antlr4::Token* tok = t->getSymbol();
  ExprPtr e = node(ExprKind::IntLit, map_.loc(tok), map_.tokenBegin(tok), map_.tokenEnd(tok));
  std::string text = t->getText(), digits;
  if (!stripSeparators(text, digits)) {
    diags_.report(DiagId::InvalidNumber, e->loc, {text, "'_' must separate two digits"});
    return e;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  for (char ch : digits) {
    int digit = ch - '0';
    if (value > (kMax - digit) / 10) {
      diags_.report(DiagId::InvalidNumber, e->loc, {text, "too large for a 64-bit 'int'"});
      return e;
    }
    value = value * 10 + digit;
  }
  e->intValue = value;
  return e;
}

ExprPtr AstBuilder::realLiteral(TerminalNode* t) {
  const antlr4::Token* tok = t->getSymbol();
  ExprPtr e = node(ExprKind::RealLit, map_.loc(tok), map_.tokenBegin(tok), map_.tokenEnd(tok));
  std::string text = t->getText(), digits;
  if (!stripSeparators(text, digits)) {
    diags_.report(DiagId::InvalidNumber, e->loc, {text, "'_' must separate two digits"});
    return e;
  }
  errno = 0;
  double value = std::strtod(digits.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) {
    diags_.report(DiagId::InvalidNumber, e->loc, {text, "too large for a 'real'"});
    return e;
  }
  e->realValue = value;
  return e;
}

}  // namespace mv::frontend::detail
