// tools/mvc/Outputs.h — the files mvc writes (checked before any work) and Ctrl-C as a flag.
#pragma once

#include <atomic>
#include <string>

namespace mv::tools {

/// The exit status after Ctrl-C stopped a run or a build (128 + SIGINT, as shells report it).
inline constexpr int kExitInterrupted = 130;

/// Why `out` must not be written (empty when it may): it is the program `program` itself
/// (under another name, or a link to it), which writing would destroy.
std::string overwritesProgram(const std::string& out, const std::string& program);

/// Why an executable cannot be written to `out` (empty when it can): it is a directory, its
/// directory does not exist, or no file can be created there (the build links a temporary
/// file beside `out` and renames it; tried, then removed).
std::string cannotCreateBeside(const std::string& out);

/// While it lives, Ctrl-C (SIGINT) sets interrupted() instead of killing mvc, so that a run
/// stops between blocks with whole rows written and a build removes what it made; the
/// previous handler comes back when it ends.
class InterruptScope {
public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
  /// The flag the handler sets (RunConfig::cancel, NativeBuild::cancel).
  static const std::atomic<bool>* flag();
  static bool interrupted() { return flag()->load(); }

private:
  void (*previous_)(int);
};

}  // namespace mv::tools
