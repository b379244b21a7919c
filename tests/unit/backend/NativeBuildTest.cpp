// tests/unit/backend/NativeBuildTest.cpp — `mvc build` executables print exactly what `mvc run` prints
// (timing aside), from a directory whose name has a space and quotes; random programs too.
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

extern char** environ;

namespace mv::test {
namespace {

namespace fs = std::filesystem;

struct Output {
  int status = -1;
  std::string out, err;
};

/// Runs argv (no shell) with stdout and stderr captured.
Output run(const std::vector<std::string>& argv, const fs::path& dir) {
  const std::string outPath = (dir / "stdout.txt").string(), errPath = (dir / "stderr.txt").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  Output o;
  pid_t pid;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    o.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  o.out = readText(outPath);
  o.err = readText(errPath);
  return o;
}

/// Drops what legitimately differs between two runs: timings (and, optionally, the engine).
std::string normalise(const std::string& s, bool dropEngine) {
  std::string t = std::regex_replace(s, std::regex("\"seconds\":[-+0-9.eE]+"), "\"seconds\":T");
  t = std::regex_replace(t, std::regex(", [0-9.]+ s\n"), ", T s\n");
  if (dropEngine) {
    t = std::regex_replace(t, std::regex("\"engine\":\"[a-z]+\""), "\"engine\":E");
    t = std::regex_replace(t, std::regex("engine [a-z]+,"), "engine E,");
  }
  return t;
}

/// Drops compile-time warnings (mvc prints them before running; a built sampler has no
/// compile step): each is a "FILE:L:C: warning:" line and its source and caret lines.
std::string runTimeMessages(const std::string& err) {
  std::istringstream in(err);
  std::string out, line;
  bool inWarning = false;
  while (std::getline(in, line)) {
    if (line.find(": warning: ") != std::string::npos) inWarning = true;
    else if (!(inWarning && line.find(" | ") != std::string::npos)) inWarning = false;
    if (!inWarning) out += line + "\n";
  }
  return out;
}

class NativeBuild : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mv native test " + std::to_string(::getpid())) / "it's \"quoted\"";
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }

  /// Builds FILE's query and compares the executable with `mvc run` (engine `engine`) on `args`.
  void expectSameAsRun(const std::string& file, const std::string& query, const std::vector<std::string>& args,
                       const std::string& engine = "jit") {
    const std::string exe = (dir_ / ("sampler " + query)).string();
    Output b = run({MV_MVC_PATH, "build", file, "--query", query, "-o", exe}, dir_);
    ASSERT_EQ(b.status, 0) << b.err;
    std::vector<std::string> mvc{MV_MVC_PATH, "run", file, "--query", query, "--engine", engine};
    mvc.insert(mvc.end(), args.begin(), args.end());
    std::vector<std::string> native{exe};
    native.insert(native.end(), args.begin(), args.end());
    Output a = run(mvc, dir_), n = run(native, dir_);
    const bool dropEngine = engine != "jit";
    EXPECT_EQ(a.status, n.status) << file << " " << query;
    EXPECT_EQ(normalise(a.out, dropEngine), normalise(n.out, dropEngine)) << file << " " << query;
    EXPECT_EQ(runTimeMessages(a.err), n.err) << file << " " << query;
  }

  fs::path dir_;
};

TEST_F(NativeBuild, ExamplesPrintWhatMvcRunPrints) {
  const std::string ex = MV_SOURCE_DIR "/examples/";
  for (const char* format : {"table", "json"}) {
    std::vector<std::string> args{"--samples", "30000", "--seed", "5", "--threads", "2", "--format", format};
    expectSameAsRun(ex + "diagnosis.mv", "cure_d1", args);
    expectSameAsRun(ex + "linear_gaussian.mv", "cf", args);
    expectSameAsRun(ex + "networks/network_0.mv", "q", args);
    // Consistency: a redraw keeps its factual value where its inputs are unchanged.
    expectSameAsRun(ex + "consistency.mv", "recovered_if_severe", args);
    expectSameAsRun(ex + "clinic.mv", "insure_everyone", args);
    // Named worlds, reads across worlds, shift and stochastic interventions.
    for (const char* q : {"nde", "shift", "randomised"}) expectSameAsRun(ex + "worlds_mediation.mv", q, args);
    expectSameAsRun(ex + "worlds_squad.mv", "nested", args);
    // The rest of worlds.md section 8: PNS, PN, a table, consistency.
    for (const char* q : {"pns", "pn"}) expectSameAsRun(ex + "worlds_squad.mv", q, args);
    expectSameAsRun(ex + "sprinkler_cpt.mv", "rain_given_wet", args);
    for (const char* q : {"same_treatment", "other_treatment"}) expectSameAsRun(ex + "consistency.mv", q, args);
    // Evidence inside a world: kept (observed factually), redrawn, shared, constraint, factor.
    for (const char* q : {"recovered_untreated", "world_constraint", "seen_and_imagined", "both_worlds", "fair_flips_loop"})
      expectSameAsRun(ex + "world_evidence.mv", q, args);
    // Tables, array evidence, loops in queries and a family predicted per element.
    for (const char* q : {"rain_given_street", "street_all_on", "street_all_off"}) expectSameAsRun(ex + "sprinkler_cpt.mv", q, args);
    expectSameAsRun(ex + "asia_cpt.mv", "had_not_smoked", args);
  }
  expectSameAsRun(ex + "firing_squad.mv", "death", {"--samples=1000", "--threads=1"});
  // Sampling to a target stops after the same rounds; a missed target warns alike.
  for (const char* format : {"table", "json"}) {
    expectSameAsRun(ex + "diagnosis.mv", "cure_d1", {"--target-stderr", "0.02", "--samples", "1000000", "--format", format});
    expectSameAsRun(ex + "linear_gaussian.mv", "cf", {"--target-ess=20000", "--target-stderr=0.01", "--format", format});
  }
}

TEST_F(NativeBuild, RunTimeErrorsPrintWhatMvcRunPrints) {
  const std::string dir = MV_SOURCE_DIR "/tests/lit/diagnostics/";
  for (const char* f : {"fail_runtime_domain.mv", "fail_runtime_index.mv", "fail_runtime_division_by_zero.mv",
                        "fail_all_weights_zero.mv"})
    if (fs::exists(dir + f)) {
      expectSameAsRun(dir + f, "q", {"--samples", "1000"});
      expectSameAsRun(dir + f, "q", {"--samples", "1000", "--format", "json"});  // the error's JSON line
    }
}

TEST_F(NativeBuild, RandomProgramsMatchTheInterpreter) {
  // Interpreter (through mvc) against the native executable, on a few random programs.
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const std::string file = (dir_ / ("random " + std::to_string(seed) + ".mv")).string();
    std::ofstream(file) << randomProgram(seed);
    for (const char* query : {"q1", "q2"})
      expectSameAsRun(file, query, {"--samples", "2000", "--seed", std::to_string(seed), "--format", "json"}, "interp");
  }
}

TEST_F(NativeBuild, RandomProgramsWithDataMatchTheInterpreter) {
  // The same with data (data evidence, data rows, data in expressions), bound from the
  // generated file by mvc and by the one executable each query is built into.
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const RandomDataProgram p = randomDataProgram(seed);
    const std::string file = (dir_ / ("random data " + std::to_string(seed) + ".mv")).string();
    const std::string data = (dir_ / ("random data " + std::to_string(seed) + ".json")).string();
    std::ofstream(file) << p.text;
    std::ofstream(data) << p.dataJson;
    for (const char* query : {"q1", "q2", "q3"})
      expectSameAsRun(file, query,
                      {"--data", data, "--samples", "2000", "--seed", std::to_string(seed), "--format", "json"}, "interp");
  }
}

TEST_F(NativeBuild, LargeModelMatchesTheInterpreter) {
  // Large enough to be split into chunk functions (backend::isChunked), with evidence and a
  // counterfactual world.
  const std::string file = (dir_ / "large.mv").string();
  std::ofstream out(file);
  out << "model m {\n  x[0] ~ normal(0, 1)\n  for i in 1..1500 {\n    x[i] ~ normal(x[i-1] * 0.9, 1)\n"
         "    if x[i] > 0 { y[i] = x[i] + 1 } else { y[i] = 0.0 }\n  }\n  s = x[0]";
  for (int k = 1; k < 1500; k += 7) out << " + y[" << k << "]";
  out << "\n}\nquery q on m {\n  observe x[3] == 0.5\n  do x[700] = 2.0\n  predict s\n  predict factual s\n}\n";
  out.close();
  expectSameAsRun(file, "q", {"--samples", "3000", "--seed", "9", "--format", "json"}, "interp");
}

}  // namespace
}  // namespace mv::test
