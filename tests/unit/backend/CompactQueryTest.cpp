// tests/unit/backend/CompactQueryTest.cpp — a query on a large model keeps only the model nodes it reads
// (frontend::Limits::compactModelNodes): the same samples, bit for bit, as the whole model's graph.
#include "backend/Interpreter.h"
#include "driver/Session.h"
#include "tests/unit/backend/ExampleFiles.h"
#include "tests/unit/backend/RandomModels.h"
#include "tests/unit/backend/TestCompile.h"

#include <gtest/gtest.h>

#include <functional>
#include <sstream>

namespace mv::test {
namespace {

/// The pipeline's graphs of `text`, compacting every query when `compact` (the threshold 0).
std::vector<ir::QueryGraph> compile(const std::string& name, const std::string& text, bool compact) {
  driver::Session s;
  if (compact) s.limits.compactModelNodes = 0;
  if (!driver::compile(s, name, text, passes::PipelineOptions{})) {
    std::ostringstream os;
    s.diags->print(os);
    ADD_FAILURE() << name << ": " << os.str() << s.internalError;
    return {};
  }
  return std::move(s.queries);
}

/// An interpreter whose errors name their node as a user sees it (kind, name, location), not by
/// its number, which compacting changes.
struct Named {
  const ir::QueryGraph* g;
  backend::Interpreter* interp;
  static int32_t sample(void* ctx, uint64_t seed, uint64_t i, double* w, double* fw, double* preds, mv_rt_error* err) {
    Named* self = static_cast<Named*>(ctx);
    int32_t r = backend::Interpreter::sampleFn(self->interp, seed, i, w, fw, preds, err);
    if (r != 0 && err->node >= 0 && size_t(err->node) < self->g->nodes.size()) {
      const ir::Node& n = self->g->nodes[size_t(err->node)];
      std::string key = std::to_string(int(n.kind)) + n.name + ":" + std::to_string(n.loc.line) + ":" +
                        std::to_string(n.loc.col) + ":" + std::to_string(n.loc.length);
      err->node = int32_t(std::hash<std::string>{}(key) & 0x7fffffff);
    }
    return r;
  }
};

/// Compares every query of `text` compacted and whole; counts the queries compacting dropped nodes of.
void expectSameSamples(const std::string& name, const std::string& text, uint64_t seed, int* queries, int* smaller) {
  std::vector<ir::QueryGraph> whole = compile(name, text, false), compact = compile(name, text, true);
  ASSERT_EQ(whole.size(), compact.size()) << name;
  for (size_t q = 0; q < whole.size(); ++q) {
    ++*queries;
    *smaller += compact[q].nodes.size() < whole[q].nodes.size();
    std::vector<uint64_t> data(whole[q].dataSize, 0);
    backend::Interpreter a(whole[q], data.data()), b(compact[q], data.data());
    Named na{&whole[q], &a}, nb{&compact[q], &b};
    ASSERT_EQ(compareSamples(Named::sample, &na, Named::sample, &nb,
                             whole[q].predictions.size(), seed, 1000),
              "")
        << name << " query " << whole[q].name << "\n" << text;
  }
}

TEST(CompactQuery, EveryExampleGivesTheSameSamples) {
  int queries = 0, smaller = 0;
  for (const std::string& file : exampleFiles()) expectSameSamples(file, readText(file), 7, &queries, &smaller);
  EXPECT_GT(queries, 100);
  EXPECT_GT(smaller, 20) << "compacting dropped nodes of only " << smaller << " of " << queries << " queries";
}

TEST(CompactQuery, RandomProgramsGiveTheSameSamples) {
  int queries = 0, smaller = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed)
    expectSameSamples("random.mv", randomProgram(seed), seed, &queries, &smaller);
  EXPECT_GT(smaller * 4, queries) << "compacting dropped nodes of only " << smaller << " of " << queries << " queries";
}

TEST(CompactQuery, ALargeModelsQueryHoldsOnlyWhatItReads) {
  // 20 000 sites (above the default threshold of 10 000 nodes): each query's graph is its
  // prediction's cone, not the model, so a query costs its own size (issue 9 item 4).
  std::string text = "model m {\n  for i in 0..20000 { x[i] ~ normal(0, 1) }\n  y = x[3] + x[5]\n}\n"
                     "query a on m { predict y }\nquery b on m { observe x[7] == 1.0\n predict x[9] }\n";
  std::vector<ir::QueryGraph> graphs = compile("large.mv", text, false);
  ASSERT_EQ(graphs.size(), 2u);
  EXPECT_LE(graphs[0].nodes.size(), 6u);  // x[3], x[5], their constants, y
  EXPECT_LE(graphs[1].nodes.size(), 8u);
  EXPECT_EQ(graphs[0].numSites, 20000u);   // ordinals (and so every site's stream) are kept
}

}  // namespace
}  // namespace mv::test
