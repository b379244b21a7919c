// driver/Report.h — printing a query's estimates (table or JSON lines) and run-time failures.
#pragma once

#include "backend/Native.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"
#include "runtime/Driver.h"
#include "runtime/Report.h"

#include <iosfwd>
#include <string>

namespace mv::driver {

/// What a run was asked (engine, samples, seed, threads): the runtime's own record.
using rt::RunInfo;

/// Prints the result of one query in the spec's JSON-lines form (one object, one line).
void printJson(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r);
/// Prints the JSON line of query `g` that failed with the diagnostics in `diags`.
void printJsonError(std::ostream& os, const ir::QueryGraph& g, const std::string& engine, const DiagnosticEngine& diags);
/// Prints the result of one query as an aligned table.
void printTable(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r);

/// Reports a failed sample (domain error, index, NaN, ...) as a diagnostic at the node's source.
void reportSampleError(DiagnosticEngine& diags, const ir::QueryGraph& g, const mv_rt_error& e, uint64_t seed);
/// Reports a run-time error of the exact engine: the message of reportSampleError with the
/// enumerated sites' values (`assignment`, "a = true, b = 2") instead of a seed and sample.
void reportExactError(DiagnosticEngine& diags, const SourceManager& sources, const ir::QueryGraph& g,
                      const mv_rt_error& e, const std::string& assignment);
/// Reports that every weight was zero, with notes on the likely causes.
void reportAllZero(DiagnosticEngine& diags, const ir::QueryGraph& g, uint64_t samples);
/// Reports (at the query) and returns true when `g`'s compiled code would pass `maxCodeNodes`
/// (driver::codeNodes): checked before the JIT or `mvc build` generates any of it.
bool reportCodeTooLarge(DiagnosticEngine& diags, const ir::QueryGraph& g, uint64_t maxCodeNodes);

/// Every run-time error message `g` can raise, and its all-zero message, rendered as mvc prints
/// them with placeholders for the values known only at run time (for native samplers).
backend::NativeMessages renderNativeMessages(const SourceManager& sources, const ir::QueryGraph& g);

}  // namespace mv::driver
