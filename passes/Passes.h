// passes/Passes.h — the entry point of every pass (one line each) and the pass registry.
#pragma once

#include "ir/Graph.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace mv::passes {

/// Evidence on `y = f + e`, `f - e`, `a * e + f`, `f != e` (and chains of them) becomes a
/// point proposal for the exogenous site e. See ObservationInversion.cpp.
void invertObservations(ir::QueryGraph& g);
/// Decides, per counterfactual world, which nodes are recomputed. See TwinWorld.cpp.
void buildTwinWorlds(ir::QueryGraph& g);
/// Orders every world's nodes by dependence. See Schedule.cpp.
void scheduleWorlds(ir::QueryGraph& g);

struct PassInfo {
  const char* name;
  void (*run)(ir::QueryGraph&);
  const char* summary;
};

/// Every pass, by name.
const std::vector<PassInfo>& registry();
const PassInfo* findPass(const std::string& name);

struct PipelineEntry {
  const char* pass;
  const char* reason;  ///< why it sits where it does
};

/// The default pipeline: a plain ordered list, each entry with the reason for its place.
const std::vector<PipelineEntry>& defaultPipeline();

struct PipelineOptions {
  std::vector<std::string> printAfter;  ///< pass names
  bool printAfterAll = false;
  bool verifyEach = false;
  std::ostream* out = nullptr;          ///< where --print-after output goes
};

/// Runs the default pipeline on `g`. Returns the verifier's complaints, if any (the
/// verifier always runs at the end; after every pass with verifyEach).
std::vector<std::string> runPipeline(ir::QueryGraph& g, const PipelineOptions& options);

}  // namespace mv::passes
