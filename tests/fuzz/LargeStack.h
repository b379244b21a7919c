// tests/fuzz/LargeStack.h — one long-lived 1 GB-stack thread that runs each fuzz input's front end, as mvc's withLargeStack does.
// mvc starts a 1 GB-stack thread once per process (driver::withLargeStack); a fuzz target
// that did the same per input paid a thread creation, a 1 GB mapping and its sanitizer
// shadow set-up on every execution. This worker is started on first use and reused.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <pthread.h>

namespace mv::fuzz {

class LargeStackWorker {
public:
  /// Runs fn(arg) on the worker's 1 GB stack and waits for it (one call at a time).
  static void run(void (*fn)(void*), void* arg) {
    // Never destroyed: at exit the worker still waits on the condition variable, whose
    // destructor would then block forever (libFuzzer ends with exit()).
    static LargeStackWorker* worker = new LargeStackWorker;
    worker->call(fn, arg);
  }

private:
  LargeStackWorker() {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, size_t(1) << 30);  // virtual: only touched pages cost memory
    if (pthread_create(&thread_, &attr, loop, this) != 0) __builtin_trap();
    pthread_attr_destroy(&attr);
  }

  void call(void (*fn)(void*), void* arg) {
    std::unique_lock<std::mutex> lock(mutex_);
    fn_ = fn;
    arg_ = arg;
    done_ = false;
    wake_.notify_one();
    finished_.wait(lock, [this] { return done_; });
  }

  static void* loop(void* self) {
    LargeStackWorker& w = *static_cast<LargeStackWorker*>(self);
    std::unique_lock<std::mutex> lock(w.mutex_);
    for (;;) {
      w.wake_.wait(lock, [&w] { return w.fn_ != nullptr; });
      void (*fn)(void*) = w.fn_;
      w.fn_ = nullptr;
      lock.unlock();
      fn(w.arg_);
      lock.lock();
      w.done_ = true;
      w.finished_.notify_one();
    }
    return nullptr;
  }

  pthread_t thread_{};
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  void (*fn_)(void*) = nullptr;
  void* arg_ = nullptr;
  bool done_ = false;
};

}  // namespace mv::fuzz
