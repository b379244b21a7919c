// driver/Version.h — what `mvc --version` and mv_version() print: the project and the libraries it was built with.
#pragma once

#include <string>

namespace mv::driver {

/// The project version ("0.1"), as in every JSON result.
const char* projectVersion();

/// One line per component: "MultiVerse 0.1", "LLVM 16.0.6", "oneTBB 2021.8", "Boehm GC 8.2.2"
/// and "MPI: Open MPI 4.1.4 (MPI 3.1), ..." or "MPI: none (built without MPI)". Ends with a newline.
std::string versionText();

}  // namespace mv::driver
