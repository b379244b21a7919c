// tools/repl/RunInterrupt.h — Ctrl-C during a REPL :run stops the run (not the session).
#pragma once

#include <atomic>
#include <csignal>

namespace mv::tools::repl {

/// While it lives, SIGINT sets flag() instead of ending the process; the runtime polls the
/// flag between sample blocks (rt::RunConfig::cancel). The old action is restored after.
class RunInterrupt {
public:
  RunInterrupt();
  ~RunInterrupt();
  RunInterrupt(const RunInterrupt&) = delete;
  RunInterrupt& operator=(const RunInterrupt&) = delete;
  const std::atomic<bool>* flag() const;

private:
  struct sigaction old_ {};
};

}  // namespace mv::tools::repl
