// driver/Program.cpp — compile once, run many times: structured results and diagnostics for embedders.
#include "driver/Program.h"

#include "backend/Exact.h"
#include "driver/DataBinding.h"
#include "driver/ExactRun.h"
#include "runtime/DataBind.h"
#include "driver/Report.h"
#include "runtime/Reliability.h"
#include "runtime/Gc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <tuple>

namespace mv::driver {

namespace {

DiagnosticRecord recordOf(const SourceManager& sources, const Diagnostic& d) {
  DiagnosticRecord r;
  if (d.loc.valid()) {
    r.file = sources.name(d.loc.file);
    r.line = d.loc.line;
    r.column = d.loc.col;
  }
  r.severity = d.severity;
  r.name = diagName(d.id);
  r.message = d.message;
  for (const Diagnostic& n : d.notes) r.notes.push_back(recordOf(sources, n));
  return r;
}

/// Appends the diagnostics of `diags` to `out` as records and as printed text.
void collect(const SourceManager& sources, const DiagnosticEngine& diags, std::vector<DiagnosticRecord>* out,
             std::string* text) {
  for (DiagnosticRecord& r : diagnosticRecords(sources, diags)) out->push_back(std::move(r));
  std::ostringstream os;
  diags.print(os);
  *text += os.str();
}

struct CompileCall {
  Program* program;
  Session* session;
  const std::string* name;
  std::string* text;
  const passes::PipelineOptions* pipeline;
  bool ok = false;
};

int compileOnThread(void* p) {
  CompileCall& c = *static_cast<CompileCall*>(p);
  c.ok = driver::compile(*c.session, *c.name, std::move(*c.text), *c.pipeline);
  return 0;
}

double nanIfNot(bool set, double x) { return set ? x : std::numeric_limits<double>::quiet_NaN(); }

}  // namespace

std::vector<DiagnosticRecord> diagnosticRecords(const SourceManager& sources, const DiagnosticEngine& diags) {
  // The printer's order: by location, stably, each (place, message) once.
  std::vector<const Diagnostic*> order;
  for (const Diagnostic& d : diags.diagnostics()) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](const Diagnostic* a, const Diagnostic* b) { return a->loc < b->loc; });
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> seen;
  std::vector<DiagnosticRecord> out;
  for (const Diagnostic* d : order)
    if (seen.insert({d->loc.file, d->loc.line, d->loc.col, d->message}).second) out.push_back(recordOf(sources, *d));
  return out;
}

std::vector<std::pair<std::string, std::string>> predictionColumns(const ir::QueryGraph& g) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ir::Prediction& p : g.predictions) out.emplace_back(p.label, ir::worldKindName(g.worlds[p.world].kind));
  return out;
}

std::unique_ptr<Program> Program::compile(const std::string& name, std::string text,
                                          const passes::PipelineOptions& pipeline, const frontend::Limits& limits) {
  std::unique_ptr<Program> p(new Program());
  p->session_.limits = limits;
  CompileCall call{p.get(), &p->session_, &name, &text, &pipeline};
  withLargeStack(compileOnThread, &call);
  p->ok_ = call.ok;
  collect(p->session_.sources, *p->session_.diags, &p->records_, &p->text_);
  if (!p->session_.internalError.empty()) {
    p->records_.push_back(DiagnosticRecord{"", 0, 0, Severity::Error, "InternalError", p->session_.internalError, {}});
    p->text_ += p->session_.internalError;
  }
  if (p->ok_) {
    DiagnosticEngine notes(p->session_.sources);
    for (const ir::QueryGraph& g : p->session_.queries)
      for (const ir::PassNote& note : g.notes) notes.report(note.id, note.loc, note.args);
    collect(p->session_.sources, notes, &p->records_, &p->text_);
  }
  return p;
}

std::vector<std::string> Program::queryNames() const {
  std::vector<std::string> out;
  for (const ir::QueryGraph& g : session_.queries) out.push_back(g.name);
  return out;
}

std::vector<std::string> Program::modelNames() const {
  std::vector<std::string> out;
  for (const ir::QueryGraph& g : session_.queries)
    if (std::find(out.begin(), out.end(), g.model) == out.end()) out.push_back(g.model);
  return out;
}

const ir::QueryGraph* Program::query(const std::string& name) const {
  for (const ir::QueryGraph& g : session_.queries)
    if (g.name == name) return &g;
  return nullptr;
}

QueryOutcome Program::run(const ir::QueryGraph& g, const RunOptions& options) const {
  rt::GcThreadScope gcScope;  // the embedding program's threads are not the collector's
  QueryOutcome out;
  out.query = g.name;
  out.model = g.model;
  out.kind = ir::queryKindName(g.kind);
  out.engine = options.engine;
  out.samples = options.samples;
  out.seed = options.seed;
  out.threads = options.engine == Engine::Exact ? 1 : options.threads > 0 ? options.threads : rt::defaultThreads();
  {
    DiagnosticEngine notes(session_.sources);
    for (const ir::PassNote& note : g.notes) notes.report(note.id, note.loc, note.args);
    collect(session_.sources, notes, &out.diagnostics, &out.diagnosticText);
  }
  // The data are bound before anything runs, with mvc's checks and messages.
  std::vector<uint64_t> data;
  {
    std::string errors;
    DataMeta meta = renderDataMeta(session_.sources, g.data, g.dataSize);
    const bool bound =
        !options.dataJson.empty()
            ? rt::bindDataText(meta.decls.data(), int32_t(meta.decls.size()), meta.size, options.dataJson, "<data>",
                               false, &data, &errors)
            : rt::bindData(meta.decls.data(), int32_t(meta.decls.size()), meta.size, options.dataFile, &data, &errors);
    if (!bound) {
      out.status = RunStatus::DataError;
      out.diagnostics.push_back(DiagnosticRecord{"", 0, 0, Severity::Error, "DataBinding", errors, {}});
      out.diagnosticText += errors;
      out.errorText = errors;
      return out;
    }
  }
  DiagnosticEngine runtimeDiags(session_.sources);
  std::ostringstream json;
  const std::string dataName = !options.dataJson.empty() ? "<data>" : options.dataFile;
  if (reportDataChecks(runtimeDiags, g, data.data(), dataName)) {
    // a check of the bound data failed before anything ran: the RuntimeError below
  } else if (options.engine == Engine::Exact) {
    ExactRequest request{options.maxAssignments, "json", data.data()};
    backend::ExactResult r = backend::runExact(g, backend::ExactOptions{options.maxAssignments, data.data()});
    reportExactOutcome(runtimeDiags, session_.sources, g, r, request);
    out.ess = r.ess;
    out.logEvidence = r.logEvidence;
    out.seconds = r.seconds;
    out.nonzeroWeights = r.nonzero;
    out.assignments = r.assignments;
    for (size_t k = 0; k < g.predictions.size() && k < r.means.size(); ++k) {
      PredictionOutcome p;
      p.label = g.predictions[k].label;
      p.world = g.predictionWorlds(g.predictions[k]);
      p.mean = r.means[k];
      p.sd = std::numeric_limits<double>::quiet_NaN();
      out.predictions.push_back(std::move(p));
    }
    if (!runtimeDiags.hasErrors()) printExactJson(json, g, r);
  } else if (options.engine == Engine::Jit && reportCodeTooLarge(runtimeDiags, g, options.maxCodeNodes)) {
    // refused before compiling: the RuntimeError below
  } else {
    EngineRequest request{options.samples, options.seed, out.threads, options.summarize, options.samplesOut,
                          options.samplesDone, options.targets, options.cancel, options.sink, data.data(),
                          options.maxCodeNodes};
    std::string error;
    std::optional<rt::RunResult> r = runEngine(options.engine, g, request, &error);
    if (!r) {
      out.status = RunStatus::InternalError;
      std::string text = "internal error: " + error + "\n";
      out.diagnostics.push_back(DiagnosticRecord{"", 0, 0, Severity::Error, "InternalError", text, {}});
      out.diagnosticText += text;
      out.errorText = text;
      return out;
    }
    if (r->cancelled) {
      out.status = RunStatus::Cancelled;
      out.errorText = "error: the run of query '" + g.name + "' was cancelled\n";
      out.diagnosticText += out.errorText;
      return out;
    }
    if (!r->ok) reportSampleError(runtimeDiags, g, r->error, options.seed);
    else if (r->acc.nonzero() == 0) reportAllZero(runtimeDiags, g, options.samples);
    out.ess = r->acc.ess();
    out.logEvidence = r->logEvidence();
    out.seconds = r->seconds;
    out.compileSeconds = r->compileSeconds;
    out.nonzeroWeights = r->acc.nonzero();
    out.samplesUsed = r->acc.count();
    out.targetMet = r->targetMet;
    if (r->ok && r->acc.nonzero() > 0) {
      const rt::Reliability rel = rt::assess(*r, options.targets);
      out.essPerSample = rel.essPerSample;
      out.maxWeight = rel.maxWeight;
      out.paretoK = rel.khat;
      out.warnings = rel.warnings;
    }
    for (size_t k = 0; k < g.predictions.size(); ++k) {
      PredictionOutcome p;
      p.label = g.predictions[k].label;
      p.world = g.predictionWorlds(g.predictions[k]);
      p.mean = r->acc.mean(int(k));
      p.stderror = r->acc.stderror(int(k));
      const bool summarized = options.summarize && int(k) < r->summary.numPredictions();
      p.sd = nanIfNot(summarized, summarized ? r->summary.prediction(int(k)).sd() : 0);
      if (summarized) {
        const rt::PredictionSummary& s = r->summary.prediction(int(k));
        p.integral = s.integral();
        if (p.integral) p.distribution = s.distribution(&p.otherMass);
      }
      out.predictions.push_back(std::move(p));
    }
    if (!runtimeDiags.hasErrors())
      printJson(json, g, RunInfo{engineName(options.engine), options.samples, options.seed, out.threads, options.targets},
                *r);
  }
  if (runtimeDiags.hasErrors()) {
    out.status = RunStatus::RuntimeError;
    printJsonError(json, g, engineName(options.engine), runtimeDiags);  // the line mvc prints for it
  }
  const size_t before = out.diagnosticText.size();
  collect(session_.sources, runtimeDiags, &out.diagnostics, &out.diagnosticText);
  out.errorText = out.diagnosticText.substr(before);
  out.json = json.str();
  if (!out.json.empty() && out.json.back() == '\n') out.json.pop_back();
  return out;
}

}  // namespace mv::driver
