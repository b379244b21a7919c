// tools/mvc/Engines.cpp — engine selection: each engine turns a query graph into a sample
// function for the runtime's parallel driver.
#include "tools/mvc/Engines.h"

#include "backend/Interpreter.h"
#include "backend/Jit.h"

#include <cstdlib>
#include <iostream>

namespace mv::tools {

const std::vector<std::string>& engineNames() {
  // "exact" enumerates instead of sampling: mvc runs it through ExactRun.cpp, not runEngine.
  static const std::vector<std::string> names = {"jit", "interp", "exact"};
  return names;
}

const std::string& defaultEngine() { return engineNames().front(); }

namespace {

rt::RunResult runInterpreter(const ir::QueryGraph& g, const rt::RunConfig& config) {
  backend::Interpreter interp(g);
  return rt::run(config, backend::Interpreter::sampleFn, &interp);
}

rt::RunResult runJit(const ir::QueryGraph& g, const rt::RunConfig& config) {
  std::string error;
  std::unique_ptr<backend::JitQuery> q = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
  if (!q) {
    std::cerr << "internal error: cannot JIT-compile query '" << g.name << "': " << error << "\n";
    std::exit(3);
  }
  rt::RunResult r = rt::run(config, q->function(), nullptr);
  r.compileSeconds = q->compileSeconds();
  return r;
}

}  // namespace

rt::RunResult runEngine(const std::string& name, const ir::QueryGraph& g, const EngineRequest& request) {
  rt::RunConfig config;
  config.samples = request.samples;
  config.seed = request.seed;
  config.threads = request.threads;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  config.summarize = request.summarize;
  config.samplesOut = request.samplesOut;
  config.samplesDone = request.samplesDone;
  config.targetStderr = request.targets.stderr;
  config.targetEss = request.targets.ess;
  if (name == "jit") return runJit(g, config);
  return runInterpreter(g, config);
}

}  // namespace mv::tools
