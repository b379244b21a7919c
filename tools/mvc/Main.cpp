// tools/mvc/Main.cpp — the mvc driver: check, run and dump .mv programs.
#include "ir/Printer.h"
#include "runtime/Driver.h"
#include "tools/mvc/Engines.h"
#include "tools/mvc/Report.h"
#include "tools/mvc/Session.h"

#include <CLI/CLI.hpp>

#include <iostream>

namespace mv::tools {
namespace {

struct Options {
  std::string command;
  std::string file;
  std::string query;
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 0;
  std::string engine = defaultEngine();
  std::string format = "table";
  bool dumpIr = false;
  bool dumpLlvm = false;
  passes::PipelineOptions pipeline;
};

int reportCompile(Session& s, bool ok) {
  s.diags->print(std::cerr);
  return ok ? kExitOk : kExitProgramError;
}

/// Loads and compiles opts.file; returns an exit status (kExitOk to go on).
int load(Session& s, const Options& opts) {
  auto text = readFile(opts.file);
  if (!text) {
    std::cerr << "error: cannot read '" << opts.file << "'\n";
    return kExitUsage;
  }
  bool ok = compile(s, opts.file, std::move(*text), opts.pipeline);
  int status = reportCompile(s, ok);
  if (status != kExitOk) return status;
  if (!opts.query.empty()) {
    std::vector<ir::QueryGraph> selected;
    for (ir::QueryGraph& g : s.queries)
      if (g.name == opts.query) selected.push_back(std::move(g));
    if (selected.empty()) {
      std::cerr << "error: no query named '" << opts.query << "' in '" << opts.file << "'";
      if (!s.queries.empty()) {
        std::cerr << " (queries:";
        for (const ir::QueryGraph& g : s.queries) std::cerr << " " << g.name;
        std::cerr << ")";
      }
      std::cerr << "\n";
      return kExitUsage;
    }
    s.queries = std::move(selected);
  }
  return kExitOk;
}

int runCheck(const Options& opts) {
  Session s;
  return load(s, opts);
}

int runDump(const Options& opts) {
  Options o = opts;
  o.pipeline.out = &std::cout;
  Session s;
  if (int status = load(s, o)) return status;
  if (!o.pipeline.printAfter.empty() || o.pipeline.printAfterAll) return kExitOk;
  for (const ir::QueryGraph& g : s.queries) ir::print(std::cout, g);
  return kExitOk;
}

int runRun(const Options& opts) {
  Session s;
  if (int status = load(s, opts)) return status;
  int exit = kExitOk;
  int threads = opts.threads > 0 ? opts.threads : rt::defaultThreads();
  for (const ir::QueryGraph& g : s.queries) {
    rt::RunResult r = runEngine(opts.engine, g, EngineRequest{opts.samples, opts.seed, threads});
    DiagnosticEngine runtimeDiags(s.sources);
    if (!r.ok) reportSampleError(runtimeDiags, g, r.error, opts.seed);
    else if (r.acc.nonzero() == 0) reportAllZero(runtimeDiags, g, opts.samples);
    if (runtimeDiags.hasErrors()) {
      std::cout.flush();
      runtimeDiags.print(std::cerr);
      exit = kExitRuntime;
      continue;
    }
    RunInfo info{opts.engine, opts.samples, opts.seed, threads};
    if (opts.format == "json") printJson(std::cout, g, info, r);
    else printTable(std::cout, g, info, r);
    std::cout.flush();
  }
  return exit;
}

int dispatch(void* p) {
  const Options& opts = *static_cast<const Options*>(p);
  if (opts.command == "check") return runCheck(opts);
  if (opts.command == "dump") return runDump(opts);
  return runRun(opts);
}

}  // namespace
}  // namespace mv::tools

int main(int argc, char** argv) {
  using namespace mv::tools;
  Options opts;
  CLI::App app{"mvc — the MultiVerse compiler: causal models, interventions and counterfactuals"};
  app.require_subcommand(1);

  CLI::App* check = app.add_subcommand("check", "Parse and check FILE; print diagnostics only");
  check->add_option("FILE", opts.file, "a .mv program")->required();

  CLI::App* run = app.add_subcommand("run", "Run the queries of FILE by importance sampling");
  run->add_option("FILE", opts.file, "a .mv program")->required();
  run->add_option("--query", opts.query, "run only this query (default: all queries)");
  run->add_option("--samples", opts.samples, "number of samples (default 100000)")->check(CLI::Range(uint64_t(1), uint64_t(1) << 50));
  run->add_option("--seed", opts.seed, "random seed (default 1)");
  run->add_option("--threads", opts.threads, "worker threads (default: all cores)")->check(CLI::Range(0, 4096));
  run->add_option("--engine", opts.engine, "inference engine (default " + defaultEngine() + ")")
      ->check(CLI::IsMember(engineNames()));
  run->add_option("--format", opts.format, "output format: table or json (default table)")
      ->check(CLI::IsMember({"table", "json"}));

  CLI::App* dump = app.add_subcommand("dump", "Print the compiled IR of FILE's queries");
  auto* ir = dump->add_flag("--ir", opts.dumpIr, "print the IR after the pass pipeline");
  dump->add_option("FILE", opts.file, "a .mv program")->required();
  dump->add_option("--query", opts.query, "only this query");
  dump->add_option("--print-after", opts.pipeline.printAfter, "print the IR after pass NAME (repeatable)");
  dump->add_flag("--print-after-all", opts.pipeline.printAfterAll, "print the IR after every pass");
  dump->add_flag("--verify-each", opts.pipeline.verifyEach, "verify the IR after every pass");
  ir->required();

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
      std::cerr << "error: unknown pass '" << name << "' for --print-after\n";
      return kExitUsage;
    }
  opts.command = app.get_subcommands().front()->get_name();
  return withLargeStack(dispatch, &opts);
}
