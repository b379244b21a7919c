// driver/Report.cpp — table and JSON output (printed by runtime/Report.cpp); run-time failure messages.
#include "driver/Report.h"

#include "driver/DataBinding.h"
#include "driver/Engines.h"

#include "ir/Printer.h"
#include "runtime/Report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

namespace mv::driver {

namespace {

/// The shortest text that reads back as exactly `x` (fmt's `{}`): "2.3", not "2.2999999999999998".
std::string num(double x) { return fmt::format("{}", x); }

/// The runtime's view of `g` for printing; the strings stay owned by `g` and `worlds`.
struct MetaView {
  std::vector<std::string> worlds;  ///< the predictions' `world` texts, which `predictions` point into
  std::vector<mv_rt_prediction_meta> predictions;
  mv_rt_query_meta meta{};
};

MetaView metaOf(const ir::QueryGraph& g, const std::string& engine) {
  MetaView v;
  for (const ir::Prediction& p : g.predictions) v.worlds.push_back(g.predictionWorlds(p));
  for (size_t k = 0; k < g.predictions.size(); ++k)
    v.predictions.push_back({g.predictions[k].label.c_str(), v.worlds[k].c_str()});
  v.meta = mv_rt_query_meta{g.name.c_str(), g.model.c_str(), ir::queryKindName(g.kind), engine.c_str(),
                            int32_t(v.predictions.size()), v.predictions.data(), 0, nullptr, "", 0};
  return v;
}

}  // namespace

void printJson(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r) {
  MetaView v = metaOf(g, info.engine);
  rt::printJson(os, v.meta, info, r);
}

void printJsonError(std::ostream& os, const ir::QueryGraph& g, const std::string& engine, const DiagnosticEngine& diags) {
  MetaView v = metaOf(g, engine);
  std::ostringstream text;
  for (const Diagnostic& d : diags.diagnostics())
    if (d.severity == Severity::Error) {
      diags.printOne(text, d);
      break;
    }
  rt::printJsonError(os, v.meta, text.str());
}

void printTable(std::ostream& os, const ir::QueryGraph& g, const RunInfo& info, const rt::RunResult& r) {
  MetaView v = metaOf(g, info.engine);
  rt::printTable(os, v.meta, info, r);
}

namespace {

/// reportSampleError with the seed, sample and value already as text (or placeholders).
void reportSampleErrorText(DiagnosticEngine& diags, const ir::QueryGraph& g, const mv_rt_error& e,
                           const std::string& seedText, const std::string& sampleText, const std::string& valueText) {
  const ir::Node* n = e.node >= 0 && size_t(e.node) < g.nodes.size() ? &g.nodes[size_t(e.node)] : nullptr;
  SourceLoc loc = n ? n->loc : g.loc;
  switch (e.kind) {
    case MV_RT_DOMAIN: {
      const ir::SiteInfo& s = n->site;
      bool proposal = e.param >= s.proposalErrorParam(0);
      const auto& dist = stdlib::distribution(proposal ? s.proposalDist : s.dist);
      int32_t k = proposal ? e.param - s.proposalErrorParam(0) : e.param;
      int32_t count = proposal ? s.numProposalParams : s.numParams;
      std::string param, domain;
      // An array parameter first (categorical's probs; truncated(categorical(...), lo, hi) has
      // scalars after it) takes the values the scalars leave: an element, or (k = count) the sum.
      const bool array = !dist.params.empty() && dist.params[0].isArray;
      const int32_t elements = array ? count - int32_t(dist.params.size()) + 1 : 0;
      if (array && (k < elements || k >= count)) {
        const stdlib::ParamInfo& a = dist.params[0];
        param = k < count ? fmt::format("{}[{}]", a.name, k) : std::string(a.name);
        domain = std::string(k < count ? a.elementText : a.sumText);
      } else {
        const size_t i = array ? size_t(k - elements + 1) : size_t(k);
        param = std::string(dist.params[i].name);
        domain = std::string(dist.params[i].domainText);
      }
      std::string value = k < count ? valueText : "a set that does not sum to 1";
      diags.report(DiagId::RuntimeDomain, loc,
                   {param, std::string(dist.name) + (proposal ? " (its proposal)" : ""), n->name.empty() ? "?" : n->name,
                    value, domain, seedText, sampleText});
      break;
    }
    case MV_RT_PROPOSAL_SUPPORT: {
      const ir::SiteInfo& s = n->site;
      diags.report(DiagId::RuntimeProposalCoverage, loc,
                   {std::string(stdlib::distribution(s.proposalDist).name), n->name.empty() ? "?" : n->name, valueText,
                    std::string(stdlib::distribution(s.dist).name), seedText, sampleText})
          .note(DiagId::NoteProposalCoverage, loc);
      break;
    }
    case MV_RT_INDEX:
      diags.report(DiagId::RuntimeIndex, loc, {valueText, std::to_string(e.param), seedText, sampleText});
      break;
    case MV_RT_DIV_ZERO: diags.report(DiagId::RuntimeDivisionByZero, loc, {seedText, sampleText}); break;
    case MV_RT_NAN_PREDICTION: {
      const ir::Prediction& p = g.predictions[size_t(e.param)];
      diags.report(DiagId::RuntimeNaNPrediction, p.loc, {p.label, seedText, sampleText});
      break;
    }
    case MV_RT_INF_PREDICTION: {
      const ir::Prediction& p = g.predictions[size_t(e.param)];
      diags.report(DiagId::RuntimeInfinitePrediction, p.loc, {p.label, valueText, seedText, sampleText});
      break;
    }
    case MV_RT_FACTOR:  // param 0: NaN, 1: +inf
      diags.report(DiagId::RuntimeFactor, loc, {e.param == 0 ? "NaN" : "+inf", seedText, sampleText});
      break;
    case MV_RT_NAN_WEIGHT:
      diags.report(DiagId::RuntimeNaNWeight, loc, {n && !n->name.empty() ? n->name : "?", seedText, sampleText});
      break;
    default:
      diags.report(DiagId::RuntimeNaNWeight, loc, {"?", seedText, sampleText});
      break;
  }
}

/// Whether error `e` carries an int (mv_rt_error::int_value): an array index, or a domain
/// error of an int parameter (binomial's n).
bool intValued(const ir::QueryGraph& g, const mv_rt_error& e) {
  if (e.kind == MV_RT_INDEX) return true;
  if (e.kind != MV_RT_DOMAIN || e.node < 0 || size_t(e.node) >= g.nodes.size()) return false;
  const ir::Node& n = g.nodes[size_t(e.node)];
  return e.param >= 0 && size_t(e.param) < n.operands.size() &&
         g.nodes[n.operands[size_t(e.param)]].type != ir::Scalar::Real;
}

}  // namespace

void reportSampleError(DiagnosticEngine& diags, const ir::QueryGraph& g, const mv_rt_error& e, uint64_t seed) {
  reportSampleErrorText(diags, g, e, std::to_string(seed), std::to_string(e.sample),
                        intValued(g, e) ? std::to_string(e.int_value) : num(e.value));
}

void reportExactError(DiagnosticEngine& diags, const SourceManager& sources, const ir::QueryGraph& g,
                      const mv_rt_error& e, const std::string& assignment) {
  DiagnosticEngine scratch(sources);
  reportSampleErrorText(scratch, g, e, "\x02", "\x03", intValued(g, e) ? std::to_string(e.int_value) : num(e.value));
  const Diagnostic& d = scratch.diagnostics().front();
  std::string message = d.message;
  // Enumeration has no seed or sample index: the assignment says where it failed instead.
  if (size_t at = message.rfind(" (seed \x02, sample \x03)"); at != std::string::npos) message.erase(at);
  diags.report(DiagId::ExactRuntime, d.loc, {message, assignment.empty() ? "with no site enumerated" : assignment});
}

namespace {

void reportAllZeroText(DiagnosticEngine& diags, const ir::QueryGraph& g, const std::string& samplesText) {
  Diagnostic& d = diags.report(DiagId::AllWeightsZero, g.loc, {g.name, samplesText});
  for (const ir::Evidence& e : g.evidence) {
    const ir::Node& n = g.nodes[e.node];
    // The observed value as written: a constant, or the data element ("data Y[3]").
    auto real = [&] { return e.isData() ? ir::observedText(g, e) : num(e.value.asReal()); };
    if (e.invertedSite != ir::kNoNode) continue;
    if (e.world != 0 && n.kind != ir::NodeKind::Site && n.type == ir::Scalar::Real) {
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("'{}' is a deterministic real node, checked by rejection in world '{}' where it is "
                          "recomputed, so '== {}' almost never holds; observe an explicit noise site instead",
                          n.name, g.worldName(e.world), real())});
      continue;
    }
    if (e.world != 0) {
      // worlds.md §5: the evidence holds in its world, on the factual value where it keeps it.
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("the evidence '{} == {}' in world '{}' may be impossible there", n.name,
                          ir::observedText(g, e), g.worldName(e.world))});
      continue;
    }
    if (n.kind == ir::NodeKind::Site) {
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("the observed value {} of site '{}' may have probability zero under its distribution",
                          ir::observedText(g, e), n.name)});
      continue;
    }
    if (n.type == ir::Scalar::Real)
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("'{}' is a deterministic real node checked by rejection, so '== {}' almost never holds; "
                          "write it as 'f + e' with an explicit noise site e so the evidence can be inverted",
                          n.name, real())});
    else
      d.note(DiagId::NoteZeroWeightCause, e.loc,
             {fmt::format("evidence on deterministic node '{}' is checked by rejection; it may be impossible or "
                          "rarer than 1 in {} samples", n.name, samplesText)});
  }
  for (const ir::Constraint& c : g.constraints)
    d.note(DiagId::NoteZeroWeightCause, c.loc,
           {c.world == 0 ? std::string("this constraint may never hold under the model")
                         : fmt::format("this constraint in world '{}' may never hold there", g.worldName(c.world))});
  for (const ir::Node& n : g.nodes)
    if (n.kind == ir::NodeKind::Factor && n.home != 0)
      d.note(DiagId::NoteZeroWeightCause, n.loc,
             {fmt::format("this factor in world '{}' may be -inf in every sample", g.worldName(n.home))});
  if (g.evidence.empty() && g.constraints.empty())
    d.note(DiagId::NoteZeroWeightCause, g.loc, {"a site's observed value may lie outside its support"});
  else
    d.note(DiagId::NoteZeroWeightCause, g.loc,
           {"the evidence may be impossible under the model; otherwise try more samples or a 'propose' distribution"});
}

}  // namespace

bool reportCodeTooLarge(DiagnosticEngine& diags, const ir::QueryGraph& g, uint64_t maxCodeNodes) {
  const uint64_t n = codeNodes(g);
  if (n <= maxCodeNodes) return false;
  diags.report(DiagId::CodeTooLarge, g.loc, {g.name, std::to_string(n), std::to_string(maxCodeNodes)})
      .note(DiagId::NoteCodeTooLarge, g.loc);
  return true;
}

void reportAllZero(DiagnosticEngine& diags, const ir::QueryGraph& g, uint64_t samples) {
  reportAllZeroText(diags, g, std::to_string(samples));
}

backend::NativeMessages renderNativeMessages(const SourceManager& sources, const ir::QueryGraph& g) {
  // Placeholders of runtime/QueryMeta.h, filled in by the native sampler.
  const std::string value = "\x01", seed = "\x02", sample = "\x03", samples = "\x04", intValue = "\x05";
  backend::NativeMessages out;
  auto render = [&](int32_t kind, int32_t node, int32_t param) {
    DiagnosticEngine diags(sources);
    mv_rt_error e{kind, node, param, 0, 0};
    reportSampleErrorText(diags, g, e, seed, sample, intValued(g, e) ? intValue : value);
    std::ostringstream os;
    diags.print(os);
    out.errors.push_back({kind, node, param, os.str()});
  };
  for (ir::NodeId id = 0; id < g.nodes.size(); ++id) {
    const ir::Node& n = g.nodes[id];
    if (n.kind == ir::NodeKind::Site) {
      const ir::SiteInfo& s = n.site;
      const bool sum = stdlib::distribution(s.dist).checksSum();
      for (int32_t k = 0; k < int32_t(s.numParams) + (sum ? 1 : 0); ++k) render(MV_RT_DOMAIN, int32_t(id), k);
      if (s.proposal == ir::ProposalKind::Distribution) {
        const bool qSum = stdlib::distribution(s.proposalDist).checksSum();
        for (int32_t k = 0; k < int32_t(s.numProposalParams) + (qSum ? 1 : 0); ++k)
          render(MV_RT_DOMAIN, int32_t(id), s.proposalErrorParam(k));
        if (!s.conditionalProposal) render(MV_RT_PROPOSAL_SUPPORT, int32_t(id), -1);
      }
    }
    if (n.kind == ir::NodeKind::IndexSelect) render(MV_RT_INDEX, int32_t(id), int32_t(n.operands.size() - 1));
    if (n.kind == ir::NodeKind::Mod) render(MV_RT_DIV_ZERO, int32_t(id), -1);
    if (n.kind == ir::NodeKind::Factor) render(MV_RT_FACTOR, int32_t(id), 0), render(MV_RT_FACTOR, int32_t(id), 1);
    // Only a site's density or a factor changes the weight, so only they can make it NaN.
    if (n.kind == ir::NodeKind::Site || n.kind == ir::NodeKind::Factor) render(MV_RT_NAN_WEIGHT, int32_t(id), -1);
  }
  render(MV_RT_NAN_WEIGHT, -1, -1);
  for (size_t k = 0; k < g.predictions.size(); ++k) {
    render(MV_RT_NAN_PREDICTION, -1, int32_t(k));
    render(MV_RT_INF_PREDICTION, -1, int32_t(k));
  }
  for (const mv_rt_data_meta& d : renderDataMeta(sources, g.data, g.dataSize).decls) out.dataTexts.push_back(d.text);
  out.dataChecks = renderDataChecks(sources, g);
  DiagnosticEngine diags(sources);
  reportAllZeroText(diags, g, samples);
  std::ostringstream os;
  diags.print(os);
  out.allZero = os.str();
  return out;
}

}  // namespace mv::driver
