/* runtime/Runtime.h — the C ABI (mv_rt_*) that generated code and the interpreter call. */
#ifndef MV_RUNTIME_RUNTIME_H
#define MV_RUNTIME_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Random streams -------------------------------------------------------------
 * Every draw has its own counter-based stream, derived only from
 * (seed, sample index, site ordinal, world). Nothing depends on threads or on
 * which other sites were drawn, so pruning a site never changes another's value. */

/** A SplitMix64 stream. */
typedef struct mv_rt_stream {
  uint64_t state;
} mv_rt_stream;

/** The stream of one draw: site `site` (its ordinal in its model) in world `world`
 *  (runtime/Stream.h defines it in stages; engines compute the seed's and the sample's parts
 *  once per run and per sample). */
mv_rt_stream mv_rt_stream_for(uint64_t seed, uint64_t sample, uint32_t site, uint32_t world);
/** Next 64 random bits. */
uint64_t mv_rt_next_u64(mv_rt_stream* s);
/** Uniform on the open interval (0, 1), 53 bits. */
double mv_rt_next_open01(mv_rt_stream* s);

/* ---- Distributions -----------------------------------------------------------------
 * Uniform signatures so a table can call any of them: `p` points at the parameters
 * (categorical: the n probabilities; others: their fixed count), all as doubles;
 * bool and int values travel as doubles (an int rounds to nearest: exact below 2^53,
 * which bounds binomial's n, so counts are exact both ways).
 *   mv_rt_draw_NAME(stream, p, n)  -> a draw
 *   mv_rt_logpdf_NAME(x, p, n)     -> log density or mass at x (-inf outside the support)
 *   mv_rt_check_NAME(p, n)         -> -1 if the parameters are in their domain, else the
 *                                     index of the first offending parameter
 *                                     (categorical: the index of a bad probability, or n
 *                                     when they do not sum to 1 within 1e-9). */
#define MV_RT_DECLARE_DIST(name)                                              \
  double mv_rt_draw_##name(mv_rt_stream* s, const double* p, int32_t n);     \
  double mv_rt_logpdf_##name(double x, const double* p, int32_t n);          \
  int32_t mv_rt_check_##name(const double* p, int32_t n);
/* One set per entry of the distribution table (a dependency-free X-macro list). */
#define MV_DISTRIBUTION(Enum, name, Support) MV_RT_DECLARE_DIST(name)
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
#undef MV_RT_DECLARE_DIST

/* ---- Errors raised while computing one sample ---------------------------------- */

enum mv_rt_error_kind {
  MV_RT_OK = 0,
  MV_RT_DOMAIN = 1,          /* a distribution parameter outside its domain */
  MV_RT_INDEX = 2,           /* an array index out of range */
  MV_RT_DIV_ZERO = 3,        /* integer % by zero */
  MV_RT_NAN_PREDICTION = 4,  /* a prediction with non-zero weight evaluated to NaN */
  MV_RT_NAN_WEIGHT = 5,      /* a log weight evaluated to NaN */
  MV_RT_INF_PREDICTION = 6,  /* a prediction with non-zero weight evaluated to +-infinity */
  MV_RT_PROPOSAL_SUPPORT = 7, /* a proposal that never draws `value`, which its site's
                                distribution can take (runtime/Coverage.h) */
  MV_RT_FACTOR = 8           /* a `factor` term evaluated to NaN (param 0) or +infinity (param 1) */
};

/** What went wrong, where: `node` is the IR node id, `param` the parameter index
 *  (or the prediction index), `value` the offending value; `int_value` instead when that
 *  is an int (an int parameter such as binomial's n, an array index), exactly. For
 *  MV_RT_DOMAIN, params 0..n-1 are the distribution's n parameters, n its categorical sum,
 *  and n + 1 + k the proposal's parameter k (ir::SiteInfo::proposalErrorParam). */
typedef struct mv_rt_error {
  int32_t kind;
  int32_t node;
  int32_t param;
  union {
    double value;
    int64_t int_value;
  };
  uint64_t sample;
} mv_rt_error;

/** One complete sample: fills *log_weight, *full_log_weight and preds[0..k), returns 0, or
 *  fills *err and returns non-zero. Must be safe to call concurrently for different samples.
 *  *full_log_weight is the log weight over all evidence (what log evidence estimates);
 *  *log_weight, the estimate weight (means, stderr, ESS), leaves out the factors of evidence
 *  that pruning separated from the predictions, and is -inf whenever the full one is. Where
 *  no evidence is separated the two are equal. */
typedef int32_t (*mv_rt_sample_fn)(void* ctx, uint64_t seed, uint64_t sample, double* log_weight,
                                   double* full_log_weight, double* preds, mv_rt_error* err);


/* ---- Block functions ---------------------------------------------------------------
 * A generated block function runs samples [begin, end) of one of the driver's blocks in
 * order and folds each into the block's partial result exactly as the driver's per-sample
 * loop does (runtime/Driver.cpp, runBlockSamples): the same checks, the same arithmetic in
 * the same order, so every result is bit-identical. What the inline code does not cover
 * it hands to the mv_rt_*_add functions below. This is the one header of its signature. */

/** The running sums of one mv::rt::Accumulator while a block runs (Accumulator::blockBegin
 *  fills it, blockEnd takes it back). The inline path of add() may be taken when `fast` is
 *  non-zero (no scaling in use, every shift set), the weight is at most `max_log` and every
 *  prediction is within 2^399 in magnitude; any other weighted sample goes to mv_rt_acc_add. */
typedef struct mv_rt_acc {
  uint64_t count;
  uint64_t nonzero;
  double max_log;   /* the scale of the sums (runtime/WeightScale.h), set before the block's first weight */
  double peak;      /* the largest log weight added (-inf before any) */
  double sum_w;
  double sum_w2;
  int32_t fast;
  int32_t num_preds;
  double* shift;    /* num_preds values each, owned by the accumulator */
  double* sum_wf;
  double* sum_w2f;
  double* sum_w2ff;
  void* owner;      /* the mv::rt::Accumulator */
} mv_rt_acc;

/** Accumulator::add of one sample on the accumulator behind `acc`, which must hold the
 *  current sums; refreshes every field of *acc. */
void mv_rt_acc_add(mv_rt_acc* acc, double log_weight, const double* preds);
/** TopWeights::add (`top` is a mv::rt::TopWeights), called only above mv_rt_block::top_floor. */
void mv_rt_top_add(void* top, double log_weight);
/** Summary::add (`summary` is a mv::rt::Summary). */
void mv_rt_summary_add(void* summary, double log_weight, const double* preds);
/** Summary::setScale (`summary` a fresh mv::rt::Summary): its sums are of exp(lw - scale). */
void mv_rt_summary_set_scale(void* summary, double scale);

/** One block for a block function: its samples, the partial result to fold them into. */
typedef struct mv_rt_block {
  uint64_t seed;
  uint64_t begin;        /* the first sample */
  uint64_t end;          /* one past the last */
  mv_rt_acc* acc;        /* the estimate weights and the predictions */
  mv_rt_acc* evidence;   /* the full weights (no predictions) when evidence is separated, else NULL */
  void* top;             /* the block's mv::rt::TopWeights */
  double top_floor;      /* weights not above it skip mv_rt_top_add (+inf: keep none) */
  void* summary;         /* the block's mv::rt::Summary when summaries are wanted, else NULL */
  /* With a summary and only bool predictions, the block function may keep the summary's
   * sums itself (Summary::fromBoolSums) instead of calling mv_rt_summary_add per sample:
   * it then sets summary_by_sums and fills, per prediction k, bool_same[k] (the weight of
   * the values equal to acc->shift[k], rescaled as the accumulator's sums) and
   * bool_other_seen[k] (non-zero when the other value occurred). */
  double* bool_same;
  int32_t* bool_other_seen;
  int32_t summary_by_sums;
  /* Room for end - begin values each (end - begin times num_preds for pred_values): where a
   * block's sums take its own largest log weight as scale (runtime/WeightScale.h, NaN), the
   * block function keeps its samples' weights and predictions here in a first pass, then
   * sets the scale and folds them in a second. Unused with a fixed scale (acc->max_log and
   * evidence->max_log are then preset by the driver). */
  double* log_weights;
  double* full_weights;
  double* pred_values;
} mv_rt_block;

/** Runs samples block->begin .. block->end - 1 in order, folding each into the block's
 *  partial result. Returns 0, or stops at the first failing sample (the ones before it
 *  folded in, as the driver's loop does), fills *err (with err->sample) and returns 1. */
typedef int32_t (*mv_rt_block_fn)(void* ctx, mv_rt_block* block, mv_rt_error* err);

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_RUNTIME_H */
