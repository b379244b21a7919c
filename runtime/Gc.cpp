// runtime/Gc.cpp — Boehm GC initialisation and the oneTBB observer that registers worker threads.
#include "runtime/Gc.h"

#include <gc.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_scheduler_observer.h>

#include <algorithm>
#include <mutex>
#include <new>

#if defined(__SANITIZE_ADDRESS__)  // gcc
#define MV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang
#define MV_ASAN 1
#endif
#endif
#ifdef MV_ASAN
#include <sanitizer/lsan_interface.h>
/// An MV_SANITIZE build: oneTBB's observer proxy (allocated by observe(true), freed by
/// observe(false)) outlives every leak check for an observer that lives as long as its thread
/// (the per-thread one below; TBB workers never exit before the process does), so LeakSanitizer
/// would report it. Ignoring just that allocation needs no symbolizer, unlike a suppression.
#define MV_IGNORE_LEAKS_HERE __lsan::ScopedDisabler ignoreObserverProxy
#else
#define MV_IGNORE_LEAKS_HERE
#endif

namespace mv::rt {

namespace {

/// oneTBB creates its workers inside libtbb, so the collector never sees them; without
/// registration a collection started by a worker aborts the process.
class GcObserver : public tbb::task_scheduler_observer {
public:
  GcObserver() {
    MV_IGNORE_LEAKS_HERE;
    observe(true);
  }
  explicit GcObserver(tbb::task_arena& arena) : tbb::task_scheduler_observer(arena) {
    MV_IGNORE_LEAKS_HERE;
    observe(true);
  }
  ~GcObserver() override { observe(false); }
  void on_scheduler_entry(bool) override { gcRegisterCurrentThread(); }
  void on_scheduler_exit(bool worker) override {
    // Only workers leave for good; a thread that calls into TBB keeps its registration.
    if (worker && registeredHere()) {
      registeredHere() = false;
      GC_unregister_my_thread();
    }
  }
  static bool& registeredHere() {
    thread_local bool registered = false;
    return registered;
  }
};

/// GC_INIT and GC_allow_register_threads, once per process, whichever thread comes first.
void initOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    GC_INIT();
    GC_allow_register_threads();
  });
}

}  // namespace

void gcInit() {
  initOnce();
  gcRegisterCurrentThread();
  // An observer watches the arena of the thread that creates it (each thread that starts
  // TBB work has its own implicit arena), so every such thread needs one.
  thread_local GcObserver observer;
}

void gcRegisterCurrentThread() {
  if (GC_thread_is_registered()) return;
  GC_stack_base base;
  if (GC_get_stack_base(&base) != GC_SUCCESS) return;
  if (GC_register_my_thread(&base) == GC_SUCCESS) GcObserver::registeredHere() = true;
}

void gcRunInArena(int threads, const std::function<void()>& fn) {
  // An arena gets at most the process's worker limit (cores - 1 by default); lift it so
  // `--threads N` beyond the core count still runs N threads. The limit is process-wide and
  // the lowest of all live ones wins, so every run sets the same high value: concurrent runs
  // never cap each other (workers are still created only as arenas ask for them).
  constexpr int kWorkerLimit = 4096;  // mvc's --threads maximum
  tbb::global_control workers(tbb::global_control::max_allowed_parallelism, size_t(std::max(threads, kWorkerLimit)));
  tbb::task_arena arena(threads);
  arena.initialize();
  GcObserver observer(arena);  // before any task: every worker entering the arena registers
  arena.execute(fn);
}

GcThreadScope::GcThreadScope() {
  initOnce();
  if (GC_thread_is_registered()) return;
  gcRegisterCurrentThread();
  registered_ = GC_thread_is_registered();
  // The scope owns this registration: the observer must not drop it on leaving an arena.
  if (registered_) GcObserver::registeredHere() = false;
}

GcThreadScope::~GcThreadScope() {
  if (registered_) GC_unregister_my_thread();
}

void* gcAlloc(size_t bytes) {
  void* p = GC_MALLOC(bytes);
  if (!p) throw std::bad_alloc();
  return p;
}

void* gcAllocAtomic(size_t bytes) {
  void* p = GC_MALLOC_ATOMIC(bytes);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace mv::rt
