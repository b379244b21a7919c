/* runtime/QueryMeta.h — what a native sampler knows about its query: names, labels, worlds and
 * pre-rendered run-time error messages. Plain C data so the code generator can emit it. */
#ifndef MV_RUNTIME_QUERYMETA_H
#define MV_RUNTIME_QUERYMETA_H

#include "runtime/Runtime.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mv_rt_prediction_meta {
  const char* label;
  const char* world; /* "factual", "counterfactual", a named world, or the worlds read joined with "," */
} mv_rt_prediction_meta;

/** The full diagnostic text for the run-time error (kind, node, param), as mvc prints it, with
 *  placeholders: \x01 the value, \x02 the seed, \x03 the sample index, \x05 the value
 *  as an int (the error's int_value). */
typedef struct mv_rt_error_meta {
  int32_t kind;
  int32_t node;
  int32_t param;
  const char* text;
} mv_rt_error_meta;

/** One `data NAME: TYPE` declaration (spec/data.md §1): its elements are the data buffer's
 *  words [offset, offset + product of dims), row-major, each an int64 (int), 0/1 (bool) or
 *  the bits of a double (real). `text` is the diagnostic at the declaration, as mvc prints
 *  it, with \x06 for the message. */
typedef struct mv_rt_data_meta {
  const char* name;
  int32_t type; /* 0 bool, 1 int, 2 real */
  int32_t rank;
  const int32_t* dims;
  int32_t offset;
  const char* text;
} mv_rt_data_meta;

/** A check of the bound data before any sampling (ir::DataCheck): kind 0, the value of
 *  slots[0] lies in [lo, hi] (an end open where lo_open / hi_open); kind 1, a categorical row:
 *  each of the `count` slots' values is >= 0 and they sum to 1 within 1e-9. Values are read
 *  as `type` (0 bool, 1 int, 2 real) and compared as doubles. `element` is the diagnostic of a
 *  value outside (or a negative entry), `sum` of a row's sum, as mvc prints them, with \x01
 *  the value (\x05 as an int) and \x07 the data file's name. */
typedef struct mv_rt_data_check {
  int32_t kind;
  int32_t type;
  int32_t count;
  const int32_t* slots;
  double lo;
  double hi;
  int32_t lo_open;
  int32_t hi_open;
  const char* element;
  const char* sum;
} mv_rt_data_check;

typedef struct mv_rt_query_meta {
  const char* name;
  const char* model;
  const char* kind;   /* "observational" | "interventional" | "counterfactual" */
  const char* engine; /* the engine name printed, "jit" */
  int32_t num_predictions;
  const mv_rt_prediction_meta* predictions;
  int32_t num_errors;
  const mv_rt_error_meta* errors;
  /** The all-weights-zero diagnostic with \x04 for the sample count. */
  const char* all_zero;
  /** Non-zero when the query has separated evidence (RunConfig::separatedEvidence). */
  int32_t separated_evidence;
  /** The program's data declarations (bound by --data FILE) and the data buffer's size in words. */
  int32_t num_data;
  const mv_rt_data_meta* data;
  int32_t data_size;
  /** The generated block function (RunConfig::blockFn), or NULL. */
  mv_rt_block_fn block;
  /** The checks of the bound data, made before any sampling (exit status 3 where one fails). */
  int32_t num_data_checks;
  const mv_rt_data_check* data_checks;
  /** The scales of the weight sums (RunConfig::weightScale, evidenceWeightScale; NaN: per block). */
  double weight_scale;
  double evidence_weight_scale;
} mv_rt_query_meta;

/** The `main` of a native sampler: parses --samples --seed --threads --format like `mvc run`,
 *  runs `fn` and prints exactly what `mvc run` prints. Returns the exit status. */
int mv_rt_sampler_main(int argc, char** argv, const mv_rt_query_meta* meta, mv_rt_sample_fn fn);

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_QUERYMETA_H */
