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
/// Evidence on every element of a dirichlet site (`observe p == v`) becomes point proposals
/// for its gammas at S * v, S ~ gamma(sum alpha, 1), weighed by log Dir(v; alpha). See
/// DirichletInversion.cpp.
void invertDirichlet(ir::QueryGraph& g);
/// Decides, per counterfactual world, which nodes are recomputed. See TwinWorld.cpp.
void buildTwinWorlds(ir::QueryGraph& g);
/// Orders every world's nodes by dependence. See Schedule.cpp.
void scheduleWorlds(ir::QueryGraph& g);
/// Drops a `do` or `intervene` that reaches no prediction, evidence or constraint, with a
/// warning. See DeadInterventions.cpp.
void removeDeadInterventions(ir::QueryGraph& g);
/// Drops evidence d-separated from every prediction, in the twin network, given the rest.
/// See EvidencePruning.cpp.
void pruneSeparatedEvidence(ir::QueryGraph& g);
/// Evidence on a noisy-OR of leak sites gets the exact conditional proposal over its leaks.
/// See NoisyOrInversion.cpp.
void invertNoisyOr(ir::QueryGraph& g);
/// A bool node computed from at most ir::kMaxTableInputs bool nodes through pure non-bool
/// nodes becomes a Table node over them (exact: computed with ir::evalPure). See BoolTables.cpp.
void tabulateBoolCones(ir::QueryGraph& g);
/// Each counterfactual world recomputes only what reaches its predictions. See
/// CounterfactualSlicing.cpp.
void sliceCounterfactualWorlds(ir::QueryGraph& g);
/// The factual world computes only what weights, predictions and counterfactual worlds
/// read. See FactualSlicing.cpp.
void sliceFactualWorld(ir::QueryGraph& g);

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
  bool optional;       ///< an optimisation: skipped by --no-optimize (and --disable-pass)
  bool disableable;    ///< may be skipped by --disable-pass (structural passes may not)
};

/// The default pipeline: a plain ordered list, each entry with the reason for its place.
const std::vector<PipelineEntry>& defaultPipeline();
/// The pipeline entry of pass `name`, or null.
const PipelineEntry* findPipelineEntry(const std::string& name);

struct PipelineOptions {
  std::vector<std::string> printAfter;  ///< pass names
  bool printAfterAll = false;
  bool verifyEach = false;
  bool noOptimize = false;              ///< skip every optional pass
  std::vector<std::string> disabled;    ///< disableable passes to skip, by name
  std::ostream* out = nullptr;          ///< where --print-after output goes
};

/// Runs the default pipeline on `g`. Returns the verifier's complaints, if any (the
/// verifier always runs at the end; after every pass with verifyEach).
std::vector<std::string> runPipeline(ir::QueryGraph& g, const PipelineOptions& options);

}  // namespace mv::passes
