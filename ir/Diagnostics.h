// ir/Diagnostics.h — the diagnostics engine: a registry of messages, collection, printing.
#pragma once

#include "ir/SourceManager.h"

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace mv {

enum class Severity : uint8_t { Error, Warning, Note };

enum class DiagId : uint16_t {
#define MV_DIAG(Id, Sev, Fmt) Id,
#include "ir/Diagnostics.def"
#undef MV_DIAG
};

/// The registered name of a diagnostic ("UndeclaredName").
const char* diagName(DiagId id);
Severity diagSeverity(DiagId id);
/// Substitutes {0}, {1}, ... in the registered format.
std::string formatDiag(DiagId id, const std::vector<std::string>& args);

struct Diagnostic {
  DiagId id;
  Severity severity;
  SourceLoc loc;
  std::string message;
  std::vector<Diagnostic> notes;

  /// Attaches a note; returns *this for chaining.
  Diagnostic& note(DiagId noteId, SourceLoc where, std::vector<std::string> args = {});
};

/// Warnings of one kind (one DiagId) that DiagnosticEngine::print shows; the rest are counted
/// in one line ("1980 more warnings of this kind not shown") after the last one shown.
inline constexpr size_t kMaxWarningsPerKind = 20;

/// The warnings a whole command shows (every query of `mvc run`, `mvc check`, ...): at most
/// kMaxWarningsPerKind of each kind in all, however many DiagnosticEngines print them; the rest
/// are counted and summarised once, at the end, by printSummary. Only what is printed is
/// capped: the engines keep every warning (the C API and Python records hold them all).
struct WarningCap {
  std::map<DiagId, size_t> shown, hidden;
  std::map<DiagId, std::string> lastShownAt;  ///< "file:line:col" of the last one shown of each kind
  /// For each kind with warnings not shown: "N more warnings of this kind not shown (like the
  /// warning at file:line:col)", naming the kind by the last one shown.
  void printSummary(std::ostream& os) const;
};

/// Collects diagnostics; prints them in source order like a C compiler.
class DiagnosticEngine {
public:
  explicit DiagnosticEngine(const SourceManager& sources, size_t maxErrors = 50)
      : sources_(sources), maxErrors_(maxErrors) {}

  Diagnostic& report(DiagId id, SourceLoc loc, std::vector<std::string> args = {});
  size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ > 0; }
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

  /// Prints every diagnostic (deduplicated, in source order, at most maxErrors errors and
  /// kMaxWarningsPerKind warnings of each kind). With `cap`, the warnings count against the
  /// whole command's cap instead, and the summary of those not shown is left to it.
  void print(std::ostream& os, WarningCap* cap = nullptr) const;
  /// Prints one diagnostic with its source line and caret.
  void printOne(std::ostream& os, const Diagnostic& d) const;
  /// Forgets everything reported so far.
  void clear() { diags_.clear(); errors_ = 0; }

private:
  const SourceManager& sources_;
  size_t maxErrors_;
  size_t errors_ = 0;
  std::vector<Diagnostic> diags_;
};

}  // namespace mv
