// passes/Registry.cpp — the pass registry and the default pipeline, each entry with its reason.
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Passes.h"

#include <algorithm>
#include <ostream>

namespace mv::passes {

const std::vector<PassInfo>& registry() {
  static const std::vector<PassInfo> passes = {
      {"remove-dead-interventions", removeDeadInterventions, "drop interventions that reach nothing observed"},
      {"prune-evidence", pruneSeparatedEvidence, "leave evidence d-separated from every prediction out of the estimate weight"},
      {"invert-dirichlet", invertDirichlet, "a dirichlet site observed whole: its gammas at S * v, weighed by log Dir(v; alpha)"},
      {"invert-observations", invertObservations, "point proposals for evidence on invertible nodes"},
      {"invert-noisy-or", invertNoisyOr, "exact proposals for the leaks of an observed noisy-OR"},
      {"tabulate-bools", tabulateBoolCones, "small deterministic boolean cones become tables indexed by their input bits"},
      {"twin-world", buildTwinWorlds, "what each counterfactual world recomputes"},
      {"schedule", scheduleWorlds, "dependence order of every world"},
      {"slice-counterfactual", sliceCounterfactualWorlds, "recompute only what reaches a prediction"},
      {"slice-factual", sliceFactualWorld, "compute only what the weight and the predictions read"},
  };
  return passes;
}

const PassInfo* findPass(const std::string& name) {
  for (const PassInfo& p : registry())
    if (name == p.name) return &p;
  return nullptr;
}

const std::vector<PipelineEntry>& defaultPipeline() {
  static const std::vector<PipelineEntry> pipeline = {
      {"remove-dead-interventions", "first: acts on the query as written, so no later pass works for a dead do", true, true},
      {"prune-evidence", "before inversion (which marks the proposals it builds for separated evidence); after dead-do removal (fewer twin paths)", true, true},
      // Not optional: observing a dirichlet site is defined by it (rejection never holds).
      {"invert-dirichlet", "after prune-evidence (the factor it adds is never separated); before invert-observations (it owns the shares g[i] / sum) and schedule (new nodes and edges)", false, true},
      // Not optional: spec §7 defines inversion (continuous evidence on a node needs it).
      {"invert-observations", "adds nodes and data edges that twin-world and schedule must see", false, true},
      // Not optional: it changes every sample's proposal and weight, so it is part of the
      // sampler's definition (log evidence must not depend on the optimisation level).
      {"invert-noisy-or", "after invert-observations: leaves sites it already inverted alone; adds nodes schedule must see", false, true},
      {"tabulate-bools", "after the inversions (they match sums and != chains as written); changes data edges twin-world must see", true, true},
      {"twin-world", "needs the final data edges; only reads which nodes descend from a do", false, false},
      {"schedule", "orders every node and edge the passes before it created", false, false},
      {"slice-counterfactual", "after schedule: filters an ordered recompute list, which stays ordered", true, true},
      {"slice-factual", "last: needs what the sliced counterfactual worlds read and every proposal edge", true, true},
  };
  return pipeline;
}

const PipelineEntry* findPipelineEntry(const std::string& name) {
  for (const PipelineEntry& e : defaultPipeline())
    if (name == e.pass) return &e;
  return nullptr;
}

std::vector<std::string> runPipeline(ir::QueryGraph& g, const PipelineOptions& options) {
  for (const PipelineEntry& entry : defaultPipeline()) {
    bool named = std::find(options.disabled.begin(), options.disabled.end(), entry.pass) != options.disabled.end();
    bool skip = (entry.optional && options.noOptimize) || (entry.disableable && named);
    if (skip) continue;
    const PassInfo* pass = findPass(entry.pass);
    pass->run(g);
    bool print = options.printAfterAll ||
                 std::find(options.printAfter.begin(), options.printAfter.end(), entry.pass) != options.printAfter.end();
    if (print && options.out) {
      *options.out << "; after " << entry.pass << "\n";
      ir::print(*options.out, g);
    }
    if (options.verifyEach) {
      if (auto errors = ir::verify(g); !errors.empty()) {
        for (auto& e : errors) e = "after " + std::string(entry.pass) + ": " + e;
        return errors;
      }
    }
  }
  return ir::verify(g);
}

}  // namespace mv::passes
