// tests/fuzz/FuzzInterp.cpp — libFuzzer target: the reference interpreter runs each query that checks, on a few samples.
// Run-time errors are answers (the program divides by zero, say); crashes, sanitizer
// reports, hangs and blow-ups are findings, as is a run whose sample count is wrong.
#include "driver/Engines.h"
#include "tests/fuzz/FuzzCommon.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mv::driver::Session s;
  if (!mv::fuzz::compileInput(data, size, s)) return 0;
  size_t n = 0;
  for (const mv::ir::QueryGraph& g : s.queries) {
    if (n++ == mv::fuzz::kMaxQueries) break;
    const std::vector<uint64_t> data = mv::fuzz::zeroData(g);
    mv::driver::EngineRequest request;
    request.data = data.data();
    request.samples = 64;
    request.seed = 7;
    request.threads = 1;
    request.summarize = true;
    std::string error;
    std::optional<mv::rt::RunResult> r = mv::driver::runEngine(mv::driver::Engine::Interp, g, request, &error);
    if (!r) mv::fuzz::finding("the interpreter could not run query '" + g.name + "': " + error);
    if (r->ok && r->acc.count() != request.samples)
      mv::fuzz::finding("query '" + g.name + "' used " + std::to_string(r->acc.count()) + " samples, not 64");
  }
  return 0;
}
