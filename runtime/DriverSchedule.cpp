// runtime/DriverSchedule.cpp — dynamic block scheduling: threads take the next block from a shared counter; the fixed reduction trees fold as they complete.
#include "runtime/DriverParts.h"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace mv::rt::detail {

Partial runBlock(Job& job, uint64_t block);

namespace {

/// Rounds [bounds[k], bounds[k+1]) being run: claims blocks, joins each round's tree as its
/// nodes complete and folds finished rounds in order.
///
/// Each round's value is its tree's: split at lo + (hi - lo) / 2 down to single blocks, a
/// leaf is combine(empty, block), a node combine(left, right) — whatever thread computes it.
/// A finished node whose sibling is not done yet waits in `waiting_` (keyed by its range);
/// the sibling's thread takes it and computes the parent. Blocks are claimed in increasing
/// order, so few nodes wait at a time (about one per tree level and thread).
class Pass {
public:
  Pass(Job& job, const std::vector<uint64_t>& bounds, const std::function<bool(Partial&&)>& fold)
      : job_(job), bounds_(bounds), fold_(fold), next_(bounds.front()) {}

  /// One thread's share: blocks until none is left or the fold said stop. A `yielding` thread
  /// takes none while the config's laterPending is true (a compile has its core).
  void work(bool yielding = false) {
    const std::atomic<bool>* pending = yielding ? job_.config.laterPending : nullptr;
    for (;;) {
      if (stop_.load(std::memory_order_relaxed)) return;
      if (pending && pending->load(std::memory_order_relaxed)) {
        if (next_.load(std::memory_order_relaxed) >= bounds_.back()) return;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
        continue;
      }
      const uint64_t block = next_.fetch_add(1, std::memory_order_relaxed);
      if (block >= bounds_.back()) return;
      finishLeaf(block, combine(job_, job_.empty(), runBlock(job_, block)));
    }
  }

private:
  using Range = std::pair<uint64_t, uint64_t>;

  /// The round holding `block`.
  size_t roundOf(uint64_t block) const {
    return size_t(std::upper_bound(bounds_.begin(), bounds_.end(), block) - bounds_.begin()) - 1;
  }

  void finishLeaf(uint64_t block, Partial value) {
    const size_t round = roundOf(block);
    // The path from the round's root down to the leaf: the ranges of the leaf's ancestors.
    Range path[72];
    int depth = 0;
    Range node{bounds_[round], bounds_[round + 1]};
    while (node.second - node.first > 1) {
      path[depth++] = node;
      const uint64_t mid = node.first + (node.second - node.first) / 2;
      node = block < mid ? Range{node.first, mid} : Range{mid, node.second};
    }
    // Up the tree while the sibling is done; a node whose sibling is not done waits for it.
    while (depth > 0) {
      const Range parent = path[--depth];
      const uint64_t mid = parent.first + (parent.second - parent.first) / 2;
      const bool isLeft = node.first == parent.first;
      const Range sibling = isLeft ? Range{mid, parent.second} : Range{parent.first, mid};
      Partial other;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = waiting_.find(sibling);
        if (it == waiting_.end()) {
          waiting_.emplace(node, std::move(value));
          return;
        }
        other = std::move(it->second);
        waiting_.erase(it);
      }
      value = isLeft ? combine(job_, std::move(value), other) : combine(job_, std::move(other), value);
      node = parent;
    }
    finishRound(round, std::move(value));
  }

  /// Folds round `round` (and the finished rounds after it) once every earlier one is folded.
  void finishRound(size_t round, Partial value) {
    std::lock_guard<std::mutex> lock(foldMutex_);
    done_.emplace(round, std::move(value));
    for (auto it = done_.find(folded_); it != done_.end() && !stop_.load(std::memory_order_relaxed);
         it = done_.find(folded_)) {
      if (!fold_(std::move(it->second))) stop_.store(true, std::memory_order_relaxed);
      done_.erase(it);
      ++folded_;
    }
  }

  Job& job_;
  const std::vector<uint64_t>& bounds_;
  const std::function<bool(Partial&&)>& fold_;
  std::atomic<uint64_t> next_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<Range, Partial> waiting_;
  std::mutex foldMutex_;
  std::map<size_t, Partial> done_;
  size_t folded_ = 0;
};

}  // namespace

void runRounds(Job& job, const std::vector<uint64_t>& bounds, const std::function<bool(Partial&&)>& fold) {
  if (bounds.size() < 2 || bounds.front() >= bounds.back()) return;
  Pass pass(job, bounds, fold);
  const uint64_t blocks = bounds.back() - bounds.front();
  const int threads = int(std::min<uint64_t>(blocks, uint64_t(std::max(1, tbb::this_task_arena::max_concurrency()))));
  tbb::task_group group;
  for (int t = 1; t < threads; ++t) group.run([&pass, t, threads] { pass.work(t == threads - 1); });
  pass.work();
  group.wait();
}

Partial runRound(Job& job, uint64_t first, uint64_t last) {
  Partial out = job.empty();
  const std::vector<uint64_t> bounds{first, last};
  runRounds(job, bounds, [&out](Partial&& round) {
    out = std::move(round);
    return true;
  });
  return out;
}

}  // namespace mv::rt::detail
