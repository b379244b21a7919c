// tests/fuzz/FuzzJit.cpp — libFuzzer target: the JIT against the interpreter, sample by sample, on programs that check.
// Every query that checks must JIT-compile, and each sample must agree bit for bit with the
// interpreter (return code, error kind/node/parameter/value, both log weights, every
// prediction): the project's contract that the engines give the same answer for a seed.
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "tests/fuzz/FuzzCommon.h"

#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mv::driver::Session s;
  if (!mv::fuzz::compileInput(data, size, s)) return 0;
  size_t n = 0;
  for (const mv::ir::QueryGraph& g : s.queries) {
    if (n++ == mv::fuzz::kMaxQueries) break;
    std::string error;
    std::unique_ptr<mv::backend::JitQuery> jit = mv::backend::JitQuery::compile(g, mv::backend::JitOptions{}, &error);
    if (!jit) mv::fuzz::finding("the JIT cannot compile query '" + g.name + "': " + error);
    std::vector<uint64_t> data = mv::fuzz::zeroData(g);  // the JIT's ctx is the data buffer
    mv::backend::Interpreter interp(g, data.data());
    for (uint64_t i = 0; i < 24; ++i) {
      std::string diff = mv::fuzz::compareSample(mv::backend::Interpreter::sampleFn, &interp, jit->function(), data.data(),
                                                 g.predictions.size(), 11, i);
      if (!diff.empty()) mv::fuzz::finding("query '" + g.name + "': interpreter vs JIT: " + diff);
    }
  }
  return 0;
}
