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
/// (and `mvc run` without --engine runs larger queries on the interpreter alone: runTiered).
inline constexpr uint64_t kMaxCodeNodes = 50'000;
/// What the code generator is asked to emit for `g`, counted from its schedules, before
/// generating anything (linear in the graph, never in the code).
uint64_t codeNodes(const ir::QueryGraph& g);

/// The tiered start of `mvc run` without --engine (docs/cli.md, "The tiered start"): the run
/// starts on the interpreter at once while one background thread compiles the query; blocks
/// begun after the JIT is ready run on it (both engines give each block the same bits, so
/// the answer does not depend on when). chooseTier decides only whether the compile is
/// started: not where it can never pay. The estimate counts the graph's sites and other nodes
/// (linear, nothing is compiled): the compile's CPU seconds (light pipeline for chunked
/// graphs, backend::isChunked, else the small-module one) and samples x per-sample cost /
/// threads for each engine, with per-node costs measured on the benchmark models
/// (docs/performance.md, "Tiered start").
struct TierChoice {
  bool compile = true;        ///< start the background compile
  double compileSeconds = 0;  ///< estimated compile
  double jitSeconds = 0;      ///< estimated compile + sampling, on the JIT alone
  double interpSeconds = 0;   ///< estimated sampling, on the interpreter alone
};
/// compile is true when the JIT, ready after compileSeconds, is estimated to save more time
/// than its compile takes from the sampling threads: (interp - compile) x (1 - jit/interp
/// cost per sample) > compile / threads when the threads fill the machine's cores (the
/// compile thread shares them), > 0 otherwise.
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
  /// runTiered's test hook (mvc: MV_TIER_TEST=switch:K): the JIT compiles before sampling
  /// starts and runs the blocks from this index on, the interpreter those before: a switch
  /// mid-run at a known block, whatever the timing.
  std::optional<uint64_t> tierSwitchBlock;
  /// runTiered's other test hook (mvc: MV_TIER_TEST=late): the background compile begins only
  /// once sampling has ended, so the run ends before the JIT is ready, whatever the timing.
  bool tierCompileLate = false;
};

/// The runtime's configuration of a run of `request` on `g` (the same for every engine).
rt::RunConfig runConfig(const ir::QueryGraph& g, const EngineRequest& request);

/// Runs query `g` on sampling engine `engine`. When the engine cannot be set up (the JIT
/// fails to compile `g`) returns nullopt with the reason in *error; never exits.
std::optional<rt::RunResult> runEngine(Engine engine, const ir::QueryGraph& g, const EngineRequest& request,
                                       std::string* error);

/// What the tiered start did, for --verbose and the output's engine name.
struct TierReport {
  bool compileStarted = false;  ///< the background compile ran (TierChoice::compile)
  bool ready = false;           ///< the JIT was ready before the last block began
  bool cacheHit = false;        ///< its object came from the on-disk cache
  double readySeconds = 0;      ///< when it was ready, from the start of the run
  double compileCpuSeconds = 0; ///< the compile thread's CPU time (of readySeconds of wall)
  std::string compileError;     ///< why the JIT could not compile (the run stayed on the interpreter)
  uint64_t blocks = 0;          ///< blocks run
  uint64_t jitBlocks = 0;       ///< of which on the JIT
};

/// The engine name a run without --engine reports (the JSON's "engine", the table's): one
/// name whichever engines ran its blocks, so its output does not depend on the timing.
inline constexpr const char* kTieredName = "tiered";

/// Runs query `g` with the tiered start (TierChoice): on the interpreter, switching to the
/// JIT at the first block begun after its background compile ends, if it ends before the
/// run does; with `compile` false on the interpreter alone. Whatever the timing the result
/// is bit-identical to runEngine's with either engine. A compile still going when the run
/// ends is cancelled (it stops at its next phase) and left to finish on its own thread: the
/// caller does not wait for it (see endBackgroundCompiles). No SampleSink (the Python module
/// and the C API keep their engine): nullopt with *error when request.sink is set.
std::optional<rt::RunResult> runTiered(const ir::QueryGraph& g, const EngineRequest& request, bool compile,
                                       TierReport* report, std::string* error);

/// Joins the background compiles that have ended; true when none is left running. A process
/// must not run static destructors (exit, return from main) while one runs: LLVM's would
/// race it. mvc calls this last and, on false, flushes its output and leaves with _Exit.
bool endBackgroundCompiles();

}  // namespace mv::driver
