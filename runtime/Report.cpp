// runtime/Report.cpp — table and JSON output of estimates (moved from tools/mvc so native samplers share it).
#include "runtime/Report.h"

#include "runtime/Version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <ostream>

namespace mv::rt {

namespace {

nlohmann::ordered_json jsonNumber(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

/// The distribution of one prediction under its table row: the probability of each value
/// for integral (bool, int) predictions, else the standard deviation and a histogram.
void printSummary(std::ostream& os, const PredictionSummary& p) {
  constexpr size_t kShown = 16;
  if (p.integral()) {
    double other = 0;
    std::vector<std::pair<double, double>> dist = p.distribution(&other);
    if (dist.empty()) return;
    std::string line = "    P:";
    for (size_t i = 0; i < dist.size() && i < kShown; ++i) line += fmt::format("  {}: {:.4f}", dist[i].first, dist[i].second);
    if (dist.size() > kShown) line += fmt::format("  ({} more values)", dist.size() - kShown);
    if (other > 0) line += fmt::format("  other: {:.4f}", other);
    os << line << "\n";
    return;
  }
  double lo = 0, hi = 0;
  std::string spark = p.sparkline(&lo, &hi);
  os << fmt::format("    sd {:.6g}  {}  [{:.4g}, {:.4g})\n", p.sd(), spark, lo, hi);
}

}  // namespace

void printJson(std::ostream& os, const mv_rt_query_meta& q, const RunInfo& info, const RunResult& r) {
  const Reliability rel = assess(r, info.targets);
  nlohmann::ordered_json j;
  j["query"] = q.name;
  j["model"] = q.model;
  j["kind"] = q.kind;
  j["samples"] = r.acc.count();
  j["seed"] = info.seed;
  j["threads"] = info.threads;
  j["engine"] = info.engine;
  j["ess"] = jsonNumber(rel.ess);
  j["log_evidence"] = jsonNumber(r.logEvidence());
  j["seconds"] = r.seconds;
  j["nonzero_weights"] = r.acc.nonzero();
  j["version"] = projectVersion();
  j["ess_per_sample"] = jsonNumber(rel.essPerSample);
  j["max_weight"] = jsonNumber(rel.maxWeight);
  j["pareto_k"] = jsonNumber(rel.khat);
  if (info.targets.stderr > 0 || info.targets.ess > 0) {
    nlohmann::ordered_json t;
    if (info.targets.stderr > 0) t["stderr"] = info.targets.stderr;
    if (info.targets.ess > 0) t["ess"] = info.targets.ess;
    t["max_samples"] = info.samples;
    t["met"] = r.targetMet;
    j["target"] = t;
  }
  j["warnings"] = rel.warnings;
  auto preds = nlohmann::ordered_json::array();
  for (int32_t k = 0; k < q.num_predictions; ++k) {
    nlohmann::ordered_json pj;
    pj["label"] = q.predictions[k].label;
    pj["world"] = q.predictions[k].world;
    pj["mean"] = jsonNumber(r.acc.mean(int(k)));
    pj["stderr"] = jsonNumber(r.acc.stderror(int(k)));
    preds.push_back(pj);
  }
  j["predictions"] = preds;
  os << j.dump() << "\n";
}

void printJsonError(std::ostream& os, const mv_rt_query_meta& q, const std::string& diagnostic) {
  nlohmann::ordered_json j;
  j["query"] = q.name;
  j["model"] = q.model;
  j["kind"] = q.kind;
  j["engine"] = q.engine;
  j["error"] = diagnostic.substr(0, diagnostic.find('\n'));
  os << j.dump() << "\n";
}

void printTable(std::ostream& os, const mv_rt_query_meta& q, const RunInfo& info, const RunResult& r) {
  const Reliability rel = assess(r, info.targets);
  os << fmt::format("query {} on {} ({})\n", q.name, q.model, q.kind);
  std::string target;
  if (info.targets.stderr > 0 || info.targets.ess > 0)
    target = fmt::format(" (target {}, at most {})", r.targetMet ? "met" : "not met", info.samples);
  os << fmt::format("  {} samples{}, seed {}, {} thread{}, engine {}, {:.3f} s\n", r.acc.count(), target, info.seed,
                    info.threads, info.threads == 1 ? "" : "s", info.engine, r.seconds);
  const std::string khat = std::isnan(rel.khat) ? "n/a" : fmt::format("{:.2f}", rel.khat);
  os << fmt::format("  ess {:.1f} ({:.3g} of samples), max weight {:.3g}, k-hat {}, log evidence {:.6g}\n", rel.ess,
                    rel.essPerSample, rel.maxWeight, khat, r.logEvidence());
  for (const std::string& w : rel.warnings) os << "  warning: " << w << "\n";
  size_t width = 5;
  for (int32_t k = 0; k < q.num_predictions; ++k) width = std::max(width, std::strlen(q.predictions[k].label));
  os << fmt::format("  {:<{}}  {:<14}  {:>12}  {:>12}\n", "label", width, "world", "mean", "stderr");
  for (int32_t k = 0; k < q.num_predictions; ++k) {
    os << fmt::format("  {:<{}}  {:<14}  {:>12.6g}  {:>12.4g}\n", q.predictions[k].label, width, q.predictions[k].world,
                      r.acc.mean(int(k)), r.acc.stderror(int(k)));
    if (k < r.summary.numPredictions()) printSummary(os, r.summary.prediction(int(k)));
  }
}

std::string fillTemplate(const char* text, double value, uint64_t seed, uint64_t sample, uint64_t samples) {
  std::string out;
  for (const char* c = text; *c; ++c) {
    switch (*c) {
      case '\x01': out += fmt::format("{}", value); break;  // shortest exact form
      case '\x02': out += std::to_string(seed); break;
      case '\x03': out += std::to_string(sample); break;
      case '\x04': out += std::to_string(samples); break;
      case '\x05': out += std::to_string(std::bit_cast<int64_t>(value)); break;  // mv_rt_error::int_value
      default: out += *c;
    }
  }
  return out;
}

}  // namespace mv::rt
