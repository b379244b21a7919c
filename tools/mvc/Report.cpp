// tools/mvc/Report.cpp — table and JSON output; run-time failure messages.
#include "tools/mvc/Report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ostream>

namespace mv::tools {

namespace {

std::string num(double x) { return fmt::format("{:.17g}", x); }

nlohmann::ordered_json jsonNumber(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

}  // namespace

void printJson(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r) {
  nlohmann::ordered_json j;
  j["query"] = g.name;
  j["model"] = g.model;
  j["kind"] = ir::queryKindName(g.kind);
  j["samples"] = info.samples;
  j["seed"] = info.seed;
  j["threads"] = info.threads;
  j["engine"] = info.engine;
  j["ess"] = jsonNumber(r.acc.ess());
  j["log_evidence"] = jsonNumber(r.acc.logEvidence());
  j["seconds"] = r.seconds;
  j["nonzero_weights"] = r.acc.nonzero();
  auto preds = nlohmann::ordered_json::array();
  for (size_t k = 0; k < g.predictions.size(); ++k) {
    const ir::Prediction& p = g.predictions[k];
    nlohmann::ordered_json pj;
    pj["label"] = p.label;
    pj["world"] = ir::worldKindName(g.worlds[p.world].kind);
    pj["mean"] = jsonNumber(r.acc.mean(int(k)));
    pj["stderr"] = jsonNumber(r.acc.stderror(int(k)));
    preds.push_back(pj);
  }
  j["predictions"] = preds;
  os << j.dump() << "\n";
}

void printTable(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r) {
  os << fmt::format("query {} on {} ({})\n", g.name, g.model, ir::queryKindName(g.kind));
  os << fmt::format("  {} samples, seed {}, {} thread{}, engine {}, {:.3f} s\n", info.samples, info.seed,
                    info.threads, info.threads == 1 ? "" : "s", info.engine, r.seconds);
  os << fmt::format("  ess {:.1f}, log evidence {:.6g}\n", r.acc.ess(), r.acc.logEvidence());
  size_t width = 5;
  for (const ir::Prediction& p : g.predictions) width = std::max(width, p.label.size());
  os << fmt::format("  {:<{}}  {:<14}  {:>12}  {:>12}\n", "label", width, "world", "mean", "stderr");
  for (size_t k = 0; k < g.predictions.size(); ++k) {
    const ir::Prediction& p = g.predictions[k];
    os << fmt::format("  {:<{}}  {:<14}  {:>12.6g}  {:>12.4g}\n", p.label, width,
                      ir::worldKindName(g.worlds[p.world].kind), r.acc.mean(int(k)), r.acc.stderror(int(k)));
  }
}

void reportSampleError(DiagnosticEngine& diags, const ir::QueryGraph& g, const mv_rt_error& e, uint64_t seed) {
  std::string seedText = std::to_string(seed), sampleText = std::to_string(e.sample);
  const ir::Node* n = e.node >= 0 && size_t(e.node) < g.nodes.size() ? &g.nodes[size_t(e.node)] : nullptr;
  SourceLoc loc = n ? n->loc : g.loc;
  switch (e.kind) {
    case MV_RT_DOMAIN: {
      const ir::SiteInfo& s = n->site;
      bool proposal = e.param >= int32_t(s.numParams);
      const auto& dist = stdlib::distribution(proposal ? s.proposalDist : s.dist);
      int32_t k = proposal ? e.param - int32_t(s.numParams) : e.param;
      int32_t count = proposal ? s.numProposalParams : s.numParams;
      std::string param, domain;
      if (dist.id == stdlib::Distribution::Categorical) {
        param = k < count ? fmt::format("probs[{}]", k) : "probs";
        domain = k < count ? "probs >= 0" : "probs summing to 1";
      } else {
        param = std::string(dist.params[size_t(k)].name);
        domain = std::string(dist.params[size_t(k)].domainText);
      }
      std::string value = k < count ? num(e.value) : "a set that does not sum to 1";
      diags.report(DiagId::RuntimeDomain, loc,
                   {param, std::string(dist.name) + (proposal ? " (its proposal)" : ""), n->name.empty() ? "?" : n->name,
                    value, domain, seedText, sampleText});
      break;
    }
    case MV_RT_INDEX:
      diags.report(DiagId::RuntimeIndex, loc, {num(e.value), std::to_string(e.param), seedText, sampleText});
      break;
    case MV_RT_DIV_ZERO: diags.report(DiagId::RuntimeDivisionByZero, loc, {seedText, sampleText}); break;
    case MV_RT_NAN_PREDICTION: {
      const ir::Prediction& p = g.predictions[size_t(e.param)];
      diags.report(DiagId::RuntimeNaNPrediction, p.loc, {p.label, seedText, sampleText});
      break;
    }
    case MV_RT_NAN_WEIGHT:
      diags.report(DiagId::RuntimeNaNWeight, loc, {n && !n->name.empty() ? n->name : "?", seedText, sampleText});
      break;
    default:
      diags.report(DiagId::RuntimeNaNWeight, loc, {"?", seedText, sampleText});
      break;
  }
}

void reportAllZero(DiagnosticEngine& diags, const ir::QueryGraph& g, uint64_t samples) {
  Diagnostic& d = diags.report(DiagId::AllWeightsZero, g.loc, {g.name, std::to_string(samples)});
  for (const ir::Evidence& e : g.evidence) {
    const ir::Node& n = g.nodes[e.node];
    if (n.kind == ir::NodeKind::Site || e.invertedSite != ir::kNoNode) continue;
    if (n.type == ir::Scalar::Real)
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("'{}' is a deterministic real node checked by rejection, so '== {}' almost never holds; "
                          "write it as 'f + e' with an explicit noise site e so the evidence can be inverted",
                          n.name, num(e.value))});
    else
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("evidence on deterministic node '{}' is checked by rejection; it may be impossible or "
                          "rarer than 1 in {} samples", n.name, samples)});
  }
  for (const ir::Constraint& c : g.constraints)
    d.note(DiagId::NoteZeroWeightCause, c.loc, {"this constraint may never hold under the model"});
  if (g.evidence.empty() && g.constraints.empty())
    d.note(DiagId::NoteZeroWeightCause, g.loc, {"a site's observed value may lie outside its support"});
  else
    d.note(DiagId::NoteZeroWeightCause, g.loc,
           {"the evidence may be impossible under the model; otherwise try more samples or a 'propose' distribution"});
}

}  // namespace mv::tools
