// tests/unit/backend/GcStressTest.cpp — Boehm GC under oneTBB: heavy allocation from many tasks while
// collections run, checking that no live object is reclaimed or overwritten.
#include "runtime/Driver.h"
#include "runtime/Gc.h"

#include <gc.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cstdint>
#include <thread>

namespace mv::test {
namespace {

struct Cell {
  Cell* next;
  uint64_t value;
  uint64_t check;  // value * a constant: a reclaimed-and-reused cell breaks it
  double* payload; // atomic (pointer-free) memory owned by this cell
};

constexpr uint64_t kMix = 0x9e3779b97f4a7c15ULL;

TEST(GcStress, ManyTasksAllocateWhileCollecting) {
  rt::gcInit();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 8);
  std::atomic<uint64_t> bad{0}, collections{0};
  tbb::parallel_for(0, 256, [&](int task) {
    // A list reachable only from this task's stack: the collector must find it there.
    Cell* head = nullptr;
    for (uint64_t i = 0; i < 2000; ++i) {
      auto* c = static_cast<Cell*>(rt::gcAlloc(sizeof(Cell)));
      c->next = head;
      c->value = uint64_t(task) * 100000 + i;
      c->check = c->value * kMix;
      c->payload = static_cast<double*>(rt::gcAllocAtomic(8 * sizeof(double)));
      for (int k = 0; k < 8; ++k) c->payload[k] = double(c->value) + k;
      head = c;
      rt::gcAlloc(64);  // garbage, to make collections worth doing
      if (i % 500 == 0 && task % 16 == 0) {
        GC_gcollect();
        ++collections;
      }
    }
    uint64_t expected = 2000;
    for (Cell* c = head; c; c = c->next) {
      --expected;
      if (c->value != uint64_t(task) * 100000 + expected || c->check != c->value * kMix) ++bad;
      for (int k = 0; k < 8; ++k)
        if (c->payload[k] != double(c->value) + k) ++bad;
    }
    if (expected != 0) ++bad;
  });
  GC_gcollect();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GT(collections.load(), 0u);
  EXPECT_GT(GC_get_gc_no(), 0u);
}

int32_t collectingSample(void*, uint64_t, uint64_t sample, double* logw, double* fullLogw, double* preds,
                         mv_rt_error*) {
  auto* junk = static_cast<double*>(rt::gcAllocAtomic(256));
  junk[0] = double(sample);
  if (sample % 2000 == 0) GC_gcollect();  // a collection started on a TBB worker
  *logw = *fullLogw = 0;
  preds[0] = junk[0];
  return 0;
}

TEST(GcStress, DriverOnAnotherThreadRegistersItsWorkers) {
  // As in mvc: the collector is initialised on the main thread, the run happens on another
  // (with its own TBB arena), and workers collect.
  rt::gcInit();
  rt::RunResult r;
  std::thread runner([&r] {
    rt::RunConfig config;
    config.samples = 40000;
    config.threads = 4;
    config.numPredictions = 1;
    r = rt::run(config, collectingSample, nullptr);
  });
  runner.join();
  ASSERT_TRUE(r.ok);
  EXPECT_DOUBLE_EQ(r.acc.mean(0), 19999.5);
}

}  // namespace
}  // namespace mv::test
