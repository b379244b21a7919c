// runtime/Gc.h — Boehm GC set-up for the runtime: initialisation, thread registration, allocation.
#pragma once

#include <cstddef>

namespace mv::rt {

/// Initialises the collector (GC_INIT, GC_allow_register_threads) and starts registering
/// every oneTBB worker thread with it. Idempotent; call it on the main thread before any
/// TBB use (run() also calls it, for programs that do not).
void gcInit();

/// Registers the calling thread with the collector if it is not yet (threads not created
/// through the collector's pthread wrappers, e.g. mvc's large-stack thread).
void gcRegisterCurrentThread();

/// Collected memory that may hold pointers to other collected memory (scanned).
void* gcAlloc(size_t bytes);
/// Collected memory that holds no pointers (not scanned): numbers, per-thread scratch.
void* gcAllocAtomic(size_t bytes);

}  // namespace mv::rt
