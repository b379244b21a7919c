// runtime/Version.h — the project version and the versions of the runtime's libraries (oneTBB, Boehm GC).
#pragma once

#include <string>

namespace mv::rt {

/// The project version (CMake's PROJECT_VERSION, e.g. "0.1"): every JSON result carries it.
const char* projectVersion();
/// oneTBB: the version compiled against, and the library loaded at run time when it differs
/// ("2021.8" or "2021.8 (runtime 2021.9.0)").
std::string tbbVersion();
/// Boehm GC: the version compiled against (major.minor.micro), and the loaded one if it differs.
std::string gcVersion();

}  // namespace mv::rt
