// backend/NativeRuntime.h — finds the static runtime `mvc build` links, relative to the running executable.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mv::backend {

/// Where the runtime archives native samplers link against live: one directory holding every
/// file of `files`, found among `relativeDirs` resolved against `exeDir`. Relative candidates
/// only, so an installed tree can be moved and never reaches back into a build directory.
struct NativeRuntimeSearch {
  std::filesystem::path exeDir;            ///< the directory of the running executable
  std::vector<std::string> relativeDirs;   ///< candidates, in order, relative to exeDir
  std::vector<std::string> files;          ///< archive file names, in link order
};

/// The archives (absolute paths, in link order) from the first candidate that holds them all;
/// nullopt when none does, with *searched set to every directory looked at, in order.
std::optional<std::vector<std::string>> findNativeRuntime(const NativeRuntimeSearch& search,
                                                          std::vector<std::string>* searched);

/// The directory of the running executable (from /proc/self/exe, symlinks resolved); empty
/// when it cannot be read.
std::filesystem::path executableDirectory();

}  // namespace mv::backend
