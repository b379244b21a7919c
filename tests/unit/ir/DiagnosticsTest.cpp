// tests/unit/ir/DiagnosticsTest.cpp — formatting, carets, ordering, de-duplication and the cap.
#include "ir/Diagnostics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace mv {
namespace {

TEST(Diagnostics, FormatsPlaceholders) {
  EXPECT_EQ(formatDiag(DiagId::UndeclaredName, {"sigma"}), "use of undeclared name 'sigma'");
  EXPECT_EQ(formatDiag(DiagId::ArgumentCount, {"exp", "1", "2"}), "'exp' takes 1 argument(s), found 2");
  EXPECT_STREQ(diagName(DiagId::UndeclaredName), "UndeclaredName");
  EXPECT_EQ(diagSeverity(DiagId::NoteDidYouMean), Severity::Note);
}

TEST(Diagnostics, PrintsLocationSourceLineAndCaret) {
  SourceManager sm;
  uint32_t f = sm.add("model.mv", "model m {\n  y ~ normal(mu, sigma)\n}\n");
  DiagnosticEngine d(sm);
  d.report(DiagId::UndeclaredName, SourceLoc{f, 2, 18, 5}, {"sigma"})
      .note(DiagId::NoteDidYouMean, SourceLoc{f, 2, 14, 2}, {"mu"});
  std::ostringstream os;
  d.print(os);
  EXPECT_EQ(os.str(),
            "model.mv:2:18: error: use of undeclared name 'sigma'\n"
            "   2 |   y ~ normal(mu, sigma)\n"
            "     |                  ^~~~~\n"
            "model.mv:2:14: note: did you mean 'mu'?\n"
            "   2 |   y ~ normal(mu, sigma)\n"
            "     |              ^~\n");
  EXPECT_EQ(d.errorCount(), 1u);
}

TEST(Diagnostics, SortsBySourceOrderAndDropsDuplicates) {
  SourceManager sm;
  uint32_t f = sm.add("a.mv", "a\nb\nc\n");
  DiagnosticEngine d(sm);
  d.report(DiagId::UndeclaredName, SourceLoc{f, 3, 1, 1}, {"c"});
  d.report(DiagId::UndeclaredName, SourceLoc{f, 1, 1, 1}, {"a"});
  d.report(DiagId::UndeclaredName, SourceLoc{f, 3, 1, 1}, {"c"});
  std::ostringstream os;
  d.print(os);
  std::string out = os.str();
  EXPECT_LT(out.find("'a'"), out.find("'c'"));
  EXPECT_EQ(out.find("name 'c'"), out.rfind("name 'c'"));  // printed once
  EXPECT_EQ(std::count(out.begin(), out.end(), '^'), 2);
}

TEST(Diagnostics, CapsTheNumberOfErrorsPrinted) {
  SourceManager sm;
  std::string text;
  for (int i = 0; i < 10; ++i) text += "x\n";
  uint32_t f = sm.add("a.mv", text);
  DiagnosticEngine d(sm, 3);
  for (uint32_t i = 1; i <= 10; ++i) d.report(DiagId::UndeclaredName, SourceLoc{f, i, 1, 1}, {"x"});
  std::ostringstream os;
  d.print(os);
  std::string out = os.str();
  EXPECT_NE(out.find("too many errors, stopping (10 errors in all)"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '^'), 3);
}

// One cap over many engines (mvc prints each query's warnings with an engine of its own): 30
// engines of one warning each show 20 in all, and the summary comes once, from the cap.
TEST(Diagnostics, AWarningCapSpansEngines) {
  SourceManager sm;
  std::string text;
  for (int i = 0; i < 30; ++i) text += "intervene b = true\n";
  uint32_t f = sm.add("a.mv", text);
  WarningCap cap;
  std::ostringstream os;
  for (uint32_t i = 1; i <= 30; ++i) {
    DiagnosticEngine d(sm);
    d.report(DiagId::DeadIntervention, SourceLoc{f, i, 1, 9}, {"intervene", "b"});
    d.print(os, &cap);
    EXPECT_EQ(d.diagnostics().size(), 1u);  // the engine keeps its warning
  }
  cap.printSummary(os);
  const std::string out = os.str();
  EXPECT_EQ(std::count(out.begin(), out.end(), '^'), 20);
  EXPECT_NE(out.find("a.mv:20:1: warning"), std::string::npos);
  EXPECT_EQ(out.find("a.mv:21:1: warning"), std::string::npos);
  EXPECT_NE(out.find("warning: 10 more warnings of this kind not shown (like the warning at a.mv:20:1)\n"),
            std::string::npos) << out;
}

TEST(Diagnostics, LocationlessDiagnosticHasNoSourceLine) {
  SourceManager sm;
  DiagnosticEngine d(sm);
  d.report(DiagId::AllWeightsZero, SourceLoc{}, {"q", "10"});
  std::ostringstream os;
  d.print(os);
  EXPECT_EQ(os.str(), "error: query 'q': all 10 samples have zero weight, so the evidence was never satisfied\n");
}

TEST(Diagnostics, LongLinesAreShownAsAWindowAroundTheColumn) {
  SourceManager sm;
  std::string text = "y = " + std::string(5000, 'a') + " + bad + " + std::string(5000, 'b') + "\n";
  uint32_t f = sm.add("long.mv", text);
  DiagnosticEngine d(sm);
  uint32_t col = uint32_t(text.find("bad")) + 1;
  d.report(DiagId::UndeclaredName, SourceLoc{f, 1, col, 3}, {"bad"});
  std::ostringstream os;
  d.print(os);
  std::string out = os.str();
  EXPECT_LT(out.size(), 600u);
  std::string source = out.substr(out.find('\n') + 1);
  std::string caret = source.substr(source.find('\n') + 1);
  EXPECT_EQ(source.find("bad"), caret.find('^'));
  EXPECT_NE(source.find("..."), std::string::npos);
}

}  // namespace
}  // namespace mv
