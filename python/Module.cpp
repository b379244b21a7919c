// python/Module.cpp — multiverse._multiverse, the native half of the Python module: compiling, running and
// sampling through the driver library (driver/Program.h), with the GIL released and Ctrl-C as a cancelled run.
#include "driver/Engines.h"
#include "driver/Program.h"
#include "driver/Session.h"
#include "driver/Version.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace py = pybind11;
using namespace mv::driver;

namespace {

const char* severityName(mv::Severity s) {
  switch (s) {
    case mv::Severity::Error: return "error";
    case mv::Severity::Warning: return "warning";
    case mv::Severity::Note: return "note";
  }
  return "error";
}

py::dict diagnosticDict(const DiagnosticRecord& r) {
  py::dict d;
  d["file"] = r.file;
  d["line"] = r.line;
  d["column"] = r.column;
  d["severity"] = severityName(r.severity);
  d["name"] = r.name;
  d["message"] = r.message;
  py::list notes;
  for (const DiagnosticRecord& n : r.notes) notes.append(diagnosticDict(n));
  d["notes"] = notes;
  return d;
}

py::list diagnosticList(const std::vector<DiagnosticRecord>& rs) {
  py::list out;
  for (const DiagnosticRecord& r : rs) out.append(diagnosticDict(r));
  return out;
}

/// NaN as None: the JSON output's null.
py::object number(double x) { return std::isfinite(x) ? py::object(py::float_(x)) : py::object(py::none()); }

const char* statusName(RunStatus s) {
  switch (s) {
    case RunStatus::Ok: return "ok";
    case RunStatus::RuntimeError: return "runtime";
    case RunStatus::InternalError: return "internal";
    case RunStatus::Cancelled: return "cancelled";
    case RunStatus::DataError: return "data";
  }
  return "internal";
}

py::dict outcomeDict(const QueryOutcome& o) {
  py::dict d;
  d["status"] = statusName(o.status);
  d["query"] = o.query;
  d["model"] = o.model;
  d["kind"] = o.kind;
  d["engine"] = engineName(o.engine);
  d["samples_used"] = o.samplesUsed;
  d["compile_seconds"] = o.compileSeconds;
  d["warnings"] = o.warnings;
  py::list preds;
  for (const PredictionOutcome& p : o.predictions) {
    py::dict pd;
    pd["label"] = p.label;
    pd["world"] = p.world;
    pd["mean"] = number(p.mean);
    pd["stderr"] = number(p.stderror);
    pd["sd"] = number(p.sd);
    pd["integral"] = p.integral;
    pd["distribution"] = p.distribution;
    pd["other_mass"] = p.otherMass;
    preds.append(pd);
  }
  d["predictions"] = preds;
  d["diagnostics"] = diagnosticList(o.diagnostics);
  d["diagnostic_text"] = o.diagnosticText;
  d["error_text"] = o.errorText;
  d["json"] = o.json;
  return d;
}

/// Runs `work` on a thread of its own with the GIL released. Meanwhile this thread wakes every
/// 50 ms to run Python's signal handlers; when one raises (Ctrl-C: KeyboardInterrupt) it sets
/// `cancel`, waits for the run to stop at its next block boundary and rethrows that exception.
QueryOutcome interruptible(const std::function<QueryOutcome()>& work, std::atomic<bool>& cancel) {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false, interrupted = false;
  std::optional<QueryOutcome> value;
  std::exception_ptr failure;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        value.emplace(work());
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        interrupted = PyErr_CheckSignals() != 0;  // leaves the handler's exception set
      }
      if (interrupted) cancel.store(true);
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (failure) std::rethrow_exception(failure);
  return std::move(*value);
}

/// A compiled program as Python sees it: shared by every Result and thread that uses it.
class PyProgram {
public:
  explicit PyProgram(std::shared_ptr<const Program> p) : program_(std::move(p)) {}

  bool ok() const { return program_->ok(); }
  py::list diagnostics() const { return diagnosticList(program_->diagnostics()); }
  std::string diagnosticText() const { return program_->diagnosticText(); }
  std::vector<std::string> queries() const { return program_->queryNames(); }
  std::vector<std::string> models() const { return program_->modelNames(); }
  std::string queryModel(const std::string& q) const { return graph(q).model; }
  std::vector<std::pair<std::string, std::string>> columns(const std::string& q) const {
    return predictionColumns(graph(q));
  }

  py::dict run(const std::string& query, const RunOptions& options) const {
    const mv::ir::QueryGraph& g = graph(query);
    std::atomic<bool> cancel{false};
    RunOptions o = options;
    o.cancel = &cancel;
    std::shared_ptr<const Program> p = program_;
    return outcomeDict(interruptible([&] { return p->run(g, o); }, cancel));
  }

  /// Runs `query` and returns (outcome, log weights [n], predictions [n x columns]): every
  /// sample as the sampler computed it, predictions NaN where the weight is 0.
  py::tuple samples(const std::string& query, const RunOptions& options) const {
    const mv::ir::QueryGraph& g = graph(query);
    const size_t n = options.samples, numPreds = predictionColumns(g).size();
    py::array_t<double> logWeights(std::vector<py::ssize_t>{py::ssize_t(n)});
    py::array_t<double> preds(std::vector<py::ssize_t>{py::ssize_t(n), py::ssize_t(numPreds)});
    Target t{logWeights.mutable_data(), preds.mutable_data(), numPreds};
    SampleSink sink{&Target::store, &t};
    std::atomic<bool> cancel{false};
    RunOptions o = options;
    o.cancel = &cancel;
    o.sink = &sink;  // summarized as run() is, so the Result is the same
    std::shared_ptr<const Program> p = program_;
    py::dict outcome = outcomeDict(interruptible([&] { return p->run(g, o); }, cancel));
    return py::make_tuple(outcome, logWeights, preds);
  }

private:
  struct Target {
    double* logWeights;
    double* preds;
    size_t numPreds;
    static void store(void* ctx, uint64_t i, double logWeight, const double* values) {
      Target& t = *static_cast<Target*>(ctx);
      t.logWeights[i] = logWeight;
      double* row = t.preds + i * t.numPreds;
      if (logWeight == -std::numeric_limits<double>::infinity())
        std::fill(row, row + t.numPreds, std::numeric_limits<double>::quiet_NaN());
      else
        std::memcpy(row, values, sizeof(double) * t.numPreds);
    }
  };

  const mv::ir::QueryGraph& graph(const std::string& q) const {
    const mv::ir::QueryGraph* g = program_->query(q);
    if (!g) throw py::key_error("no query named '" + q + "'");
    return *g;
  }

  std::shared_ptr<const Program> program_;
};

/// The front end's limits for --max-model-nodes N (as mvc: N nodes, N loop iterations).
mv::frontend::Limits limitsFor(size_t maxModelNodes) { return mv::frontend::Limits{int64_t(maxModelNodes), maxModelNodes}; }

PyProgram compileText(const std::string& name, std::string text, size_t maxModelNodes) {
  std::unique_ptr<Program> p;
  {
    py::gil_scoped_release release;
    p = Program::compile(name, std::move(text), {}, limitsFor(maxModelNodes));
  }
  return PyProgram(std::shared_ptr<const Program>(std::move(p)));
}

/// Reads and compiles `path`, or raises OSError with the reason mvc gives ("it is a directory", ...).
PyProgram loadFile(const std::string& path, size_t maxModelNodes) {
  std::string why;
  std::unique_ptr<Program> p;
  {
    py::gil_scoped_release release;
    if (std::optional<std::string> text = readFile(path, &why)) p = Program::compile(path, std::move(*text), {}, limitsFor(maxModelNodes));
  }
  if (!p) {
    PyErr_SetString(PyExc_OSError, ("cannot read '" + path + "': " + why).c_str());
    throw py::error_already_set();
  }
  return PyProgram(std::shared_ptr<const Program>(std::move(p)));
}

RunOptions makeOptions(uint64_t samples, uint64_t seed, int threads, const std::string& engine, uint64_t maxAssignments,
                       double targetStderr, double targetEss, const std::string& dataJson) {
  std::optional<Engine> e = parseEngine(engine);
  if (!e) throw py::value_error("unknown engine '" + engine + "'");
  RunOptions o;
  o.samples = samples;
  o.seed = seed;
  o.threads = threads;
  o.engine = *e;
  o.maxAssignments = maxAssignments;
  o.targets = mv::rt::Targets{targetStderr, targetEss};
  o.dataJson = dataJson;
  return o;
}

}  // namespace

PYBIND11_MODULE(_multiverse, m) {
  m.doc() = "The native half of the multiverse module (use `import multiverse`).";
  m.def("version", &projectVersion);
  m.def("version_text", &versionText);
  m.def("engines", &engineNames);
  m.def("defaults", [] {
    RunOptions d;
    py::dict out;
    out["samples"] = d.samples;
    out["seed"] = d.seed;
    out["engine"] = engineName(d.engine);
    out["max_assignments"] = d.maxAssignments;
    return out;
  });
  m.def("max_input_bytes", [] { return kMaxInputBytes; });
  m.def("compile", &compileText, py::arg("name"), py::arg("text"), py::arg("max_model_nodes"));
  m.def("load", &loadFile, py::arg("path"), py::arg("max_model_nodes"));
  m.def("max_model_nodes", [] { return mv::frontend::kMaxModelNodes; });
  py::class_<RunOptions>(m, "RunOptions");
  m.def("run_options", &makeOptions, py::arg("samples"), py::arg("seed"), py::arg("threads"), py::arg("engine"),
        py::arg("max_assignments"), py::arg("target_stderr"), py::arg("target_ess"), py::arg("data_json") = "");
  py::class_<PyProgram>(m, "Program")
      .def_property_readonly("ok", &PyProgram::ok)
      .def_property_readonly("diagnostics", &PyProgram::diagnostics)
      .def_property_readonly("diagnostic_text", &PyProgram::diagnosticText)
      .def_property_readonly("queries", &PyProgram::queries)
      .def_property_readonly("models", &PyProgram::models)
      .def("query_model", &PyProgram::queryModel)
      .def("columns", &PyProgram::columns)
      .def("run", &PyProgram::run)
      .def("samples", &PyProgram::samples);
}
