// backend/NativeRuntime.cpp — finds the static runtime `mvc build` links, relative to the running executable.
#include "backend/NativeRuntime.h"

#include <system_error>

namespace mv::backend {

namespace fs = std::filesystem;

std::optional<std::vector<std::string>> findNativeRuntime(const NativeRuntimeSearch& search,
                                                          std::vector<std::string>* searched) {
  for (const std::string& rel : search.relativeDirs) {
    std::error_code ec;
    fs::path dir = (search.exeDir / rel).lexically_normal();
    if (fs::path canonical = fs::weakly_canonical(dir, ec); !ec) dir = canonical;
    if (searched) searched->push_back(dir.string());
    std::vector<std::string> found;
    for (const std::string& file : search.files) {
      const fs::path p = dir / file;
      if (!fs::is_regular_file(p, ec)) break;
      found.push_back(p.string());
    }
    if (!found.empty() && found.size() == search.files.size()) return found;
  }
  return std::nullopt;
}

fs::path executableDirectory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path();
}

}  // namespace mv::backend
