// frontend/Parse.cpp — parse(): pre-scan, run the ANTLR lexer and parser, build the AST.
#include "frontend/Parse.h"

#include "frontend/ParseInternal.h"
#include "frontend/PreScan.h"

#include "MvLexer.h"

#include <cstdint>

namespace mv::frontend {
namespace detail {

SourceMap::SourceMap(const SourceManager& sources, uint32_t file, bool ascii)
    : sources_(sources), file_(file) {
  if (ascii) return;
  // The pre-scan guarantees valid UTF-8: a code point starts at every non-continuation byte.
  const std::string& text = sources.text(file);
  cpToByte_.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) cpToByte_.push_back(uint32_t(i));
  cpToByte_.push_back(uint32_t(text.size()));
}

uint32_t SourceMap::byteOf(size_t cp) const {
  size_t size = text().size();
  if (cpToByte_.empty()) return uint32_t(cp < size ? cp : size);
  return cp < cpToByte_.size() ? cpToByte_[cp] : uint32_t(size);
}

uint32_t SourceMap::tokenEnd(const antlr4::Token* t) const {
  if (t->getType() == antlr4::Token::EOF || t->getStopIndex() < t->getStartIndex())
    return tokenBegin(t);
  return byteOf(t->getStopIndex() + 1);
}

SourceLoc SourceMap::loc(const antlr4::Token* t) const {
  uint32_t b = tokenBegin(t), e = tokenEnd(t);
  return sources_.locAt(file_, b, e > b ? e - b : 1);
}

uint32_t SourceMap::end(antlr4::ParserRuleContext* c) const {
  antlr4::Token* stop = c->getStop();
  if (!stop || stop->getTokenIndex() < c->getStart()->getTokenIndex()) return begin(c);
  return tokenEnd(stop);
}

bool subtreeClean(antlr4::ParserRuleContext* root) {
  std::vector<antlr4::tree::ParseTree*> stack{root};
  while (!stack.empty()) {
    antlr4::tree::ParseTree* t = stack.back();
    stack.pop_back();
    if (dynamic_cast<antlr4::tree::ErrorNode*>(t)) return false;
    if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(t)) {
      if (rule->exception) return false;
      stack.insert(stack.end(), rule->children.begin(), rule->children.end());
    }
  }
  return true;
}

void destroyIteratively(ast::ExprPtr e) {
  std::vector<ast::ExprPtr> stack;
  stack.push_back(std::move(e));
  while (!stack.empty()) {
    ast::ExprPtr top = std::move(stack.back());
    stack.pop_back();
    if (!top) continue;
    for (auto& a : top->args) stack.push_back(std::move(a));
  }
}

namespace {

/// Stack the ANTLR parser may use below parse()'s frame before the parse is abandoned.
/// The pre-scan bounds nesting so that valid input stays far below it; this is a backstop.
constexpr uintptr_t kParserStackBudget = 3u << 20;

/// The generated parser, with a stack-depth backstop and a handle on the root context.
class GuardedParser : public mv_antlr::MvParser {
public:
  GuardedParser(antlr4::TokenStream* input, uintptr_t stackBase)
      : MvParser(input), stackBase_(stackBase) {}

  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule) override {
    char probe;
    uintptr_t here = reinterpret_cast<uintptr_t>(&probe);
    if (here < stackBase_ && stackBase_ - here > kParserStackBudget) {
      tooDeep_ = true;
      throw ParseAbort{};
    }
    MvParser::enterRule(ctx, state, rule);
    if (!root_) root_ = dynamic_cast<ProgramContext*>(ctx);
  }

  ProgramContext* root() const { return root_; }
  bool tooDeep() const { return tooDeep_; }

private:
  uintptr_t stackBase_;
  ProgramContext* root_ = nullptr;
  bool tooDeep_ = false;
};

}  // namespace
}  // namespace detail

ast::Program parse(const SourceManager& sources, uint32_t file, DiagnosticEngine& diags) {
  using namespace detail;
  ast::Program program;
  PreScanResult pre = preScan(sources, file, diags);
  if (!pre.ok) return program;

  SourceMap map(sources, file, pre.ascii);
  SyntaxErrorSink sink(map, diags);
  SourceCharStream input(map);
  mv_antlr::MvLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&sink);
  antlr4::CommonTokenStream tokens(&lexer);

  char base;
  GuardedParser parser(&tokens, reinterpret_cast<uintptr_t>(&base));
  parser.removeErrorListeners();
  parser.addErrorListener(&sink);
  parser.setErrorHandler(std::make_shared<MvErrorStrategy>(sink));

  bool aborted = false;
  try {
    parser.program();
  } catch (const ParseAbort&) {
    aborted = true;
    if (parser.tooDeep())
      diags.report(DiagId::NestingTooDeep, map.loc(parser.getCurrentToken()),
                   {std::to_string(kMaxBracketDepth)});
  }
  if (parser.root()) AstBuilder(map, diags).buildProgram(parser.root(), aborted, program);
  return program;
}

}  // namespace mv::frontend
