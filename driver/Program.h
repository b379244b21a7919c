// driver/Program.h — the pipeline as a library: a compiled program, its queries, and runs that return
// structured results (what the C API and the Python module are built on; nothing here prints).
#pragma once

#include "driver/Engines.h"
#include "driver/Session.h"
#include "runtime/Reliability.h"

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mv::driver {

/// One diagnostic as data: where, how bad, what (the registry name and the formatted message).
struct DiagnosticRecord {
  std::string file;        ///< "" when it has no location
  uint32_t line = 0;       ///< 1-based; 0 with no location
  uint32_t column = 0;     ///< 1-based; 0 with no location
  Severity severity = Severity::Error;
  std::string name;        ///< the registry name, e.g. "UndeclaredName"
  std::string message;
  std::vector<DiagnosticRecord> notes;
};

/// The diagnostics of `diags` as records, in the order it prints them.
std::vector<DiagnosticRecord> diagnosticRecords(const SourceManager& sources, const DiagnosticEngine& diags);

/// What a run is asked: the flags `mvc run` has.
struct RunOptions {
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 0;                                 ///< 0: all cores
  Engine engine = kDefaultEngine;
  uint64_t maxAssignments = uint64_t(1) << 24;     ///< exact engine's limit
  uint64_t maxCodeNodes = kMaxCodeNodes;           ///< the JIT's limit (driver::codeNodes)
  rt::Targets targets;                             ///< --target-stderr, --target-ess (sampling)
  bool summarize = true;                           ///< fill each prediction's distribution
  rt::SampleWriter* samplesOut = nullptr;          ///< receives every sample (sampling engines)
  std::atomic<uint64_t>* samplesDone = nullptr;    ///< progress counter (sampling engines)
  const std::atomic<bool>* cancel = nullptr;       ///< set it to stop a sampling run (RunStatus::Cancelled)
  const SampleSink* sink = nullptr;                ///< receives every sample (sampling engines)
  /// The values of the program's `data` declarations (spec/data.md §1): a JSON object's text
  /// (dataJson, e.g. the Python module's data=dict) or else a file (dataFile, JSON or CSV,
  /// as `mvc run --data`). Both empty: the program must declare no data.
  std::string dataJson;
  std::string dataFile;
};

enum class RunStatus {
  Ok,            ///< estimates are set
  RuntimeError,  ///< a sample failed, every weight was zero, or exact enumeration refused
  InternalError, ///< the engine could not be set up (a compiler bug)
  Cancelled,     ///< RunOptions::cancel was set during the run: no estimates
  DataError      ///< the data could not be bound (RunOptions::dataJson/dataFile): nothing ran
};

struct PredictionOutcome {
  std::string label;
  std::string world;       ///< "factual", "counterfactual", ...
  double mean = 0;
  double stderror = 0;     ///< 0 from the exact engine
  double sd = 0;           ///< weighted standard deviation (sampling with summarize; else NaN)
  bool integral = false;   ///< every value with non-zero weight was an integer
  /// value -> probability for integral predictions (up to 64 values; the rest in otherMass).
  std::vector<std::pair<double, double>> distribution;
  double otherMass = 0;
};

/// The result of one run of one query: the numbers mvc prints, and its diagnostics.
struct QueryOutcome {
  RunStatus status = RunStatus::Ok;
  std::string query, model, kind;
  Engine engine = kDefaultEngine;
  uint64_t samples = 0, seed = 0;
  int threads = 0;
  double ess = 0, logEvidence = 0, seconds = 0, compileSeconds = 0;
  uint64_t nonzeroWeights = 0;
  uint64_t samplesUsed = 0;                  ///< samples drawn (fewer than asked when a target was met)
  bool targetMet = false;
  /// Importance-sampling diagnostics (sampling engines, with a non-zero weight; else NaN/empty).
  double essPerSample = std::numeric_limits<double>::quiet_NaN();
  double maxWeight = std::numeric_limits<double>::quiet_NaN();
  double paretoK = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> warnings;         ///< what the diagnostics found wrong, as mvc prints them
  uint64_t assignments = 0;                  ///< exact engine only
  std::vector<PredictionOutcome> predictions;
  /// The query's compile-time warnings (pass notes), then the run's errors.
  std::vector<DiagnosticRecord> diagnostics;
  std::string diagnosticText;                ///< the same, printed as mvc prints them
  std::string errorText;                     ///< the run's errors alone, as mvc prints them ("" when ok)
  std::string json;                          ///< `mvc run --format json`'s line (its error line on failure)
};

/// Each prediction of `g` as (label, world name), in order: the columns of its samples.
std::vector<std::pair<std::string, std::string>> predictionColumns(const ir::QueryGraph& g);

/// A compiled program: parsed, checked, lowered, and the pass pipeline run on every query.
/// Immutable once compiled, so run() may be called from several threads at once.
class Program {
public:
  /// Compiles `text` (named `name` in diagnostics) on a large-stack thread, within `limits`
  /// (--max-model-nodes). Always returns a program; ok() tells whether it compiled.
  static std::unique_ptr<Program> compile(const std::string& name, std::string text,
                                          const passes::PipelineOptions& pipeline = {},
                                          const frontend::Limits& limits = {});

  bool ok() const { return ok_; }
  /// Errors and warnings of compilation (pass notes included), as records and as text.
  const std::vector<DiagnosticRecord>& diagnostics() const { return records_; }
  const std::string& diagnosticText() const { return text_; }

  /// The query names in source order, and the model each is on.
  std::vector<std::string> queryNames() const;
  /// The names of the models the queries use, each once, in order of first use.
  std::vector<std::string> modelNames() const;
  /// The compiled graph of query `name`, or null.
  const ir::QueryGraph* query(const std::string& name) const;

  /// Runs query `g` (one of this program's: see query()). Thread-safe.
  QueryOutcome run(const ir::QueryGraph& g, const RunOptions& options) const;

private:
  Program() = default;
  Session session_;
  bool ok_ = false;
  std::vector<DiagnosticRecord> records_;
  std::string text_;
};

}  // namespace mv::driver
