// tools/repl/Repl.cpp — the REPL loop: reading inputs, the ':' commands, running queries.
#include "tools/repl/Repl.h"

#include "backend/Interpreter.h"
#include "backend/WeightBound.h"
#include "ir/Printer.h"
#include "runtime/CountArgs.h"
#include "runtime/Driver.h"
#include "driver/DataBinding.h"
#include "driver/Engines.h"
#include "driver/ExactRun.h"
#include "driver/Report.h"
#include "tools/mvc/Outputs.h"
#include "tools/mvc/Progress.h"
#include "tools/repl/LineReader.h"
#include "tools/repl/ReplSession.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace mv::tools::repl {

using namespace mv::driver;

namespace {

const char* const kHelp = R"(Type declarations (const, data, fn, model, query) to add or replace them; input
continues over lines while brackets are open. Commands:
  :run QUERY [SAMPLES]   run a query and print its estimates
  :ask { observe ... do ... predict ... } on MODEL
                         run a one-off query (not kept)
  :load FILE             load the declarations of FILE
  :data [FILE]           bind the 'data' declarations from FILE (JSON or CSV) at each :run; none: unset
  :list                  list the declarations
  :show NAME             print the source of NAME
  :ir QUERY              print the optimised IR of QUERY
  :llvm QUERY            print the optimised LLVM module of QUERY
  :set samples|seed|threads|engine VALUE
                         change a setting (engines: jit, interp, exact)
  :time                  toggle timing output after each run
  :help                  this text
  :quit                  leave (so does end of input)
)";

class Repl {
public:
  Repl(const ReplOptions& o, bool interactive) : opts_(o), interactive_(interactive) {}

  /// Handles one complete input; returns false at :quit.
  bool handle(const std::string& input);
  int status() const { return status_; }
  void load(const std::string& path);

private:
  void fail(int status) { status_ = std::max(status_, status); }
  void run(const ir::QueryGraph& g, uint64_t samples);
  const ir::QueryGraph* needQuery(const std::string& name);
  void ask(const std::string& rest);
  void set(std::istringstream& args);

  ReplOptions opts_;
  bool interactive_;
  bool time_ = false;
  int status_ = kExitOk;
  int chunk_ = 0;
  std::string dataFile_;  ///< :data FILE, bound at each :run
  ReplSession session_;
};

const ir::QueryGraph* Repl::needQuery(const std::string& name) {
  if (name.empty()) {
    std::cerr << "error: missing query name\n";
    fail(kExitUsage);
    return nullptr;
  }
  const ir::QueryGraph* g = session_.query(name);
  if (!g) {
    std::cerr << "error: no query named '" << name << "'\n";
    fail(kExitUsage);
  }
  return g;
}

void Repl::load(const std::string& path) {
  std::string why;
  std::optional<std::string> text = readFile(path, &why);
  if (!text) {
    std::cerr << "error: cannot read '" << path << "': " << why << "\n";
    fail(kExitUsage);
    return;
  }
  if (!session_.defineEach(path, std::move(*text), std::cerr, std::cout)) fail(kExitProgramError);
}

void Repl::run(const ir::QueryGraph& checked, uint64_t samples) {
  ir::QueryGraph g;
  if (!ReplSession::optimize(checked, &g, std::cerr)) return fail(kExitRuntime);
  printPassNotes(session_.session(), g, std::cerr);  // e.g. dead interventions, as mvc run prints them
  std::vector<uint64_t> data;  // bound before anything runs, as `mvc run --data` does
  if (std::string errors; !bindDataFile(session_.session().sources, g.data, g.dataSize, dataFile_, &data, &errors)) {
    std::cerr << errors;
    return fail(kExitUsage);
  }
  if (DiagnosticEngine checks(session_.session().sources); reportDataChecks(checks, g, data.data(), dataFile_)) {
    checks.print(std::cerr);  // a check of the bound data (spec/data.md §1)
    return fail(kExitRuntime);
  }
  int threads = opts_.threads > 0 ? opts_.threads : rt::defaultThreads();
  if (opts_.engine == Engine::Exact) {
    int s = runExactQuery(session_.session(), g, ExactRequest{uint64_t(1) << 24, "table", data.data(), dataFile_});
    fail(s);
    return;
  }
  rt::RunConfig config;
  config.samples = samples;
  config.seed = opts_.seed;
  config.threads = threads;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  config.summarize = true;
  ProgressBar progress(samples, ProgressBar::wanted("table"));
  config.samplesDone = progress.counter();
  InterruptScope interrupt;  // Ctrl-C stops this run, not the session
  config.cancel = InterruptScope::flag();
  rt::RunResult r;
  std::string timing;
  if (opts_.engine == Engine::Jit) {
    bool cached = false;
    std::string error;
    const auto start = std::chrono::steady_clock::now();
    const backend::JitQuery* q = session_.jit(g, opts_.cacheDir, &cached, &error);
    if (!q) {
      std::cerr << "internal error: cannot JIT-compile query '" << g.name << "': " << error << "\n";
      return fail(kExitRuntime);
    }
    double compile = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The block function alone (no per-sample output here): the sample function is never compiled.
    config.blockFn = q->blockFunction();
    r = rt::run(config, nullptr, data.data());  // the block function's ctx: the data buffer
    timing = cached ? "compile: cached" : fmt::format("compile {:.3f} s", compile);
  } else {
    backend::Interpreter interp(g, data.data());
    r = rt::run(config, backend::Interpreter::sampleFn, &interp);
    timing = "interpreted";
  }
  progress.finish();  // erased before anything else is printed
  if (r.cancelled) {
    std::cerr << "interrupted: the run of query '" << g.name << "' was stopped (Ctrl-C); no estimates\n";
    return fail(kExitRuntime);
  }
  DiagnosticEngine runtimeDiags(session_.session().sources);
  if (!r.ok) reportSampleError(runtimeDiags, g, r.error, opts_.seed);
  else if (r.acc.nonzero() == 0) reportAllZero(runtimeDiags, g, samples);
  if (runtimeDiags.hasErrors()) {
    std::cout.flush();
    runtimeDiags.print(std::cerr);
    return fail(kExitRuntime);
  }
  printTable(std::cout, g, RunInfo{engineName(opts_.engine), samples, opts_.seed, threads}, r);
  if (time_) std::cout << fmt::format("time: {}, run {:.3f} s\n", timing, r.seconds);
}

void Repl::ask(const std::string& rest) {
  // `:ask { body } on MODEL` becomes `query _askN on MODEL { body }` in its own source chunk.
  size_t open = rest.find('{');
  size_t close = rest.rfind('}');
  std::string tail = close == std::string::npos ? "" : rest.substr(close + 1);
  std::istringstream words(tail);
  std::string on, model, extra;
  words >> on >> model >> extra;
  if (open == std::string::npos || close == std::string::npos || close < open || on != "on" || model.empty() ||
      !extra.empty()) {
    std::cerr << "error: expected ':ask { observe ... predict ... } on MODEL'\n";
    return fail(kExitUsage);
  }
  std::string name = "_ask";  // one name, so asking the same question again hits the JIT cache
  std::string text = "query " + name + " on " + model + " " + rest.substr(open, close - open + 1) + "\n";
  ir::QueryGraph g;
  if (!session_.temporary(fmt::format("<repl:{}>", ++chunk_), text, name, &g, std::cerr))
    return fail(kExitProgramError);
  g.name = "ask";
  run(g, opts_.samples);
}

void Repl::set(std::istringstream& args) {
  std::string what, value, extra;
  args >> what >> value >> extra;
  auto count = [&](uint64_t lo, uint64_t hi) -> std::optional<uint64_t> {
    std::string why;
    std::optional<uint64_t> v = rt::parseCount(value, lo, hi, &why);
    if (!v) std::cerr << "error: :set " << what << ": " << why << "\n";
    return v;
  };
  bool known = what == "samples" || what == "seed" || what == "threads" || what == "engine";
  if (!known || value.empty() || !extra.empty()) {
    std::cerr << "error: expected ':set samples|seed|threads|engine VALUE' (engines: jit, interp, exact)\n";
    return fail(kExitUsage);
  }
  if (what == "samples") {
    std::optional<uint64_t> v = count(1, rt::kMaxSamples);
    if (!v) return fail(kExitUsage);
    opts_.samples = *v;
    value = std::to_string(*v);
  } else if (what == "seed") {
    std::optional<uint64_t> v = count(0, UINT64_MAX);
    if (!v) return fail(kExitUsage);
    opts_.seed = *v;
    value = std::to_string(*v);
  } else if (what == "threads") {
    std::optional<uint64_t> v = count(0, rt::kMaxThreads);
    if (!v) return fail(kExitUsage);
    opts_.threads = int(*v);
    value = std::to_string(*v);
  } else if (std::optional<Engine> e = parseEngine(value)) {
    opts_.engine = *e;
  } else {
    std::cerr << "error: :set engine: unknown engine '" << value << "' (engines: jit, interp, exact)\n";
    return fail(kExitUsage);
  }
  std::cout << what << " = " << value << "\n";
}

bool Repl::handle(const std::string& input) {
  size_t first = input.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return true;
  if (input[first] != ':') {
    if (!session_.define(fmt::format("<repl:{}>", ++chunk_), input, std::cerr, std::cout)) fail(kExitProgramError);
    return true;
  }
  std::istringstream args(input.substr(first + 1));
  std::string cmd, name;
  args >> cmd;
  if (cmd == "quit" || cmd == "q") return false;
  if (cmd == "help" || cmd == "h") {
    std::cout << kHelp;
  } else if (cmd == "time") {
    time_ = !time_;
    std::cout << "timing " << (time_ ? "on" : "off") << "\n";
  } else if (cmd == "list") {
    for (const std::string& key : session_.keys()) std::cout << key << "\n";
  } else if (cmd == "load") {
    std::string path;
    std::getline(args >> std::ws, path);
    load(path);
  } else if (cmd == "data") {
    dataFile_.clear();
    std::getline(args >> std::ws, dataFile_);
    std::cout << (dataFile_.empty() ? "data: none" : "data: '" + dataFile_ + "', bound at each :run") << "\n";
  } else if (cmd == "show") {
    args >> name;
    auto found = session_.show(name);
    if (found.empty()) {
      std::cerr << "error: nothing named '" << name << "'\n";
      fail(kExitUsage);
    }
    for (const auto& [key, text] : found) std::cout << text;
  } else if (cmd == "run") {
    std::string count;
    args >> name >> count;
    uint64_t samples = opts_.samples;
    if (!count.empty()) {
      std::string why;
      std::optional<uint64_t> v = rt::parseCount(count, 1, rt::kMaxSamples, &why);
      if (!v) {
        std::cerr << "error: :run " << name << ": sample count " << why << "\n";
        fail(kExitUsage);
        return true;
      }
      samples = *v;
    }
    if (const ir::QueryGraph* g = needQuery(name)) run(*g, samples);
  } else if (cmd == "ask") {
    ask(input.substr(input.find("ask", first) + 3));
  } else if (cmd == "ir" || cmd == "llvm") {
    args >> name;
    ir::QueryGraph g;
    if (const ir::QueryGraph* checked = needQuery(name)) {
      if (!ReplSession::optimize(*checked, &g, std::cerr)) fail(kExitRuntime);
      else if (cmd == "ir") ir::print(std::cout, g);
      else std::cout << backend::optimizedModuleText(g, backend::JitOptions{});
    }
  } else if (cmd == "set") {
    set(args);
  } else {
    std::cerr << "error: unknown command ':" << cmd << "' (try :help)\n";
    fail(kExitUsage);
  }
  return true;
}

}  // namespace

int runRepl(const ReplOptions& options) {
  bool interactive = isatty(0) != 0;
  Repl repl(options, interactive);
  for (const std::string& f : options.files) repl.load(f);
  LineReader reader(interactive, interactive ? LineReader::defaultHistoryFile() : "");
  if (interactive) std::cout << "MultiVerse REPL — :help for commands, :quit to leave\n";
  while (true) {
    std::cout.flush();
    std::optional<std::string> input = reader.read();
    if (!input) {
      if (interactive) std::cout << "\n";
      break;
    }
    if (!repl.handle(*input)) break;
  }
  std::cout.flush();
  return interactive ? kExitOk : repl.status();
}

}  // namespace mv::tools::repl
