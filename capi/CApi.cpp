// capi/CApi.cpp — the C API (include/multiverse/multiverse.h): handles over driver::Program and its outcomes;
// every entry point catches everything, so no failure crosses into C as an exception or an abort.
#include "multiverse/multiverse.h"

#include "driver/Program.h"
#include "driver/Version.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using mv::driver::DiagnosticRecord;

/// Diagnostic records and the mv_diagnostic views of them (notes in arrays of their own).
struct DiagnosticStore {
  std::vector<DiagnosticRecord> records;
  std::vector<mv_diagnostic> top;
  std::vector<std::unique_ptr<std::vector<mv_diagnostic>>> noteArrays;

  void set(std::vector<DiagnosticRecord> rs) {
    records = std::move(rs);
    top.assign(records.size(), mv_diagnostic{});
    for (size_t i = 0; i < records.size(); ++i) fill(records[i], &top[i]);
  }
  void fill(const DiagnosticRecord& r, mv_diagnostic* d) {
    d->file = r.file.c_str();
    d->line = r.line;
    d->column = r.column;
    d->severity = r.severity == mv::Severity::Error     ? MV_SEVERITY_ERROR
                  : r.severity == mv::Severity::Warning ? MV_SEVERITY_WARNING
                                                        : MV_SEVERITY_NOTE;
    d->name = r.name.c_str();
    d->message = r.message.c_str();
    d->num_notes = r.notes.size();
    d->notes = nullptr;
    if (r.notes.empty()) return;
    auto notes = std::make_unique<std::vector<mv_diagnostic>>(r.notes.size());
    for (size_t i = 0; i < r.notes.size(); ++i) fill(r.notes[i], &(*notes)[i]);
    d->notes = notes->data();
    noteArrays.push_back(std::move(notes));
  }
  const mv_diagnostic* at(size_t i) const { return i < top.size() ? &top[i] : nullptr; }
};

mv::driver::Engine engineOf(mv_engine e) {
  switch (e) {
    case MV_ENGINE_JIT: return mv::driver::Engine::Jit;
    case MV_ENGINE_INTERP: return mv::driver::Engine::Interp;
    case MV_ENGINE_EXACT: return mv::driver::Engine::Exact;
  }
  return mv::driver::Engine::Jit;
}

bool validEngine(int e) { return e == MV_ENGINE_JIT || e == MV_ENGINE_INTERP || e == MV_ENGINE_EXACT; }
/// The int a C caller stored in an mv_engine: C allows any int there, but in C++ loading a
/// value outside the enumerators' range as the enum type is undefined (UBSan's -fsanitize=enum).
int rawEngine(const mv_engine& e) {
  int v;
  static_assert(sizeof v == sizeof e);
  std::memcpy(&v, &e, sizeof v);
  return v;
}

const char* at(const std::vector<std::string>& v, size_t i) { return i < v.size() ? v[i].c_str() : nullptr; }

}  // namespace

struct mv_program {
  mv_status status = MV_OK;
  std::string error;
  std::unique_ptr<mv::driver::Program> program;
  DiagnosticStore diagnostics;
  std::vector<std::string> queries, queryModels, models;
};

struct mv_result {
  mv_status status = MV_OK;
  std::string error;
  mv::driver::QueryOutcome outcome;
  DiagnosticStore diagnostics;
  std::vector<mv_prediction> predictions;
  std::vector<std::vector<double>> values, probabilities;
};

namespace {

mv_status compileInto(const char* name, std::string text, mv_program** out) {
  auto p = std::make_unique<mv_program>();
  p->program = mv::driver::Program::compile(name ? name : "<input>", std::move(text));
  p->status = p->program->ok() ? MV_OK : MV_ERROR_COMPILE;
  p->error = p->program->diagnosticText();
  p->diagnostics.set(p->program->diagnostics());
  if (p->program->ok()) {
    p->queries = p->program->queryNames();
    for (const std::string& q : p->queries) p->queryModels.push_back(p->program->query(q)->model);
    p->models = p->program->modelNames();
  }
  mv_status status = p->status;
  *out = p.release();
  return status;
}

mv_status failedProgram(mv_status status, std::string message, mv_program** out) {
  auto p = std::make_unique<mv_program>();
  p->status = status;
  p->error = std::move(message);
  *out = p.release();
  return status;
}

mv_status failedResult(mv_status status, std::string message, mv_result** out) {
  if (!out) return status;
  auto r = std::make_unique<mv_result>();
  r->status = status;
  r->error = std::move(message);
  *out = r.release();
  return status;
}

mv_status runInto(const mv_program* program, const char* query, const mv_run_options* options, mv_result** out) {
  if (!program) return failedResult(MV_ERROR_USAGE, "error: mv_run: program is null\n", out);
  if (!program->program || !program->program->ok())
    return failedResult(MV_ERROR_USAGE, "error: mv_run: the program did not compile\n", out);
  mv_run_options o;
  mv_run_options_init(&o);
  if (options) {
    // A struct from an older header (before data_json) is a prefix of ours: the rest keeps its defaults.
    if (options->struct_size < offsetof(mv_run_options, data_json))
      return failedResult(MV_ERROR_USAGE, "error: mv_run: options.struct_size is too small (use mv_run_options_init)\n", out);
    std::memcpy(&o, options, std::min(options->struct_size, sizeof o));  // a larger struct from a later header: its prefix is ours
    o.struct_size = sizeof o;
  }
  if (o.samples == 0) return failedResult(MV_ERROR_USAGE, "error: mv_run: samples must be at least 1\n", out);
  if (o.threads < 0) return failedResult(MV_ERROR_USAGE, "error: mv_run: threads must be 0 or more\n", out);
  if (o.max_assignments == 0)
    return failedResult(MV_ERROR_USAGE, "error: mv_run: max_assignments must be at least 1\n", out);
  if (!validEngine(rawEngine(o.engine))) return failedResult(MV_ERROR_USAGE, "error: mv_run: unknown engine\n", out);
  if (!(o.target_stderr >= 0) || !(o.target_ess >= 0))
    return failedResult(MV_ERROR_USAGE, "error: mv_run: targets must be 0 (none) or positive\n", out);
  if (o.engine == MV_ENGINE_EXACT && (o.target_stderr > 0 || o.target_ess > 0))
    return failedResult(MV_ERROR_USAGE,
                        "error: target_stderr and target_ess need a sampling engine, not 'exact' (its answers are exact)\n",
                        out);
  const std::vector<std::string>& names = program->queries;
  std::string name;
  if (query) {
    name = query;
  } else if (names.size() == 1) {
    name = names[0];
  } else {
    std::string list;
    for (const std::string& n : names) list += " " + n;
    return failedResult(MV_ERROR_USAGE, "error: mv_run: the program has " + std::to_string(names.size()) +
                                            " queries; name one (queries:" + list + ")\n", out);
  }
  const mv::ir::QueryGraph* g = program->program->query(name);
  if (!g) {
    std::string list;
    for (const std::string& n : names) list += " " + n;
    return failedResult(MV_ERROR_USAGE, "error: no query named '" + name + "' (queries:" + list + ")\n", out);
  }
  mv::driver::RunOptions ro;
  ro.samples = o.samples;
  ro.seed = o.seed;
  ro.threads = o.threads;
  ro.engine = engineOf(o.engine);
  ro.maxAssignments = o.max_assignments;
  ro.summarize = o.summarize != 0;
  ro.targets = mv::rt::Targets{o.target_stderr, o.target_ess};
  if (o.data_json) ro.dataJson = o.data_json;
  if (o.data_file) ro.dataFile = o.data_file;
  auto r = std::make_unique<mv_result>();
  r->outcome = program->program->run(*g, ro);
  switch (r->outcome.status) {
    case mv::driver::RunStatus::Ok: r->status = MV_OK; break;
    case mv::driver::RunStatus::RuntimeError: r->status = MV_ERROR_RUNTIME; break;
    case mv::driver::RunStatus::InternalError: r->status = MV_ERROR_INTERNAL; break;
    case mv::driver::RunStatus::Cancelled: r->status = MV_ERROR_RUNTIME; break;  // the C API sets no cancel flag
    case mv::driver::RunStatus::DataError: r->status = MV_ERROR_USAGE; break;  // as mvc's exit status 2
  }
  r->error = r->outcome.diagnosticText;
  r->diagnostics.set(r->outcome.diagnostics);
  const auto& preds = r->outcome.predictions;
  r->values.resize(preds.size());
  r->probabilities.resize(preds.size());
  for (size_t k = 0; k < preds.size(); ++k) {
    for (const auto& [value, probability] : preds[k].distribution) {
      r->values[k].push_back(value);
      r->probabilities[k].push_back(probability);
    }
    r->predictions.push_back(mv_prediction{preds[k].label.c_str(), preds[k].world.c_str(), preds[k].mean,
                                           preds[k].stderror, preds[k].sd, preds[k].integral ? 1 : 0,
                                           r->values[k].size(), r->values[k].data(), r->probabilities[k].data(),
                                           preds[k].otherMass});
  }
  mv_status status = r->status;
  if (out) *out = r.release();
  return status;
}

}  // namespace

extern "C" {

int mv_api_version(void) { return MV_API_VERSION; }

const char* mv_version(void) {
  static const std::string text = mv::driver::versionText();  // immutable once built
  return text.c_str();
}

const char* mv_status_name(mv_status status) {
  switch (status) {
    case MV_OK: return "MV_OK";
    case MV_ERROR_COMPILE: return "MV_ERROR_COMPILE";
    case MV_ERROR_USAGE: return "MV_ERROR_USAGE";
    case MV_ERROR_RUNTIME: return "MV_ERROR_RUNTIME";
    case MV_ERROR_IO: return "MV_ERROR_IO";
    case MV_ERROR_INTERNAL: return "MV_ERROR_INTERNAL";
    case MV_ERROR_OUT_OF_MEMORY: return "MV_ERROR_OUT_OF_MEMORY";
  }
  return "?";
}

const char* mv_engine_name(mv_engine engine) {
  return validEngine(rawEngine(engine)) ? mv::driver::engineName(engineOf(engine)) : "?";
}

mv_status mv_compile(const char* name, const char* text, size_t length, mv_program** out) {
  if (!out) return MV_ERROR_USAGE;
  *out = nullptr;
  try {
    if (!text && length > 0) return failedProgram(MV_ERROR_USAGE, "error: mv_compile: text is null\n", out);
    return compileInto(name, std::string(text ? text : "", length), out);
  } catch (const std::bad_alloc&) {
    return MV_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    return failedProgram(MV_ERROR_INTERNAL, std::string("internal error: ") + e.what() + "\n", out);
  }
}

mv_status mv_load(const char* path, mv_program** out) {
  if (!out) return MV_ERROR_USAGE;
  *out = nullptr;
  try {
    if (!path) return failedProgram(MV_ERROR_USAGE, "error: mv_load: path is null\n", out);
    std::string why;
    std::optional<std::string> text = mv::driver::readFile(path, &why);
    if (!text) return failedProgram(MV_ERROR_IO, std::string("error: cannot read '") + path + "': " + why + "\n", out);
    return compileInto(path, std::move(*text), out);
  } catch (const std::bad_alloc&) {
    return MV_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    return failedProgram(MV_ERROR_INTERNAL, std::string("internal error: ") + e.what() + "\n", out);
  }
}

void mv_program_free(mv_program* program) { delete program; }

mv_status mv_program_status(const mv_program* p) { return p ? p->status : MV_ERROR_USAGE; }
const char* mv_program_error(const mv_program* p) { return p ? p->error.c_str() : ""; }
size_t mv_program_num_diagnostics(const mv_program* p) { return p ? p->diagnostics.top.size() : 0; }
const mv_diagnostic* mv_program_diagnostic(const mv_program* p, size_t i) { return p ? p->diagnostics.at(i) : nullptr; }
size_t mv_program_num_queries(const mv_program* p) { return p ? p->queries.size() : 0; }
const char* mv_program_query_name(const mv_program* p, size_t i) { return p ? at(p->queries, i) : nullptr; }
const char* mv_program_query_model(const mv_program* p, size_t i) { return p ? at(p->queryModels, i) : nullptr; }
size_t mv_program_num_models(const mv_program* p) { return p ? p->models.size() : 0; }
const char* mv_program_model_name(const mv_program* p, size_t i) { return p ? at(p->models, i) : nullptr; }

void mv_run_options_init(mv_run_options* o) {
  if (!o) return;
  mv::driver::RunOptions d;
  *o = mv_run_options{sizeof(mv_run_options), d.samples, d.seed, d.threads, MV_ENGINE_JIT, d.maxAssignments,
                      d.summarize ? 1 : 0, d.targets.stderr, d.targets.ess};
}

mv_status mv_run(const mv_program* program, const char* query, const mv_run_options* options, mv_result** out) {
  if (out) *out = nullptr;
  try {
    return runInto(program, query, options, out);
  } catch (const std::bad_alloc&) {
    return MV_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    return failedResult(MV_ERROR_INTERNAL, std::string("internal error: ") + e.what() + "\n", out);
  }
}

void mv_result_free(mv_result* result) { delete result; }

mv_status mv_result_status(const mv_result* r) { return r ? r->status : MV_ERROR_USAGE; }
const char* mv_result_error(const mv_result* r) { return r ? r->error.c_str() : ""; }
size_t mv_result_num_diagnostics(const mv_result* r) { return r ? r->diagnostics.top.size() : 0; }
const mv_diagnostic* mv_result_diagnostic(const mv_result* r, size_t i) { return r ? r->diagnostics.at(i) : nullptr; }
const char* mv_result_query(const mv_result* r) { return r ? r->outcome.query.c_str() : ""; }
const char* mv_result_model(const mv_result* r) { return r ? r->outcome.model.c_str() : ""; }
const char* mv_result_kind(const mv_result* r) { return r ? r->outcome.kind.c_str() : ""; }
mv_engine mv_result_engine(const mv_result* r) {
  if (!r) return MV_ENGINE_JIT;
  switch (r->outcome.engine) {
    case mv::driver::Engine::Jit: return MV_ENGINE_JIT;
    case mv::driver::Engine::Interp: return MV_ENGINE_INTERP;
    case mv::driver::Engine::Exact: return MV_ENGINE_EXACT;
  }
  return MV_ENGINE_JIT;
}
uint64_t mv_result_samples(const mv_result* r) { return r ? r->outcome.samples : 0; }
uint64_t mv_result_samples_used(const mv_result* r) { return r ? r->outcome.samplesUsed : 0; }
int mv_result_target_met(const mv_result* r) { return r && r->outcome.targetMet ? 1 : 0; }
double mv_result_ess_per_sample(const mv_result* r) { return r ? r->outcome.essPerSample : std::nan(""); }
double mv_result_max_weight(const mv_result* r) { return r ? r->outcome.maxWeight : std::nan(""); }
double mv_result_pareto_k(const mv_result* r) { return r ? r->outcome.paretoK : std::nan(""); }
size_t mv_result_num_warnings(const mv_result* r) { return r ? r->outcome.warnings.size() : 0; }
const char* mv_result_warning(const mv_result* r, size_t i) { return r ? at(r->outcome.warnings, i) : nullptr; }
uint64_t mv_result_seed(const mv_result* r) { return r ? r->outcome.seed : 0; }
int mv_result_threads(const mv_result* r) { return r ? r->outcome.threads : 0; }
double mv_result_ess(const mv_result* r) { return r ? r->outcome.ess : 0; }
double mv_result_log_evidence(const mv_result* r) { return r ? r->outcome.logEvidence : 0; }
double mv_result_seconds(const mv_result* r) { return r ? r->outcome.seconds : 0; }
uint64_t mv_result_nonzero_weights(const mv_result* r) { return r ? r->outcome.nonzeroWeights : 0; }
uint64_t mv_result_assignments(const mv_result* r) { return r ? r->outcome.assignments : 0; }
const char* mv_result_json(const mv_result* r) { return r ? r->outcome.json.c_str() : ""; }
size_t mv_result_num_predictions(const mv_result* r) { return r ? r->predictions.size() : 0; }
const mv_prediction* mv_result_prediction(const mv_result* r, size_t i) {
  return r && i < r->predictions.size() ? &r->predictions[i] : nullptr;
}

}  // extern "C"
