// bench/Latency.cpp — mv_latency: where the time of a short `mvc run` goes, phase by phase, in one process.
//
//   mv_latency FILE [--query Q] [--samples N] [--threads T] [--compiles K] [--cache-dir D]
// Does what `mvc run FILE --samples N` does for its first query (or Q) — parse and passes, the
// JIT's block function, the sampling run, the table — with a clock around each phase, and
// prints one JSON line of milliseconds. The first compile in the process is the cold one;
// --compiles K > 1 compiles the query K - 1 more times (warm) and reports their median CPU time. When
// the environment has MV_LATENCY_T0 (CLOCK_MONOTONIC nanoseconds taken just before this
// process was started, bench/latency.py sets it), "start" is the time from there to main().
// Linked against the same libraries as mvc, so its start-up costs what mvc's does.
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "driver/Report.h"
#include "driver/Session.h"
#include "runtime/Driver.h"
#include "runtime/Gc.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

namespace {

double monotonicMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return 1e3 * double(ts.tv_sec) + 1e-6 * double(ts.tv_nsec);
}

double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return 1e3 * double(ts.tv_sec) + 1e-6 * double(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  const double mainAt = monotonicMs();
  const double mainCpu = cpuMs();
  mv::rt::gcInit();  // as mvc's main does, before any TBB use
  if (argc < 2) {
    std::cerr << "usage: mv_latency FILE [--query Q] [--samples N] [--threads T] [--compiles K] [--cache-dir D]\n";
    return 2;
  }
  std::string file = argv[1], query;
  uint64_t samples = 1;
  int threads = 1, compiles = 1;
  mv::backend::JitOptions options;  // --cache-dir D: read and fill the on-disk cache in D, as mvc run does
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--query") query = v;
    else if (k == "--samples") samples = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--threads") threads = std::atoi(v.c_str());
    else if (k == "--compiles") compiles = std::max(1, std::atoi(v.c_str()));
    else if (k == "--cache-dir") options.cacheDir = v;
  }
  double startMs = -1;
  if (const char* t0 = std::getenv("MV_LATENCY_T0")) startMs = mainAt - 1e-6 * std::strtod(t0, nullptr);

  // Parse, check and the pass pipeline, as `mvc run` does (driver::compileEach), first query.
  const double parseAt = monotonicMs(), parseCpuAt = cpuMs();
  std::optional<std::string> text = mv::driver::readFile(file);
  if (!text) {
    std::cerr << "error: cannot read '" << file << "'\n";
    return 2;
  }
  mv::driver::Session session;
  std::optional<mv::ir::QueryGraph> graph;
  bool ok = mv::driver::compileEach(session, file, std::move(*text), mv::passes::PipelineOptions{}, query,
                                    [] { return true; },
                                    [&](mv::ir::QueryGraph& g) {
                                      graph = std::move(g);
                                      return false;
                                    });
  if (!ok || !graph) {
    session.diags->print(std::cerr);
    std::cerr << session.internalError << (ok ? "no query to run\n" : "");
    return 1;
  }
  const mv::ir::QueryGraph& g = *graph;
  const double parseMs = monotonicMs() - parseAt, parseCpu = cpuMs() - parseCpuAt;

  // The JIT: what driver::runJit compiles (the block function alone).
  std::string error;
  std::unique_ptr<mv::backend::JitQuery> q = mv::backend::JitQuery::compile(g, options, &error);
  if (!q) {
    std::cerr << "cannot JIT-compile: " << error << "\n";
    return 1;
  }
  std::vector<double> warm;
  for (int k = 1; k < compiles; ++k) {
    auto again = mv::backend::JitQuery::compile(g, options, &error);
    if (!again) continue;
    const mv::backend::JitQuery::Phases& c = again->cpuPhases();
    warm.push_back(1e3 * (c.init + c.generate + c.cache + c.optimize + c.machine));  // CPU ms
  }
  std::sort(warm.begin(), warm.end());

  mv::rt::RunConfig config;
  config.samples = samples;
  config.seed = 1;
  config.threads = threads;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  config.summarize = true;  // the table output
  config.blockFn = q->blockFunction();
  const double runAt = monotonicMs(), runCpuAt = cpuMs();
  mv::rt::RunResult r = mv::rt::run(config, nullptr, nullptr);
  const double runMs = monotonicMs() - runAt, runCpu = cpuMs() - runCpuAt;
  r.compileSeconds = q->compileSeconds();

  const double reportAt = monotonicMs(), reportCpuAt = cpuMs();
  std::ostringstream table;
  mv::driver::printTable(table, g, mv::driver::RunInfo{"jit", samples, 1, threads}, r);
  const double reportMs = monotonicMs() - reportAt, reportCpu = cpuMs() - reportCpuAt;

  const double endAt = monotonicMs();
  const mv::backend::JitQuery::Phases& w = q->wallPhases();
  const mv::backend::JitQuery::Phases& c = q->cpuPhases();
  std::printf(
      "{\"file\":\"%s\",\"query\":\"%s\",\"start_ms\":%.3f,\"start_cpu_ms\":%.3f,"
      "\"parse_passes_ms\":%.3f,\"parse_passes_cpu_ms\":%.3f,\"jit_init_ms\":%.3f,\"jit_init_cpu_ms\":%.3f,"
      "\"codegen_ms\":%.3f,\"codegen_cpu_ms\":%.3f,\"cache_ms\":%.3f,\"cache_cpu_ms\":%.3f,\"cache_hit\":%s,"
      "\"optimize_ms\":%.3f,\"optimize_cpu_ms\":%.3f,"
      "\"machine_link_ms\":%.3f,\"machine_link_cpu_ms\":%.3f,\"compile_ms\":%.3f,\"compile_cpu_ms\":%.3f,"
      "\"warm_compile_ms\":%.3f,\"sampling_ms\":%.3f,\"sampling_cpu_ms\":%.3f,\"report_ms\":%.3f,"
      "\"report_cpu_ms\":%.3f,\"main_ms\":%.3f,\"main_cpu_ms\":%.3f,\"end_monotonic_ns\":%.0f,"
      "\"table_bytes\":%zu,\"ok\":%s}\n",
      file.c_str(), g.name.c_str(), startMs, mainCpu, parseMs, parseCpu, 1e3 * w.init, 1e3 * c.init,
      1e3 * w.generate, 1e3 * c.generate, 1e3 * w.cache, 1e3 * c.cache, q->cacheHit() ? "true" : "false",
      1e3 * w.optimize, 1e3 * c.optimize, 1e3 * w.machine, 1e3 * c.machine,
      1e3 * (w.init + w.generate + w.cache + w.optimize + w.machine),
      1e3 * (c.init + c.generate + c.cache + c.optimize + c.machine),
      warm.empty() ? -1.0 : warm[warm.size() / 2], runMs, runCpu, reportMs, reportCpu, endAt - mainAt,
      cpuMs() - mainCpu, 1e6 * endAt, table.str().size(), r.ok ? "true" : "false");
  std::fflush(stdout);
  return 0;
}
