// tests/fuzz/FuzzJit.cpp — libFuzzer target: the JIT against the interpreter, sample by sample, on programs that check.
// Every query that checks must JIT-compile, and each sample must agree bit for bit with the
// interpreter (return code, error kind/node/parameter/value, both log weights, every
// prediction): the project's contract that the engines give the same answer for a seed. The
// block function (what `mvc run` runs) must give the interpreter's run through the driver's
// per-sample loop, bit for bit (every accumulator, summary, top weight and the failure).
#include "backend/Interpreter.h"
#include "backend/Jit.h"
#include "backend/WeightBound.h"
#include "runtime/Driver.h"
#include "tests/unit/backend/ResultBytes.h"
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
    // Both entries in one module: one code generation, optimisation and machine-code run
    // (by default the sample function is a second module, compiled on first use).
    mv::backend::JitOptions options;
    options.sampleNow = true;
    std::unique_ptr<mv::backend::JitQuery> jit = mv::backend::JitQuery::compile(g, options, &error);
    if (!jit) mv::fuzz::finding("the JIT cannot compile query '" + g.name + "': " + error);
    std::vector<uint64_t> data = mv::fuzz::zeroData(g);  // the JIT's ctx is the data buffer
    mv::backend::Interpreter interp(g, data.data());
    for (uint64_t i = 0; i < 24; ++i) {
      std::string diff = mv::fuzz::compareSample(mv::backend::Interpreter::sampleFn, &interp, jit->function(), data.data(),
                                                 g.predictions.size(), 11, i);
      if (!diff.empty()) mv::fuzz::finding("query '" + g.name + "': interpreter vs JIT: " + diff);
    }
    // 48 samples in blocks of 16, one thread (the partial sums after a failure are then fixed).
    mv::rt::RunConfig config;
    config.samples = 48;
    config.blockSize = 16;
    config.seed = 11;
    config.threads = 1;
    config.numPredictions = int(g.predictions.size());
    config.separatedEvidence = g.hasSeparatedWeight();
    config.summarize = true;
    mv::backend::setWeightScales(config, g);  // as the driver sets them
    const mv::rt::RunResult loop = mv::rt::run(config, mv::backend::Interpreter::sampleFn, &interp);
    config.blockFn = jit->blockFunction();
    const mv::rt::RunResult block = mv::rt::run(config, jit->function(), data.data());
    if (mv::test::resultBytes(loop) != mv::test::resultBytes(block))
      mv::fuzz::finding("query '" + g.name + "': the interpreter's run and the JIT's block function differ");
  }
  return 0;
}
