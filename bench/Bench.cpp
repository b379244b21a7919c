// bench/Bench.cpp — mv_bench: throughput of the engines and the hand-written baselines, side by side.
//
//   mv_bench FILE --query Q [--engines jit,interp,jit-calls,jit-sample,hand] [--samples N] [--threads T]
//            [--repeat R] [--opt 2|3]
// Runs every engine R times, interleaved, through the runtime's parallel driver, and prints
// one JSON line per engine with the best and median samples/second (of wall and of process CPU
// time) and the compile time. `jit-sample` is the JIT through the driver's per-sample loop
// instead of its generated block function.
#include "backend/Interpreter.h"
#include "backend/WeightBound.h"
#include "backend/Jit.h"
#include "bench/baselines/Baselines.h"
#include "driver/Session.h"
#include "runtime/Driver.h"
#include "runtime/Reliability.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

namespace {

struct Engine {
  std::string name;
  mv_rt_sample_fn fn = nullptr;
  mv_rt_block_fn block = nullptr;  ///< the generated block function (jit, jit-calls), else per-sample
  void* ctx = nullptr;
  double compileSeconds = 0, generateSeconds = 0, optimizeSeconds = 0;
  std::vector<double> rates;
  std::vector<double> cpuRates;  ///< samples per second of process CPU time (steadier on a loaded machine)
};

double processCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, ',');) out.push_back(part);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: mv_bench FILE --query Q [--engines a,b] [--samples N] [--threads T] [--repeat R] [--opt L] [--disable-pass P]\n";
    return 2;
  }
  std::string file = argv[1], query, engines = "jit,interp";
  uint64_t samples = 1000000;
  int threads = 1, repeat = 3, opt = 2;
  mv::passes::PipelineOptions pipeline;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--query") query = v;
    else if (k == "--engines") engines = v;
    else if (k == "--samples") samples = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--threads") threads = std::atoi(v.c_str());
    else if (k == "--repeat") repeat = std::atoi(v.c_str());
    else if (k == "--opt") opt = std::atoi(v.c_str());
    else if (k == "--disable-pass") pipeline.disabled.push_back(v);
  }
  std::optional<std::string> text = mv::driver::readFile(file);
  mv::driver::Session session;
  if (!text || !mv::driver::compile(session, file, std::move(*text), pipeline, query)) {
    if (!text) std::cerr << "error: cannot read '" << file << "'\n";
    session.diags->print(std::cerr);
    std::cerr << session.internalError;
    return 1;
  }
  mv::ir::QueryGraph* g = nullptr;
  for (mv::ir::QueryGraph& q : session.queries)
    if (query.empty() || q.name == query) g = &q;
  if (!g) {
    std::cerr << "no query '" << query << "'\n";
    return 2;
  }

  mv::backend::Interpreter interp(*g);
  std::vector<std::unique_ptr<mv::backend::JitQuery>> jits;
  std::vector<Engine> list;
  for (const std::string& name : split(engines)) {
    Engine e{name};
    if (name == "interp") {
      e.fn = mv::backend::Interpreter::sampleFn;
      e.ctx = &interp;
    } else if (name == "jit" || name == "jit-calls" || name == "jit-sample") {
      mv::backend::JitOptions o;
      o.optLevel = opt;
      o.codegen.inlineRuntime = name != "jit-calls";
      std::string error;
      jits.push_back(mv::backend::JitQuery::compile(*g, o, &error));
      if (!jits.back()) {
        std::cerr << error << "\n";
        return 1;
      }
      e.fn = jits.back()->function();
      if (name != "jit-sample") e.block = jits.back()->blockFunction();  // jit-sample: the driver's per-sample loop
      e.compileSeconds = jits.back()->compileSeconds();
      e.generateSeconds = jits.back()->generateSeconds();
      e.optimizeSeconds = jits.back()->optimizeSeconds();
    } else if (name == "hand" && g->model == "network_0") {
      e.fn = mv::bench::network0Sample;
    } else if (name == "hand" && g->model == "linear_gaussian") {
      e.fn = mv::bench::linearGaussianSample;
    } else {
      std::cerr << "no engine '" << name << "' for model " << g->model << "\n";
      return 2;
    }
    list.push_back(e);
  }
  mv::rt::RunConfig config;
  config.samples = samples;
  config.threads = threads;
  config.numPredictions = int(g->predictions.size());
  config.separatedEvidence = g->hasSeparatedWeight();
  mv::backend::setWeightScales(config, *g);  // as the driver sets them
  std::vector<double> firstMean(list.size());
  for (int r = 0; r < repeat; ++r)
    for (size_t k = 0; k < list.size(); ++k) {
      const double cpu0 = processCpuSeconds();
      config.blockFn = list[k].block;
      mv::rt::RunResult res = mv::rt::run(config, list[k].fn, list[k].ctx);
      // The per-query diagnostics (k-hat fit, warnings) are part of the cost of a run.
      const auto t0 = std::chrono::steady_clock::now();
      if (res.ok && res.acc.nonzero() > 0) (void)mv::rt::assess(res, mv::rt::Targets{});
      const double assessSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      list[k].rates.push_back(double(samples) / (res.seconds + assessSeconds));
      list[k].cpuRates.push_back(double(samples) / (processCpuSeconds() - cpu0));
      firstMean[k] = res.ok && !g->predictions.empty() ? res.acc.mean(0) : 0;
    }
  for (size_t k = 0; k < list.size(); ++k) {
    std::vector<double> rates = list[k].rates;
    std::sort(rates.begin(), rates.end());
    const double bestCpu = *std::max_element(list[k].cpuRates.begin(), list[k].cpuRates.end());
    std::printf(
        "{\"file\":\"%s\",\"query\":\"%s\",\"engine\":\"%s\",\"threads\":%d,\"samples\":%llu,\"best_per_second\":%.4g,"
        "\"median_per_second\":%.4g,\"best_per_cpu_second\":%.4g,\"compile_seconds\":%.4f,\"generate_seconds\":%.4f,\"optimize_seconds\":%.4f,"
        "\"mean0\":%.17g}\n",
        file.c_str(), g->name.c_str(), list[k].name.c_str(), threads, (unsigned long long)samples, rates.back(),
        rates[rates.size() / 2], bestCpu, list[k].compileSeconds, list[k].generateSeconds, list[k].optimizeSeconds, firstMean[k]);
  }
  return 0;
}
