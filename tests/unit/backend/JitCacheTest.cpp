// tests/unit/backend/JitCacheTest.cpp — the on-disk cache of compiled queries: hits equal misses bit for bit, damaged entries are never run, bounds, concurrency.
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "backend/JitCache.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ResultBytes.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mv::test {
namespace {

namespace fs = std::filesystem;

/// A fresh directory under the test's temporary directory, removed afterwards.
struct TempDir {
  std::string path;
  explicit TempDir(const std::string& name)
      : path((fs::temp_directory_path() / ("mv-jitcache-" + std::to_string(::getpid()) + "-" + name)).string()) {
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

backend::JitCacheKey key(uint8_t b) {
  backend::JitCacheKey k{};
  k.fill(b);
  return k;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().string());
  return out;
}

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(JitCache, StoresAndLoadsByKey) {
  ASSERT_FALSE(backend::compilerIdentity().empty()) << "the test binary has no build ID";
  TempDir dir("roundtrip");
  backend::JitCache cache(dir.path);
  ASSERT_TRUE(cache.usable());
  EXPECT_EQ((fs::status(dir.path).permissions() & fs::perms::all), fs::perms::owner_all);  // a new directory is private
  EXPECT_FALSE(cache.load(key(1)));
  const std::string object(5000, 'x');
  cache.store(key(1), object);
  EXPECT_EQ(cache.load(key(1)).value_or(""), object);
  EXPECT_FALSE(cache.load(key(2)));
  // An entry under another key's name (a renamed or mixed-up file) is not that key's.
  fs::copy_file(cache.entryPath(key(1)), cache.entryPath(key(2)));
  EXPECT_FALSE(cache.load(key(2)));
  EXPECT_EQ(entries(dir.path).size(), 2u);  // no temporary file left behind
}

TEST(JitCache, DamagedEntriesAreMisses) {
  TempDir dir("damaged");
  backend::JitCache cache(dir.path);
  ASSERT_TRUE(cache.usable());
  std::string object;
  for (int i = 0; i < 4000; ++i) object += char(i * 7);
  cache.store(key(3), object);
  const std::string path = cache.entryPath(key(3)), good = readBytes(path);
  ASSERT_EQ(cache.load(key(3)).value_or(""), object);
  for (size_t at : {size_t(0), size_t(20), size_t(90), good.size() / 2, good.size() - 1}) {  // header and payload
    std::string bad = good;
    bad[at] ^= 0x10;
    writeBytes(path, bad);
    EXPECT_FALSE(cache.load(key(3))) << "byte " << at << " flipped";
  }
  for (size_t keep : {size_t(0), size_t(40), size_t(88), good.size() - 1}) {
    writeBytes(path, good.substr(0, keep));
    EXPECT_FALSE(cache.load(key(3))) << "truncated to " << keep;
  }
  writeBytes(path, good + "z");
  EXPECT_FALSE(cache.load(key(3))) << "a trailing byte";
  cache.store(key(3), object);  // a recompile replaces it
  EXPECT_EQ(cache.load(key(3)).value_or(""), object);
}

TEST(JitCache, RefusesADirectoryOthersCanWrite) {
  TempDir dir("shared");
  fs::create_directories(dir.path);
  ::chmod(dir.path.c_str(), 0777);
  backend::JitCache cache(dir.path);
  EXPECT_FALSE(cache.usable());
  cache.store(key(4), "abc");
  EXPECT_TRUE(entries(dir.path).empty());
  EXPECT_EQ((fs::status(dir.path).permissions() & fs::perms::all), fs::perms::all);  // an existing directory is left as it is
}

TEST(JitCache, StaysWithinItsBoundRemovingTheLeastRecentlyUsed) {
  TempDir dir("bound");
  const uint64_t bound = 40'000;
  backend::JitCache cache(dir.path, bound);
  for (uint8_t k = 0; k < 30; ++k) {
    cache.store(key(k), std::string(3000, char('a' + k % 26)));
    uint64_t total = 0;
    for (const std::string& e : entries(dir.path)) total += fs::file_size(e);
    EXPECT_LE(total, bound) << "after " << int(k) + 1 << " stores";
    EXPECT_TRUE(cache.load(key(k)));  // the newest stays
  }
  cache.store(key(100), std::string(bound / 4 + 1, 'q'));  // too large to keep
  EXPECT_FALSE(cache.load(key(100)));

  // Least recently used first: entries 40..49 used at times 1000..1009 s, then 40 read again.
  TempDir lru("lru");
  backend::JitCache big(lru.path, 1 << 20);
  for (uint8_t k = 40; k < 50; ++k) {
    big.store(key(k), std::string(3000, 'x'));
    const timespec when[2] = {{1000 + k - 40, 0}, {1000 + k - 40, 0}};
    ::utimensat(AT_FDCWD, big.entryPath(key(k)).c_str(), when, 0);
  }
  ASSERT_TRUE(big.load(key(40)));  // now the most recently used
  backend::JitCache small(lru.path, 10 * 3088);  // ten entries fit; an eleventh trims to 3/4
  small.store(key(50), std::string(3000, 'y'));
  for (uint8_t k : {40, 47, 48, 49, 50}) EXPECT_TRUE(small.load(key(k))) << int(k);
  for (uint8_t k : {41, 42, 43}) EXPECT_FALSE(small.load(key(k))) << int(k);
}

TEST(JitCache, ConcurrentStoresAndLoadsSeeWholeEntries) {
  TempDir dir("concurrent");
  backend::JitCache cache(dir.path);
  ASSERT_TRUE(cache.usable());
  const std::string a(20000, 'a'), b(30000, 'b');
  std::atomic<int> bad{0}, hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if ((i + t) % 3 == 0) cache.store(key(9), (i + t) % 2 ? a : b);
        if (auto got = cache.load(key(9))) {
          ++hits;
          bad += *got != a && *got != b;
        }
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(hits.load(), 0);
  EXPECT_EQ(entries(dir.path).size(), 1u);
}

std::string runBlocks(const backend::JitQuery& q, const ir::QueryGraph& g) {
  rt::RunConfig config;
  config.samples = 30000;
  config.seed = 11;
  config.threads = 2;
  config.numPredictions = int(g.predictions.size());
  config.separatedEvidence = g.hasSeparatedWeight();
  mv::backend::setWeightScales(config, g);  // as the driver sets them
  config.summarize = true;
  config.blockFn = q.blockFunction();
  return resultBytes(rt::run(config, nullptr, nullptr));
}

TEST(JitCache, AHitRunsBitForBitAsTheCompiledQueryAndADamagedEntryIsRecompiled) {
  std::string errors;
  std::vector<ir::QueryGraph> graphs =
      compileText("net.mv", readText(MV_SOURCE_DIR "/examples/networks/network_3.mv"), &errors);
  ASSERT_FALSE(graphs.empty()) << errors;
  const ir::QueryGraph& g = graphs[0];
  auto plain = backend::JitQuery::compile(g, backend::JitOptions{}, &errors);
  ASSERT_TRUE(plain) << errors;
  EXPECT_FALSE(plain->cacheHit());
  const std::string expected = runBlocks(*plain, g);

  TempDir dir("jit");
  backend::JitOptions options;
  options.cacheDir = dir.path;
  auto miss = backend::JitQuery::compile(g, options, &errors);
  ASSERT_TRUE(miss) << errors;
  EXPECT_FALSE(miss->cacheHit());
  EXPECT_EQ(runBlocks(*miss, g), expected);
  const std::vector<std::string> written = entries(dir.path);
  ASSERT_EQ(written.size(), 1u);  // the block function only: the sample function is not compiled

  auto hit = backend::JitQuery::compile(g, options, &errors);
  ASSERT_TRUE(hit) << errors;
  EXPECT_TRUE(hit->cacheHit());
  EXPECT_EQ(runBlocks(*hit, g), expected);
  // The sample function through the cache too (a second entry), same samples as the interpreter's oracle path.
  ASSERT_TRUE(hit->function());
  EXPECT_EQ(compareSamples(plain->function(), nullptr, hit->function(), nullptr, g.predictions.size(), 5, 2000), "");
  EXPECT_EQ(entries(dir.path).size(), 2u);

  // Damage the block function's object in its middle (machine code): detected, recompiled, rewritten.
  std::string bytes = readBytes(written[0]);
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = char(0xcc);
  writeBytes(written[0], bytes);
  auto again = backend::JitQuery::compile(g, options, &errors);
  ASSERT_TRUE(again) << errors;
  EXPECT_FALSE(again->cacheHit());
  EXPECT_EQ(runBlocks(*again, g), expected);
  auto healed = backend::JitQuery::compile(g, options, &errors);
  ASSERT_TRUE(healed) << errors;
  EXPECT_TRUE(healed->cacheHit());
  EXPECT_EQ(runBlocks(*healed, g), expected);

  // Another query never reads this one's entry.
  std::vector<ir::QueryGraph> other =
      compileText("net.mv", readText(MV_SOURCE_DIR "/examples/networks/network_4.mv"), &errors);
  ASSERT_FALSE(other.empty()) << errors;
  auto fresh = backend::JitQuery::compile(other[0], options, &errors);
  ASSERT_TRUE(fresh) << errors;
  EXPECT_FALSE(fresh->cacheHit());
}

}  // namespace
}  // namespace mv::test
