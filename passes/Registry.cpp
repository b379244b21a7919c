// passes/Registry.cpp — the pass registry and the default pipeline, each entry with its reason.
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Passes.h"

#include <algorithm>
#include <ostream>

namespace mv::passes {

const std::vector<PassInfo>& registry() {
  static const std::vector<PassInfo> passes = {
      {"invert-observations", invertObservations, "point proposals for evidence on invertible nodes"},
      {"twin-world", buildTwinWorlds, "what each counterfactual world recomputes"},
      {"schedule", scheduleWorlds, "dependence order of every world"},
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
      {"invert-observations", "first: it adds nodes and data edges that later passes must see"},
      {"twin-world", "needs the final data edges; only reads which nodes descend from a do"},
      {"schedule", "last: orders every node and edge the passes before it created"},
  };
  return pipeline;
}

std::vector<std::string> runPipeline(ir::QueryGraph& g, const PipelineOptions& options) {
  for (const PipelineEntry& entry : defaultPipeline()) {
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
