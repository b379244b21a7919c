// ir/Diagnostics.cpp — registry lookup, formatting and caret printing of diagnostics.
#include "ir/Diagnostics.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <tuple>

namespace mv {
namespace {

struct Entry {
  const char* name;
  Severity severity;
  const char* format;
};

const Entry kRegistry[] = {
#define MV_DIAG(Id, Sev, Fmt) {#Id, Severity::Sev, Fmt},
#include "ir/Diagnostics.def"
#undef MV_DIAG
};

const char* severityText(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

}  // namespace

const char* diagName(DiagId id) { return kRegistry[size_t(id)].name; }
Severity diagSeverity(DiagId id) { return kRegistry[size_t(id)].severity; }

std::string formatDiag(DiagId id, const std::vector<std::string>& args) {
  std::string out;
  const char* f = kRegistry[size_t(id)].format;
  for (size_t i = 0; f[i]; ++i) {
    if (f[i] == '{' && f[i + 1] >= '0' && f[i + 1] <= '9' && f[i + 2] == '}') {
      size_t k = size_t(f[i + 1] - '0');
      if (k < args.size()) out += args[k];
      i += 2;
    } else {
      out += f[i];
    }
  }
  return out;
}

Diagnostic& Diagnostic::note(DiagId noteId, SourceLoc where, std::vector<std::string> args) {
  notes.push_back(Diagnostic{noteId, Severity::Note, where, formatDiag(noteId, args), {}});
  return *this;
}

Diagnostic& DiagnosticEngine::report(DiagId id, SourceLoc loc, std::vector<std::string> args) {
  Severity sev = diagSeverity(id);
  if (sev == Severity::Error) ++errors_;
  diags_.push_back(Diagnostic{id, sev, loc, formatDiag(id, args), {}});
  return diags_.back();
}

void DiagnosticEngine::printOne(std::ostream& os, const Diagnostic& d) const {
  if (d.loc.valid()) {
    os << sources_.name(d.loc.file) << ':' << d.loc.line << ':' << d.loc.col << ": ";
  }
  os << severityText(d.severity) << ": " << d.message << '\n';
  if (d.loc.valid()) {
    std::string_view line = sources_.lineText(d.loc.file, d.loc.line);
    std::string lineNo = std::to_string(d.loc.line);
    std::string pad(std::max<size_t>(lineNo.size(), 4), ' ');
    std::string shown;
    for (char c : line) shown += (c == '\t') ? ' ' : c;
    size_t col = d.loc.col - 1;
    // A very long line is shown as a window around the column, so messages stay readable.
    constexpr size_t kWindow = 160;
    if (shown.size() > kWindow) {
      size_t begin = col > kWindow / 2 ? std::min(col - kWindow / 2, shown.size() - kWindow) : 0;
      std::string window = shown.substr(begin, kWindow);
      col -= begin;
      if (begin > 0) {
        window = "..." + window;
        col += 3;
      }
      if (begin + kWindow < shown.size()) window += "...";
      shown = window;
    }
    os << std::string(pad.size() - lineNo.size(), ' ') << lineNo << " | " << shown << '\n';
    os << pad << " | ";
    os << std::string(std::min(col, shown.size()), ' ') << '^';
    size_t len = d.loc.length;
    if (col + len > shown.size()) len = shown.size() > col ? shown.size() - col : 1;
    if (len > 1) os << std::string(len - 1, '~');
    os << '\n';
  }
  for (const Diagnostic& n : d.notes) printOne(os, n);
}

void WarningCap::printSummary(std::ostream& os) const {
  for (const auto& [id, n] : hidden) {
    if (n == 0) continue;
    os << "warning: " << formatDiag(DiagId::MoreWarnings, {std::to_string(n)});
    if (auto at = lastShownAt.find(id); at != lastShownAt.end()) os << " (like the warning at " << at->second << ")";
    os << "\n";
  }
}

void DiagnosticEngine::print(std::ostream& os, WarningCap* cap) const {
  std::vector<const Diagnostic*> order;
  for (const Diagnostic& d : diags_) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return a->loc < b->loc;
  });
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> seen;
  std::vector<const Diagnostic*> unique;
  std::map<DiagId, size_t> warnings;  // of each kind, to print
  for (const Diagnostic* d : order) {
    if (!seen.insert({d->loc.file, d->loc.line, d->loc.col, d->message}).second) continue;
    unique.push_back(d);
    if (d->severity == Severity::Warning) ++warnings[d->id];
  }
  size_t errors = 0;
  std::map<DiagId, size_t> shown;
  for (const Diagnostic* d : unique) {
    if (d->severity == Severity::Error && ++errors > maxErrors_) {
      os << "error: " << formatDiag(DiagId::TooManyErrors, {}) << " (" << errors_
         << " errors in all)\n";
      return;
    }
    if (d->severity == Severity::Warning && cap) {  // the command's cap: 2000 queries, one warning each
      size_t& k = cap->shown[d->id];
      if (k >= kMaxWarningsPerKind) {
        ++cap->hidden[d->id];
        continue;
      }
      ++k;
      if (d->loc.valid())
        cap->lastShownAt[d->id] =
            std::string(sources_.name(d->loc.file)) + ':' + std::to_string(d->loc.line) + ':' + std::to_string(d->loc.col);
      printOne(os, *d);
      continue;
    }
    if (d->severity == Severity::Warning) {
      // A program with 2000 dead interventions: the first few, then how many more.
      const size_t k = ++shown[d->id];
      if (k > kMaxWarningsPerKind) continue;
      printOne(os, *d);
      if (k == kMaxWarningsPerKind && warnings[d->id] > k)
        os << "warning: " << formatDiag(DiagId::MoreWarnings, {std::to_string(warnings[d->id] - k)}) << "\n";
      continue;
    }
    printOne(os, *d);
  }
}

}  // namespace mv
