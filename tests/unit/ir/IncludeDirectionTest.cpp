// tests/unit/ir/IncludeDirectionTest.cpp — every #include "dir/..." follows the dependency
// direction of STYLE.md, so the architecture stays visible.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace {

namespace fs = std::filesystem;

// Which project folders each folder may include. ir reads stdlib's enums (distribution and
// builtin ids name what a node computes), a deliberate edge of a dependency-free table.
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"stdlib", {"stdlib"}},
    {"ir", {"ir", "stdlib"}},
    {"frontend", {"frontend", "ir", "stdlib"}},
    {"passes", {"passes", "ir", "stdlib"}},
    {"backend", {"backend", "ir", "stdlib", "runtime"}},
    {"runtime", {"runtime"}},
    {"driver", {"driver", "frontend", "passes", "backend", "ir", "stdlib", "runtime"}},
    {"capi", {"capi", "driver"}},
    {"python", {"python", "driver"}},
    {"tools", {"tools", "driver", "frontend", "passes", "backend", "ir", "stdlib", "runtime"}},
};

// Single headers a folder may include beyond its table row: the front end applies the
// runtime's header-only, dependency-free proposal-coverage rule to constant parameters, so
// compile time and run time share one definition. The runtime's C ABI declares one set of
// functions per entry of the dependency-free distribution list, so no hand list can miss one.
const std::map<std::string, std::set<std::string>> kAllowedHeaders = {
    {"frontend", {"runtime/Coverage.h"}},
    {"runtime", {"stdlib/Distributions.def"}},
};

TEST(IncludeDirection, EveryProjectIncludeFollowsTheDependencyTable) {
  const fs::path root = MV_SOURCE_DIR;
  const std::regex include(R"re(^\s*#\s*include\s*"(([A-Za-z_]+)/[^"]+)")re");
  size_t checked = 0;
  for (const auto& [folder, allowed] : kAllowed) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      std::string ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp" && ext != ".def") continue;
      std::ifstream in(entry.path());
      std::string line;
      int lineNo = 0;
      while (std::getline(in, line)) {
        ++lineNo;
        std::smatch m;
        if (!std::regex_search(line, m, include)) continue;
        std::string target = m[2];
        if (!kAllowed.count(target)) continue;  // system or generated headers
        ++checked;
        auto extra = kAllowedHeaders.find(folder);
        if (extra != kAllowedHeaders.end() && extra->second.count(m[1])) continue;
        EXPECT_TRUE(allowed.count(target))
            << fs::relative(entry.path(), root).string() << ":" << lineNo << " includes '" << target
            << "/', but " << folder << "/ may not depend on " << target << "/";
      }
    }
  }
  EXPECT_GT(checked, 50u);
}

// backend/ uses only the runtime's C ABI and driver headers, never its internals.
TEST(IncludeDirection, BackendUsesOnlyRuntimeHeaders) {
  const fs::path root = MV_SOURCE_DIR;
  const std::regex include(R"re(^\s*#\s*include\s*"runtime/([^"]+)")re");
  for (const auto& entry : fs::recursive_directory_iterator(root / "backend")) {
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (std::regex_search(line, m, include)) {
        EXPECT_EQ(fs::path(m[1].str()).extension(), ".h") << entry.path();
      }
    }
  }
}

}  // namespace
