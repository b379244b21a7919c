/* include/multiverse/multiverse.h — the MultiVerse C API (libmultiverse.so): compile .mv programs, run their
 * queries, read results and diagnostics. See docs/c-api.md.
 *
 * Thread safety: the library has no global mutable state. A program is immutable once compiled;
 * mv_run may be called on the same or different programs from several threads at once, and each
 * run gives the answer it gives alone. A result belongs to the thread that holds it.
 * Errors: every call that can fail returns an mv_status; the message is read from the handle
 * it concerns (mv_program_error, mv_result_error), never from a global. Nothing aborts.
 * Strings and arrays returned by the library live as long as the handle they came from. */
#ifndef MULTIVERSE_MULTIVERSE_H
#define MULTIVERSE_MULTIVERSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: incremented when a declaration changes incompatibly. */
#define MV_API_VERSION 1

#if defined(__GNUC__)
#define MV_API __attribute__((visibility("default")))
#else
#define MV_API
#endif

typedef enum mv_status {
  MV_OK = 0,
  MV_ERROR_COMPILE = 1,        /* the program has errors: see its diagnostics */
  MV_ERROR_USAGE = 2,          /* a bad argument: null pointer, unknown query, bad option */
  MV_ERROR_RUNTIME = 3,        /* the run failed: a sample's domain error, every weight zero, an exact refusal */
  MV_ERROR_IO = 4,             /* a file could not be read */
  MV_ERROR_INTERNAL = 5,       /* a bug in MultiVerse (e.g. the JIT could not compile a query) */
  MV_ERROR_OUT_OF_MEMORY = 6
} mv_status;

typedef enum mv_engine {
  MV_ENGINE_JIT = 0,           /* importance sampling, JIT-compiled (the default) */
  MV_ENGINE_INTERP = 1,        /* importance sampling, the reference interpreter */
  MV_ENGINE_EXACT = 2          /* exact enumeration of finite discrete models */
} mv_engine;

typedef enum mv_severity { MV_SEVERITY_ERROR = 0, MV_SEVERITY_WARNING = 1, MV_SEVERITY_NOTE = 2 } mv_severity;

/* One diagnostic, as the compiler prints it "file:line:column: severity: message". */
typedef struct mv_diagnostic {
  const char* file;            /* "" when it has no location */
  uint32_t line;               /* 1-based; 0 with no location */
  uint32_t column;             /* 1-based; 0 with no location */
  mv_severity severity;
  const char* name;            /* the registry name, e.g. "UndeclaredName" */
  const char* message;
  size_t num_notes;
  const struct mv_diagnostic* notes;
} mv_diagnostic;

/* The interface version the library was built with (MV_API_VERSION of its header). */
MV_API int mv_api_version(void);
/* The project version and the LLVM, oneTBB and Boehm GC versions it was built with, one per line. */
MV_API const char* mv_version(void);
/* The name of a status ("MV_ERROR_RUNTIME") and of an engine ("jit"); "?" when out of range. */
MV_API const char* mv_status_name(mv_status status);
MV_API const char* mv_engine_name(mv_engine engine);

/* ---- programs ---- */
typedef struct mv_program mv_program;

/* Compiles `length` bytes of `text` (named `name` in diagnostics; NULL: "<input>"). Unless
 * `out` is NULL, *out receives a program even when compilation fails (MV_ERROR_COMPILE), so
 * its diagnostics can be read; free it with mv_program_free. */
MV_API mv_status mv_compile(const char* name, const char* text, size_t length, mv_program** out);
/* Reads and compiles the file `path`; MV_ERROR_IO when it cannot be read (message on *out). */
MV_API mv_status mv_load(const char* path, mv_program** out);
MV_API void mv_program_free(mv_program* program);

/* MV_OK or why compilation failed, and the diagnostics printed as the compiler prints them
 * (with source lines and carets; warnings included; "" when there are none). */
MV_API mv_status mv_program_status(const mv_program* program);
MV_API const char* mv_program_error(const mv_program* program);
MV_API size_t mv_program_num_diagnostics(const mv_program* program);
MV_API const mv_diagnostic* mv_program_diagnostic(const mv_program* program, size_t i);

/* The queries in source order and the model each is on; the models the queries use. */
MV_API size_t mv_program_num_queries(const mv_program* program);
MV_API const char* mv_program_query_name(const mv_program* program, size_t i);
MV_API const char* mv_program_query_model(const mv_program* program, size_t i);
MV_API size_t mv_program_num_models(const mv_program* program);
MV_API const char* mv_program_model_name(const mv_program* program, size_t i);

/* ---- runs ---- */
typedef struct mv_run_options {
  size_t struct_size;          /* sizeof(mv_run_options): lets later versions add fields */
  uint64_t samples;            /* default 100000; ignored by the exact engine */
  uint64_t seed;               /* default 1 */
  int threads;                 /* 0 (default): all cores; results do not depend on it */
  mv_engine engine;            /* default MV_ENGINE_JIT */
  uint64_t max_assignments;    /* exact engine: refuse beyond this many (default 2^24) */
  int summarize;               /* non-zero (default): fill each prediction's distribution */
  double target_stderr;        /* sampling: stop in rounds once every stderr is below it (0, default: none) */
  double target_ess;           /* sampling: stop in rounds once the ESS is above it (0, default: none) */
  /* The values of the program's `data` declarations (NULL, default: none; the program must then
   * declare no data): a JSON object's text, else a JSON or CSV file as `mvc run --data`. A value
   * that cannot be bound is MV_ERROR_USAGE, with its diagnostics in the result. */
  const char* data_json;
  const char* data_file;
} mv_run_options;

/* Sets every option to its default (what `mvc run` does without flags). */
MV_API void mv_run_options_init(mv_run_options* options);

typedef struct mv_result mv_result;

/* Runs query `query` (NULL: the program's only query) with `options` (NULL: defaults).
 * Unless `out` is NULL, *out receives a result for every status but MV_ERROR_OUT_OF_MEMORY,
 * holding the status and its message; free it with mv_result_free. */
MV_API mv_status mv_run(const mv_program* program, const char* query, const mv_run_options* options,
                        mv_result** out);
MV_API void mv_result_free(mv_result* result);

MV_API mv_status mv_result_status(const mv_result* result);
/* The run's diagnostics printed as mvc prints them (warnings and errors; "" when none). */
MV_API const char* mv_result_error(const mv_result* result);
MV_API size_t mv_result_num_diagnostics(const mv_result* result);
MV_API const mv_diagnostic* mv_result_diagnostic(const mv_result* result, size_t i);

MV_API const char* mv_result_query(const mv_result* result);
MV_API const char* mv_result_model(const mv_result* result);
MV_API const char* mv_result_kind(const mv_result* result);   /* "observational", "interventional", ... */
MV_API mv_engine mv_result_engine(const mv_result* result);
MV_API uint64_t mv_result_samples(const mv_result* result);        /* asked for: the most a target run may use */
MV_API uint64_t mv_result_samples_used(const mv_result* result);   /* drawn (fewer when a target was met) */
MV_API int mv_result_target_met(const mv_result* result);
MV_API uint64_t mv_result_seed(const mv_result* result);
MV_API int mv_result_threads(const mv_result* result);
MV_API double mv_result_ess(const mv_result* result);
MV_API double mv_result_log_evidence(const mv_result* result);
MV_API double mv_result_seconds(const mv_result* result);
MV_API uint64_t mv_result_nonzero_weights(const mv_result* result);
MV_API uint64_t mv_result_assignments(const mv_result* result);  /* exact engine; 0 otherwise */
/* Importance-sampling diagnostics (NaN for the exact engine and failed runs): ESS / samples, the
 * largest normalised weight, the Pareto k-hat of the weights; and the warnings mvc prints. */
MV_API double mv_result_ess_per_sample(const mv_result* result);
MV_API double mv_result_max_weight(const mv_result* result);
MV_API double mv_result_pareto_k(const mv_result* result);
MV_API size_t mv_result_num_warnings(const mv_result* result);
MV_API const char* mv_result_warning(const mv_result* result, size_t i);
/* The line `mvc run --format json` prints for this run (its error line after MV_ERROR_RUNTIME;
 * "" after other failures). */
MV_API const char* mv_result_json(const mv_result* result);

typedef struct mv_prediction {
  const char* label;
  const char* world;           /* "factual", "counterfactual", ... */
  double mean;
  double stderror;             /* standard error of the mean; 0 from the exact engine */
  double sd;                   /* weighted standard deviation; NaN when not summarized */
  int integral;                /* non-zero when every value with weight was an integer */
  size_t num_values;           /* integral predictions: the distribution value -> probability */
  const double* values;
  const double* probabilities;
  double other_mass;           /* probability beyond the values listed (more than 64 distinct) */
} mv_prediction;

MV_API size_t mv_result_num_predictions(const mv_result* result);
MV_API const mv_prediction* mv_result_prediction(const mv_result* result, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* MULTIVERSE_MULTIVERSE_H */
