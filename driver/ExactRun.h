// driver/ExactRun.h — `mvc run --engine exact`: exact enumeration, its output and its refusals.
#pragma once

#include "backend/Exact.h"
#include "driver/Session.h"
#include "ir/Graph.h"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace mv::driver {

/// What `mvc run` passes to the exact engine and echoes in its output.
struct ExactRequest {
  uint64_t maxAssignments = uint64_t(1) << 24;
  std::string format = "table";
  const uint64_t* data = nullptr;  ///< the bound data buffer (driver/DataBinding.h)
  std::string dataFile;            ///< the file it was bound from (named by the data checks)
};

/// Reports why exact result `r` of `g` has no answer (a refusal, a run-time error, every
/// weight zero) into `diags`; reports nothing when it has one.
void reportExactOutcome(DiagnosticEngine& diags, const SourceManager& sources, const ir::QueryGraph& g,
                        const backend::ExactResult& r, const ExactRequest& request);

/// Prints exact result `r` of `g` as `mvc run --format json` does (one line).
void printExactJson(std::ostream& os, const ir::QueryGraph& g, const backend::ExactResult& r);

/// Runs query `g` on the exact engine and prints its result (or its refusal as a diagnostic
/// on stderr). Returns kExitOk or kExitRuntime.
int runExactQuery(const Session& s, const ir::QueryGraph& g, const ExactRequest& request);

}  // namespace mv::driver
