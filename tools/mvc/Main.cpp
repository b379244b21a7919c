// tools/mvc/Main.cpp — the mvc command line: check, run, dump and build .mv programs (on the driver library).
#include "backend/Jit.h"
#include "backend/JitCache.h"
#include "backend/Native.h"
#include "backend/NativeRuntime.h"
#include "ir/Plan.h"
#include "ir/Printer.h"
#include "runtime/CountArgs.h"
#include "runtime/Driver.h"
#include "runtime/Gc.h"
#include "runtime/Mpi.h"
#include "driver/DataBinding.h"
#include "driver/Engines.h"
#include "driver/ExactRun.h"
#include "driver/Report.h"
#include "driver/Session.h"
#include "driver/Version.h"
#include "tools/mvc/Outputs.h"
#include "tools/mvc/Progress.h"
#include "tools/mvc/Spread.h"
#include "tools/repl/Repl.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

namespace mv::tools {
using namespace mv::driver;
namespace {

struct Options {
  std::string command;
  std::string file;
  std::string query;
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 0;
  std::string engineText = engineName(kDefaultEngine);  ///< --engine, checked against engineNames()
  Engine engine = kDefaultEngine;
  bool tiered = false;                   ///< run without --engine: chooseTier picks jit or interp
  std::string format = "table";
  bool dumpIr = false;
  bool dumpLlvm = false;
  std::string output;
  std::string samplesOut;                ///< run --samples-out
  std::string dataFile;                  ///< run, check --data: binds the `data` declarations
  std::vector<uint64_t> data;            ///< the bound data buffer
  std::vector<std::string> replFiles;    ///< repl FILE...
  bool verbose = false;                  ///< build --verbose; run --verbose: the engine tier chosen
  uint64_t maxAssignments = uint64_t(1) << 24;  ///< --engine exact
  rt::Targets targets;                   ///< --target-stderr, --target-ess
  passes::PipelineOptions pipeline;
  size_t maxModelNodes = frontend::kMaxModelNodes;  ///< --max-model-nodes
  uint64_t maxCodeNodes = kMaxCodeNodes;            ///< --max-code-nodes (jit, build)
  bool noCache = false;                             ///< run, repl --no-cache: no on-disk cache of compiled queries
};

/// Ends the process with `status`: with exit, or when a tiered start's background compile is
/// still running (it would race LLVM's static destructors) with _Exit once output is flushed.
[[noreturn]] void leave(int status) {
  if (endBackgroundCompiles()) std::exit(status);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
}

/// Refuses (exit 3, at the query) a query whose compiled code would pass --max-code-nodes,
/// before generating any of it; kExitOk when it fits.
int checkCodeSize(Session& s, const ir::QueryGraph& g, const Options& opts, std::ostream& err) {
  DiagnosticEngine diags(s.sources);
  if (!reportCodeTooLarge(diags, g, opts.maxCodeNodes)) return kExitOk;
  diags.print(err);
  return kExitRuntime;
}

int reportCompile(Session& s, bool ok, WarningCap* cap) {
  s.diags->print(std::cerr, cap);
  return ok ? kExitOk : kExitProgramError;
}

/// Loads opts.file and hands its queries (only --query's when given) to `each` one at a time,
/// each after its pass warnings: driver::compileEach keeps one query's graph in memory, not
/// the file's. `checked` (if given) runs once the whole file has checked, before any query is
/// handed over, and returns an exit status (kExitOk to go on); so does `each` (the next query
/// follows unless it is a usage error; the worst status is returned). Warnings are capped per
/// kind over the whole file, every query's together (WarningCap), summarised at the end.
int forEachQuery(Session& s, const Options& opts, const std::function<int()>& checked,
                 const std::function<int(const ir::QueryGraph&)>& each) {
  std::string why;
  auto text = readFile(opts.file, &why);
  if (!text) {
    std::cerr << "error: cannot read '" << opts.file << "': " << why << "\n";
    return kExitUsage;
  }
  s.limits = frontend::Limits{int64_t(opts.maxModelNodes), opts.maxModelNodes};
  int status = kExitOk;
  WarningCap cap;  // 2000 queries with a warning each print 20 of them, then how many more
  auto ready = [&] {
    const std::vector<std::string>& names = s.queryNames;
    if (!opts.query.empty() && std::find(names.begin(), names.end(), opts.query) == names.end()) {
      std::cerr << "error: no query named '" << opts.query << "' in '" << opts.file << "'";
      if (!names.empty()) {
        std::cerr << " (queries:";
        for (const std::string& n : names) std::cerr << " " << n;
        std::cerr << ")";
      }
      std::cerr << "\n";
      status = kExitUsage;
    } else if (checked) {
      status = checked();
    }
    return status == kExitOk;
  };
  auto one = [&](const ir::QueryGraph& g) {
    // Pass warnings (e.g. a dropped dead intervention) are compile-time diagnostics: every
    // command prints them, before the query's result.
    printPassNotes(s, g, std::cerr, &cap);
    int st = each(g);
    status = std::max(status, st);
    return st != kExitUsage && st != kExitInterrupted;  // a failed query goes on to the next
  };
  bool ok = compileEach(s, opts.file, std::move(*text), opts.pipeline, opts.query, ready, one);
  int compiled = reportCompile(s, ok, &cap);
  std::cerr << s.internalError;
  cap.printSummary(std::cerr);
  return compiled != kExitOk ? compiled : status;
}

/// The file's queries, or only --query's.
size_t selectedQueries(const Session& s, const Options& opts) {
  return opts.query.empty() ? s.queryNames.size() : 1;
}

/// Binds opts.dataFile (when given, or when the program declares data) into opts.data; a
/// binding error is printed and is a usage error (spec/data.md §1), before any sampling.
int bindData(const Session& s, Options& opts) {
  std::string errors;
  if (bindDataFile(s.sources, s.data, s.dataSize, opts.dataFile, &opts.data, &errors)) return kExitOk;
  std::cerr << errors;
  return kExitUsage;
}

int runCheck(const Options& opts) {
  Session s;
  Options o = opts;
  // `mvc check` checks a program without data; `mvc check --data F` checks the binding too.
  auto checked = [&] { return o.dataFile.empty() ? int(kExitOk) : bindData(s, o); };
  return forEachQuery(s, opts, checked, [&](const ir::QueryGraph& g) {
    // With --data, each query's checks of the bound data too (spec/data.md §1).
    DiagnosticEngine dataDiags(s.sources);
    if (o.dataFile.empty() || !reportDataChecks(dataDiags, g, o.data.data(), o.dataFile)) return int(kExitOk);
    dataDiags.print(std::cerr);
    return int(kExitRuntime);
  });
}

int runDump(const Options& opts) {
  Options o = opts;
  o.pipeline.out = &std::cout;
  Session s;
  const bool printAfter = !o.pipeline.printAfter.empty() || o.pipeline.printAfterAll;
  return forEachQuery(s, o, {}, [&](const ir::QueryGraph& g) {
    if (printAfter) return kExitOk;
    if (o.dumpLlvm) std::cout << backend::optimizedModuleText(g, backend::JitOptions{});
    else ir::print(std::cout, g), ir::print(std::cout, g, ir::buildPlan(g));
    return kExitOk;
  });
}

/// Runs sampling query `g` and prints its result to `out` and its diagnostics to `err`; returns
/// its exit status.
int runSampledQuery(Session& s, const ir::QueryGraph& g, const Options& opts, int threads, bool progressBar,
                    std::ostream& out, std::ostream& err) {
  {
    // The bound data's checks (spec/data.md §1), before anything runs: exit status 3.
    DiagnosticEngine dataDiags(s.sources);
    if (reportDataChecks(dataDiags, g, opts.data.data(), opts.dataFile)) {
      if (opts.format == "json") printJsonError(out, g, engineName(opts.engine), dataDiags);
      out.flush();
      dataDiags.print(err);
      return kExitRuntime;
    }
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> csv(nullptr, std::fclose);
  std::unique_ptr<rt::SampleWriter> writer;
  if (!opts.samplesOut.empty()) {
    // Under MPI rank 0 writes the file; the other ranks' writers only mark that rows are wanted.
    csv.reset(std::fopen(rt::mpi::isRoot() ? opts.samplesOut.c_str() : "/dev/null", "w"));
    if (!csv) {
      err << "error: cannot write '" << opts.samplesOut << "'\n";
      return kExitUsage;
    }
    std::vector<std::string> labels, worlds;
    for (const ir::Prediction& p : g.predictions) {
      labels.push_back(p.label);
      worlds.push_back(g.predictionWorlds(p));
    }
    writer = std::make_unique<rt::SampleWriter>(csv.get(), labels, worlds);
  }
  // Under several ranks rank 0 would count only its own blocks: no bar (a launcher's stderr is
  // rarely a terminal anyway).
  ProgressBar progress(opts.samples, progressBar && rt::mpi::size() == 1 && ProgressBar::wanted(opts.format));
  EngineRequest request{opts.samples, opts.seed, threads, opts.format == "table", writer.get(), progress.counter(),
                        opts.targets};
  request.data = opts.data.data();
  request.maxCodeNodes = opts.maxCodeNodes;
  if (!opts.noCache) request.cacheDir = backend::defaultJitCacheDir();
  Engine engine = opts.engine;
  // The tiered start (docs/cli.md): the interpreter at once, the JIT from when its background
  // compile is ready. Under MPI one engine, chosen up front, runs on every rank.
  const bool tiered = opts.tiered && rt::mpi::size() == 1;
  TierChoice tier;
  if (opts.tiered) {
    tier = chooseTier(g, opts.samples, threads);
    // Test hooks (docs/cli.md): "switch:K" the JIT from block K, "late" ready only after the run.
    if (const char* hook = std::getenv("MV_TIER_TEST"); tiered && hook) {
      const std::string h = hook;
      if (h.rfind("switch:", 0) == 0) request.tierSwitchBlock = std::strtoull(h.c_str() + 7, nullptr, 10);
      request.tierCompileLate = h == "late";
      tier.compile = tier.compile || request.tierSwitchBlock || request.tierCompileLate;
    }
    const bool tooLarge = codeNodes(g) > opts.maxCodeNodes;  // never compiled: the interpreter runs any size
    if (tooLarge) tier.compile = false;
    if (!tiered) engine = tier.compile ? Engine::Jit : Engine::Interp;
    if (opts.verbose) {
      std::ostringstream line;
      line << std::setprecision(3) << "mvc: query '" << g.name << "': tiered start: "
           << (!tiered        ? std::string("engine ") + engineName(engine)
               : tier.compile ? "interp now, jit compiling in the background"
               : tooLarge     ? "interp alone (over --max-code-nodes)"
                              : "interp alone (the compile cannot pay)")
           << " (estimated compile " << tier.compileSeconds << " s; the whole run on jit " << tier.jitSeconds
           << " s, on interp " << tier.interpSeconds << " s)\n";
      err << line.str();
    }
  }
  if (engine == Engine::Jit && !tiered)
    if (int status = checkCodeSize(s, g, opts, err); status != kExitOk) return status;
  std::string engineError;
  InterruptScope interrupt;  // Ctrl-C: the run stops between blocks, rows stay whole
  request.cancel = InterruptScope::flag();
  TierReport report;
  std::optional<rt::RunResult> result =
      tiered ? runTiered(g, request, tier.compile, &report, &engineError) : runEngine(engine, g, request, &engineError);
  progress.finish();  // erased before anything else is printed
  if (tiered && opts.verbose && report.compileStarted) {
    std::ostringstream line;
    line << std::setprecision(3) << "mvc: query '" << g.name << "': ";
    if (report.ready)
      line << "jit ready after " << report.readySeconds << " s (" << report.compileCpuSeconds << " s of CPU"
           << (report.cacheHit ? ", cache hit)" : ")");
    else if (!report.compileError.empty()) line << "jit failed (" << report.compileError << ")";
    else line << "jit not ready when sampling ended (left unfinished)";
    line << ", " << report.jitBlocks << " of " << report.blocks << " blocks on jit\n";
    err << line.str();
  }
  const char* ran = opts.tiered ? kTieredName : engineName(engine);
  if (result && result->cancelled) {
    const bool written = !csv || (std::fflush(csv.get()) == 0 && writer->ok());
    err << "mvc: interrupted";
    if (!written) {
      err << "; error: cannot write '" << opts.samplesOut << "'";
    } else if (writer) {  // exactly a prefix of the samples (SampleWriter::blockDone): say which
      const uint64_t n = writer->rowsWritten();
      err << "; '" << opts.samplesOut << "' holds ";
      if (n == 0) err << "only its header (no sample finished)";
      else err << "the whole rows of samples 0.." << n - 1 << " (the first " << n << " of " << opts.samples << ")";
    }
    err << "\n";
    return kExitInterrupted;
  }
  if (!result) {
    std::cerr << "internal error: " << engineError << "\n";
    leave(kExitRuntime);
  }
  rt::RunResult& r = *result;
  int exit = kExitOk;
  if (writer && (!writer->ok() || std::fflush(csv.get()) != 0)) {
    err << "error: cannot write '" << opts.samplesOut << "'\n";
    exit = kExitRuntime;
  }
  DiagnosticEngine runtimeDiags(s.sources);
  if (!r.ok) reportSampleError(runtimeDiags, g, r.error, opts.seed);
  else if (r.acc.nonzero() == 0) reportAllZero(runtimeDiags, g, opts.samples);
  if (runtimeDiags.hasErrors()) {
    if (opts.format == "json") printJsonError(out, g, ran, runtimeDiags);
    out.flush();
    runtimeDiags.print(err);
    return kExitRuntime;
  }
  RunInfo info{ran, opts.samples, opts.seed, threads, opts.targets};
  if (opts.format == "json") printJson(out, g, info, r);
  else printTable(out, g, info, r);
  out.flush();
  return exit;
}

int runRun(const Options& options) {
  Options opts = options;  // opts.data: the bound data
  if (!opts.samplesOut.empty())
    if (std::string why = overwritesProgram(opts.samplesOut, opts.file); !why.empty()) {
      std::cerr << "error: cannot write '" << opts.samplesOut << "': " << why << "\n";
      return kExitUsage;
    }
  Session s;
  auto checked = [&] {
    if (s.queryNames.empty()) {  // printing nothing would look like success
      std::cerr << "error: '" << opts.file << "' has no queries to run (ask one with 'query NAME on MODEL { ... }')\n";
      return int(kExitProgramError);
    }
    if (!opts.samplesOut.empty() && selectedQueries(s, opts) != 1) {
      std::cerr << "error: --samples-out needs --query NAME when the file has several queries\n";
      return int(kExitUsage);
    }
    return bindData(s, opts);
  };
  int threads = opts.threads > 0 ? opts.threads : rt::defaultThreads();
  if (opts.engine != Engine::Exact && rt::mpi::size() > 1) {
    // Under several ranks the queries may go whole to ranks (tools/mvc/Spread.h), which needs
    // every query's graph at once; a plain run keeps one query in memory at a time.
    std::vector<ir::QueryGraph> all;
    int status = forEachQuery(s, opts, checked, [&](const ir::QueryGraph& g) {
      all.push_back(g);
      return int(kExitOk);
    });
    if (status != kExitOk) return status;
    if (spreadQueries(all.size()))
      return runSpread(all, [&](const ir::QueryGraph& g, std::ostream& out, std::ostream& err) {
        return runSampledQuery(s, g, opts, threads, false, out, err);
      });
    int exit = kExitOk;
    for (const ir::QueryGraph& g : all)
      exit = std::max(exit, runSampledQuery(s, g, opts, threads, true, std::cout, std::cerr));
    return exit;
  }
  return forEachQuery(s, opts, checked, [&](const ir::QueryGraph& g) -> int {
    if (opts.engine == Engine::Exact) return runExactQuery(s, g, ExactRequest{opts.maxAssignments, opts.format, opts.data.data(), opts.dataFile});
    return runSampledQuery(s, g, opts, threads, true, std::cout, std::cerr);
  });
}

/// The runtime archives `mvc build` links, next to this executable: PREFIX/lib/multiverse when
/// installed, the runtime's build directory in a build tree (both relative, see tools/CMakeLists.txt).
std::optional<std::vector<std::string>> nativeRuntime(bool verbose) {
  backend::NativeRuntimeSearch search{backend::executableDirectory(),
                                      {MV_RUNTIME_INSTALL_RELDIR, MV_RUNTIME_BUILD_RELDIR},
                                      {MV_RUNTIME_MAIN_LIBRARY, MV_RUNTIME_LIBRARY}};
  std::vector<std::string> searched;
  auto libraries = search.exeDir.empty() ? std::nullopt : backend::findNativeRuntime(search, &searched);
  if (!libraries) {
    std::cerr << "error: cannot find the native runtime (" << MV_RUNTIME_MAIN_LIBRARY << ", " << MV_RUNTIME_LIBRARY
              << ") that `mvc build` links; looked in:";
    if (search.exeDir.empty()) std::cerr << " (none: cannot read /proc/self/exe)";
    for (const std::string& dir : searched) std::cerr << "\n  " << dir;
    std::cerr << "\n";
  } else if (verbose) {
    std::cerr << "runtime: " << std::filesystem::path(libraries->front()).parent_path().string() << "\n";
  }
  return libraries;
}

int runBuild(const Options& opts) {
  std::string why = overwritesProgram(opts.output, opts.file);
  if (why.empty()) why = cannotCreateBeside(opts.output);
  if (!why.empty()) {
    std::cerr << "error: cannot write '" << opts.output << "': " << why << "\n";
    return kExitUsage;
  }
  auto libraries = nativeRuntime(opts.verbose);
  if (!libraries) return kExitUsage;
  Session s;
  auto checked = [&] {
    if (selectedQueries(s, opts) == 1) return int(kExitOk);
    std::cerr << "error: build needs --query NAME (queries:";
    for (const std::string& n : s.queryNames) std::cerr << " " << n;
    std::cerr << ")\n";
    return int(kExitUsage);
  };
  return forEachQuery(s, opts, checked, [&](const ir::QueryGraph& g) {
    if (int status = checkCodeSize(s, g, opts, std::cerr); status != kExitOk) return status;
    backend::NativeBuild build;
    build.output = opts.output;
    build.libraries = std::move(*libraries);
    build.verbose = opts.verbose;
    build.linkFlags = {"-ltbb", "-lgc", "-lm", "-pthread"};
    // The sampler finds the MPI plugin beside the runtime it links, only when an MPI launcher starts it.
    const std::filesystem::path runtimeDir = std::filesystem::path(build.libraries.front()).parent_path();
    if (std::filesystem::exists(runtimeDir / rt::mpi::pluginFileName()))
      build.linkFlags.push_back("-Wl,-rpath," + runtimeDir.string());
    InterruptScope interrupt;  // Ctrl-C: the build removes what it made, then mvc exits
    build.cancel = InterruptScope::flag();
    std::string error;
    bool built = backend::buildExecutable(g, renderNativeMessages(s.sources, g), build, &error);
    if (!built && InterruptScope::interrupted()) {
      std::cerr << "mvc: interrupted; '" << opts.output << "' was not written\n";
      return kExitInterrupted;
    }
    if (!built) {
      std::cerr << "error: cannot build '" << opts.output << "': " << error << "\n";
      return int(kExitRuntime);
    }
    return int(kExitOk);
  });
}

int dispatch(void* p) {
  const Options& opts = *static_cast<const Options*>(p);
  // Under a launcher every rank runs the command: K REPLs would wait on one stdin, K builds
  // would write one file. `run` (and the samplers `build` makes) are what ranks share.
  if ((opts.command == "repl" || opts.command == "build") && rt::mpi::size() > 1) {
    std::cerr << "error: 'mvc " << opts.command << "' does not run under an MPI launcher (" << rt::mpi::size()
              << " ranks); run it alone" << (opts.command == "build" ? ", then launch the executable it writes" : "")
              << "\n";
    return kExitUsage;
  }
  if (opts.command == "check") return runCheck(opts);
  if (opts.command == "dump") return runDump(opts);
  if (opts.command == "build") return runBuild(opts);
  if (opts.command == "repl")
    return repl::runRepl(repl::ReplOptions{opts.replFiles, opts.samples, opts.seed, opts.threads, opts.engine,
                                           opts.noCache ? "" : backend::defaultJitCacheDir()});
  return runRun(opts);
}

/// The passes --print-after knows (the registry), or (disableable) those --disable-pass may
/// skip (in pipeline order).
std::string passNames(bool disableable) {
  std::string names;
  auto add = [&](const char* name) { names += (names.empty() ? "" : ", ") + std::string(name); };
  if (!disableable)
    for (const mv::passes::PassInfo& p : mv::passes::registry()) add(p.name);
  else
    for (const mv::passes::PipelineEntry& e : mv::passes::defaultPipeline())
      if (e.disableable) add(e.pass);
  return names;
}

/// A whole-number option in the language's number syntax (`1e6`, `1_000`: runtime/CountArgs.h);
/// bad text is "not a number", not a range error.
template <typename T>
CLI::Option* addCount(CLI::App* app, const std::string& name, T* out, uint64_t lo, uint64_t hi, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [out, lo, hi, name](const std::string& text) {
            std::string why;
            std::optional<uint64_t> v = rt::parseCount(text, lo, hi, &why);
            if (!v) throw CLI::ValidationError(name, why);
            *out = T(*v);
          },
          help)
      ->type_name("N");
}

}  // namespace
}  // namespace mv::tools

namespace mv::tools {
namespace {

/// Where the MPI plugin may be: beside the runtime archives (see nativeRuntime()).
std::vector<std::string> mpiPluginDirs() {
  const std::filesystem::path exe = backend::executableDirectory();
  if (exe.empty()) return {};
  return {(exe / MV_RUNTIME_INSTALL_RELDIR).string(), (exe / MV_RUNTIME_BUILD_RELDIR).string()};
}

int mainBody(int argc, char** argv) {
  Options opts;
  CLI::App app{"mvc — the MultiVerse compiler: causal models, interventions and counterfactuals"};
  app.set_version_flag("--version", [] { std::string v = versionText(); v.pop_back(); return v; },
                       "print the versions of MultiVerse and of the LLVM, oneTBB, Boehm GC and MPI it was built with");
  app.require_subcommand(1);

  CLI::App* check = app.add_subcommand("check", "Parse and check FILE; print diagnostics only");
  check->add_option("FILE", opts.file, "a .mv program")->required();

  CLI::App* run = app.add_subcommand("run", "Run the queries of FILE by importance sampling");
  run->add_option("FILE", opts.file, "a .mv program")->required();
  run->add_option("--query", opts.query, "run only this query (default: all queries)");
  addCount(run, "--samples", &opts.samples, 1, mv::rt::kMaxSamples, "number of samples (default 100000)");
  addCount(run, "--seed", &opts.seed, 0, UINT64_MAX, "random seed (default 1)");
  addCount(run, "--threads", &opts.threads, 0, mv::rt::kMaxThreads, "worker threads (default: all cores)");
  CLI::Option* runEngineOption =
      run->add_option("--engine", opts.engineText,
                      "inference engine (default: jit, or interp where the interpreter is estimated faster end to end)")
          ->check(CLI::IsMember(engineNames()));
  run->add_flag("--verbose", opts.verbose, "print the engine chosen without --engine and its time estimates");
  run->add_option("--format", opts.format, "output format: table or json (default table)")
      ->check(CLI::IsMember({"table", "json"}));
  run->add_option("--samples-out", opts.samplesOut,
                  "write every sample (index, log weight, predictions) as CSV to this file (one query only)");
  run->add_option("--target-stderr", opts.targets.stderr,
                  "sample in rounds until every prediction's standard error is below E (at most --samples)")
      ->check(CLI::PositiveNumber);
  run->add_option("--target-ess", opts.targets.ess, "sample in rounds until the effective sample size is above K (at most --samples)")
      ->check(CLI::PositiveNumber);
  for (CLI::App* sub : {check, run})
    sub->add_option("--data", opts.dataFile, "bind the program's 'data' declarations from FILE (JSON object, or CSV columns)")
        ->type_name("FILE");
  addCount(run, "--max-assignments", &opts.maxAssignments, 1, uint64_t(1) << 62,
           "exact engine: refuse beyond this many assignments (default 2^24)");

  CLI::App* repl = app.add_subcommand("repl", "Interactive session: define models and queries, run them (see :help)");
  repl->add_option("FILE", opts.replFiles, "programs to load first");
  repl->footer("On a terminal: line editing, and history in $MVC_HISTORY (default ~/.mvc_history).\n"
               "Otherwise commands are read from stdin without prompts; the exit status is then the\n"
               "worst of the commands' (1 program error, 2 usage error, 3 run-time error), else 0.");
  addCount(repl, "--samples", &opts.samples, 1, mv::rt::kMaxSamples, "samples per :run (default 100000)");
  addCount(repl, "--seed", &opts.seed, 0, UINT64_MAX, "random seed (default 1)");
  addCount(repl, "--threads", &opts.threads, 0, mv::rt::kMaxThreads, "worker threads (default: all cores)");
  repl->add_option("--engine", opts.engineText, "inference engine (default " + std::string(engineName(kDefaultEngine)) + ")")
      ->check(CLI::IsMember(engineNames()));
  for (CLI::App* sub : {run, repl})
    sub->add_flag("--no-cache", opts.noCache,
                  "jit: neither read nor write the on-disk cache of compiled queries ($MV_CACHE_DIR, default "
                  "~/.cache/multiverse)");

  CLI::App* dump = app.add_subcommand("dump", "Print the compiled IR of FILE's queries");
  auto* ir = dump->add_flag("--ir", opts.dumpIr, "print the IR after the pass pipeline");
  auto* llvmIr = dump->add_flag("--llvm", opts.dumpLlvm, "print the optimised LLVM module of each query");
  dump->add_option("FILE", opts.file, "a .mv program")->required();
  dump->add_option("--query", opts.query, "only this query");
  dump->add_option("--print-after", opts.pipeline.printAfter, "print the IR after pass NAME (repeatable)");
  dump->add_flag("--print-after-all", opts.pipeline.printAfterAll, "print the IR after every pass");
  dump->add_flag("--verify-each", opts.pipeline.verifyEach, "verify the IR after every pass");
  for (CLI::App* sub : {run, dump}) {
    sub->add_flag("--no-optimize", opts.pipeline.noOptimize, "skip the optional passes (slicing, pruning, noisy-OR inversion)");
    sub->add_option("--disable-pass", opts.pipeline.disabled, "skip optional pass NAME (repeatable)");
  }
  ir->excludes(llvmIr);

  CLI::App* build = app.add_subcommand("build", "Compile one query of FILE into a native sampler executable");
  build->add_option("FILE", opts.file, "a .mv program")->required();
  build->add_option("--query", opts.query, "the query to compile (needed when FILE has several)");
  build->add_option("-o", opts.output, "the executable to write")->required();
  build->add_flag("--verbose", opts.verbose, "print where the runtime was found and the link command");
  for (CLI::App* sub : {check, run, dump, build})
    addCount(sub, "--max-model-nodes", &opts.maxModelNodes, 1, 1'000'000'000,
             "refuse a model or loop nest that unrolls past N nodes or iterations (default 10^6)");
  for (CLI::App* sub : {run, build})
    addCount(sub, "--max-code-nodes", &opts.maxCodeNodes, 1, uint64_t(1) << 40,
             "jit and build: refuse a query whose compiled code passes N nodes (default 50000)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (const std::string& name : opts.pipeline.printAfter)
    if (!mv::passes::findPass(name)) {
      std::cerr << "error: unknown pass '" << name << "' for --print-after (passes: " << passNames(false) << ")\n";
      return kExitUsage;
    }
  for (const std::string& name : opts.pipeline.disabled)
    if (const auto* entry = mv::passes::findPipelineEntry(name); !entry || !entry->disableable) {
      std::cerr << "error: " << (entry ? "pass '" + name + "' cannot be disabled" : "unknown pass '" + name + "'")
                << " for --disable-pass (passes that can be: " << passNames(true) << ")\n";
      return kExitUsage;
    }
  opts.command = app.get_subcommands().front()->get_name();
  opts.engine = *parseEngine(opts.engineText);  // CLI11 checked it against engineNames()
  opts.tiered = opts.command == "run" && runEngineOption->count() == 0;
  if (opts.command == "run" && opts.engine == Engine::Exact && (opts.targets.stderr > 0 || opts.targets.ess > 0)) {
    std::cerr << "error: --target-stderr and --target-ess need a sampling engine, not 'exact' (its answers are exact)\n";
    return kExitUsage;
  }
  if (opts.command == "run" && !opts.samplesOut.empty() && opts.engine == Engine::Exact) {
    std::cerr << "error: --samples-out needs a sampling engine, not 'exact'\n";
    return kExitUsage;
  }
  if (opts.command == "dump" && !opts.dumpIr && !opts.dumpLlvm) {
    std::cerr << "error: dump needs --ir or --llvm\n";
    return kExitUsage;
  }
  return withLargeStack(dispatch, &opts);
}

}  // namespace
}  // namespace mv::tools

int main(int argc, char** argv) {
  mv::rt::gcInit();  // on the main thread, before any TBB use
  // Under mpirun/srun every rank runs the whole command; only rank 0 prints (docs/parallel.md).
  if (int status = mv::rt::mpi::start(mv::tools::mpiPluginDirs())) return status;
  mv::tools::leave(mv::rt::mpi::finish(mv::tools::mainBody(argc, argv)));
}
