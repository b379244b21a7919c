// tests/unit/frontend/ParseTest.cpp — the spec's examples, AST shapes, precedence, numbers, locations.
#include "ParseTestUtil.h"

#include <gtest/gtest.h>

namespace mv::test {
namespace {

using ast::ExprKind;
using ast::QueryStmtKind;
using ast::StmtKind;
using ast::WorldQualifier;

const char* kDiagnosis = R"(// Counterfactual diagnosis: a risk factor raises three diseases; only d1 and
// d2 cause the symptom.
model diagnosis {
  rf    ~ bernoulli(0.01)
  d1    ~ bernoulli(rf ? 0.2 : 0.000001)
  d2    ~ bernoulli(rf ? 0.2 : 0.000001)
  d3    ~ bernoulli(rf ? 0.95 : 0.0001)
  leak  ~ bernoulli(0.0001) propose bernoulli(0.1)
  l1    ~ bernoulli(0.5)
  l2    ~ bernoulli(0.5)
  s     = leak || (d1 && l1) || (d2 && l2)
}

query posterior_d3 on diagnosis {
  observe s == true
  predict d3                      // P(d3 | s) = 0.9025287827687809
}

query cure_d1 on diagnosis {
  observe s == true
  do d1 = false
  predict !s                      // P(s' = false | s, do(d1 = false)) = 0.45002248846267556
}
)";

/// The expression of `const x = <text>`.
std::string exprOf(const std::string& text) {
  Parsed p = parseText("const x = " + text);
  if (p.diags->hasErrors()) return "error: " + p.allDiags();
  if (p.program.consts.size() != 1) return "no const";
  return sexpr(*p.program.consts[0].value);
}

TEST(ParseSpec, DiagnosisExample) {
  Parsed p = parseText(kDiagnosis);
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  ASSERT_EQ(p.program.models.size(), 1u);
  const ast::ModelDecl& m = p.program.models[0];
  EXPECT_EQ(m.name, "diagnosis");
  EXPECT_EQ(m.loc, (SourceLoc{p.file, 3, 7, 9}));
  ASSERT_EQ(m.body.size(), 8u);
  EXPECT_EQ(m.body[0]->kind, StmtKind::Site);
  EXPECT_EQ(m.body[0]->target.name, "rf");
  EXPECT_EQ(m.body[0]->dist.name, "bernoulli");
  EXPECT_EQ(sexpr(*m.body[0]->dist.args[0]), "0.01r");
  EXPECT_EQ(sexpr(*m.body[1]->dist.args[0]), "(? rf 0.2r 1e-06r)");
  EXPECT_FALSE(m.body[1]->proposal.has_value());
  ASSERT_TRUE(m.body[4]->proposal.has_value());
  EXPECT_EQ(m.body[4]->proposal->name, "bernoulli");
  EXPECT_EQ(m.body[7]->kind, StmtKind::Node);
  EXPECT_EQ(sexpr(*m.body[7]->value), "(|| (|| leak (&& d1 l1)) (&& d2 l2))");

  ASSERT_EQ(p.program.queries.size(), 2u);
  const ast::QueryDecl& q0 = p.program.queries[0];
  EXPECT_EQ(q0.name, "posterior_d3");
  EXPECT_EQ(q0.model, "diagnosis");
  EXPECT_EQ(q0.modelLoc, (SourceLoc{p.file, 14, 23, 9}));
  ASSERT_EQ(q0.body.size(), 2u);
  EXPECT_EQ(q0.body[0].kind, QueryStmtKind::Observe);
  EXPECT_EQ(sexpr(*q0.body[0].expr), "(== s true)");
  EXPECT_EQ(q0.body[1].kind, QueryStmtKind::Predict);
  EXPECT_EQ(q0.body[1].label, "d3");
  EXPECT_FALSE(q0.body[1].hasLabel);

  const ast::QueryDecl& q1 = p.program.queries[1];
  ASSERT_EQ(q1.body.size(), 3u);
  EXPECT_EQ(q1.body[1].kind, QueryStmtKind::Do);
  EXPECT_EQ(q1.body[1].target.name, "d1");
  EXPECT_EQ(sexpr(*q1.body[1].value), "false");
  EXPECT_EQ(q1.body[2].label, "!s");
  EXPECT_EQ(sexpr(*q1.body[2].expr), "(not s)");
  EXPECT_EQ(q1.body[2].world, WorldQualifier::Default);
  EXPECT_EQ(q1.body[2].worldQualifierCount, 0);
}

TEST(ParseSpec, Declarations) {
  Parsed p = parseText(R"(
const N = 3
const W = [0.2, 0.3, 0.5]
fn noisy(x: real, k: real) -> real = x * k + 1
fn pick(w: real[3], i: int) -> real = w[i]
)");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  ASSERT_EQ(p.program.consts.size(), 2u);
  EXPECT_EQ(p.program.consts[0].name, "N");
  EXPECT_EQ(sexpr(*p.program.consts[0].value), "3");
  EXPECT_EQ(sexpr(*p.program.consts[1].value), "(array 0.2r 0.3r 0.5r)");
  ASSERT_EQ(p.program.fns.size(), 2u);
  const ast::FnDecl& f = p.program.fns[0];
  EXPECT_EQ(f.name, "noisy");
  ASSERT_EQ(f.params.size(), 2u);
  EXPECT_EQ(f.params[1].name, "k");
  EXPECT_EQ(f.params[1].type.name, "real");
  EXPECT_EQ(f.result.name, "real");
  EXPECT_TRUE(f.result.sizes.empty());
  EXPECT_EQ(sexpr(*f.body), "(+ (* x k) 1)");
  const ast::FnDecl& g = p.program.fns[1];
  ASSERT_EQ(g.params[0].type.sizes.size(), 1u);
  EXPECT_EQ(sexpr(*g.params[0].type.sizes[0]), "3");
  EXPECT_EQ(sexpr(*g.body), "(index w i)");
}

TEST(ParseSpec, ModelStatements) {
  Parsed p = parseText(R"(
model NAME {
  x ~ DIST(args)                      // a site named x
  x ~ DIST(args) propose DIST(args)   // a site with an importance proposal
  y = expr                            // a deterministic node named y
  for i in 0..N { z[i] ~ normal(0, 1) }   // N a compile-time int; sites z[0], z[1], ...
  if cond { a ~ normal(0, 1) } else { a = 0.0 }
  e ~ normal(0, 2); y = x + z + e
  if a { b = 1 } else if c { b = 2 } else if d { b = 3 } else { b = 4 }
  if a { } 
  m[i][j] = 1
}
)");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  ASSERT_EQ(p.program.models.size(), 1u);
  const auto& b = p.program.models[0].body;
  ASSERT_EQ(b.size(), 10u);
  EXPECT_EQ(b[0]->kind, StmtKind::Site);
  EXPECT_EQ(b[1]->proposal->name, "DIST");
  EXPECT_EQ(b[2]->kind, StmtKind::Node);
  const ast::Stmt& loop = *b[3];
  EXPECT_EQ(loop.kind, StmtKind::For);
  EXPECT_EQ(loop.loopVar, "i");
  EXPECT_EQ(sexpr(*loop.from), "0");
  EXPECT_EQ(sexpr(*loop.to), "N");
  ASSERT_EQ(loop.body.size(), 1u);
  EXPECT_EQ(loop.body[0]->target.name, "z");
  ASSERT_EQ(loop.body[0]->target.indices.size(), 1u);
  EXPECT_EQ(sexpr(*loop.body[0]->target.indices[0]), "i");
  EXPECT_EQ(loop.loc, (SourceLoc{p.file, 6, 3, 3}));
  EXPECT_EQ(loop.loopVarLoc, (SourceLoc{p.file, 6, 7, 1}));
  const ast::Stmt& cond = *b[4];
  EXPECT_EQ(cond.kind, StmtKind::If);
  EXPECT_TRUE(cond.hasElse);
  EXPECT_EQ(cond.body[0]->kind, StmtKind::Site);
  EXPECT_EQ(cond.elseBody[0]->kind, StmtKind::Node);
  EXPECT_EQ(b[5]->target.name, "e");
  EXPECT_EQ(sexpr(*b[6]->value), "(+ (+ x z) e)");
  // else-if chain nests.
  const ast::Stmt& chain = *b[7];
  ASSERT_EQ(chain.elseBody.size(), 1u);
  const ast::Stmt& second = *chain.elseBody[0];
  EXPECT_EQ(second.kind, StmtKind::If);
  EXPECT_EQ(sexpr(*second.value), "c");
  EXPECT_EQ(second.loc, (SourceLoc{p.file, 9, 23, 2}));
  const ast::Stmt& third = *second.elseBody[0];
  EXPECT_EQ(sexpr(*third.value), "d");
  ASSERT_TRUE(third.hasElse);
  EXPECT_EQ(third.elseBody[0]->kind, StmtKind::Node);
  EXPECT_FALSE(b[8]->hasElse);
  EXPECT_TRUE(b[8]->body.empty());
  EXPECT_EQ(b[9]->target.indices.size(), 2u);
}

TEST(ParseSpec, QueryStatements) {
  Parsed p = parseText(R"(
query NAME on MODEL {
  observe x == v          // evidence on a site or node, in the factual world
  observe expr            // any other bool expression
  intervene x = v         // an intervention in the factual world
  do x = v                // an intervention in the counterfactual world
  predict expr            // see "worlds" below
  predict label = expr    // the same, with a label for the output
  predict factual expr
  predict counterfactual expr
  predict factual lab = z[2]
  predict lab2 = counterfactual y
  predict factual counterfactual w
  intervene z[2] = 1.5;
  predict   a  +   /* c */ b*  c ;
}
)");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  const auto& q = p.program.queries[0].body;
  ASSERT_EQ(q.size(), 13u);
  EXPECT_EQ(q[2].kind, QueryStmtKind::Intervene);
  EXPECT_EQ(q[2].loc, (SourceLoc{p.file, 5, 3, 9}));
  EXPECT_EQ(q[3].kind, QueryStmtKind::Do);
  EXPECT_EQ(q[4].label, "expr");
  EXPECT_TRUE(q[5].hasLabel);
  EXPECT_EQ(q[5].label, "label");
  EXPECT_EQ(q[5].labelLoc, (SourceLoc{p.file, 8, 11, 5}));
  EXPECT_EQ(q[6].world, WorldQualifier::Factual);
  EXPECT_EQ(q[6].worldQualifierCount, 1);
  EXPECT_EQ(q[7].world, WorldQualifier::Counterfactual);
  EXPECT_EQ(q[8].world, WorldQualifier::Factual);
  EXPECT_EQ(q[8].label, "lab");
  EXPECT_EQ(sexpr(*q[8].expr), "(index z 2)");
  EXPECT_EQ(q[9].world, WorldQualifier::Counterfactual);
  EXPECT_EQ(q[9].label, "lab2");
  EXPECT_EQ(q[10].worldQualifierCount, 2);
  EXPECT_EQ(q[11].target.indices.size(), 1u);
  EXPECT_EQ(q[12].label, "a + b* c");
}

TEST(ParseExpr, PrecedenceAndAssociativity) {
  EXPECT_EQ(exprOf("a || b && c"), "(|| a (&& b c))");
  EXPECT_EQ(exprOf("a && b || c"), "(|| (&& a b) c)");
  EXPECT_EQ(exprOf("-x*y"), "(* (neg x) y)");
  EXPECT_EQ(exprOf("!a == b"), "(== (not a) b)");
  EXPECT_EQ(exprOf("c ? a : b ? d : e"), "(? c a (? b d e))");
  EXPECT_EQ(exprOf("c ? x ? 1 : 2 : 3"), "(? c (? x 1 2) 3)");
  EXPECT_EQ(exprOf("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(exprOf("a / b * c % d"), "(% (* (/ a b) c) d)");
  EXPECT_EQ(exprOf("a + b * c"), "(+ a (* b c))");
  EXPECT_EQ(exprOf("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(exprOf("a < b == c >= d"), "(== (< a b) (>= c d))");
  EXPECT_EQ(exprOf("a != b && c <= d || e > f"), "(|| (&& (!= a b) (<= c d)) (> e f))");
  EXPECT_EQ(exprOf("- - !x"), "(neg (neg (not x)))");
  EXPECT_EQ(exprOf("f(x, g(y))[0][1]"), "(index (index (call f x (call g y)) 0) 1)");
  EXPECT_EQ(exprOf("min()"), "(call min)");
  EXPECT_EQ(exprOf("[1, 2][0] + [3][0]"), "(+ (index (array 1 2) 0) (index (array 3) 0))");
  EXPECT_EQ(exprOf("a ? b : c || d"), "(? a b (|| c d))");
  EXPECT_EQ(exprOf("-a[1]"), "(neg (index a 1))");
}

TEST(ParseExpr, Numbers) {
  EXPECT_EQ(exprOf("1_000_000"), "1000000");
  EXPECT_EQ(exprOf("2.5E+3"), "2500r");
  EXPECT_EQ(exprOf("1e-6"), "1e-06r");
  EXPECT_EQ(exprOf("0.5"), "0.5r");
  EXPECT_EQ(exprOf("3"), "3");
  EXPECT_EQ(exprOf("1_0.2_5"), "10.25r");
  EXPECT_EQ(exprOf("1.e2"), "100r");
  EXPECT_EQ(exprOf("9223372036854775807"), "9223372036854775807");
  Parsed p = parseText("const x = 9223372036854775808");
  EXPECT_EQ(p.diag(), "1:11: InvalidNumber: invalid number '9223372036854775808': too large for a 64-bit 'int'");
  p = parseText("const x = 1_");
  EXPECT_EQ(p.diag(), "1:11: InvalidNumber: invalid number '1_': '_' must separate two digits");
  p = parseText("const x = 1e999");
  EXPECT_EQ(p.diag(), "1:11: InvalidNumber: invalid number '1e999': too large for a 'real'");
  // `0..N` is INT '..' ID, not a real.
  p = parseText("model m { for i in 0..N { x[i] = 1 } for j in 1 .. 2 {} }");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  EXPECT_EQ(sexpr(*p.program.models[0].body[0]->from), "0");
  EXPECT_EQ(sexpr(*p.program.models[0].body[0]->to), "N");
  EXPECT_EQ(p.program.models[0].body[0]->from->kind, ExprKind::IntLit);
}

TEST(ParseExpr, SemicolonsOptionalAndLineBreaksInsignificant) {
  Parsed a = parseText("const a = 1; const b = 2;\nfn f(x: int) -> int = x;\nmodel m { x = 1; y ~ normal(0,\n 1); }\n"
                       "query q on m { observe x == 1; predict y; };");
  ASSERT_FALSE(a.diags->hasErrors()) << a.allDiags();
  Parsed b = parseText("const a = 1 const b = 2 fn f(x: int) -> int = x model m { x = 1 y ~ normal(0, 1) } "
                       "query q on m { observe x == 1 predict y }");
  ASSERT_FALSE(b.diags->hasErrors()) << b.allDiags();
  EXPECT_EQ(a.program.consts.size(), 2u);
  EXPECT_EQ(b.program.models[0].body.size(), 2u);
  EXPECT_EQ(b.program.queries[0].body.size(), 2u);
}

TEST(ParseLoc, ExactLocationsAndOffsets) {
  //                          1         2
  //                 12345678901234567890123456
  Parsed p = parseText("const x = -a + f(b)[2] * 3\n");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  const ast::Expr& add = *p.program.consts[0].value;
  EXPECT_EQ(add.loc, (SourceLoc{p.file, 1, 14, 1}));
  EXPECT_EQ(add.beginOffset, 10u);
  EXPECT_EQ(add.endOffset, 26u);
  const ast::Expr& neg = *add.args[0];
  EXPECT_EQ(neg.loc, (SourceLoc{p.file, 1, 11, 1}));
  EXPECT_EQ(neg.args[0]->loc, (SourceLoc{p.file, 1, 12, 1}));
  const ast::Expr& mul = *add.args[1];
  EXPECT_EQ(mul.loc, (SourceLoc{p.file, 1, 24, 1}));
  EXPECT_EQ(mul.beginOffset, 15u);
  const ast::Expr& index = *mul.args[0];
  EXPECT_EQ(index.kind, ExprKind::Index);
  EXPECT_EQ(index.loc, (SourceLoc{p.file, 1, 20, 1}));
  EXPECT_EQ(index.endOffset, 22u);
  EXPECT_EQ(index.args[0]->loc, (SourceLoc{p.file, 1, 16, 1}));
  EXPECT_EQ(mul.args[1]->loc, (SourceLoc{p.file, 1, 26, 1}));

  Parsed t = parseText("const y = a ? bb : ccc\nconst z = (x)\nconst w = c >= 12_000");
  ASSERT_FALSE(t.diags->hasErrors()) << t.allDiags();
  EXPECT_EQ(t.program.consts[0].value->loc, (SourceLoc{t.file, 1, 13, 1}));
  EXPECT_EQ(t.program.consts[0].value->args[2]->loc, (SourceLoc{t.file, 1, 20, 3}));
  EXPECT_EQ(t.program.consts[1].loc, (SourceLoc{t.file, 2, 7, 1}));
  EXPECT_EQ(t.program.consts[1].value->beginOffset, 33u);  // includes the parentheses
  EXPECT_EQ(t.program.consts[1].value->endOffset, 36u);
  EXPECT_EQ(t.program.consts[2].value->loc, (SourceLoc{t.file, 3, 13, 2}));
  EXPECT_EQ(t.program.consts[2].value->args[1]->loc, (SourceLoc{t.file, 3, 16, 6}));
}

TEST(ParseLoc, NonAsciiInCommentsUsesByteColumns) {
  // 'é' is two bytes, '→' three: columns and offsets count bytes.
  Parsed p = parseText("/* é → */ const x = a+b // ü\nconst y = z");
  ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
  const ast::Expr& e = *p.program.consts[0].value;
  EXPECT_EQ(e.loc, (SourceLoc{p.file, 1, 25, 1}));
  EXPECT_EQ(e.beginOffset, 23u);
  EXPECT_EQ(e.endOffset, 26u);
  EXPECT_EQ(p.sources->text(p.file).substr(e.beginOffset, e.endOffset - e.beginOffset), "a+b");
  EXPECT_EQ(p.program.consts[1].loc, (SourceLoc{p.file, 2, 7, 1}));
}

TEST(ParseMisc, EmptyAndCommentOnlyFiles) {
  Parsed e = parseText("");
  EXPECT_FALSE(e.diags->hasErrors());
  Parsed c = parseText("// nothing\n/* at\n all */ // here");
  EXPECT_FALSE(c.diags->hasErrors()) << c.allDiags();
  EXPECT_TRUE(c.program.models.empty());
}

TEST(ParseMisc, OperatorText) {
  EXPECT_STREQ(ast::binaryOpText(ast::BinaryOp::Le), "<=");
  EXPECT_STREQ(ast::binaryOpText(ast::BinaryOp::Or), "||");
  EXPECT_STREQ(ast::unaryOpText(ast::UnaryOp::Not), "!");
}

}  // namespace
}  // namespace mv::test
