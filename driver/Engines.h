// driver/Engines.h — the inference engines (an enum, named once) and running a query graph on a sampling one.
#pragma once

#include "ir/Graph.h"
#include "runtime/Driver.h"
#include "runtime/Reliability.h"
#include "runtime/SampleWriter.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mv::driver {

/// The engines of this build. Exact enumerates instead of sampling (driver/ExactRun.h); the
/// others turn a query graph into a sample function for the runtime's parallel driver.
#define MV_ENGINES(X) \
  X(Jit, "jit")       \
  X(Interp, "interp") \
  X(Exact, "exact")

enum class Engine : int {
#define MV_ENGINE_ENUM(id, name) id,
  MV_ENGINES(MV_ENGINE_ENUM)
#undef MV_ENGINE_ENUM
};

/// The engine's command-line name ("jit").
const char* engineName(Engine e);
/// The engine named `name`, if there is one.
std::optional<Engine> parseEngine(std::string_view name);
/// Every engine's name, the default first (for --engine's check).
const std::vector<std::string>& engineNames();
/// The default engine (the JIT).
constexpr Engine kDefaultEngine = Engine::Jit;
/// True when `e` samples (runs through runEngine), false for exact enumeration.
constexpr bool isSampling(Engine e) { return e != Engine::Exact; }

/// Receives every sample a sampling run computes, from the sampler's threads and in no set
/// order: its index, estimate log weight and predictions (not meaningful where the weight is
/// -inf). Samples that fail (a domain error, a NaN weight) are not passed on.
struct SampleSink {
  void (*fn)(void* ctx, uint64_t index, double logWeight, const double* preds) = nullptr;
  void* ctx = nullptr;
};

/// The JIT's (and `mvc build`'s) limit on a query's compiled code, in node evaluations: the
/// sum of its worlds' schedules plus its evidence and predictions (codeNodes). Compiling
/// costs up to about 0.15 ms of CPU per node (docs/cli.md; 0.5 ms before issue 12's
/// large-graph layout), so the default bounds one query's compilation to several seconds;
/// --max-code-nodes raises it, --engine interp needs none
/// (and `mvc run` without --engine picks the interpreter for such sizes: chooseTier).
inline constexpr uint64_t kMaxCodeNodes = 50'000;
/// What the code generator is asked to emit for `g`, counted from its schedules, before
/// generating anything (linear in the graph, never in the code).
uint64_t codeNodes(const ir::QueryGraph& g);

/// The tiered start of `mvc run` without --engine (docs/cli.md, "Engines"): the JIT, unless
/// the interpreter is estimated to finish the whole run sooner by more than
/// kTierMarginSeconds. Both engines give bit-identical answers, so the choice changes only
/// the time. The estimate counts the graph's sites and other nodes (linear, nothing is
/// compiled): the JIT's compile time (light pipeline for chunked graphs, backend::isChunked,
/// else O2) plus samples x per-sample cost / threads for each engine, with per-node costs
/// measured on the benchmark models (docs/performance.md, "Tiered start").
struct TierChoice {
  Engine engine = Engine::Jit;
  double jitSeconds = 0;     ///< estimated compile + sampling
  double interpSeconds = 0;  ///< estimated sampling
};
inline constexpr double kTierMarginSeconds = 0.1;
TierChoice chooseTier(const ir::QueryGraph& g, uint64_t samples, int threads);

struct EngineRequest {
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 1;
  bool summarize = false;                         ///< fill RunResult::summary (table output)
  rt::SampleWriter* samplesOut = nullptr;         ///< --samples-out
  std::atomic<uint64_t>* samplesDone = nullptr;   ///< progress counter
  rt::Targets targets;                            ///< --target-stderr, --target-ess
  const std::atomic<bool>* cancel = nullptr;      ///< stops the run at a block boundary (rt::RunConfig::cancel)
  const SampleSink* sink = nullptr;               ///< receives every sample (the Python module's samples())
  const uint64_t* data = nullptr;                 ///< the bound data buffer (g.dataSize words; driver/DataBinding.h)
  uint64_t maxCodeNodes = kMaxCodeNodes;          ///< the JIT refuses a larger query (codeNodes)
  std::string cacheDir;                           ///< the JIT's on-disk cache (backend/JitCache.h); empty: none
};

/// Runs query `g` on sampling engine `engine`. When the engine cannot be set up (the JIT
/// fails to compile `g`) returns nullopt with the reason in *error; never exits.
std::optional<rt::RunResult> runEngine(Engine engine, const ir::QueryGraph& g, const EngineRequest& request,
                                       std::string* error);

}  // namespace mv::driver
