// driver/Engines.cpp — engine names and selection: each sampling engine turns a query graph
// into a sample function for the runtime's parallel driver.
#include "driver/Engines.h"

#include "backend/Codegen.h"
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "backend/WeightBound.h"

#include <algorithm>

namespace mv::driver {

const char* engineName(Engine e) {
  switch (e) {
#define MV_ENGINE_NAME(id, name) \
  case Engine::id: return name;
    MV_ENGINES(MV_ENGINE_NAME)
#undef MV_ENGINE_NAME
  }
  return "?";
}

std::optional<Engine> parseEngine(std::string_view name) {
#define MV_ENGINE_PARSE(id, text) \
  if (name == text) return Engine::id;
  MV_ENGINES(MV_ENGINE_PARSE)
#undef MV_ENGINE_PARSE
  return std::nullopt;
}

const std::vector<std::string>& engineNames() {
  static const std::vector<std::string> names = {
#define MV_ENGINE_STRING(id, name) name,
      MV_ENGINES(MV_ENGINE_STRING)
#undef MV_ENGINE_STRING
  };
  return names;
}

uint64_t codeNodes(const ir::QueryGraph& g) {
  uint64_t n = g.evidence.size() + g.predictions.size();
  for (const ir::World& w : g.worlds) n += w.schedule.size();
  return n;
}

TierChoice chooseTier(const ir::QueryGraph& g, uint64_t samples, int threads) {
  // Counted over what a sample evaluates (every world's schedule), split by what dominates
  // each engine's cost: continuous sites (libm calls), other sites, other nodes.
  double realSites = 0, otherSites = 0, others = 0;
  for (const ir::World& w : g.worlds)
    for (ir::NodeId id : w.schedule) {
      const ir::Node& n = g.nodes[id];
      if (n.kind != ir::NodeKind::Site) others += 1;
      else if (n.type == ir::Scalar::Real) realSites += 1;
      else otherSites += 1;
    }
  others += double(g.evidence.size() + g.predictions.size());
  const bool large = backend::isChunked(g, backend::CodegenOptions{});
  // Seconds of CPU, measured with bench/compile_scaling.py and mv_bench (docs/performance.md).
  const double compile = large ? 0.05 + 150e-6 * (realSites + otherSites) + 20e-6 * others
                               : 0.05 + 5e-3 * realSites + 1e-4 * otherSites + 1e-5 * others;
  // Large graphs call the runtime per site (backend/Codegen.cpp): dearer bernoulli sites.
  const double jitSample = large ? 1e-9 * (50 * realSites + 5 * otherSites + 0.5 * others)
                                 : 1e-9 * (30 * realSites + 1 * otherSites + 0.3 * others);
  const double interpSample = 1e-9 * (135 * realSites + 45 * otherSites + 15 * others);
  const double perThread = double(samples) / double(std::max(threads, 1));
  TierChoice c;
  c.compileSeconds = compile;
  c.jitSeconds = compile + perThread * jitSample;
  c.interpSeconds = perThread * interpSample;
  // From `compile` on, the JIT samples what is left at jitSample instead of interpSample; the
  // compile thread takes its CPU from the sampling threads when they fill the cores.
  const double saved = (c.interpSeconds - compile) * (1 - jitSample / interpSample);
  // (runTiered then keeps one sampling thread waiting for the compile.)
  const double cost = threads > 1 && threads >= rt::defaultThreads() ? compile / double(threads) : 0;
  c.compile = jitSample < interpSample && saved > cost;
  return c;
}

namespace {

/// An engine's sample function with a SampleSink behind it.
struct Tapped {
  mv_rt_sample_fn inner;
  void* ctx;
  const SampleSink* sink;
};

int32_t tappedSample(void* p, uint64_t seed, uint64_t i, double* logWeight, double* fullLogWeight, double* preds,
                     mv_rt_error* err) {
  const Tapped& t = *static_cast<const Tapped*>(p);
  int32_t bad = t.inner(t.ctx, seed, i, logWeight, fullLogWeight, preds, err);
  if (bad == 0) t.sink->fn(t.sink->ctx, i, *logWeight, preds);
  return bad;
}

/// Runs `fn` on the runtime's driver, through the sink when one is set.
rt::RunResult runSampler(const rt::RunConfig& config, mv_rt_sample_fn fn, void* ctx, const SampleSink* sink) {
  if (!sink || !sink->fn) return rt::run(config, fn, ctx);
  Tapped tapped{fn, ctx, sink};
  return rt::run(config, tappedSample, &tapped);
}

rt::RunResult runInterpreter(const ir::QueryGraph& g, const rt::RunConfig& config, const SampleSink* sink,
                             const uint64_t* data) {
  backend::Interpreter interp(g, data);
  return runSampler(config, backend::Interpreter::sampleFn, &interp, sink);
}

std::optional<rt::RunResult> runJit(const ir::QueryGraph& g, const rt::RunConfig& config, const SampleSink* sink,
                                    const uint64_t* data, uint64_t maxCodeNodes, const std::string& cacheDir,
                                    std::string* error) {
  if (uint64_t n = codeNodes(g); n > maxCodeNodes) {
    if (error)
      *error = "query '" + g.name + "' compiles to " + std::to_string(n) + " nodes of code, more than the limit of " +
               std::to_string(maxCodeNodes);
    return std::nullopt;
  }
  std::string why;
  backend::JitOptions options;
  options.cacheDir = cacheDir;
  // Only the entry the run calls is generated and compiled: the block function, or with
  // every sample seen (a sink, --samples-out) the sample function.
  const bool perSample = (sink && sink->fn) || config.samplesOut;
  options.entries = perSample ? backend::JitOptions::Entries::SampleOnly : backend::JitOptions::Entries::BlockOnly;
  std::unique_ptr<backend::JitQuery> q = backend::JitQuery::compile(g, options, &why);
  if (!q) {
    if (error) *error = "cannot JIT-compile query '" + g.name + "': " + why;
    return std::nullopt;
  }
  // The sample function's ctx is the data buffer (backend/CodegenContext.h, Gen::dataArg).
  rt::RunConfig blocks = config;
  if (!perSample) blocks.blockFn = q->blockFunction();
  rt::RunResult r = runSampler(blocks, perSample ? q->function() : nullptr, const_cast<uint64_t*>(data), sink);
  r.compileSeconds = q->compileSeconds();
  return r;
}

}  // namespace

rt::RunConfig runConfig(const ir::QueryGraph& g, const EngineRequest& request) {
  rt::RunConfig config;
  config.samples = request.samples;
  config.seed = request.seed;
  config.threads = request.threads;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  backend::setWeightScales(config, g);  // as the block function's (CodegenBlock.cpp)
  config.summarize = request.summarize;
  config.samplesOut = request.samplesOut;
  config.samplesDone = request.samplesDone;
  config.targetStderr = request.targets.stderr;
  config.targetEss = request.targets.ess;
  config.cancel = request.cancel;
  return config;
}

std::optional<rt::RunResult> runEngine(Engine engine, const ir::QueryGraph& g, const EngineRequest& request,
                                       std::string* error) {
  const rt::RunConfig config = runConfig(g, request);
  switch (engine) {
    case Engine::Jit:
      return runJit(g, config, request.sink, request.data, request.maxCodeNodes, request.cacheDir, error);
    case Engine::Interp: return runInterpreter(g, config, request.sink, request.data);
    case Engine::Exact: break;
  }
  if (error) *error = "engine 'exact' does not sample";
  return std::nullopt;
}

}  // namespace mv::driver
