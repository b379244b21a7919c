// runtime/SamplerMain.cpp — the command line of native sampler executables (`mvc build`): same
// options, output and exit statuses as `mvc run` for one query.
#include "runtime/CountArgs.h"
#include "runtime/DataBind.h"
#include "runtime/Driver.h"
#include "runtime/Gc.h"
#include "runtime/Mpi.h"
#include "runtime/QueryMeta.h"
#include "runtime/Report.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

namespace {

constexpr int kExitOk = 0, kExitUsage = 2, kExitRuntime = 3;

/// The same whole-number syntax and limits as mvc (runtime/CountArgs.h); `why` says what is wrong.
bool parseUnsigned(const std::string& text, uint64_t lo, uint64_t hi, uint64_t* out, std::string* why) {
  std::optional<uint64_t> v = mv::rt::parseCount(text, lo, hi, why);
  if (v) *out = *v;
  return v.has_value();
}

bool parsePositive(const std::string& text, double* out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v > 0) || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

int usage(const char* argv0, const std::string& message) {
  std::cerr << message << "\nusage: " << argv0
            << " [--samples N] [--seed S] [--threads T] [--format table|json] [--target-stderr E] [--target-ess K] [--data FILE]\n";
  return kExitUsage;
}

/// The diagnostic mvc would print for the failure of sample `e`.
std::string errorText(const mv_rt_query_meta& q, const mv_rt_error& e, uint64_t seed) {
  for (int32_t k = 0; k < q.num_errors; ++k) {
    const mv_rt_error_meta& m = q.errors[k];
    if (m.kind == e.kind && m.node == e.node && (m.param == e.param || e.kind == MV_RT_NAN_WEIGHT))
      return mv::rt::fillTemplate(m.text, e.value, seed, e.sample, 0);
  }
  return "error: run-time failure of kind " + std::to_string(e.kind) + " at node " + std::to_string(e.node) +
         " (seed " + std::to_string(seed) + ", sample " + std::to_string(e.sample) + ")\n";
}

}  // namespace

namespace {

int samplerMain(int argc, char** argv, const mv_rt_query_meta* meta, mv_rt_sample_fn fn) {
  uint64_t samples = 100000, seed = 1, threads = 0;
  std::string format = "table", dataFile;
  mv::rt::Targets targets;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    if (arg == "--help" || arg == "-h") {
      usage(argv[0], std::string("a MultiVerse sampler for query '") + meta->name + "' on model '" + meta->model + "'");
      return kExitOk;
    }
    const std::string name = arg.substr(0, arg.find('='));
    if (name != "--samples" && name != "--seed" && name != "--threads" && name != "--format" &&
        name != "--target-stderr" && name != "--target-ess" && name != "--data")
      return usage(argv[0], "error: unknown option '" + name + "'");
    if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return usage(argv[0], "error: " + arg + " needs a value");
    }
    bool ok = true;
    std::string why;
    if (arg == "--samples") ok = parseUnsigned(value, 1, mv::rt::kMaxSamples, &samples, &why);
    else if (arg == "--seed") ok = parseUnsigned(value, 0, UINT64_MAX, &seed, &why);
    else if (arg == "--threads") ok = parseUnsigned(value, 0, mv::rt::kMaxThreads, &threads, &why);
    else if (arg == "--format") ok = value == "table" || value == "json", format = value;
    else if (arg == "--target-stderr") ok = parsePositive(value, &targets.stderr);
    else if (arg == "--target-ess") ok = parsePositive(value, &targets.ess);
    else if (arg == "--data") dataFile = value;
    else return usage(argv[0], "error: unknown option '" + arg + "'");
    if (!ok) return usage(argv[0], "error: " + arg + ": " + (why.empty() ? "bad value '" + value + "'" : why));
  }
  // The data are bound before any sampling, with mvc's checks and messages (runtime/DataBind.h).
  std::vector<uint64_t> data;
  std::string dataErrors;
  if (!mv::rt::bindData(meta->data, meta->num_data, meta->data_size, dataFile, &data, &dataErrors)) {
    std::cerr << dataErrors;
    return kExitUsage;
  }
  // What a constant gets at compile time, data get here (spec/data.md §1): exit status 3.
  if (!mv::rt::checkBoundData(meta->data_checks, meta->num_data_checks, data.data(), dataFile, &dataErrors)) {
    if (format == "json") mv::rt::printJsonError(std::cout, *meta, dataErrors);
    std::cout.flush();
    std::cerr << dataErrors;
    return kExitRuntime;
  }
  mv::rt::RunConfig config;
  config.samples = samples;
  config.seed = seed;
  config.threads = threads > 0 ? int(threads) : mv::rt::defaultThreads();
  config.numPredictions = meta->num_predictions;
  config.separatedEvidence = meta->separated_evidence != 0;
  config.weightScale = meta->weight_scale;
  config.evidenceWeightScale = meta->evidence_weight_scale;
  config.summarize = format == "table";  // the distributions under the table, as `mvc run` prints them
  config.targetStderr = targets.stderr;
  config.targetEss = targets.ess;
  config.blockFn = meta->block;
  mv::rt::RunResult r = mv::rt::run(config, fn, data.data());  // the sample function's ctx: the data buffer
  if (!r.ok || r.acc.nonzero() == 0) {
    const std::string text =
        !r.ok ? errorText(*meta, r.error, seed) : mv::rt::fillTemplate(meta->all_zero, 0, seed, 0, samples);
    if (format == "json") mv::rt::printJsonError(std::cout, *meta, text);  // a pipeline sees which query failed
    std::cout.flush();
    std::cerr << text;
    return kExitRuntime;
  }
  mv::rt::RunInfo info{meta->engine, samples, seed, config.threads, targets};
  if (format == "json") mv::rt::printJson(std::cout, *meta, info, r);
  else mv::rt::printTable(std::cout, *meta, info, r);
  std::cout.flush();
  return kExitOk;
}

}  // namespace

extern "C" int mv_rt_sampler_main(int argc, char** argv, const mv_rt_query_meta* meta, mv_rt_sample_fn fn) {
  mv::rt::gcInit();
  // Under mpirun/srun the ranks split the samples and only rank 0 prints (docs/parallel.md);
  // the plugin is found through the RUNPATH `mvc build` set.
  if (int status = mv::rt::mpi::start({})) return status;
  return mv::rt::mpi::finish(samplerMain(argc, argv, meta, fn));
}
