// runtime/DriverMpi.cpp — the parallel driver across MPI ranks: each round's tree cut into pieces, pieces spread over
// ranks, joined on rank 0 exactly as one process joins them.
#include "runtime/DriverParts.h"

#include "runtime/Gc.h"
#include "runtime/Mpi.h"
#include "runtime/SampleWriter.h"
#include "runtime/Wire.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

namespace mv::rt::detail {

namespace {

using Range = std::pair<uint64_t, uint64_t>;

/// How deep each round's tree is cut: at least 4 pieces per rank, so ranks get near-equal
/// shares of a round (contiguous runs of pieces) and each piece still spans many blocks for
/// the rank's threads.
int cutDepth(int ranks) {
  int d = 0;
  while ((uint64_t(1) << d) < uint64_t(4) * uint64_t(ranks)) ++d;
  return d;
}

/// The nodes of round [a, b)'s tree at depth `depth` (or single blocks above it), left to right.
void cut(uint64_t a, uint64_t b, int depth, std::vector<Range>& out) {
  if (depth == 0 || b - a <= 1) {
    out.emplace_back(a, b);
    return;
  }
  const uint64_t m = a + (b - a) / 2;  // tbb::blocked_range's split point
  cut(a, m, depth - 1, out);
  cut(m, b, depth - 1, out);
}

/// The value of node [a, b) from the values of its pieces: the one-process tree above the cut.
Partial join(Job& job, uint64_t a, uint64_t b, int depth, std::vector<Partial>& pieces, size_t& next) {
  if (depth == 0 || b - a <= 1) return std::move(pieces[next++]);
  const uint64_t m = a + (b - a) / 2;
  Partial left = join(job, a, m, depth - 1, pieces, next);
  Partial right = join(job, m, b, depth - 1, pieces, next);
  return combine(job, std::move(left), right);
}

/// The rank that computes piece i of n: contiguous runs, so each rank's blocks are adjacent.
int ownerOf(size_t i, size_t n, int ranks) { return int(uint64_t(i) * uint64_t(ranks) / uint64_t(n)); }

}  // namespace

void savePartial(WireWriter& w, const Partial& p) {
  p.acc.save(w);
  p.evidence.save(w);
  p.summary.save(w);
  p.top.save(w);
  w.put(p.failed);
  w.put(p.error);
}

bool loadPartial(WireReader& r, Partial* p) {
  if (!p->acc.load(r) || !p->evidence.load(r) || !p->summary.load(r) || !p->top.load(r)) return false;
  p->failed = r.get<bool>();
  p->error = r.get<mv_rt_error>();
  return r.ok();
}

RunResult runDistributed(const RunConfig& config, mv_rt_sample_fn fn, void* ctx) {
  const auto start = std::chrono::steady_clock::now();
  gcInit();
  const int threads = config.threads > 0 ? config.threads : defaultThreads();
  const int ranks = mpi::size(), me = mpi::rank();
  const int depth = cutDepth(ranks);

  Job job{config, fn, ctx, std::max<uint64_t>(config.blockSize, 1)};
  job.topCapacity = TopWeights::capacityFor(config.samples);
  std::map<uint64_t, std::string> rows;
  if (config.samplesOut) job.rowStore = &rows;
  const uint64_t numBlocks = (config.samples + job.blockSize - 1) / job.blockSize;

  // A failure stops the other ranks mid-round: the failing rank posts its block at once, and
  // a rank that picks the notice up skips its blocks after it (as threads of one process skip
  // blocks after firstFailedBlock), so the reported failure is still the lowest-index one.
  std::mutex mpiCalls;  // MPI_THREAD_SERIALIZED: one thread in MPI at a time
  std::atomic<bool> posted{false};
  std::vector<bool> picked(size_t(ranks), false);
  job.afterBlock = [&](uint64_t block, bool failed) {
    if (failed && !posted.exchange(true)) {
      std::lock_guard<std::mutex> lock(mpiCalls);
      mpi::postNotice(block);
      return;
    }
    std::unique_lock<std::mutex> lock(mpiCalls, std::try_to_lock);
    if (!lock.owns_lock()) return;  // another thread is polling already
    int from = -1;
    uint64_t failedBlock = 0;
    while (mpi::pollNotice(&from, &failedBlock)) {
      picked[size_t(from)] = true;
      job.lowerFirstFailedBlock(failedBlock);
    }
  };
  std::vector<int> posters;                      // decided by rank 0 when the run stops
  std::vector<uint64_t> blocksRun(static_cast<size_t>(ranks));// per rank, for MV_MPI_STATS

  RunResult result;
  Partial total = job.empty();
  double combineSeconds = 0;
  // The same rounds as run(); every rank walks them in step (one gather and one broadcast
  // each), and rank 0 decides when to stop, so targets and failures stop every rank alike.
  int rounds = 0;
  for (uint64_t first = 0; first < numBlocks;) {
    ++rounds;
    const uint64_t last = std::min(numBlocks, std::max<uint64_t>(1, 2 * first));
    std::vector<Range> pieces;
    cut(first, last, depth, pieces);
    std::vector<size_t> mine;
    for (size_t i = 0; i < pieces.size(); ++i)
      if (ownerOf(i, pieces.size(), ranks) == me) mine.push_back(i);
    std::vector<Partial> done(mine.size(), job.empty());
    gcRunInArena(threads, [&] {
      tbb::parallel_for(size_t(0), mine.size(), [&](size_t j) {
        done[j] = runRound(job, pieces[mine[j]].first, pieces[mine[j]].second);
      });
    });

    WireWriter w;
    w.put(job.cancelled());  // RunConfig::cancel on any rank stops them all after this round
    w.put(posted.load());
    w.put(job.blocksRun.load());
    for (const Partial& p : done) savePartial(w, p);
    for (size_t i : mine)
      for (uint64_t b = pieces[i].first; b < pieces[i].second && job.rowStore; ++b) {
        w.putString(rows[b]);
        rows.erase(b);
      }
    std::vector<std::string> parts = mpi::gather(w.bytes());
    std::string decision;
    if (me == 0) {
      const auto combineStart = std::chrono::steady_clock::now();
      std::vector<Partial> all(pieces.size(), job.empty());
      std::vector<std::string> blockRows(job.rowStore ? last - first : 0);
      size_t i = 0;
      bool cancelled = false;
      std::vector<int> failedRanks;  // the ranks that posted a notice
      for (int r = 0; r < ranks; ++r) {
        WireReader in(parts[size_t(r)]);
        cancelled = in.get<bool>() || cancelled;
        if (in.get<bool>()) failedRanks.push_back(r);
        blocksRun[size_t(r)] = in.get<uint64_t>();
        const size_t begin = i;
        for (; i < pieces.size() && ownerOf(i, pieces.size(), ranks) == r; ++i)
          if (!loadPartial(in, &all[i])) mpi::abortAll("a rank sent a malformed partial result");
        for (size_t k = begin; k < i && job.rowStore; ++k)
          for (uint64_t b = pieces[k].first; b < pieces[k].second; ++b) blockRows[b - first] = in.getString();
        if (!in.ok()) mpi::abortAll("a rank sent malformed sample rows");
      }
      size_t next = 0;
      total = combine(job, std::move(total), join(job, first, last, depth, all, next));
      // The round's failure, if any, is the run's first (the run stops after a failed round).
      const uint64_t failedBlock = total.failed ? total.error.sample / job.blockSize : UINT64_MAX;
      for (uint64_t b = first; b < last && job.rowStore; ++b)
        config.samplesOut->blockDone(b, std::move(blockRows[b - first]), b == failedBlock);
      const bool met = !cancelled && !total.failed && targetsMet(config, total.acc);  // as run() checks them
      const bool stop = total.failed || met || cancelled || last == numBlocks;
      WireWriter d;
      d.put(stop);
      d.put(met);
      d.put(cancelled);
      d.putVector(failedRanks);
      if (stop) savePartial(d, total);
      decision = std::move(d.bytes());
      combineSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - combineStart).count();
    }
    const std::string decided = mpi::broadcast(decision);
    WireReader in(decided);
    const bool stop = in.get<bool>(), met = in.get<bool>(), cancelled = in.get<bool>();
    posters = in.getVector<int>();
    if (stop && me != 0 && !loadPartial(in, &total)) mpi::abortAll("rank 0 sent a malformed result");
    if (stop) {
      result.targetMet = met;
      result.cancelled = cancelled;
      break;
    }
    first = last;
  }

  mpi::settleNotices(posters, picked);  // no thread runs blocks any more
  takeTotals(result, std::move(total), config);
  result.combineSeconds = combineSeconds;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (me == 0 && std::getenv("MV_MPI_STATS")) {  // bench/mpi.sh: the combination's cost; tests/mpi: blocks skipped
    std::string run;
    for (uint64_t n : blocksRun) run += " " + std::to_string(n);
    std::fprintf(stderr, "mpi: %d ranks, %d rounds, combine %.6f s of %.6f s, blocks run per rank:%s\n", ranks,
                 rounds, combineSeconds, result.seconds, run.c_str());
  }
  return result;
}

}  // namespace mv::rt::detail
