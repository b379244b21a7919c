// driver/Session.h — composes the pipeline: source -> AST -> checked graphs -> passes.
#pragma once

#include "frontend/Compile.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"
#include "passes/Passes.h"

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mv::driver {

/// Exit statuses of spec §8.
enum ExitStatus : int { kExitOk = 0, kExitProgramError = 1, kExitUsage = 2, kExitRuntime = 3 };

/// One compilation of one file: its sources, diagnostics and query graphs.
struct Session {
  SourceManager sources;
  std::unique_ptr<DiagnosticEngine> diags = std::make_unique<DiagnosticEngine>(sources);
  std::vector<ir::QueryGraph> queries;
  frontend::Limits limits;  ///< --max-model-nodes
  /// Set when the pass pipeline produced invalid IR (a compiler bug, not a program error).
  std::string internalError;
  /// compileEach: the file's query names, in source order.
  std::vector<std::string> queryNames;
  /// compileEach: the program's `data` declarations and the data buffer's size (ir::DataDecl).
  std::vector<ir::DataDecl> data;
  uint32_t dataSize = 0;
};

/// The largest source file read (docs/language.md#limits): a device such as /dev/zero, or a
/// mistaken path to a huge file, is refused instead of filling memory.
inline constexpr size_t kMaxInputBytes = size_t(256) << 20;

/// Reads `path`; on failure returns nullopt and, if `why` is given, sets it to the reason
/// (it is a directory, larger than kMaxInputBytes, or the system's error text).
std::optional<std::string> readFile(const std::string& path, std::string* why = nullptr);

/// Parses and checks `text` (named `name`), then runs the pass pipeline on each query (only
/// on query `only` when it is not empty: --print-after then prints only that query's passes).
/// Diagnostics are left in session.diags (invalid IR in session.internalError); returns false
/// on any error.
bool compile(Session& session, const std::string& name, std::string text,
             const passes::PipelineOptions& pipeline, const std::string& only = "");

/// compile(), one query at a time, so that peak memory is one query's graph, not the file's
/// (each query its own graph): parses and checks `text`, lowering every query once for
/// its diagnostics and dropping it (session.queryNames gets the names). With no error,
/// `checked` is called (false: stop, nothing is handed over); then each query in source
/// order (only query `only` when it is not empty) is lowered again, run through the pipeline
/// and handed to `each`, then freed; `each` returns false to stop. session.queries stays
/// empty. Returns false on a compile error (in session.diags; nothing is handed over) or
/// invalid IR (session.internalError).
bool compileEach(Session& session, const std::string& name, std::string text,
                 const passes::PipelineOptions& pipeline, const std::string& only,
                 const std::function<bool()>& checked, const std::function<bool(ir::QueryGraph&)>& each);

/// Prints the warnings the passes recorded in `g` (e.g. dead interventions); with `cap`,
/// against a whole command's cap (WarningCap) instead of `g`'s alone.
void printPassNotes(const Session& s, const ir::QueryGraph& g, std::ostream& os, WarningCap* cap = nullptr);

/// Prints the warnings the passes recorded in session.queries (e.g. dead interventions).
void printPassNotes(const Session& s, std::ostream& os);

/// Runs `fn` on a thread with a large stack (deeply nested input stays safe); returns its value.
int withLargeStack(int (*fn)(void*), void* arg);

}  // namespace mv::driver
