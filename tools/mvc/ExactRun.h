// tools/mvc/ExactRun.h — `mvc run --engine exact`: exact enumeration, its output and its refusals.
#pragma once

#include "ir/Graph.h"
#include "tools/mvc/Session.h"

#include <cstdint>
#include <string>

namespace mv::tools {

/// What `mvc run` passes to the exact engine and echoes in its output.
struct ExactRequest {
  uint64_t maxAssignments = uint64_t(1) << 24;
  std::string format = "table";
};

/// Runs query `g` on the exact engine and prints its result (or its refusal as a diagnostic
/// on stderr). Returns kExitOk or kExitRuntime.
int runExactQuery(const Session& s, const ir::QueryGraph& g, const ExactRequest& request);

}  // namespace mv::tools
