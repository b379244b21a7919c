// backend/Jit.h — JIT-compiles a query graph into a native sample function (ORC LLJIT).
#pragma once

#include "backend/Codegen.h"
#include "runtime/Runtime.h"

#include <atomic>
#include <memory>
#include <string>

namespace mv::backend {

struct JitOptions {
  CodegenOptions codegen;
  int optLevel = 2;  ///< 2 or 3: the new pass manager's default pipeline
  /// The on-disk cache of compiled objects (backend/JitCache.h) to read and fill; empty: none.
  std::string cacheDir;
  /// Compiles the sample function now, with the block function, in one module (as for a
  /// large graph), for a caller that uses both (the fuzz targets, differential tests): one
  /// code generation, optimisation and machine-code run, not two. Otherwise a small graph's
  /// sample function is a module of its own, compiled on the first function() call (a run
  /// through the block function needs none).
  bool sampleNow = false;
  /// The entry points compile() makes when not sampleNow. Lazy: as above. BlockOnly: the
  /// block function alone, no sample function generated (function() returns null): a run
  /// through the block function (`mvc run` without per-sample output). SampleOnly: the sample
  /// function alone, no block function (blockFunction() returns null): a run that sees every
  /// sample (`--samples-out`, a SampleSink). A large graph's module holds both entries for
  /// Lazy and BlockOnly (its block function calls the sample function).
  enum class Entries { Lazy, BlockOnly, SampleOnly };
  Entries entries = Entries::Lazy;
  /// If set and it becomes true, compile() gives up (null, *error "cancelled") at its next
  /// phase boundary (after code generation, after optimisation): the tiered start's
  /// background compile once the run it was for has ended (driver/Engines.cpp).
  const std::atomic<bool>* cancel = nullptr;
};

/// One JIT-compiled query; owns the JIT session, so the function lives as long as this.
class JitQuery {
public:
  /// Generates, optimises and compiles `g`; null with *error set on failure.
  static std::unique_ptr<JitQuery> compile(const ir::QueryGraph& g, const JitOptions& options, std::string* error);
  ~JitQuery();
  JitQuery(const JitQuery&) = delete;
  JitQuery& operator=(const JitQuery&) = delete;

  /// The sample function (ctx unused: pass null). Safe to call concurrently. Compiled on the
  /// first call (runs through blockFunction() need none): not counted in compileSeconds().
  /// Null when compiled with Entries::BlockOnly.
  mv_rt_sample_fn function() const;
  /// The block function (ctx unused: pass null), for RunConfig::blockFn; null when compiled with
  /// Entries::SampleOnly. Safe to call concurrently.
  mv_rt_block_fn blockFunction() const { return block_; }
  /// Wall time of code generation + optimisation + machine code, in seconds.
  double compileSeconds() const { return seconds_; }
  /// The block function's object came from the on-disk cache (JitOptions::cacheDir).
  bool cacheHit() const { return cacheHit_; }
  /// The parts of compileSeconds(): set-up + IR generation, optimisation, the rest (machine
  /// code, the cache, the JIT session and linking).
  double generateSeconds() const { return generate_; }
  double optimizeSeconds() const { return optimize_; }
  double machineSeconds() const { return seconds_ - generate_ - optimize_; }
  /// The phases of compile(), in seconds of wall clock or of the calling thread's CPU time
  /// (bench/Latency.cpp): LLVM and JIT set-up (target machines, the JIT session and its
  /// symbols), IR generation, the cache (key, lookup, store), optimisation, machine code and linking.
  struct Phases {
    double init = 0, generate = 0, cache = 0, optimize = 0, machine = 0;
  };
  const Phases& wallPhases() const { return wall_; }
  const Phases& cpuPhases() const { return cpu_; }

private:
  struct Impl;
  JitQuery() = default;
  std::unique_ptr<Impl> impl_;
  mv_rt_block_fn block_ = nullptr;
  double seconds_ = 0, generate_ = 0, optimize_ = 0;
  Phases wall_, cpu_;
  bool cacheHit_ = false;
};

/// The optimised LLVM module of `g` as text (`mvc dump --llvm`); an error message on failure.
std::string optimizedModuleText(const ir::QueryGraph& g, const JitOptions& options);

}  // namespace mv::backend
