// frontend/BuildDecl.cpp — parse tree to AST for declarations, model and query statements.
#include "frontend/Parse.h"
#include "frontend/ParseInternal.h"

namespace mv::frontend::detail {

using mv_antlr::MvParser;
using TerminalNode = antlr4::tree::TerminalNode;

void AstBuilder::buildProgram(MvParser::ProgramContext* root, bool skipLast, ast::Program& out) {
  std::vector<MvParser::DeclContext*> decls;
  for (antlr4::tree::ParseTree* kid : root->children)
    if (auto* d = dynamic_cast<MvParser::DeclContext*>(kid)) decls.push_back(d);
  if (skipLast && !decls.empty()) decls.pop_back();
  for (MvParser::DeclContext* d : decls) {
    if (!subtreeClean(d)) continue;
    failed_ = false;
    if (auto* c = d->constDecl()) {
      ast::ConstDecl decl{c->name()->getText(), map_.loc(c->name()->getStart()), topExpr(c->expr())};
      if (!failed_) out.consts.push_back(std::move(decl));
    } else if (auto* c = d->fnDecl()) {
      ast::FnDecl decl;
      decl.name = c->ID()->getText();
      decl.loc = map_.loc(c->ID());
      for (MvParser::ParamContext* p : c->param())
        decl.params.push_back(ast::Param{p->name()->getText(), map_.loc(p->name()->getStart()), type(p->typeExpr())});
      decl.result = type(c->typeExpr());
      decl.body = topExpr(c->expr());
      if (!failed_) out.fns.push_back(std::move(decl));
    } else if (auto* c = d->modelDecl()) {
      ast::ModelDecl decl{c->ID()->getText(), map_.loc(c->ID()), block(c->block())};
      if (!failed_) out.models.push_back(std::move(decl));
    } else if (auto* c = d->dataDecl()) {
      if (c->ID()->getText() != "data") {
        diags_.report(DiagId::SyntaxError, map_.loc(c->ID()),
                      {"expected 'const', 'data', 'fn', 'model', 'query' or end of file, found '" +
                       c->ID()->getText() + "'"});
        continue;
      }
      ast::DataDecl decl{c->name()->getText(), map_.loc(c->name()->getStart()), type(c->typeExpr())};
      if (!failed_) out.datas.push_back(std::move(decl));
    } else if (auto* c = d->queryDecl()) {
      ast::QueryDecl decl;
      decl.name = c->ID(0)->getText();
      decl.loc = map_.loc(c->ID(0));
      decl.model = c->ID(1)->getText();
      decl.modelLoc = map_.loc(c->ID(1));
      for (MvParser::QueryStmtContext* s : c->queryStmt()) decl.body.push_back(queryStmt(s));
      if (!failed_) out.queries.push_back(std::move(decl));
    }
  }
}

ast::TypeExpr AstBuilder::type(MvParser::TypeExprContext* c) {
  ast::TypeExpr t;
  t.name = c->ID()->getText();
  t.loc = map_.loc(c->ID());
  for (MvParser::ExprContext* e : c->expr()) t.sizes.push_back(topExpr(e));
  return t;
}

std::vector<ast::StmtPtr> AstBuilder::block(MvParser::BlockContext* c) {
  std::vector<ast::StmtPtr> body;
  for (antlr4::tree::ParseTree* kid : c->children)
    if (auto* s = dynamic_cast<MvParser::StmtContext*>(kid)) body.push_back(stmt(s));
  return body;
}

ast::StmtPtr AstBuilder::stmt(MvParser::StmtContext* c) {
  if (auto* f = c->ifStmt()) return ifStmt(f);
  auto s = std::make_unique<ast::Stmt>();
  if (auto* f = c->forStmt()) {
    s->kind = ast::StmtKind::For;
    s->loc = map_.loc(f->FOR());
    s->loopVar = f->ID()->getText();
    s->loopVarLoc = map_.loc(f->ID());
    s->from = topExpr(f->expr(0));
    s->to = topExpr(f->expr(1));
    s->body = block(f->block());
    return s;
  }
  if (auto* f = c->factorStmt()) {
    s->kind = ast::StmtKind::Factor;
    s->loc = map_.loc(f->FACTOR());
    s->value = topExpr(f->expr());
    return s;
  }
  MvParser::AssignStmtContext* a = c->assignStmt();
  s->target = target(a->target());
  s->loc = s->target.loc;
  std::vector<MvParser::DistCallContext*> dists = a->distCall();
  if (!dists.empty()) {
    s->kind = ast::StmtKind::Site;
    s->dist = distCall(dists[0]);
    if (dists.size() > 1) s->proposal = distCall(dists[1]);
  } else {
    s->kind = ast::StmtKind::Node;
    s->value = topExpr(a->expr());
  }
  return s;
}

// ifStmt : 'if' expr block ('else' 'if' expr block)* ('else' block)? — a flat chain, nested
// here from the last link back, so a long `else if` chain costs the parser no recursion.
ast::StmtPtr AstBuilder::ifStmt(MvParser::IfStmtContext* c) {
  std::vector<TerminalNode*> ifs = c->IF();
  std::vector<MvParser::ExprContext*> conds = c->expr();
  std::vector<MvParser::BlockContext*> blocks = c->block();
  if (ifs.size() > size_t(kMaxExpressionDepth)) {
    diags_.report(DiagId::NestingTooDeep, map_.loc(ifs[0]), {std::to_string(kMaxExpressionDepth)});
    failed_ = true;
    ifs.resize(1);
  }
  ast::StmtPtr next;
  for (size_t k = ifs.size(); k-- > 0;) {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::If;
    s->loc = map_.loc(ifs[k]);
    s->value = topExpr(conds[k]);
    s->body = block(blocks[k]);
    if (next) {
      s->elseBody.push_back(std::move(next));
      s->hasElse = true;
    } else if (blocks.size() > conds.size()) {
      s->elseBody = block(blocks.back());
      s->hasElse = true;
    }
    next = std::move(s);
  }
  return next;
}

ast::Target AstBuilder::target(MvParser::TargetContext* c) {
  ast::Target t;
  t.name = c->name()->getText();
  t.loc = map_.loc(c->name()->getStart());
  for (antlr4::tree::ParseTree* kid : c->children)
    if (auto* e = dynamic_cast<MvParser::ExprContext*>(kid)) t.indices.push_back(topExpr(e));
  return t;
}

ast::DistCall AstBuilder::distCall(MvParser::DistCallContext* c) {
  ast::DistCall d;
  d.name = c->ID()->getText();
  d.loc = map_.loc(c->ID());
  if (auto* a = c->args())
    for (antlr4::tree::ParseTree* kid : a->children)
      if (auto* e = dynamic_cast<MvParser::ExprContext*>(kid)) d.args.push_back(topExpr(e));
  return d;
}

ast::QueryStmt AstBuilder::queryStmt(MvParser::QueryStmtContext* c) {
  ast::QueryStmt q;
  if (auto* o = c->observeStmt()) {
    q.kind = ast::QueryStmtKind::Observe;
    q.loc = map_.loc(o->OBSERVE());
    q.expr = topExpr(o->expr());
  } else if (auto* i = c->interveneStmt()) {
    q.kind = i->DO() ? ast::QueryStmtKind::Do : ast::QueryStmtKind::Intervene;
    q.loc = map_.loc(i->getStart());
    q.target = target(i->target());
    if (i->expr()) q.value = topExpr(i->expr());
    else if (i->distCall()) q.dist = distCall(i->distCall());
  } else if (auto* f = c->factorStmt()) {
    q.kind = ast::QueryStmtKind::Factor;
    q.loc = map_.loc(f->FACTOR());
    q.expr = topExpr(f->expr());
  } else if (auto* w = c->worldStmt()) {
    q.kind = ast::QueryStmtKind::World;
    q.loc = map_.loc(w->ID(0));
    if (w->ID(0)->getText() != "world") {
      diags_.report(DiagId::SyntaxError, q.loc, {"expected a query statement, found '" + w->ID(0)->getText() + "'"});
      failed_ = true;
    }
    auto* nameNode = dynamic_cast<TerminalNode*>(w->children[1]);
    q.worldName = nameNode->getText();
    q.worldNameLoc = map_.loc(nameNode);
    for (MvParser::QueryStmtContext* s : w->queryStmt()) q.body.push_back(queryStmt(s));
  } else if (auto* f = c->queryForStmt()) {
    q.kind = ast::QueryStmtKind::For;
    q.loc = map_.loc(f->FOR());
    q.loopVar = f->ID()->getText();
    q.loopVarLoc = map_.loc(f->ID());
    q.from = topExpr(f->expr(0));
    q.to = topExpr(f->expr(1));
    for (MvParser::QueryStmtContext* s : f->queryStmt()) q.body.push_back(queryStmt(s));
  } else {
    q = predict(c->predictStmt());
  }
  return q;
}

// predictStmt : 'predict' world* (ID ('[' expr ']')* '=' world*)? expr
ast::QueryStmt AstBuilder::predict(MvParser::PredictStmtContext* c) {
  ast::QueryStmt q;
  q.kind = ast::QueryStmtKind::Predict;
  q.loc = map_.loc(c->PREDICT());
  for (antlr4::tree::ParseTree* kid : c->children) {
    if (auto* w = dynamic_cast<MvParser::WorldContext*>(kid)) {
      if (q.worldQualifierCount++ == 0)
        q.world = w->FACTUAL() ? ast::WorldQualifier::Factual : ast::WorldQualifier::Counterfactual;
    }
  }
  std::vector<MvParser::ExprContext*> exprs = c->expr();  // the label's indices, then the value
  if (TerminalNode* label = c->ID()) {
    q.label = label->getText();
    q.hasLabel = true;
    q.labelLoc = map_.loc(label);
    for (size_t i = 0; i + 1 < exprs.size(); ++i) q.labelIndices.push_back(topExpr(exprs[i]));
  }
  q.expr = topExpr(exprs.back());
  if (!q.hasLabel) q.label = normalizedText(map_.begin(exprs.back()), map_.end(exprs.back()));
  return q;
}

std::string AstBuilder::normalizedText(uint32_t begin, uint32_t end) const {
  const std::string& text = map_.text();
  std::string out;
  bool space = false;
  for (uint32_t i = begin; i < end; ++i) {
    char ch = text[i];
    if (ch == '/' && i + 1 < end && text[i + 1] == '/') {
      while (i < end && text[i] != '\n' && text[i] != '\r') ++i;
      space = true;
    } else if (ch == '/' && i + 1 < end && text[i + 1] == '*') {
      size_t close = text.find("*/", i + 2);
      i = close == std::string::npos ? end : uint32_t(close + 1);
      space = true;
    } else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = true;
    } else {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += ch;
    }
  }
  return out;
}

}  // namespace mv::frontend::detail
