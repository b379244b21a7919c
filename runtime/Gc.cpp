// runtime/Gc.cpp — Boehm GC initialisation and the oneTBB observer that registers worker threads.
#include "runtime/Gc.h"

#include <gc.h>
#include <tbb/task_scheduler_observer.h>

#include <mutex>
#include <new>

namespace mv::rt {

namespace {

/// oneTBB creates its workers inside libtbb, so the collector never sees them; without
/// registration a collection started by a worker aborts the process.
class GcObserver : public tbb::task_scheduler_observer {
public:
  GcObserver() { observe(true); }
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

}  // namespace

void gcInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    GC_INIT();
    GC_allow_register_threads();
  });
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
