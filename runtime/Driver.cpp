// runtime/Driver.cpp — runs a sample function over fixed blocks on oneTBB (runtime/DriverSchedule.cpp) and reduces them deterministically.
#include "runtime/Driver.h"

#include "runtime/DriverParts.h"
#include "runtime/Gc.h"
#include "runtime/Mpi.h"
#include "runtime/SampleWriter.h"

#include <tbb/info.h>

#include <algorithm>
#include <cfloat>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <vector>

namespace mv::rt {

namespace detail {

/// Folds `right` (later samples) into `left`. The failure kept is the left one if any: its
/// sample index is lower than every sample of the right part.
Partial combine(Job& job, Partial left, const Partial& right) {
  left.acc.merge(right.acc);
  left.evidence.merge(right.evidence);
  left.summary.merge(right.summary);
  left.top.merge(right.top, job.topFloor.load(std::memory_order_relaxed));
  job.raiseTopFloor(left.top);
  if (!left.failed && right.failed) {
    left.failed = true;
    left.error = right.error;
  }
  return left;
}

Partial runBlockSamples(Job& job, uint64_t block, std::string* rows);

/// Runs the samples of one block in order into a fresh accumulator; hands its rows to the
/// sample writer and counts them for progress.
Partial runBlock(Job& job, uint64_t block) {
  std::string rows;
  Partial out = runBlockSamples(job, block, job.config.samplesOut ? &rows : nullptr);
  if (job.afterBlock) job.afterBlock(block, out.failed);
  if (job.rowStore) {
    std::lock_guard<std::mutex> lock(job.rowMutex);
    (*job.rowStore)[block] = std::move(rows);
  } else if (job.config.samplesOut) {
    job.config.samplesOut->blockDone(block, std::move(rows), out.failed);
  }
  if (job.config.samplesDone) {
    const uint64_t begin = block * job.blockSize;
    job.config.samplesDone->fetch_add(std::min(job.config.samples, begin + job.blockSize) - begin,
                                      std::memory_order_relaxed);
  }
  return out;
}

/// Records the failure `err` of block `block` (the lowest failing sample of the block).
void recordFailure(Job& job, uint64_t block, Partial& out, const mv_rt_error& err) {
  out.failed = true;
  out.error = err;
  job.lowerFirstFailedBlock(block);
}

/// The scale of a block's sums (runtime/WeightScale.h): the query's fixed scale, or with NaN
/// the largest of the block's log weights (-inf when all are zero, which then nothing uses).
double blockScale(double fixed, const double* logWeights, size_t n) {
  if (!std::isnan(fixed)) return fixed;
  double m = -std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < n; ++j) m = std::max(m, logWeights[j]);
  return m;
}

/// Per-thread room for one block's log weights and predictions (the two-pass rule).
struct BlockBuffers {
  std::vector<double> logWeights, fullWeights, preds;
  void reserve(size_t n, size_t numPreds) {
    logWeights.resize(n);
    fullWeights.resize(n);
    preds.resize(n * std::max<size_t>(numPreds, 1));
  }
};

BlockBuffers& blockBuffers() {
  thread_local BlockBuffers b;
  return b;
}

/// The samples [begin, end) of `block` through the generated block function: the same
/// checks and folds as the loop below, in generated code (runtime/Runtime.h, mv_rt_block).
Partial runBlockFunction(Job& job, const BlockEngine& engine, uint64_t block, uint64_t begin, uint64_t end,
                         Partial out) {
  mv_rt_acc acc, evidence;
  const bool summarize = job.config.summarize && job.config.numPredictions > 0;
  // A fixed scale is set here; a NaN one by the block function once its first pass is done.
  if (!std::isnan(job.config.weightScale)) {
    out.acc.setScale(job.config.weightScale);
    if (summarize) out.summary.setScale(job.config.weightScale);
  }
  if (!std::isnan(job.config.evidenceWeightScale)) out.evidence.setScale(job.config.evidenceWeightScale);
  out.acc.blockBegin(&acc);
  if (job.config.separatedEvidence) out.evidence.blockBegin(&evidence);
  std::vector<double> same(summarize ? size_t(job.config.numPredictions) : 0);
  std::vector<int32_t> otherSeen(same.size());
  BlockBuffers& buf = blockBuffers();
  const bool twoPass = std::isnan(job.config.weightScale) || std::isnan(job.config.evidenceWeightScale);
  if (twoPass) buf.reserve(size_t(end - begin), size_t(job.config.numPredictions));
  mv_rt_block b{job.config.seed, begin, end, &acc, job.config.separatedEvidence ? &evidence : nullptr, &out.top,
                out.top.capacity() > 0 ? out.top.floor() : std::numeric_limits<double>::infinity(),
                summarize ? &out.summary : nullptr, same.data(), otherSeen.data(), 0,
                twoPass ? buf.logWeights.data() : nullptr, twoPass ? buf.fullWeights.data() : nullptr,
                twoPass ? buf.preds.data() : nullptr};
  mv_rt_error err{};
  const bool bad = engine.blockFn(engine.ctx, &b, &err) != 0;
  if (summarize && b.summary_by_sums) out.summary.fromBoolSums(acc, same.data(), otherSeen.data());
  out.acc.blockEnd(acc);
  if (job.config.separatedEvidence) out.evidence.blockEnd(evidence);
  if (bad) {
    recordFailure(job, block, out, err);
    return out;
  }
  out.top.trimIfFull();
  job.raiseTopFloor(out.top);
  return out;
}

Partial runBlockSamples(Job& job, uint64_t block, std::string* rows) {
  const int numSummarized = job.config.summarize ? job.config.numPredictions : 0;
  Partial out = job.empty();
  if (block > job.firstFailedBlock.load(std::memory_order_relaxed)) return out;
  if (job.cancelled()) return out;
  job.blocksRun.fetch_add(1, std::memory_order_relaxed);
  out.top.setFloor(job.topFloor.load(std::memory_order_relaxed));
  const uint64_t begin = block * job.blockSize;
  const uint64_t end = std::min(job.config.samples, begin + job.blockSize);
  // The engine of this block: the run's own, or the tiered start's compiled one once it is ready.
  BlockEngine engine{job.fn, job.ctx, job.config.blockFn};
  if (job.config.later && block >= job.config.laterFromBlock)
    if (const BlockEngine* ready = job.config.later->load(std::memory_order_acquire)) {
      engine = *ready;
      job.laterBlocks.fetch_add(1, std::memory_order_relaxed);
    }
  if (engine.blockFn && !rows) return runBlockFunction(job, engine, block, begin, end, std::move(out));
  // Per-block scratch from the collector: nothing in generated code can see its lifetime.
  const size_t numPreds = size_t(std::max(job.config.numPredictions, 1));
  double* preds = static_cast<double*>(gcAllocAtomic(sizeof(double) * numPreds));
  std::fill(preds, preds + numPreds, 0.0);
  // First pass: the samples, their checks, top weights and rows; weights and predictions kept
  // for the second, which folds them in at the block's scale (runtime/WeightScale.h).
  BlockBuffers& buf = blockBuffers();
  buf.reserve(size_t(end - begin), numPreds);
  size_t n = 0;
  bool failed = false;
  for (uint64_t i = begin; i < end; ++i) {
    double logWeight = 0.0, fullLogWeight = 0.0;
    mv_rt_error err{};
    bool bad = engine.fn(engine.ctx, job.config.seed, i, &logWeight, &fullLogWeight, preds, &err) != 0;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    if (!bad && (std::isnan(logWeight) || logWeight == kInf || std::isnan(fullLogWeight) || fullLogWeight == kInf)) {
      // +inf is reported as a NaN weight too: it would turn every estimate into NaN.
      const bool estimateBad = std::isnan(logWeight) || logWeight == kInf;
      err = mv_rt_error{MV_RT_NAN_WEIGHT, -1, -1, estimateBad ? logWeight : fullLogWeight, i};
      bad = true;
    }
    if (!bad && logWeight != -kInf) {
      for (int k = 0; k < job.config.numPredictions; ++k) {
        if (!std::isfinite(preds[k])) {  // would make the mean NaN or infinite
          err = mv_rt_error{std::isnan(preds[k]) ? MV_RT_NAN_PREDICTION : MV_RT_INF_PREDICTION, -1, k, preds[k], i};
          bad = true;
          break;
        }
      }
    }
    if (bad) {
      err.sample = i;
      recordFailure(job, block, out, err);
      failed = true;
      break;
    }
    out.top.add(logWeight);
    if (rows) SampleWriter::formatRow(*rows, i, logWeight, preds, job.config.numPredictions);
    buf.logWeights[n] = logWeight;
    buf.fullWeights[n] = fullLogWeight;
    std::copy(preds, preds + numPreds, buf.preds.data() + n * numPreds);
    ++n;
  }
  // Second pass: the samples before any failure, as the block function folds them.
  const double scale = blockScale(job.config.weightScale, buf.logWeights.data(), n);
  out.acc.setScale(scale);
  if (numSummarized) out.summary.setScale(scale);
  if (job.config.separatedEvidence)
    out.evidence.setScale(blockScale(job.config.evidenceWeightScale, buf.fullWeights.data(), n));
  for (size_t j = 0; j < n; ++j) {
    const double* p = buf.preds.data() + j * numPreds;
    out.acc.add(buf.logWeights[j], p);
    if (job.config.separatedEvidence) out.evidence.add(buf.fullWeights[j], nullptr);
    if (numSummarized) out.summary.add(buf.logWeights[j], p);
  }
  if (failed) return out;
  out.top.trimIfFull();
  job.raiseTopFloor(out.top);
  return out;
}

/// One round: blocks [first, last) reduced in a tree fixed by the range alone.
void takeTotals(RunResult& result, Partial&& total, const RunConfig& config) {
  result.ok = !total.failed;
  result.error = total.error;
  result.acc = std::move(total.acc);
  result.separatedEvidence = config.separatedEvidence;
  result.evidence = total.evidence;
  result.summary = std::move(total.summary);
  // Held beyond the capacity largest are values whose keeping depended on when floors rose
  // (on the schedule); the capacity largest themselves do not: keep exactly those.
  total.top.trim();
  result.top = std::move(total.top);
}

}  // namespace detail

using detail::combine;
using detail::Job;
using detail::Partial;

RunResult run(const RunConfig& config, mv_rt_sample_fn fn, void* ctx) {
  if (mpi::size() > 1 && !mpi::solo()) return detail::runDistributed(config, fn, ctx);
  const auto start = std::chrono::steady_clock::now();
  gcInit();  // before any TBB use; registers this thread and, from now on, TBB's workers
  const int threads = config.threads > 0 ? config.threads : defaultThreads();

  Job job{config, fn, ctx, std::max<uint64_t>(config.blockSize, 1)};
  job.topCapacity = TopWeights::capacityFor(config.samples);
  const uint64_t numBlocks = (config.samples + job.blockSize - 1) / job.blockSize;

  RunResult result;
  Partial total = job.empty();
  std::vector<uint64_t> bounds{0};  // rounds end at blocks 1, 2, 4, 8, ... (the last at numBlocks)
  while (bounds.back() < numBlocks) bounds.push_back(std::min(numBlocks, std::max<uint64_t>(1, 2 * bounds.back())));
  // Each round folded into the total in order; the run stops after a round that failed, a
  // cancel or met targets, as when every round ended in a barrier.
  auto fold = [&](Partial&& round) {
    total = combine(job, std::move(total), round);
    if (job.cancelled()) {
      result.cancelled = true;
      return false;
    }
    if (!total.failed && targetsMet(config, total.acc)) {
      result.targetMet = true;
      return false;
    }
    return !total.failed;
  };
  gcRunInArena(threads, [&] {  // every round in this run's own arena of `threads`
    if (config.targetStderr <= 0 && config.targetEss <= 0) {
      // Nothing reads a round's total before the end: threads go on to the next round's blocks
      // while the last blocks of a round finish (no barrier), and rounds fold as they complete.
      detail::runRounds(job, bounds, fold);
      return;
    }
    // With targets no block of a round may begin before the totals of the rounds before it
    // are checked (the samples used, and --samples-out's rows, depend on the flags alone).
    bool go = true;
    for (size_t r = 0; go && r + 1 < bounds.size(); ++r)
      detail::runRounds(job, {bounds[r], bounds[r + 1]}, [&](Partial&& round) { return go = fold(std::move(round)); });
  });

  takeTotals(result, std::move(total), config);
  result.blocksRun = job.blocksRun.load(std::memory_order_relaxed);
  result.laterBlocks = job.laterBlocks.load(std::memory_order_relaxed);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

bool targetsMet(const RunConfig& config, const Accumulator& acc) {
  if (config.targetStderr <= 0 && config.targetEss <= 0) return false;
  if (acc.nonzero() == 0) return false;
  if (config.targetEss > 0 && !(acc.ess() > config.targetEss)) return false;
  if (config.targetStderr > 0)
    for (int k = 0; k < acc.numPredictions(); ++k)
      if (!(acc.stderror(k) < config.targetStderr)) return false;
  return true;
}

int defaultThreads() { return std::max(1, tbb::info::default_concurrency()); }

}  // namespace mv::rt
