// tests/unit/capi/CApiTest.cpp — the C API: results as mvc prints them, structured diagnostics, failures as
// statuses (never aborts), and two programs run at once from two threads giving their answers alone.
#include "multiverse/multiverse.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct ProgramDeleter {
  void operator()(mv_program* p) const { mv_program_free(p); }
};
struct ResultDeleter {
  void operator()(mv_result* r) const { mv_result_free(r); }
};
using Program = std::unique_ptr<mv_program, ProgramDeleter>;
using Result = std::unique_ptr<mv_result, ResultDeleter>;

Program compile(const std::string& text, mv_status expect = MV_OK) {
  mv_program* p = nullptr;
  EXPECT_EQ(mv_compile("test.mv", text.data(), text.size(), &p), expect);
  EXPECT_NE(p, nullptr);
  return Program(p);
}

Program load(const std::string& path) {
  mv_program* p = nullptr;
  EXPECT_EQ(mv_load(path.c_str(), &p), MV_OK) << (p ? mv_program_error(p) : "");
  return Program(p);
}

Result run(const mv_program* p, const char* query, mv_engine engine, uint64_t samples, uint64_t seed, int threads,
           mv_status expect = MV_OK) {
  mv_run_options o;
  mv_run_options_init(&o);
  o.engine = engine;
  o.samples = samples;
  o.seed = seed;
  o.threads = threads;
  mv_result* r = nullptr;
  EXPECT_EQ(mv_run(p, query, &o, &r), expect) << (r ? mv_result_error(r) : "");
  EXPECT_NE(r, nullptr);
  return Result(r);
}

/// Every number of a result, as bits: two results are equal only if these are.
std::vector<uint64_t> bits(const mv_result* r) {
  std::vector<double> xs = {mv_result_ess(r), mv_result_log_evidence(r)};
  for (size_t k = 0; k < mv_result_num_predictions(r); ++k) {
    const mv_prediction* p = mv_result_prediction(r, k);
    xs.insert(xs.end(), {p->mean, p->stderror, p->sd, p->other_mass});
    for (size_t v = 0; v < p->num_values; ++v) xs.insert(xs.end(), {p->values[v], p->probabilities[v]});
  }
  std::vector<uint64_t> out;
  for (double x : xs) {
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    out.push_back(b);
  }
  out.push_back(mv_result_nonzero_weights(r));
  return out;
}

std::string withoutSeconds(std::string json) { return std::regex_replace(json, std::regex("\"seconds\":[^,]*,"), ""); }

std::string mvcOutput(const std::string& args) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((std::string(MV_MVC) + " " + args).c_str(), "r"), pclose);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  return out;
}

const std::string kExamples = std::string(MV_SOURCE_DIR) + "/examples/";

TEST(CApi, VersionsAreReported) {
  EXPECT_EQ(mv_api_version(), MV_API_VERSION);
  std::string v = mv_version();
  EXPECT_TRUE(std::regex_search(v, std::regex("^MultiVerse [0-9]+\\.[0-9]+\nLLVM [0-9]+\\.[0-9]+\\.[0-9]+\n"
                                              "oneTBB [0-9]+\\.[0-9]+.*\nBoehm GC [0-9]+\\.[0-9]+\\.[0-9]+.*\nMPI: .+\n$")))
      << v;
  EXPECT_EQ(v, mvcOutput("--version"));
}

TEST(CApi, ListsQueriesAndModels) {
  Program p = load(kExamples + "diagnosis.mv");
  ASSERT_EQ(mv_program_status(p.get()), MV_OK);
  ASSERT_GE(mv_program_num_queries(p.get()), 3u);
  EXPECT_STREQ(mv_program_query_name(p.get(), 0), "posterior_d1");
  EXPECT_STREQ(mv_program_query_model(p.get(), 0), "diagnosis");
  ASSERT_EQ(mv_program_num_models(p.get()), 1u);
  EXPECT_STREQ(mv_program_model_name(p.get(), 0), "diagnosis");
  EXPECT_EQ(mv_program_query_name(p.get(), mv_program_num_queries(p.get())), nullptr);
}

// The JSON line of every query of every example, on each sampling engine and the exact one,
// is the line `mvc run --format json` prints for the same seed (the time apart).
TEST(CApi, ResultsAreWhatMvcPrints) {
  for (const char* file : {"diagnosis.mv", "firing_squad.mv", "intervention.mv", "linear_gaussian.mv"}) {
    Program p = load(kExamples + file);
    for (mv_engine engine : {MV_ENGINE_JIT, MV_ENGINE_INTERP, MV_ENGINE_EXACT}) {
      if (engine == MV_ENGINE_EXACT && std::string(file) == "linear_gaussian.mv") continue;  // continuous
      std::string expected = mvcOutput("run " + kExamples + file + " --format json --samples 3000 --seed 5 --threads 2 --engine " +
                                       mv_engine_name(engine));
      std::string got;
      for (size_t q = 0; q < mv_program_num_queries(p.get()); ++q) {
        Result r = run(p.get(), mv_program_query_name(p.get(), q), engine, 3000, 5, 2);
        got += std::string(mv_result_json(r.get())) + "\n";
      }
      EXPECT_EQ(withoutSeconds(got), withoutSeconds(expected)) << file << " " << mv_engine_name(engine);
      EXPECT_NE(got.find("\"version\":\""), std::string::npos);
    }
  }
}

// A target standard error stops the run in rounds, as `mvc run --target-stderr` does; the
// reliability diagnostics and warnings are the ones its JSON line carries.
TEST(CApi, TargetsAndReliabilityAreWhatMvcPrints) {
  Program p = load(kExamples + "diagnosis.mv");
  mv_run_options o;
  mv_run_options_init(&o);
  o.engine = MV_ENGINE_INTERP;
  o.samples = 1000000;
  o.seed = 9;
  o.threads = 2;
  o.target_stderr = 0.02;
  mv_result* raw = nullptr;
  ASSERT_EQ(mv_run(p.get(), "cure_d1", &o, &raw), MV_OK);
  Result r(raw);
  EXPECT_TRUE(mv_result_target_met(r.get()));
  EXPECT_LT(mv_result_samples_used(r.get()), 1000000u);
  EXPECT_LT(mv_result_prediction(r.get(), 0)->stderror, 0.02);
  std::string expected = mvcOutput("run " + kExamples + "diagnosis.mv --query cure_d1 --engine interp --samples 1000000 "
                                   "--seed 9 --threads 2 --target-stderr 0.02 --format json");
  EXPECT_EQ(withoutSeconds(std::string(mv_result_json(r.get())) + "\n"), withoutSeconds(expected));
  std::string json = mv_result_json(r.get());
  EXPECT_NE(json.find("\"pareto_k\":"), std::string::npos);
  EXPECT_FALSE(std::isnan(mv_result_pareto_k(r.get())));
  EXPECT_GT(mv_result_ess_per_sample(r.get()), 0);
  EXPECT_GT(mv_result_max_weight(r.get()), 0);
  // Every warning the JSON line lists is a warning of the result, in order.
  std::string listed;
  for (size_t i = 0; i < mv_result_num_warnings(r.get()); ++i) listed += std::string(mv_result_warning(r.get(), i));
  EXPECT_EQ(json.find("\"warnings\":[]") != std::string::npos, listed.empty()) << json;

  o.engine = MV_ENGINE_EXACT;  // exact answers have no Monte Carlo error to target
  EXPECT_EQ(mv_run(p.get(), "cure_d1", &o, &raw), MV_ERROR_USAGE);
  mv_result_free(raw);
  mv_run_options_init(&o);
  o.target_ess = -1;
  EXPECT_EQ(mv_run(p.get(), "cure_d1", &o, &raw), MV_ERROR_USAGE);
  mv_result_free(raw);
}

TEST(CApi, ResultFieldsMatchTheExactAnswer) {
  Program p = load(kExamples + "diagnosis.mv");
  Result exact = run(p.get(), "posterior_d1", MV_ENGINE_EXACT, 1, 1, 1);
  ASSERT_EQ(mv_result_num_predictions(exact.get()), 1u);
  const mv_prediction* e = mv_result_prediction(exact.get(), 0);
  EXPECT_STREQ(e->label, "d1");
  EXPECT_STREQ(e->world, "factual");
  EXPECT_NEAR(e->mean, 0.5500725231611279, 1e-12);  // the file's exact answer (exact_enumerate.py)
  EXPECT_GT(mv_result_assignments(exact.get()), 0u);

  Result sampled = run(p.get(), "posterior_d1", MV_ENGINE_JIT, 200000, 3, 2);
  const mv_prediction* s = mv_result_prediction(sampled.get(), 0);
  EXPECT_LT(std::fabs(s->mean - 0.5500725231611279), 4 * s->stderror);
  EXPECT_GT(mv_result_ess(sampled.get()), 500);
  ASSERT_TRUE(s->integral);
  ASSERT_EQ(s->num_values, 2u);  // d1 is 0 or 1
  EXPECT_EQ(s->values[0], 0.0);
  EXPECT_EQ(s->values[1], 1.0);
  EXPECT_NEAR(s->probabilities[1], s->mean, 1e-12);
  EXPECT_NEAR(s->probabilities[0] + s->probabilities[1], 1.0, 1e-12);
  EXPECT_STREQ(mv_result_kind(sampled.get()), "observational");
  EXPECT_EQ(mv_result_threads(sampled.get()), 2);
}

TEST(CApi, CompileErrorsAreStructuredDiagnostics) {
  Program p = compile("model m {\n  x ~ normal(0, sigma)\n}\nquery q on m { predict x }\n", MV_ERROR_COMPILE);
  ASSERT_GE(mv_program_num_diagnostics(p.get()), 1u);
  const mv_diagnostic* d = mv_program_diagnostic(p.get(), 0);
  EXPECT_STREQ(d->file, "test.mv");
  EXPECT_EQ(d->line, 2u);
  EXPECT_EQ(d->column, 17u);
  EXPECT_EQ(d->severity, MV_SEVERITY_ERROR);
  EXPECT_STREQ(d->name, "UndeclaredName");
  EXPECT_STREQ(d->message, "use of undeclared name 'sigma'");
  std::string text = mv_program_error(p.get());
  EXPECT_NE(text.find("test.mv:2:17: error: use of undeclared name 'sigma'"), std::string::npos) << text;
  EXPECT_NE(text.find("^"), std::string::npos) << text;  // the caret line
  EXPECT_EQ(mv_program_num_queries(p.get()), 0u);
  mv_result* r = nullptr;
  EXPECT_EQ(mv_run(p.get(), "q", nullptr, &r), MV_ERROR_USAGE);
  mv_result_free(r);
}

TEST(CApi, NotesAndWarningsAreRecords) {
  // A near-miss name gets a "did you mean" note.
  Program p = compile("model m {\n  sigma2 ~ normal(0, 1)\n  y ~ normal(0, sigma)\n}\nquery q on m { predict y }\n",
                      MV_ERROR_COMPILE);
  ASSERT_GE(mv_program_num_diagnostics(p.get()), 1u);
  const mv_diagnostic* d = mv_program_diagnostic(p.get(), 0);
  ASSERT_GE(d->num_notes, 1u) << mv_program_error(p.get());
  EXPECT_EQ(d->notes[0].severity, MV_SEVERITY_NOTE);
  EXPECT_EQ(d->notes[0].line, 3u);  // at the use, naming the near miss
  EXPECT_NE(std::string(d->notes[0].message).find("sigma2"), std::string::npos);
}

// mvc caps the warnings it prints per kind over the whole file (20 of 300 here); the records
// keep every one (tests/lit/diagnostics/warnings_capped_run.test).
TEST(CApi, WarningsAreNotCappedInRecords) {
  std::string text = "model m {\n  a ~ bernoulli(0.3)\n  b ~ bernoulli(0.5)\n}\n";
  for (int i = 0; i < 300; ++i) text += "query q" + std::to_string(i) + " on m {\n  intervene b = true\n  predict a\n}\n";
  Program p = compile(text);
  size_t warnings = 0;
  for (size_t i = 0; i < mv_program_num_diagnostics(p.get()); ++i)
    warnings += mv_program_diagnostic(p.get(), i)->severity == MV_SEVERITY_WARNING;
  EXPECT_EQ(warnings, 300u);
  Result r = run(p.get(), "q299", MV_ENGINE_INTERP, 10, 1, 1);
  ASSERT_EQ(mv_result_num_diagnostics(r.get()), 1u);  // the query's own warning
  EXPECT_EQ(mv_result_diagnostic(r.get(), 0)->line, 1202u);
}

TEST(CApi, RunTimeFailuresAreResultsNotAborts) {
  Program p = compile("model m {\n  x ~ normal(0, 1)\n  y ~ normal(0, x)\n}\nquery q on m { predict y }\n");
  Result r = run(p.get(), "q", MV_ENGINE_JIT, 1000, 1, 1, MV_ERROR_RUNTIME);
  std::string text = mv_result_error(r.get());
  EXPECT_NE(text.find("error:"), std::string::npos) << text;
  ASSERT_GE(mv_result_num_diagnostics(r.get()), 1u);
  EXPECT_EQ(mv_result_diagnostic(r.get(), 0)->line, 3u);
  // The JSON line mvc prints for a failed query.
  EXPECT_EQ(std::string(mv_result_json(r.get())).rfind("{\"query\":\"q\",\"model\":\"m\",\"kind\":\"observational\","
                                                       "\"engine\":\"jit\",\"error\":\"test.mv:3:3: error: parameter 'sd'", 0),
            0u) << mv_result_json(r.get());

  // Every weight zero (tests/lit/diagnostics/fail_all_weights_zero.mv): a result with the
  // diagnostic and its notes.
  Program zero = compile("model m {\n  z ~ normal(0, 1)\n  y = exp(z)\n}\nquery q on m {\n  observe y == 2.0\n  predict z\n}\n");
  Result z = run(zero.get(), "q", MV_ENGINE_INTERP, 1000, 1, 1, MV_ERROR_RUNTIME);
  EXPECT_NE(std::string(mv_result_error(z.get())).find("test.mv:5:7: error: query 'q': all 1000 samples have zero weight"),
            std::string::npos) << mv_result_error(z.get());
  ASSERT_GE(mv_result_num_diagnostics(z.get()), 1u);
  EXPECT_EQ(mv_result_diagnostic(z.get(), 0)->num_notes, 2u);
}

TEST(CApi, BadArgumentsAreUsageErrors) {
  mv_program* p = nullptr;
  EXPECT_EQ(mv_compile("x", nullptr, 3, &p), MV_ERROR_USAGE);
  ASSERT_NE(p, nullptr);
  EXPECT_NE(std::string(mv_program_error(p)).find("null"), std::string::npos);
  mv_program_free(p);
  EXPECT_EQ(mv_compile("x", "", 0, nullptr), MV_ERROR_USAGE);
  EXPECT_EQ(mv_load("/nonexistent/file.mv", &p), MV_ERROR_IO);
  EXPECT_NE(std::string(mv_program_error(p)).find("cannot read '/nonexistent/file.mv'"), std::string::npos);
  mv_program_free(p);

  Program d = load(kExamples + "diagnosis.mv");
  mv_result* r = nullptr;
  EXPECT_EQ(mv_run(d.get(), "nope", nullptr, &r), MV_ERROR_USAGE);
  EXPECT_NE(std::string(mv_result_error(r)).find("no query named 'nope'"), std::string::npos);
  mv_result_free(r);
  EXPECT_EQ(mv_run(d.get(), nullptr, nullptr, &r), MV_ERROR_USAGE);  // several queries: name one
  mv_result_free(r);
  mv_run_options o;
  mv_run_options_init(&o);
  o.samples = 0;
  EXPECT_EQ(mv_run(d.get(), "posterior_d1", &o, &r), MV_ERROR_USAGE);
  mv_result_free(r);
  mv_run_options_init(&o);
  o.engine = mv_engine(7);
  EXPECT_EQ(mv_run(d.get(), "posterior_d1", &o, &r), MV_ERROR_USAGE);
  mv_result_free(r);
  mv_run_options_init(&o);
  o.struct_size = 4;
  EXPECT_EQ(mv_run(d.get(), "posterior_d1", &o, &r), MV_ERROR_USAGE);
  mv_result_free(r);
  EXPECT_EQ(mv_run(nullptr, "q", nullptr, nullptr), MV_ERROR_USAGE);
  EXPECT_STREQ(mv_status_name(MV_ERROR_RUNTIME), "MV_ERROR_RUNTIME");
  EXPECT_STREQ(mv_engine_name(MV_ENGINE_INTERP), "interp");
}

// `data` declarations are bound from options.data_json or options.data_file, with mvc's
// checks: a bad value is MV_ERROR_USAGE naming the declaration, and an options struct of
// the size before data_json still runs (its data fields read as unset).
TEST(CApi, DataIsBoundFromJsonTextOrAFile) {
  Program p = load(std::string(MV_SOURCE_DIR) + "/tests/lit/data/Inputs/coin.mv");
  mv_run_options o;
  mv_run_options_init(&o);
  o.engine = MV_ENGINE_EXACT;
  mv_result* r = nullptr;
  o.data_json = R"({"w": [0.3, 0.2], "bias": 0.9, "shift": 10})";
  ASSERT_EQ(mv_run(p.get(), "q", &o, &r), MV_OK) << (r ? mv_result_error(r) : "");
  EXPECT_NEAR(mv_result_prediction(r, 0)->mean, 0.27 / 0.41, 1e-12);
  EXPECT_NEAR(mv_result_prediction(r, 1)->mean, 10 + 0.27 / 0.41, 1e-12);
  mv_result_free(r);
  o.data_json = nullptr;
  const std::string file = std::string(MV_SOURCE_DIR) + "/tests/lit/data/Inputs/coin_flat.json";
  o.data_file = file.c_str();
  ASSERT_EQ(mv_run(p.get(), "q", &o, &r), MV_OK) << (r ? mv_result_error(r) : "");
  EXPECT_EQ(mv_result_prediction(r, 0)->mean, 0.5);
  mv_result_free(r);
  o.data_file = nullptr;
  o.data_json = R"({"w": [0.3], "bias": 0.9, "shift": 10})";
  EXPECT_EQ(mv_run(p.get(), "q", &o, &r), MV_ERROR_USAGE);
  EXPECT_NE(std::string(mv_result_error(r)).find("coin.mv:2:6: error: 'w' in '<data>' has 1 element, but 'real[2]' needs 2"),
            std::string::npos) << mv_result_error(r);
  mv_result_free(r);
  o.struct_size = offsetof(mv_run_options, data_json);  // an older caller: no data given
  EXPECT_EQ(mv_run(p.get(), "q", &o, &r), MV_ERROR_USAGE);
  EXPECT_NE(std::string(mv_result_error(r)).find("data 'w' has no value"), std::string::npos) << mv_result_error(r);
  mv_result_free(r);
}

// Two programs, two runs at once from two threads (with different thread counts), several
// times over: each result is bit for bit the one the run gives alone.
TEST(CApi, TwoProgramsRunAtOnceGiveTheirAnswersAlone) {
  Program a = load(kExamples + "diagnosis.mv");
  Program b = load(kExamples + "linear_gaussian.mv");
  const char* qb = mv_program_query_name(b.get(), 0);
  const uint64_t n = 300000;
  std::vector<uint64_t> aloneA = bits(run(a.get(), "cure_d1", MV_ENGINE_JIT, n, 11, 3).get());
  std::vector<uint64_t> aloneB = bits(run(b.get(), qb, MV_ENGINE_INTERP, n, 12, 1).get());
  std::vector<uint64_t> aloneA2 = bits(run(a.get(), "posterior_d3", MV_ENGINE_INTERP, n, 13, 2).get());
  for (int round = 0; round < 3; ++round) {
    std::vector<uint64_t> gotA, gotB, gotA2;
    std::thread ta([&] { gotA = bits(run(a.get(), "cure_d1", MV_ENGINE_JIT, n, 11, 3).get()); });
    std::thread tb([&] { gotB = bits(run(b.get(), qb, MV_ENGINE_INTERP, n, 12, 1).get()); });
    std::thread ta2([&] { gotA2 = bits(run(a.get(), "posterior_d3", MV_ENGINE_INTERP, n, 13, 2).get()); });
    ta.join();
    tb.join();
    ta2.join();
    EXPECT_EQ(gotA, aloneA) << "round " << round;
    EXPECT_EQ(gotB, aloneB) << "round " << round;
    EXPECT_EQ(gotA2, aloneA2) << "round " << round;
  }
}

// Compiling from several threads at once works too (each compile has its own sources and diagnostics).
TEST(CApi, ProgramsCompileAtOnce) {
  std::vector<std::thread> threads;
  std::vector<std::string> firsts(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      Program p = load(kExamples + "firing_squad.mv");
      firsts[size_t(i)] = mv_program_query_name(p.get(), 0);
    });
  for (std::thread& t : threads) t.join();
  for (const std::string& f : firsts) EXPECT_EQ(f, firsts[0]);
}

}  // namespace
