// tests/unit/frontend/ParseErrorTest.cpp — syntax and lexical errors: messages, locations, recovery.
#include "ParseTestUtil.h"

#include <gtest/gtest.h>

namespace mv::test {
namespace {

TEST(ParseError, ExpectedFoundStyle) {
  Parsed p = parseText("const x = f(a, b\nconst y = 2");
  ASSERT_TRUE(p.diags->hasErrors());
  EXPECT_EQ(p.diag(), "2:1: SyntaxError: expected ')', found 'const'");
  EXPECT_EQ(p.diags->diagnostics()[0].loc.length, 5u);
}

TEST(ParseError, MissingCloseParen) {
  Parsed p = parseText("const x = (a + b x");
  EXPECT_EQ(p.diag(), "1:18: SyntaxError: expected ')', found 'x'") << p.allDiags();
}

TEST(ParseError, UnexpectedEndOfFile) {
  Parsed p = parseText("model m {\n  x ~ normal(0, 1)\n");
  ASSERT_TRUE(p.diags->hasErrors());
  EXPECT_EQ(p.diag(), "3:1: SyntaxError: expected name, 'for', 'if' or '}', found end of file") << p.allDiags();
  EXPECT_EQ(p.diags->diagnostics()[0].loc.line, 3u);
  Parsed q = parseText("const x =");
  EXPECT_EQ(q.diag(), "1:10: SyntaxError: expected expression, found end of file") << q.allDiags();
}

TEST(ParseError, ExpectedExpression) {
  Parsed p = parseText("const x = * 2");
  EXPECT_EQ(p.diag(), "1:11: SyntaxError: expected expression, found '*'") << p.allDiags();
}

TEST(ParseError, UnknownCharacterIsSyntaxError) {
  Parsed p = parseText("const x = 1 @ 2");
  ASSERT_TRUE(p.diags->hasErrors());
  EXPECT_EQ(p.diag(), "1:13: SyntaxError: unexpected character '@'") << p.allDiags();
  Parsed q = parseText("const x = 1\nconst é = 2");
  ASSERT_TRUE(q.diags->hasErrors());
  EXPECT_EQ(q.diag(), "2:7: SyntaxError: unexpected character 'é'") << q.allDiags();
  EXPECT_EQ(q.diags->diagnostics()[0].loc.length, 2u);
}

TEST(ParseError, TopLevelGarbage) {
  Parsed p = parseText("x = 1");
  EXPECT_EQ(p.diag(), "1:1: SyntaxError: expected 'const', 'data', 'fn', 'model', 'query' or end of file, found 'x'")
      << p.allDiags();
  // A name then reads as a `data` declaration's keyword: the message is the same either way.
  Parsed q = parseText("x y: real");
  EXPECT_EQ(q.diag(), "1:1: SyntaxError: expected 'const', 'data', 'fn', 'model', 'query' or end of file, found 'x'")
      << q.allDiags();
  Parsed r = parseText("}");
  EXPECT_EQ(r.diag(), "1:1: SyntaxError: expected 'const', 'data', 'fn', 'model', 'query' or end of file, found '}'")
      << r.allDiags();
}

TEST(ParseError, RecoveryKeepsGoodDeclarations) {
  Parsed p = parseText("const a = 1\nconst b = (2 +\nconst c = 3\nmodel m { x ~ }\nmodel n { y = 2 }\n");
  EXPECT_GE(p.diags->errorCount(), 2u) << p.allDiags();
  ASSERT_EQ(p.program.consts.size(), 2u) << p.allDiags();
  EXPECT_EQ(p.program.consts[0].name, "a");
  EXPECT_EQ(p.program.consts[1].name, "c");
  ASSERT_EQ(p.program.models.size(), 1u);
  EXPECT_EQ(p.program.models[0].name, "n");
  // Diagnostics come in source order with exact lines.
  EXPECT_EQ(p.diags->diagnostics()[0].loc.line, 3u);
  EXPECT_EQ(p.diags->diagnostics()[1].loc.line, 4u);
}

TEST(ParseError, KeywordAsName) {
  Parsed p = parseText("model m { observe = 1 }");
  EXPECT_EQ(p.diag(), "1:11: SyntaxError: expected name, 'for', 'if' or '}', found 'observe'") << p.allDiags();
}

TEST(ParseError, QueryStatement) {
  // `factual` and `counterfactual` start an expression too (`factual.x`).
  Parsed p = parseText("query q on m { predict }");
  EXPECT_EQ(p.diag(), "1:24: SyntaxError: expected expression, found '}'")
      << p.allDiags();
}

TEST(ParseError, ErrorCountIsCapped) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "const = ;\n";
  Parsed p = parseText(text);
  EXPECT_GE(p.diags->errorCount(), 1u);
  EXPECT_LE(p.diags->errorCount(), 26u);
}

TEST(ParseLex, InvalidUtf8) {
  Parsed p = parseText("const x = 1\nconst y = \xff\xfe 2");
  ASSERT_EQ(p.diags->diagnostics().size(), 2u) << p.allDiags();
  EXPECT_EQ(p.diag(0), "2:11: InvalidByte: invalid byte 0xff in source (files must be UTF-8 text)");
  EXPECT_EQ(p.diag(1), "2:12: InvalidByte: invalid byte 0xfe in source (files must be UTF-8 text)");
  EXPECT_TRUE(p.program.consts.empty());
  // Overlong and surrogate encodings and a truncated sequence at end of file.
  EXPECT_TRUE(parseText("// \xc0\xaf").diags->hasErrors());
  EXPECT_TRUE(parseText("// \xed\xa0\x80").diags->hasErrors());
  EXPECT_TRUE(parseText("// \xe2\x82").diags->hasErrors());
}

TEST(ParseLex, NulAndControlBytes) {
  Parsed p = parseText(std::string("const x = 1\n  \0 const", 20));
  ASSERT_TRUE(p.diags->hasErrors());
  EXPECT_EQ(p.diag(), "2:3: InvalidByte: invalid byte 0x00 in source (files must be UTF-8 text)");
  Parsed q = parseText("const x = 1\x1b");
  EXPECT_EQ(q.diag(), "1:12: InvalidByte: invalid byte 0x1b in source (files must be UTF-8 text)");
  EXPECT_FALSE(parseText("const\tx =\r\n 1").diags->hasErrors());
}

TEST(ParseLex, OnlyFirstFewInvalidBytesReported) {
  Parsed p = parseText(std::string(1000, '\x01'));
  EXPECT_EQ(p.diags->diagnostics().size(), 5u);
}

TEST(ParseLex, UnterminatedComment) {
  Parsed p = parseText("const x = 1\n  /* never closed\n const y = 2");
  ASSERT_EQ(p.diags->diagnostics().size(), 1u) << p.allDiags();
  EXPECT_EQ(p.diag(), "2:3: UnterminatedComment: unterminated '/*' comment");
  EXPECT_EQ(p.diags->diagnostics()[0].loc.length, 2u);
  EXPECT_FALSE(parseText("/* a /* b */ const x = 1 // */").diags->hasErrors());
  EXPECT_FALSE(parseText("// /*\nconst x = 1").diags->hasErrors());
}

}  // namespace
}  // namespace mv::test
