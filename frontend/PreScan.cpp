// frontend/PreScan.cpp — UTF-8, control-byte, comment and nesting checks over the raw bytes.
#include "frontend/PreScan.h"

#include "frontend/Parse.h"

#include <cstdio>
#include <string>

namespace mv::frontend {
namespace {

constexpr int kMaxInvalidByteReports = 5;

std::string hexByte(unsigned char b) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

/// Length of the valid UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0 if invalid.
size_t utf8SequenceLength(const std::string& s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return len;
}

class Scanner {
public:
  Scanner(const SourceManager& sources, uint32_t file, DiagnosticEngine& diags)
      : sources_(sources), file_(file), diags_(diags), text_(sources.text(file)) {}

  PreScanResult run() {
    PreScanResult result;
    for (size_t i = 0; i < text_.size();) {
      unsigned char c = static_cast<unsigned char>(text_[i]);
      if (c >= 0x80) {
        result.ascii = false;
        size_t len = utf8SequenceLength(text_, i);
        if (len == 0) {
          invalidByte(i);
          ++i;
          continue;
        }
        if (inBlockComment_ || inLineComment_) {
          i += len;
          continue;
        }
        code(i);  // a non-ASCII character outside comments: a (bad) token, not nesting
        i += len;
        continue;
      }
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        invalidByte(i);
        ++i;
        continue;
      }
      i = step(i, static_cast<char>(c));
    }
    if (inBlockComment_)
      report(DiagId::UnterminatedComment, sources_.locAt(file_, commentStart_, 2), {});
    result.ok = !failed_;
    return result;
  }

private:
  /// Handles one ASCII byte at i; returns the index of the next byte to look at.
  size_t step(size_t i, char c) {
    char next = i + 1 < text_.size() ? text_[i + 1] : '\0';
    if (inLineComment_) {
      if (c == '\n' || c == '\r') inLineComment_ = false;  // a line ends at \r too
      return i + 1;
    }
    if (inBlockComment_) {
      if (c == '*' && next == '/') {
        inBlockComment_ = false;
        return i + 2;
      }
      return i + 1;
    }
    if (c == '/' && next == '/') {
      inLineComment_ = true;
      return i + 2;
    }
    if (c == '/' && next == '*') {
      inBlockComment_ = true;
      commentStart_ = i;
      return i + 2;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return i + 1;
    if ((c == '-' && next != '>') || (c == '!' && next != '=')) {
      if (prefixRun_++ == 0) prefixStart_ = i;
      if (prefixRun_ > kMaxExpressionDepth && !reportedPrefix_) {
        reportedPrefix_ = true;
        report(DiagId::ExpressionTooDeep, sources_.locAt(file_, prefixStart_, 1),
               {std::to_string(kMaxExpressionDepth)});
      }
      return i + 1;
    }
    code(i);
    if (c == '(' || c == '[' || c == '{') {
      open(i);
    } else if (c == '?') {
      ++pendingQuestions_;
      open(i);
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth_ > 0) --depth_;
    } else if (c == ':' && pendingQuestions_ > 0) {
      --pendingQuestions_;
      if (depth_ > 0) --depth_;
    }
    // Skip the rest of a multi-byte operator so `->`, `!=` are not seen as prefix operators.
    if ((c == '-' || c == '!' || c == '=' || c == '<' || c == '>') && next == '=') return i + 2;
    return i + 1;
  }

  /// Any token character other than a prefix operator ends a run of prefix operators.
  void code(size_t) { prefixRun_ = 0; }

  void open(size_t i) {
    if (++depth_ > kMaxBracketDepth && !reportedNesting_) {
      reportedNesting_ = true;
      report(DiagId::NestingTooDeep, sources_.locAt(file_, i, 1),
             {std::to_string(kMaxBracketDepth)});
    }
  }

  void invalidByte(size_t i) {
    if (invalidBytes_++ < kMaxInvalidByteReports)
      report(DiagId::InvalidByte, sources_.locAt(file_, i, 1),
             {hexByte(static_cast<unsigned char>(text_[i]))});
    failed_ = true;
  }

  void report(DiagId id, SourceLoc loc, std::vector<std::string> args) {
    diags_.report(id, loc, std::move(args));
    failed_ = true;
  }

  const SourceManager& sources_;
  uint32_t file_;
  DiagnosticEngine& diags_;
  const std::string& text_;
  bool failed_ = false;
  bool inLineComment_ = false, inBlockComment_ = false;
  size_t commentStart_ = 0;
  int depth_ = 0, pendingQuestions_ = 0;
  bool reportedNesting_ = false, reportedPrefix_ = false;
  int prefixRun_ = 0;
  size_t prefixStart_ = 0;
  int invalidBytes_ = 0;
};

}  // namespace

PreScanResult preScan(const SourceManager& sources, uint32_t file, DiagnosticEngine& diags) {
  return Scanner(sources, file, diags).run();
}

}  // namespace mv::frontend
