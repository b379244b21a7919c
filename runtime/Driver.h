// runtime/Driver.h — runs a sample function over N samples and reduces the weighted results.
#pragma once

#include "runtime/Runtime.h"
#include "runtime/Summary.h"
#include "runtime/TopWeights.h"

#include <atomic>

#include <cstdint>
#include <limits>
#include <vector>

namespace mv::rt {

class WireWriter;
class WireReader;

/// Streaming accumulator of weighted predictions: its sums are of exp(lw - scale), the scale
/// either set before the first weight (setScale: the driver's per-block rule,
/// runtime/WeightScale.h) or raised with the largest weight seen (a running max, for callers
/// that add without one). O(1) memory in the number of samples; merging two accumulators is
/// exact up to rounding and done in a fixed order.
/// The same sequence of add/merge calls always gives bit-identical results.
/// Log weights must be finite or -inf (the driver rejects NaN and +inf); a -inf weight
/// counts in count() but not in nonzero(). With no non-zero weight: logSumWeights() and
/// logEvidence() are -inf, ess() is 0, mean() and stderror() are NaN.
class Accumulator {
public:
  explicit Accumulator(int numPredictions = 0);

  /// Adds one sample with log weight `logWeight` (may be -inf) and prediction values
  /// preds[0..numPredictions()) (not read when the weight is 0).
  void add(double logWeight, const double* preds);
  /// Folds `other` (the samples after this one's) into this accumulator.
  void merge(const Accumulator& other);
  /// Before any weight: the sums are to be of exp(lw - scale). Weights above it still work
  /// (the running max takes over), but the driver's rule never adds one.
  void setScale(double scale) { maxLog_ = scale; }

  uint64_t count() const { return count_; }
  uint64_t nonzero() const { return nonzero_; }
  int numPredictions() const { return int(shift_.size()); }
  /// log(sum of weights); -inf when every weight is 0.
  double logSumWeights() const;
  /// (sum w)^2 / sum w^2.
  double ess() const;
  /// The largest weight over the sum of weights (the largest normalised weight); NaN with none.
  double maxWeight() const;
  /// log(sum w / count).
  double logEvidence() const;
  /// Self-normalised estimate of prediction k.
  double mean(int k) const;
  /// Delta-method standard error of mean(k).
  double stderror(int k) const;

  /// Hands the running sums to a block function (mv_rt_acc, runtime/Runtime.h): *raw points
  /// into this accumulator, which must not be touched until blockEnd(*raw).
  void blockBegin(mv_rt_acc* raw);
  /// Takes back the sums a block function left in `raw`.
  void blockEnd(const mv_rt_acc& raw);

  /// Appends every field, bit for bit, for another process (runtime/Serialize.cpp).
  void save(WireWriter& w) const;
  /// Reads what save() wrote: the same accumulator, bit for bit. False on a malformed buffer.
  bool load(WireReader& r);

private:
  void rescaleTo(double newMax);
  void widen(size_t k, int e);
  [[gnu::noinline]] double scaledFor(size_t k, double f);
  uint64_t count_ = 0;
  uint64_t nonzero_ = 0;
  double maxLog_;   // every sum below is scaled by exp(-maxLog_) (squares by exp(-2 maxLog_))
  double peak_;     // the largest log weight added (maxWeight())
  double sumW_ = 0, sumW2_ = 0;
  // Per prediction f, centred at shift c (the first value seen with non-zero weight) and
  // scaled by 2^-exp_ (inv_ = 2^-exp_; exp_ is 0 unless values spread beyond 2^400), so any
  // finite predictions give finite sums:
  std::vector<double> shift_, sumWF_, sumW2F_, sumW2FF_;
  std::vector<int> exp_;
  std::vector<double> inv_;
  bool plain_ = true;  // every exp_ is 0 and every shift within 2^399: add() takes the fast path
  std::vector<char> hasShift_;
};

/// An engine's functions for the driver: a sample function and its ctx, and a block function
/// (the same ctx) or null; either function may be null where the run never calls it.
struct BlockEngine {
  mv_rt_sample_fn fn = nullptr;
  void* ctx = nullptr;
  mv_rt_block_fn blockFn = nullptr;
};

struct RunConfig {
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 0;               ///< 0: all cores
  int numPredictions = 0;
  uint64_t blockSize = 4096;     ///< fixed: the reduction tree depends only on this
  /// The scale of every block's estimate sums, mv_rt_weight_scale of the query's bound
  /// (runtime/WeightScale.h; backend::weightScales), or NaN: each block's largest log weight.
  /// It must be what the block function was compiled with (the bits depend on it).
  double weightScale = std::numeric_limits<double>::quiet_NaN();
  /// The same for the full weights' sums (separatedEvidence).
  double evidenceWeightScale = std::numeric_limits<double>::quiet_NaN();
  bool summarize = false;        ///< also fill RunResult::summary (distributions, histograms)
  /// The query has separated evidence (ir::QueryGraph::hasSeparatedWeight): the full log
  /// weights differ from the estimate ones and are summed apart for log evidence.
  bool separatedEvidence = false;
  class SampleWriter* samplesOut = nullptr;      ///< if set, receives every sample, block by block
  std::atomic<uint64_t>* samplesDone = nullptr;  ///< if set, counts finished samples (progress)
  /// Stop early once every prediction's stderror() is below targetStderr (0: no target)
  /// and ess() is above targetEss (0: no target). Checked only at the ends of the rounds
  /// of the fixed schedule (see run()), so the samples used depend on the flags alone.
  double targetStderr = 0;
  double targetEss = 0;
  /// If set and it becomes true, the run stops at the next block boundary (an embedder's
  /// Ctrl-C): blocks not yet begun are skipped and RunResult::cancelled is set.
  const std::atomic<bool>* cancel = nullptr;
  /// If set, computes whole blocks (with the same ctx as the sample function) where no
  /// per-sample output is wanted (samplesOut); it must give what the sample function gives
  /// through the driver's per-sample loop, bit for bit (the JIT's and native executables'
  /// generated block functions, backend/CodegenBlock.cpp). With it and no samplesOut, run()
  /// never calls the sample function, which may then be null.
  mv_rt_block_fn blockFn = nullptr;
  /// The tiered start (driver/TieredStart.cpp): if set, each block loads it as it begins and,
  /// once it holds an engine, runs on that engine (its blockFn where no per-sample output is
  /// wanted, else its fn; it must have the one the run needs) instead of the run's own. Both
  /// must compute the same samples, so every block gives the same bits on either and the
  /// result does not depend on when (or whether) it is set. It must outlive run().
  const std::atomic<const BlockEngine*>* later = nullptr;
  /// A test hook: blocks before this index never take `later` (a switch forced mid-run).
  uint64_t laterFromBlock = 0;
  /// If set, while it is true one of the run's threads (when it has several) takes no block:
  /// its core is left to the compile `later` waits for. Which thread runs a block never
  /// changes the result.
  const std::atomic<bool>* laterPending = nullptr;
};

struct RunResult {
  bool ok = true;
  mv_rt_error error{};           ///< the failure with the lowest sample index, if !ok
  Accumulator acc;               ///< the estimate weights: means, stderr, ESS; count() is the samples used
  bool separatedEvidence = false;  ///< as in RunConfig: `evidence` holds the full weights
  Accumulator evidence;          ///< the full weights (no predictions), when separatedEvidence
  Summary summary;               ///< filled when RunConfig::summarize
  TopWeights top;                ///< the largest (estimate) log weights, for k-hat (psisTailLength + 1)
  bool targetMet = false;        ///< a target was given and met (at a round end, or at the end)
  bool cancelled = false;        ///< RunConfig::cancel was set: the estimates are partial, not to be used
  /// log P(all evidence): from the full weights (equal to the estimate ones when no
  /// evidence is separated).
  double logEvidence() const { return separatedEvidence ? evidence.logEvidence() : acc.logEvidence(); }
  double seconds = 0;
  double compileSeconds = 0;     ///< set by engines that compile (the JIT); not by run()
  uint64_t blocksRun = 0;        ///< blocks run (not skipped after a failure, a cancel or met targets); one process only
  uint64_t laterBlocks = 0;      ///< of which on RunConfig::later (the rest on the run's own engine)
  /// Under MPI, rank 0's time spent unpacking and joining the ranks' partial results (the
  /// cost of the combination, for bench/); 0 in one process.
  double combineSeconds = 0;
};

/// Runs `fn` for samples 0..N-1 in fixed blocks on oneTBB and reduces them
/// deterministically: the result is bit-identical for every thread count. Blocks run in
/// rounds ending at blocks 1, 2, 4, 8, ... (the last cut at N): each round is one
/// deterministic parallel reduction, the rounds are merged in order. The schedule does not
/// depend on N, so a run stopped by a target after n samples is bit-identical to a run of
/// exactly n samples.
RunResult run(const RunConfig& config, mv_rt_sample_fn fn, void* ctx);

/// True when `acc` meets the targets of `config` (false when it has none).
bool targetsMet(const RunConfig& config, const Accumulator& acc);

/// Number of hardware threads (the default for --threads).
int defaultThreads();

}  // namespace mv::rt
