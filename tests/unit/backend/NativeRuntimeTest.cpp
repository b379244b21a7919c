// tests/unit/backend/NativeRuntimeTest.cpp — findNativeRuntime: the first candidate holding every archive, relative to the executable.
#include "backend/NativeRuntime.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

namespace mv::backend {
namespace {

namespace fs = std::filesystem;

class NativeRuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mv runtime search " + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "bin");
  }
  void TearDown() override { fs::remove_all(root_); }
  void touch(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "!<arch>\n";
  }
  NativeRuntimeSearch search() const {
    return {root_ / "bin", {"../lib/multiverse", "../runtime"}, {"libmv_runtime_main.a", "libmv_runtime.a"}};
  }
  fs::path root_;
};

TEST_F(NativeRuntimeTest, NothingFoundListsEveryDirectoryLookedIn) {
  std::vector<std::string> searched;
  EXPECT_FALSE(findNativeRuntime(search(), &searched));
  ASSERT_EQ(searched.size(), 2u);
  EXPECT_EQ(searched[0], (root_ / "lib" / "multiverse").string());
  EXPECT_EQ(searched[1], (root_ / "runtime").string());
}

TEST_F(NativeRuntimeTest, InstalledTreeWinsAndArchivesComeInLinkOrder) {
  touch(root_ / "lib/multiverse/libmv_runtime_main.a");
  touch(root_ / "lib/multiverse/libmv_runtime.a");
  touch(root_ / "runtime/libmv_runtime_main.a");
  touch(root_ / "runtime/libmv_runtime.a");
  auto found = findNativeRuntime(search(), nullptr);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, (std::vector<std::string>{(root_ / "lib/multiverse/libmv_runtime_main.a").string(),
                                               (root_ / "lib/multiverse/libmv_runtime.a").string()}));
}

TEST_F(NativeRuntimeTest, ADirectoryMissingOneArchiveIsSkipped) {
  touch(root_ / "lib/multiverse/libmv_runtime.a");
  touch(root_ / "runtime/libmv_runtime_main.a");
  touch(root_ / "runtime/libmv_runtime.a");
  std::vector<std::string> searched;
  auto found = findNativeRuntime(search(), &searched);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->front(), (root_ / "runtime/libmv_runtime_main.a").string());
  EXPECT_EQ(searched.size(), 2u);
}

TEST_F(NativeRuntimeTest, ADirectoryNamedLikeAnArchiveDoesNotCount) {
  fs::create_directories(root_ / "lib/multiverse/libmv_runtime_main.a");
  touch(root_ / "lib/multiverse/libmv_runtime.a");
  EXPECT_FALSE(findNativeRuntime(search(), nullptr));
}

TEST(NativeRuntime, ExecutableDirectoryIsThisTestsDirectory) {
  const fs::path dir = executableDirectory();
  ASSERT_FALSE(dir.empty());
  EXPECT_TRUE(fs::exists(dir / "mv_backend_tests"));
}

}  // namespace
}  // namespace mv::backend
