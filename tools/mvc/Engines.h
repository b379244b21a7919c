// tools/mvc/Engines.h — the inference engines mvc can run a compiled query on.
#pragma once

#include "ir/Graph.h"
#include "runtime/Driver.h"
#include "runtime/Reliability.h"
#include "runtime/SampleWriter.h"

#include <string>
#include <vector>

namespace mv::tools {

struct EngineRequest {
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 1;
  bool summarize = false;                         ///< fill RunResult::summary (table output)
  rt::SampleWriter* samplesOut = nullptr;         ///< --samples-out
  std::atomic<uint64_t>* samplesDone = nullptr;   ///< progress counter
  rt::Targets targets;                            ///< --target-stderr, --target-ess
};

/// The engines this build has, the default first.
const std::vector<std::string>& engineNames();
const std::string& defaultEngine();

/// Runs query `g` on engine `name` (one of engineNames()).
rt::RunResult runEngine(const std::string& name, const ir::QueryGraph& g, const EngineRequest& request);

}  // namespace mv::tools
