// runtime/Gc.h — Boehm GC set-up for the runtime: initialisation, thread registration, allocation.
#pragma once

#include <cstddef>
#include <functional>

namespace mv::rt {

/// Initialises the collector (GC_INIT, GC_allow_register_threads) and starts registering
/// every oneTBB worker thread with it. Idempotent; call it on the main thread before any
/// TBB use (run() also calls it, for programs that do not).
void gcInit();

/// Registers the calling thread with the collector if it is not yet (threads not created
/// through the collector's pthread wrappers, e.g. mvc's large-stack thread).
void gcRegisterCurrentThread();

/// Runs `fn` in a oneTBB arena of `threads` threads of its own (so runs at once with
/// different thread counts do not limit each other, as a process-wide global_control
/// would), with every worker that joins it registered with the collector.
void gcRunInArena(int threads, const std::function<void()>& fn);

/// Registers the calling thread with the collector for the scope's lifetime, when it is not
/// registered yet (threads of a program embedding the library): a thread that ends while
/// registered would leave the collector a stack it cannot scan.
class GcThreadScope {
public:
  GcThreadScope();
  ~GcThreadScope();
  GcThreadScope(const GcThreadScope&) = delete;
  GcThreadScope& operator=(const GcThreadScope&) = delete;

private:
  bool registered_ = false;
};

/// Collected memory that may hold pointers to other collected memory (scanned).
void* gcAlloc(size_t bytes);
/// Collected memory that holds no pointers (not scanned): numbers, per-thread scratch.
void* gcAllocAtomic(size_t bytes);

}  // namespace mv::rt
