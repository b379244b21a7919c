// tools/mvc/Engines.cpp — engine selection: each engine turns a query graph into a sample
// function for the runtime's parallel driver.
#include "tools/mvc/Engines.h"

#include "backend/Interpreter.h"

namespace mv::tools {

const std::vector<std::string>& engineNames() {
  static const std::vector<std::string> names = {"interp"};
  return names;
}

const std::string& defaultEngine() { return engineNames().front(); }

namespace {

rt::RunResult runInterpreter(const ir::QueryGraph& g, const rt::RunConfig& config) {
  backend::Interpreter interp(g);
  return rt::run(config, backend::Interpreter::sampleFn, &interp);
}

}  // namespace

rt::RunResult runEngine(const std::string& name, const ir::QueryGraph& g, const EngineRequest& request) {
  rt::RunConfig config;
  config.samples = request.samples;
  config.seed = request.seed;
  config.threads = request.threads;
  config.numPredictions = int(g.predictions.size());
  (void)name;  // only the interpreter so far
  return runInterpreter(g, config);
}

}  // namespace mv::tools
