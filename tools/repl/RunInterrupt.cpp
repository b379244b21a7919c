// tools/repl/RunInterrupt.cpp — a SIGINT handler that only sets an atomic flag.
#include "tools/repl/RunInterrupt.h"

namespace mv::tools::repl {

namespace {

std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void onSigint(int) { gStop.store(true, std::memory_order_relaxed); }

}  // namespace

RunInterrupt::RunInterrupt() {
  gStop.store(false);
  struct sigaction sa {};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &old_);
}

RunInterrupt::~RunInterrupt() { sigaction(SIGINT, &old_, nullptr); }

const std::atomic<bool>* RunInterrupt::flag() const { return &gStop; }

}  // namespace mv::tools::repl
