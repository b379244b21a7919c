// tests/unit/backend/ExampleFiles.h — every example and benchmark network program, for the differential tests.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace mv::test {

/// Every .mv file in examples/, examples/networks/ and examples/safety/, sorted.
inline std::vector<std::string> exampleFiles() {
  std::vector<std::string> files;
  for (const char* dir : {MV_SOURCE_DIR "/examples", MV_SOURCE_DIR "/examples/networks", MV_SOURCE_DIR "/examples/safety"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".mv") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace mv::test
