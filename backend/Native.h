// backend/Native.h — native sampler executables: object emission for the host and the link step.
#pragma once

#include "ir/Graph.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace mv::backend {

/// The run-time messages a native sampler prints, rendered by the driver (which owns the
/// diagnostics) with the placeholders of runtime/QueryMeta.h.
struct NativeMessages {
  struct Error {
    int32_t kind;
    int32_t node;
    int32_t param;
    std::string text;
  };
  std::vector<Error> errors;
  std::string allZero;
  /// Per ir::DataDecl of the graph, in order: its binding diagnostic (\x06 for the message).
  std::vector<std::string> dataTexts;
  /// The graph's ir::DataCheck list as runtime/QueryMeta.h's mv_rt_data_check, the texts rendered.
  struct DataCheck {
    int32_t kind = 0;
    int32_t type = 2;
    std::vector<int32_t> slots;
    double lo = 0, hi = 0;
    bool loOpen = false, hiOpen = false;
    std::string element, sum;
  };
  std::vector<DataCheck> dataChecks;
};

struct NativeBuild {
  std::string output;                   ///< the executable to write
  std::vector<std::string> libraries;   ///< static runtime libraries, in link order
  std::vector<std::string> linkFlags;   ///< e.g. -ltbb -lgc -lm -pthread
  std::string linker = "c++";           ///< found on PATH; run without a shell
  std::string engine = "jit";           ///< the engine name the sampler prints (as `mvc run`)
  int optLevel = 2;
  bool verbose = false;                 ///< print the link command to stderr before running it
  /// If set and true (Ctrl-C), the build stops at its next step and leaves nothing behind.
  const std::atomic<bool>* cancel = nullptr;
};

/// Compiles `g` with its metadata (`mv_query_meta`) to an object file for the host and links
/// it with the runtime into build.output. Arguments are passed as an argv vector, never
/// through a shell, so any path works. The link writes a temporary file in build.output's
/// directory, renamed over build.output once complete: a reader (or another build of the
/// same output) never sees a partial executable. Returns false with *error set on failure
/// or cancellation, leaving no temporary directory or file behind.
bool buildExecutable(const ir::QueryGraph& g, const NativeMessages& messages, const NativeBuild& build,
                     std::string* error);

/// Runs `argv` (argv[0] looked up on PATH) and waits; returns its exit status, or -1 with
/// *error set when it cannot be started or dies from a signal.
int runProcess(const std::vector<std::string>& argv, std::string* error);

}  // namespace mv::backend
