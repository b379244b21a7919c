// driver/ExactRun.cpp — the exact engine's answers (JSON line or table) and its refusals as diagnostics.
#include "driver/ExactRun.h"

#include "backend/Exact.h"
#include "driver/DataBinding.h"
#include "driver/Report.h"
#include "runtime/Version.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace mv::driver {
namespace {

nlohmann::ordered_json number(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

std::string siteName(const ir::QueryGraph& g, ir::NodeId id) {
  return id < g.nodes.size() && !g.nodes[id].name.empty() ? g.nodes[id].name : "?";
}

/// "a = true, b = 2, counterfactual c = false": the enumerated sites where a run-time error happened.
std::string assignmentText(const ir::QueryGraph& g, const backend::ExactResult& r) {
  std::string out;
  for (const backend::ExactAssignment& a : r.assignment) {
    if (!out.empty()) out += ", ";
    if (a.world != 0) out += g.worldName(a.world) + " ";
    const bool isBool = a.node < g.nodes.size() && g.nodes[a.node].type == ir::Scalar::Bool;
    out += fmt::format("{} = {}", siteName(g, a.node), isBool ? (a.value != 0 ? "true" : "false") : fmt::format("{}", a.value));
  }
  return out;
}

void reportFailure(DiagnosticEngine& diags, const SourceManager& sources, const ir::QueryGraph& g,
                   const backend::ExactResult& r, const ExactRequest& req) {
  const ir::Node* site = r.site < g.nodes.size() ? &g.nodes[r.site] : nullptr;
  std::string dist = site ? std::string(stdlib::distribution(site->site.dist).name) : "?";
  switch (r.failure) {
    case backend::ExactFailure::None: break;
    case backend::ExactFailure::ContinuousSite:
      diags.report(DiagId::ExactContinuousSite, site->loc, {siteName(g, r.site), dist});
      break;
    case backend::ExactFailure::UnboundedSite:
      diags.report(DiagId::ExactUnboundedSite, site->loc, {siteName(g, r.site), dist});
      break;
    case backend::ExactFailure::TooManyAssignments: {
      if (r.counted) {  // refused before enumerating
        const backend::AssignmentBounds& b = r.bounds;
        std::string needed = b.exact ? b.lower.text() : "at least " + b.lower.text();
        Diagnostic& d = diags.report(DiagId::ExactAssignmentCount, g.loc,
                                     {g.name, needed, std::to_string(req.maxAssignments)});
        if (site) d.note(DiagId::NoteExactCountPassesLimit, site->loc, {siteName(g, r.site)});
        break;
      }
      Diagnostic& d = diags.report(DiagId::ExactTooManyAssignments, g.loc, {g.name, std::to_string(req.maxAssignments)});
      if (site) d.note(DiagId::NoteExactLimitReached, site->loc, {siteName(g, r.site)});
      break;
    }
    case backend::ExactFailure::Runtime: reportExactError(diags, sources, g, r.error, assignmentText(g, r)); break;
  }
}

void printExactTable(std::ostream& os, const ir::QueryGraph& g, const backend::ExactResult& r) {
  os << fmt::format("query {} on {} ({})\n", g.name, g.model, ir::queryKindName(g.kind));
  os << fmt::format("  exact: {} assignments ({} with non-zero weight), {:.3f} s\n", r.assignments, r.nonzero,
                    r.seconds);
  os << fmt::format("  log evidence {:.6g}\n", r.logEvidence);
  size_t width = 5;
  for (const ir::Prediction& p : g.predictions) width = std::max(width, p.label.size());
  os << fmt::format("  {:<{}}  {:<14}  {:>20}\n", "label", width, "world", "mean");
  for (size_t k = 0; k < g.predictions.size(); ++k)
    os << fmt::format("  {:<{}}  {:<14}  {:>20}\n", g.predictions[k].label, width,
                      g.predictionWorlds(g.predictions[k]), r.means[k]);
}

}  // namespace

void printExactJson(std::ostream& os, const ir::QueryGraph& g, const backend::ExactResult& r) {
  nlohmann::ordered_json j;
  j["query"] = g.name;
  j["model"] = g.model;
  j["kind"] = ir::queryKindName(g.kind);
  // Enumeration draws nothing: samples, seed and ESS are null (language.md §8 lists them
  // among the keys every line has, so they stay, saying "not applicable"); it runs on one
  // thread. It reports what it enumerated instead, and its estimates have no Monte Carlo
  // error (stderr 0).
  j["samples"] = nullptr;
  j["seed"] = nullptr;
  j["threads"] = 1;
  j["engine"] = "exact";
  j["ess"] = nullptr;
  j["log_evidence"] = number(r.logEvidence);
  j["seconds"] = r.seconds;
  j["assignments"] = r.assignments;
  j["nonzero_assignments"] = r.nonzero;
  j["warnings"] = nlohmann::ordered_json::array();
  auto preds = nlohmann::ordered_json::array();
  for (size_t k = 0; k < g.predictions.size(); ++k) {
    nlohmann::ordered_json pj;
    pj["label"] = g.predictions[k].label;
    pj["world"] = g.predictionWorlds(g.predictions[k]);
    pj["mean"] = number(r.means[k]);
    pj["stderr"] = 0.0;
    preds.push_back(pj);
  }
  j["predictions"] = preds;
  j["version"] = rt::projectVersion();  // last: the keys before it are as they were
  os << j.dump() << "\n";
}

void reportExactOutcome(DiagnosticEngine& diags, const SourceManager& sources, const ir::QueryGraph& g,
                        const backend::ExactResult& r, const ExactRequest& request) {
  if (r.failure != backend::ExactFailure::None) reportFailure(diags, sources, g, r, request);
  else if (r.nonzero == 0) reportAllZero(diags, g, r.assignments);
}

int runExactQuery(const Session& s, const ir::QueryGraph& g, const ExactRequest& request) {
  DiagnosticEngine diags(s.sources);
  backend::ExactResult r;
  // The bound data's checks come first (spec/data.md §1), as on every engine.
  if (!reportDataChecks(diags, g, request.data, request.dataFile)) {
    r = backend::runExact(g, backend::ExactOptions{request.maxAssignments, request.data});
    reportExactOutcome(diags, s.sources, g, r, request);
  }
  if (diags.hasErrors()) {
    if (request.format == "json") printJsonError(std::cout, g, "exact", diags);
    std::cout.flush();
    diags.print(std::cerr);
    return kExitRuntime;
  }
  if (request.format == "json") printExactJson(std::cout, g, r);
  else printExactTable(std::cout, g, r);
  std::cout.flush();
  return kExitOk;
}

}  // namespace mv::driver
