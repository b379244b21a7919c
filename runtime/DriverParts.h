// runtime/DriverParts.h — the driver's reduction pieces (partial results, the job, rounds), shared by its MPI half.
#pragma once

#include "runtime/Driver.h"

#include <atomic>
#include <cfloat>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mv::rt::detail {

/// The reduction value: the merged accumulator of a run of consecutive blocks, and the
/// first failure among them (blocks stop at their first failing sample).
struct Partial {
  Accumulator acc;
  Accumulator evidence;  ///< the full weights (no predictions), when RunConfig::separatedEvidence
  Summary summary;
  TopWeights top;
  bool failed = false;
  mv_rt_error error{};
};

struct Job {
  const RunConfig& config;
  mv_rt_sample_fn fn;
  void* ctx;
  uint64_t blockSize;
  // The lowest failed block so far. Blocks after it cannot hold the lowest-index failure,
  // so they are skipped; the reported error does not depend on timing.
  std::atomic<uint64_t> firstFailedBlock{std::numeric_limits<uint64_t>::max()};
  // A value no lower than the capacity-th largest log weight of the run (TopWeights):
  // blocks skip weights below it. Timing decides how high it is, never the result.
  std::atomic<double> topFloor{-DBL_MAX};
  size_t topCapacity = 0;
  // Under MPI the rows of --samples-out are kept here by block (and shipped to rank 0, which
  // writes them in order) instead of going to config.samplesOut as they are made.
  std::map<uint64_t, std::string>* rowStore = nullptr;
  std::mutex rowMutex;
  // Blocks that ran (not skipped after a failure or a cancel), for MV_MPI_STATS.
  std::atomic<uint64_t> blocksRun{0};
  // Blocks that ran on config.later (the tiered start's compiled engine).
  std::atomic<uint64_t> laterBlocks{0};
  // Under MPI: called after each block, on its thread, to tell the other ranks of a failure
  // and to pick up theirs (runDistributed); empty in one process.
  std::function<void(uint64_t block, bool failed)> afterBlock;

  bool cancelled() const { return config.cancel && config.cancel->load(std::memory_order_relaxed); }
  Partial empty() const {
    return Partial{Accumulator(config.numPredictions), Accumulator(0),
                   Summary(config.summarize ? config.numPredictions : 0), TopWeights(topCapacity)};
  }
  void lowerFirstFailedBlock(uint64_t block) {
    uint64_t seen = firstFailedBlock.load(std::memory_order_relaxed);
    while (block < seen && !firstFailedBlock.compare_exchange_weak(seen, block)) {
    }
  }
  void raiseTopFloor(const TopWeights& top) {
    const double f = top.certifiedFloor();
    double seen = topFloor.load(std::memory_order_relaxed);
    while (f > seen && !topFloor.compare_exchange_weak(seen, f, std::memory_order_relaxed)) {
    }
  }
};

/// Folds `right` (later samples) into `left`. The failure kept is the left one if any: its
/// sample index is lower than every sample of the right part.
Partial combine(Job& job, Partial left, const Partial& right);

/// Runs the blocks of rounds [bounds[k], bounds[k+1]) on the current arena's threads, each
/// thread taking the next block from a shared counter (a faster CPU runs more blocks; no
/// thread waits at a round's end), and hands each round's value — its tree as in runRound,
/// whichever threads computed its nodes — to `fold` in round order once it and every earlier
/// round are done. When `fold` returns false no later block is begun and no later round folded.
void runRounds(Job& job, const std::vector<uint64_t>& bounds, const std::function<bool(Partial&&)>& fold);

/// One round's worth of blocks [first, last) reduced in the tree fixed by the range alone:
/// split at first + (last - first) / 2 down to single blocks, each leaf combine(empty, block),
/// each node combine(left, right). A sub-range that is a node of that tree gives that node's
/// value, so parts of one tree can be computed apart (other ranks) and joined the same way.
Partial runRound(Job& job, uint64_t first, uint64_t last);

/// Moves a finished run's totals into `result` (estimates, failure, evidence, summaries).
void takeTotals(RunResult& result, Partial&& total, const RunConfig& config);

/// Appends `p`, bit for bit; loadPartial reads it back (false on a malformed buffer).
void savePartial(WireWriter& w, const Partial& p);
bool loadPartial(WireReader& r, Partial* p);

/// Runs config's samples on every rank of the MPI world (size > 1), blocks split across ranks
/// and combined on rank 0 in the one-process tree: the same bits as run() in one process.
/// Every rank returns the same result.
RunResult runDistributed(const RunConfig& config, mv_rt_sample_fn fn, void* ctx);

}  // namespace mv::rt::detail
