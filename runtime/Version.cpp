// runtime/Version.cpp — version strings of the project and of the oneTBB and Boehm GC it was built with.
#include "runtime/Version.h"

#include <gc.h>
#include <tbb/version.h>

namespace mv::rt {

const char* projectVersion() { return MV_PROJECT_VERSION; }

std::string tbbVersion() {
  std::string built = TBB_VERSION_STRING;
  std::string loaded = TBB_runtime_version();
  return loaded.rfind(built, 0) == 0 ? built : built + " (runtime " + loaded + ")";
}

std::string gcVersion() {
  auto text = [](unsigned v) {
    return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
  };
  const unsigned built = (unsigned(GC_VERSION_MAJOR) << 16) | (unsigned(GC_VERSION_MINOR) << 8) | GC_VERSION_MICRO;
  const unsigned loaded = GC_get_version();
  return loaded == built ? text(built) : text(built) + " (runtime " + text(loaded) + ")";
}

}  // namespace mv::rt
