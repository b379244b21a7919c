// tests/unit/backend/RandomDiffTest.cpp — random well-typed programs: JIT == interpreter, sample by sample.
// MV_RANDOM_MODELS=N sets how many programs (default 300); MV_RANDOM_SEED the first seed.
#include "backend/Interpreter.h"
#include "ir/Plan.h"
#include "backend/Jit.h"
#include "runtime/DataBind.h"
#include "stdlib/Stdlib.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace mv::test {
namespace {

uint64_t envOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(RandomDiff, JitMatchesInterpreterOnRandomPrograms) {
  const uint64_t count = envOr("MV_RANDOM_MODELS", 300), first = envOr("MV_RANDOM_SEED", 1);
  uint64_t queries = 0, failedRuns = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    std::string text = randomProgram(seed);
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText("random.mv", text, &errors);
    ASSERT_FALSE(graphs.empty()) << "program " << seed << " does not compile:\n" << errors << "\n" << text;
    for (const ir::QueryGraph& g : graphs) {
      std::string error;
      auto jit = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
      ASSERT_TRUE(jit) << error << "\n" << text;
      backend::Interpreter interp(g);
      std::string diff = compareSamples(backend::Interpreter::sampleFn, &interp, jit->function(), nullptr,
                                        g.predictions.size(), seed, 300);
      ASSERT_EQ(diff, "") << "program " << seed << " query " << g.name << ":\n" << text;
      double w, full;
      std::vector<double> preds(g.predictions.size() + 1);
      mv_rt_error err{};
      failedRuns += jit->function()(nullptr, seed, 0, &w, &full, preds.data(), &err) != 0;
      ++queries;
    }
  }
  // The generator must mostly produce runnable queries, or the comparison says little.
  EXPECT_LT(failedRuns * 4, queries) << failedRuns << " of " << queries << " queries fail at sample 0";
}

// The data buffer of `g` bound from `json` (runtime/DataBind.h, as mvc binds --data).
std::vector<uint64_t> bindJson(const ir::QueryGraph& g, const std::string& json, std::string* errors) {
  std::vector<std::vector<int32_t>> dims;
  std::vector<mv_rt_data_meta> meta;
  for (const ir::DataDecl& d : g.data) dims.emplace_back(d.dims.begin(), d.dims.end());
  for (size_t k = 0; k < g.data.size(); ++k)
    meta.push_back(mv_rt_data_meta{g.data[k].name.c_str(), int32_t(g.data[k].type), int32_t(dims[k].size()),
                                   dims[k].data(), int32_t(g.data[k].offset), "\x06\n"});
  std::vector<uint64_t> data;
  if (!rt::bindDataText(meta.data(), int32_t(meta.size()), int32_t(g.dataSize), json, "random.json", false, &data,
                        errors))
    data.clear();
  return data;
}

// Programs with data (spec/data.md §1) bound from their JSON: data in expressions, as
// categorical rows and as observed values (scalars, families, loops, inverted nodes, worlds).
TEST(RandomDiff, JitMatchesInterpreterOnRandomProgramsWithData) {
  const uint64_t count = envOr("MV_RANDOM_MODELS", 300) / 2, first = envOr("MV_RANDOM_SEED", 1);
  uint64_t queries = 0, failedRuns = 0, dataEvidence = 0, invertedData = 0, worldData = 0, dataChecks = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    RandomDataProgram p = randomDataProgram(seed);
    std::string errors;
    std::vector<ir::QueryGraph> graphs = compileText("random.mv", p.text, &errors);
    ASSERT_FALSE(graphs.empty()) << "program " << seed << " does not compile:\n" << errors << "\n" << p.text;
    for (const ir::QueryGraph& g : graphs) {
      std::vector<uint64_t> data = bindJson(g, p.dataJson, &errors);
      ASSERT_EQ(data.size(), size_t(g.dataSize)) << errors << "\n" << p.dataJson << "\n" << p.text;
      std::string error;
      auto jit = backend::JitQuery::compile(g, backend::JitOptions{}, &error);
      ASSERT_TRUE(jit) << error << "\n" << p.text;
      backend::Interpreter interp(g, data.data());
      std::string diff = compareSamples(backend::Interpreter::sampleFn, &interp, jit->function(), data.data(),
                                        g.predictions.size(), seed, 300);
      ASSERT_EQ(diff, "") << "program " << seed << " query " << g.name << ":\n" << p.dataJson << "\n" << p.text;
      double w, full;
      std::vector<double> preds(g.predictions.size() + 1);
      mv_rt_error err{};
      failedRuns += jit->function()(data.data(), seed, 0, &w, &full, preds.data(), &err) != 0;
      ++queries;
      for (const ir::Evidence& e : g.evidence) {
        dataEvidence += e.isData();
        invertedData += e.isData() && e.invertedSite != ir::kNoNode;
        worldData += e.isData() && e.world != 0;
      }
      dataChecks += g.dataChecks.size();
    }
  }
  EXPECT_LT(failedRuns * 4, queries) << failedRuns << " of " << queries << " queries fail at sample 0";
  // The comparison covers data evidence only if the generator writes it.
  EXPECT_GT(dataEvidence, 100u);
  EXPECT_GT(invertedData, 10u);
  EXPECT_GT(worldData, 10u);
  EXPECT_GT(dataChecks, 20u);
}

// The comparison above covers tables and factors only if the generator writes them.
TEST(RandomDiff, GeneratorWritesTablesAndFactors) {
  int tables = 0, rows = 0, factors = 0, queryFactors = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::string text = randomProgram(seed);
    tables += text.find("const T") != std::string::npos;
    rows += text.find("categorical(TP") != std::string::npos;
    factors += text.find("  factor ") != std::string::npos;
    queryFactors += text.find("query q1 on m {\n  factor") != std::string::npos ||
                    text.find("\n  factor", text.find("query ")) != std::string::npos;
  }
  EXPECT_GT(tables, 30);
  EXPECT_GT(rows, 15);
  EXPECT_GT(factors, 30);
  EXPECT_GT(queryFactors, 30);
}

// ... and dirichlet sites observed whole (passes/DirichletInversion.cpp), with constant and
// random concentrations and under `do`s, only if it writes them.
TEST(RandomDiff, GeneratorObservesDirichletSitesWhole) {
  int inverted = 0, randomAlpha = 0, counterfactual = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::string errors;
    for (const ir::QueryGraph& g : compileText("random.mv", randomProgram(seed), &errors)) {
      bool any = false, lgamma = false;
      for (const ir::Node& n : g.nodes) {
        any = any || (n.kind == ir::NodeKind::Site && n.site.weighedElsewhere);
        lgamma = lgamma || (n.kind == ir::NodeKind::Call && n.builtin == stdlib::Builtin::Lgamma);
      }
      inverted += any;
      randomAlpha += any && lgamma;
      counterfactual += any && g.worlds.size() > 1 && !g.worlds[1].interventions.empty();
    }
  }
  std::printf("dirichlet sites observed whole: %d queries (%d with random alpha, %d under a do)\n", inverted,
              randomAlpha, counterfactual);
  EXPECT_GT(inverted, 20);
  EXPECT_GT(randomAlpha, 5);
  EXPECT_GT(counterfactual, 2);
}

// ... and evidence inside worlds (worlds.md §5) only if it writes that.
TEST(RandomDiff, GeneratorWritesWorldEvidence) {
  int observed = 0, constrained = 0, factored = 0, kept = 0, resumed = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::string text = randomProgram(seed);
    std::string errors;
    for (const ir::QueryGraph& g : compileText("random.mv", text, &errors))
      for (const ir::Step& s : ir::buildPlan(g).steps) {
        kept += s.kind == ir::StepKind::ObserveIfKept;  // decided before the factual draw
        resumed += s.kind == ir::StepKind::Resume;
      }
    observed += text.find("\n    observe ") != std::string::npos && text.find(" == ", text.find("\n    observe ")) != std::string::npos;
    constrained += text.find("\n    observe (") != std::string::npos;
    factored += text.find("\n    factor ") != std::string::npos;
  }
  EXPECT_GT(observed, 50);
  EXPECT_GT(constrained, 30);
  EXPECT_GT(factored, 30);
  EXPECT_GT(kept, 3);  // few generated bool sites have parameters a `do` changes
  EXPECT_GT(resumed, 3);
}

// ... and arrays in queries only if it writes them (data.md §2).
TEST(RandomDiff, GeneratorWritesArraysInQueries) {
  int arrayEvidence = 0, loopEvidence = 0, loopInterventions = 0, arrayPredictions = 0, loopPredictions = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    const std::string text = randomProgram(seed);
    const std::string queries = text.substr(text.find("query "));
    arrayEvidence += queries.find(" == [") != std::string::npos;
    loopEvidence += queries.find("[i] == ") != std::string::npos;
    loopInterventions += queries.find("{ intervene ") != std::string::npos || queries.find("{ do ") != std::string::npos;
    arrayPredictions += queries.find("  predict a") != std::string::npos;
    loopPredictions += queries.find("{ predict e") != std::string::npos;
  }
  EXPECT_GT(arrayEvidence, 30);
  EXPECT_GT(loopEvidence, 30);
  EXPECT_GT(loopInterventions, 30);
  EXPECT_GT(arrayPredictions, 30);
  EXPECT_GT(loopPredictions, 30);
}

TEST(RandomDiff, GeneratorWritesEveryDistribution) {
  // Each distribution of the table (and the two the front end rewrites) in some program, so
  // the differential tests above cover them all.
  std::vector<std::string> calls{"dirichlet(", "truncated("};
  for (int d = 0; d < mv::stdlib::kNumDistributions; ++d) {
    const auto id = mv::stdlib::Distribution(d);
    if (!mv::stdlib::truncationBase(id)) calls.push_back(std::string(mv::stdlib::distribution(id).name) + "(");
    // A truncated discrete entry: its base inside truncated(...).
    else if (mv::stdlib::distribution(id).valueType == mv::stdlib::Scalar::Int)
      calls.push_back("truncated(" + std::string(mv::stdlib::distribution(*mv::stdlib::truncationBase(id)).name) + "(");
  }
  std::vector<std::string> texts;
  for (uint64_t seed = 1; seed <= 300; ++seed) texts.push_back(randomProgram(seed));
  for (const std::string& c : calls) {
    int programs = 0;
    for (const std::string& t : texts) {
      for (size_t at = t.find(c); at != std::string::npos; at = t.find(c, at + 1))
        if (at == 0 || !(std::isalnum((unsigned char)t[at - 1]) || t[at - 1] == '_')) {  // not a longer name
          ++programs;
          break;
        }
    }
    EXPECT_GT(programs, 5) << c;
  }
}

}  // namespace
}  // namespace mv::test
