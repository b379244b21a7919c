// tests/unit/frontend/ParseNastyTest.cpp — hostile input: huge, deep, garbage; plus a mutation fuzz loop.
#include "ParseTestUtil.h"

#include <gtest/gtest.h>

#include <pthread.h>

#include <functional>
#include <random>

namespace mv::test {
namespace {

/// Runs `fn` on a thread with a `bytes` stack, as the driver runs the compiler.
void runWithStack(size_t bytes, std::function<void()> fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, &fn), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

bool hasDiag(const Parsed& p, DiagId id) {
  for (const Diagnostic& d : p.diags->diagnostics())
    if (d.id == id) return true;
  return false;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ParseNasty, HugeLeftDeepSumParses) {
  // The AST is 200000 levels deep on its left spine; destroying it recurses, so run where
  // the driver runs the compiler: on a thread with a large stack.
  runWithStack(size_t(512) << 20, [] {
    Parsed p = parseText("const x = 1" + repeat("+1", 199999) + "\n");
    ASSERT_FALSE(p.diags->hasErrors()) << p.allDiags();
    ASSERT_EQ(p.program.consts.size(), 1u);
    const ast::Expr* e = p.program.consts[0].value.get();
    size_t terms = 1;
    while (e->kind == ast::ExprKind::Binary) {
      EXPECT_EQ(e->args[1]->kind, ast::ExprKind::IntLit);
      e = e->args[0].get();
      ++terms;
    }
    EXPECT_EQ(terms, 200000u);
  });
}

TEST(ParseNasty, RandomTokenGarbageFinishes) {
  const char* pieces[] = {"const", "fn", "model", "query", "on", "observe", "do", "predict", "(",
                          ")", "[", "]", "{", "}", ",", ";", ":", "->", "..", "~", "?", "||",
                          "&&", "==", "=", "+", "-", "*", "<", "x", "y1", "42", "0.5", "@", "if",
                          "else", "for", "in", "true", "#", "propose", "factual"};
  std::mt19937 rng(12345);
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    text += pieces[pick(rng)];
    text += (i % 17 == 0) ? "\n" : " ";
  }
  Parsed p = parseText(text);
  EXPECT_TRUE(p.diags->hasErrors());
  EXPECT_LE(p.diags->errorCount(), 30u);
}

TEST(ParseNasty, RandomBinaryBytes) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string text(size_t(rng() % 2000), '\0');
    for (char& c : text) c = char(rng() & 0xFF);
    Parsed p = parseText(text);
    if (!text.empty()) {
      EXPECT_TRUE(p.diags->hasErrors());
    }
  }
}

TEST(ParseNasty, DeepParenthesesRejected) {
  Parsed p = parseText("const x = " + repeat("(", 100000) + "1" + repeat(")", 100000));
  EXPECT_TRUE(hasDiag(p, DiagId::NestingTooDeep)) << p.allDiags();
  EXPECT_EQ(p.diags->errorCount(), 1u);
  EXPECT_EQ(p.diag(), "1:267: NestingTooDeep: brackets nested deeper than 256 levels");
}

TEST(ParseNasty, NestingAtTheLimitParses) {
  // Runs on the default (main) thread stack.
  Parsed p = parseText("const x = " + repeat("(-", 250) + "1" + repeat(")", 250) +
                       "\nconst y = " + repeat("[", 256) + repeat("]", 256) +
                       "\nmodel m {" + repeat("if c {", 255) + repeat("}", 255) + "}");
  EXPECT_FALSE(p.diags->hasErrors()) << p.allDiags();
  EXPECT_EQ(p.program.consts.size(), 2u);
}

TEST(ParseNasty, DeepBracesAndTernaryMiddlesRejected) {
  EXPECT_TRUE(hasDiag(parseText("model m {" + repeat("if c {", 5000)), DiagId::NestingTooDeep));
  EXPECT_TRUE(hasDiag(parseText("const x = " + repeat("a ? ", 5000) + "1" + repeat(" : 2", 5000)),
                      DiagId::NestingTooDeep));
}

TEST(ParseNasty, LongPrefixChains) {
  Parsed bad = parseText("const x = " + repeat("-", 100000) + "1");
  EXPECT_TRUE(hasDiag(bad, DiagId::ExpressionTooDeep)) << bad.allDiags();
  Parsed bang = parseText("const x = " + repeat("! ", 100000) + "b");
  EXPECT_TRUE(hasDiag(bang, DiagId::ExpressionTooDeep));
  Parsed ok = parseText("const x = " + repeat("-", 5000) + "1");
  EXPECT_FALSE(ok.diags->hasErrors()) << ok.allDiags();
  ASSERT_EQ(ok.program.consts.size(), 1u);
  // Prefix runs inside nested brackets still add up to a too-deep expression.
  Parsed nested = parseText("const x = " + repeat("(" + repeat("-", 9000), 3) + "1" + repeat(")", 3));
  EXPECT_TRUE(hasDiag(nested, DiagId::ExpressionTooDeep)) << nested.allDiags();
  EXPECT_TRUE(nested.program.consts.empty());
}

TEST(ParseNasty, LongChainsOfTernariesAndElseIfs) {
  Parsed ternary = parseText("const x = " + repeat("a ? 1 : ", 20000) + "0");
  EXPECT_TRUE(hasDiag(ternary, DiagId::ExpressionTooDeep)) << ternary.allDiags();
  Parsed shortTernary = parseText("const x = " + repeat("a ? 1 : ", 500) + "0");
  EXPECT_FALSE(shortTernary.diags->hasErrors());
  Parsed elseIf = parseText("model m { if a { x = 1 }" + repeat(" else if a { x = 1 }", 2000) + " }");
  EXPECT_FALSE(elseIf.diags->hasErrors()) << elseIf.allDiags();
}

TEST(ParseNasty, EdgeInputs) {
  EXPECT_FALSE(parseText("").diags->hasErrors());
  EXPECT_FALSE(parseText("   \n\n\t ").diags->hasErrors());
  EXPECT_FALSE(parseText("/**/").diags->hasErrors());
  EXPECT_TRUE(parseText("/*").diags->hasErrors());
  EXPECT_TRUE(parseText("/").diags->hasErrors());
  EXPECT_TRUE(parseText(std::string(1, '\0')).diags->hasErrors());
  EXPECT_TRUE(parseText(repeat(")", 1000)).diags->hasErrors());
  EXPECT_TRUE(parseText(repeat("}", 1000)).diags->hasErrors());
}

TEST(ParseFuzz, MutationsOfSpecExamplesNeverThrow) {
  const std::string seeds[] = {
      "model diagnosis {\n rf ~ bernoulli(0.01)\n d1 ~ bernoulli(rf ? 0.2 : 0.000001)\n"
      " leak ~ bernoulli(0.0001) propose bernoulli(0.1)\n s = leak || (d1 && l1) || (d2 && l2)\n}\n"
      "query cure_d1 on diagnosis {\n observe s == true\n do d1 = false\n predict !s // c\n}\n",
      "const N = 3\nconst W = [0.2, 0.3, 0.5]\nfn noisy(x: real, k: real) -> real = x * k + 1\n",
      "model m {\n for i in 0..N { z[i] ~ normal(0, 1) }\n if cond { a ~ normal(0, 1) } else { a = 0.0 }\n"
      " e ~ normal(0, 2); y = x + z + e\n}\nquery q on m { intervene x = 1_000 predict factual l = -y * 2.5E+3 }\n",
  };
  const char* inserts[] = {"(", ")", "{", "}", "[", "]", "?", ":", "-", "!", "/*", "*/", "//", "..",
                           "\xff", "é", "\0", "predict", "=", "~", "1e", "1_", "_", ";", "\n"};
  std::mt19937 rng(2024);
  for (int round = 0; round < 2000; ++round) {
    std::string text = seeds[rng() % std::size(seeds)];
    int edits = 1 + int(rng() % 4);
    for (int k = 0; k < edits && !text.empty(); ++k) {
      size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text.erase(at, 1 + rng() % 8); break;
        case 1: text.insert(at, std::string(inserts[rng() % std::size(inserts)])); break;
        case 2: text.insert(at, text.substr(rng() % text.size(), rng() % 40)); break;
        case 3: text[at] = char(rng() & 0xFF); break;
      }
    }
    EXPECT_NO_THROW(parseText(text)) << "round " << round;
  }
}

}  // namespace
}  // namespace mv::test
