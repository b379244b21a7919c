// tools/repl/Repl.h — `mvc repl`: an interactive (or scripted) MultiVerse session.
#pragma once

#include "driver/Engines.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mv::tools::repl {

/// The starting settings of a session (each can be changed with :set).
struct ReplOptions {
  std::vector<std::string> files;  ///< loaded first, as by :load
  uint64_t samples = 100000;
  uint64_t seed = 1;
  int threads = 0;                 ///< 0: all cores
  driver::Engine engine = driver::kDefaultEngine;
  std::string cacheDir;            ///< the JIT's on-disk cache of compiled queries (backend/JitCache.h); empty: none
};

/// Runs the session on stdin/stdout. With stdin a terminal: prompts, line editing and
/// history (editline). Otherwise commands are read line by line without prompts. Returns 0
/// at :quit or end of input in a terminal; from a script, the worst exit status of any
/// command (1 program error, 2 usage error, 3 run-time error), 0 when all succeeded.
int runRepl(const ReplOptions& options);

}  // namespace mv::tools::repl
