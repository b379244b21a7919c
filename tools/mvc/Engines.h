// tools/mvc/Engines.h — the inference engines mvc can run a compiled query on.
#pragma once

#include "ir/Graph.h"
#include "runtime/Driver.h"

#include <string>
#include <vector>

namespace mv::tools {

struct EngineRequest {
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 1;
};

/// The engines this build has, the default first.
const std::vector<std::string>& engineNames();
const std::string& defaultEngine();

/// Runs query `g` on engine `name` (one of engineNames()).
rt::RunResult runEngine(const std::string& name, const ir::QueryGraph& g, const EngineRequest& request);

}  // namespace mv::tools
