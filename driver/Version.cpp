// driver/Version.cpp — the version text: the project's, LLVM's (from CMake), the runtime's oneTBB and Boehm GC.
#include "driver/Version.h"

#include "runtime/Mpi.h"
#include "runtime/Version.h"

namespace mv::driver {

const char* projectVersion() { return rt::projectVersion(); }

std::string versionText() {
  std::string out = std::string("MultiVerse ") + rt::projectVersion() + "\n";
  out += std::string("LLVM ") + MV_LLVM_VERSION + "\n";
  out += "oneTBB " + rt::tbbVersion() + "\n";
  out += "Boehm GC " + rt::gcVersion() + "\n";
  out += rt::mpi::versionLine() + "\n";
  return out;
}

}  // namespace mv::driver
