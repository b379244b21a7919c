// driver/TieredStart.cpp — the tiered start: the interpreter samples while one background thread compiles the query, the JIT takes the blocks begun after it is ready.
#include "driver/Engines.h"

#include "backend/Interpreter.h"
#include "backend/Jit.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace mv::driver {

namespace {

using Clock = std::chrono::steady_clock;

/// One background compile. The thread owns nothing the run needs after the run: it compiles
/// a copy of the graph (the caller's may be gone before the compile ends) and publishes the
/// engine through `ready`; the JIT session stays in here until the compile is joined.
struct Compile {
  ir::QueryGraph graph;
  backend::JitOptions options;
  void* ctx = nullptr;  ///< the data buffer: the generated functions' ctx
  bool perSample = false;
  std::atomic<bool> cancel{false};
  std::atomic<bool> finished{false};  ///< the thread's last store: after it, no LLVM code runs on it
  std::atomic<bool> pending{true};    ///< false once the compile has ended, ready or not (RunConfig::laterPending)
  std::unique_ptr<backend::JitQuery> query;
  std::string error;
  rt::BlockEngine engine;
  std::atomic<const rt::BlockEngine*> ready{nullptr};
  Clock::time_point readyAt;
  std::thread thread;

  void run() {
    query = backend::JitQuery::compile(graph, options, &error);
    if (query) {
      engine.fn = query->function();
      engine.ctx = ctx;
      engine.blockFn = perSample ? nullptr : query->blockFunction();
      if (perSample ? engine.fn != nullptr : engine.blockFn != nullptr) {
        readyAt = Clock::now();
        ready.store(&engine, std::memory_order_release);
      } else {
        error = "no compiled entry";
      }
    }
    pending.store(false, std::memory_order_relaxed);
    finished.store(true, std::memory_order_release);
  }
};

/// Compiles still running when their runs ended (cancelled, left to stop on their own).
std::mutex leftMutex;
std::vector<std::shared_ptr<Compile>>& left() {
  static auto* v = new std::vector<std::shared_ptr<Compile>>();  // never destroyed: see endBackgroundCompiles
  return *v;
}

/// Ends `c` if its thread is done (joins it, frees its JIT session here); true if it was.
bool reap(Compile& c) {
  if (!c.finished.load(std::memory_order_acquire)) return false;
  if (c.thread.joinable()) c.thread.join();
  return true;
}

}  // namespace

bool endBackgroundCompiles() {
  std::lock_guard<std::mutex> lock(leftMutex);
  std::vector<std::shared_ptr<Compile>>& v = left();
  std::vector<std::shared_ptr<Compile>> running;
  for (std::shared_ptr<Compile>& c : v)
    if (!reap(*c)) running.push_back(std::move(c));
  v = std::move(running);
  return v.empty();
}

std::optional<rt::RunResult> runTiered(const ir::QueryGraph& g, const EngineRequest& request, bool compile,
                                       TierReport* report, std::string* error) {
  if (request.sink && request.sink->fn) {
    if (error) *error = "the tiered start takes no sample sink";
    return std::nullopt;
  }
  endBackgroundCompiles();  // frees the JIT sessions of earlier queries' compiles that ended since
  TierReport local;
  TierReport& rep = report ? *report : local;
  rep = TierReport{};
  rt::RunConfig config = runConfig(g, request);
  std::shared_ptr<Compile> c;
  if (compile && codeNodes(g) <= request.maxCodeNodes) {
    c = std::make_shared<Compile>();
    c->graph = g;
    c->options.cacheDir = request.cacheDir;
    c->perSample = request.samplesOut != nullptr;
    c->options.entries =
        c->perSample ? backend::JitOptions::Entries::SampleOnly : backend::JitOptions::Entries::BlockOnly;
    c->options.cancel = &c->cancel;
    c->ctx = const_cast<uint64_t*>(request.data);
    config.later = &c->ready;
    // When the sampling threads fill the cores, one of them waits for the compile: the
    // compile gets a core of its own, so the JIT is ready sooner.
    if (config.threads > 1 && config.threads >= rt::defaultThreads()) config.laterPending = &c->pending;
    rep.compileStarted = true;
  }
  backend::Interpreter interp(g, request.data);
  const Clock::time_point start = Clock::now();
  if (c && request.tierSwitchBlock) {
    c->run();  // the test hook: ready before the first block, taken from block *tierSwitchBlock on
    config.laterFromBlock = *request.tierSwitchBlock;
  } else if (c && !request.tierCompileLate) {
    c->thread = std::thread([c] { c->run(); });
  }
  rt::RunResult r = rt::run(config, backend::Interpreter::sampleFn, &interp);
  if (c && request.tierCompileLate && !request.tierSwitchBlock) c->thread = std::thread([c] { c->run(); });
  if (c) {
    c->cancel.store(true, std::memory_order_relaxed);
    if (c->ready.load(std::memory_order_acquire)) {
      rep.ready = true;
      rep.cacheHit = c->query->cacheHit();
      rep.readySeconds = std::chrono::duration<double>(c->readyAt - start).count();
      r.compileSeconds = c->query->compileSeconds();
      const backend::JitQuery::Phases& p = c->query->cpuPhases();
      rep.compileCpuSeconds = p.init + p.generate + p.cache + p.optimize + p.machine;
    }
    if (!reap(*c)) {
      std::lock_guard<std::mutex> lock(leftMutex);
      left().push_back(std::move(c));
    } else if (!rep.ready) {
      rep.compileError = c->error;
    }
  }
  rep.blocks = r.blocksRun;
  rep.jitBlocks = r.laterBlocks;
  return r;
}

}  // namespace mv::driver
