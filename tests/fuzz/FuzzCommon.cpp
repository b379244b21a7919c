// tests/fuzz/FuzzCommon.cpp — compiling one fuzz input under small limits; findings; comparing two engines' samples.
#include "tests/fuzz/FuzzCommon.h"

#include "runtime/Gc.h"
#include "tests/fuzz/LargeStack.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

namespace mv::fuzz {

void finding(const std::string& what) {
  std::fprintf(stderr, "==fuzz finding== %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

namespace {

struct CompileCall {
  driver::Session* session;
  std::string text;
  bool verifyEach;
  bool ok = false;
};

void compileOnWorker(void* p) {
  CompileCall& c = *static_cast<CompileCall*>(p);
  passes::PipelineOptions pipeline;
  pipeline.verifyEach = c.verifyEach;
  c.ok = driver::compile(*c.session, "fuzz.mv", std::move(c.text), pipeline);
}

}  // namespace

bool compileInput(const uint8_t* data, size_t size, driver::Session& s, bool verifyEach) {
  rt::gcInit();
  s.limits.loopIterations = kLoopIterations;
  s.limits.modelNodes = kModelNodes;
  CompileCall call{&s, std::string(reinterpret_cast<const char*>(data), size), verifyEach};
  LargeStackWorker::run(compileOnWorker, &call);
  if (!s.internalError.empty()) finding(s.internalError);
  // Every diagnostic must print (location, source line, caret) without fault.
  std::ostringstream sink;
  s.diags->print(sink);
  if (call.ok && s.diags->hasErrors()) finding("compile() returned true with errors reported");
  return call.ok;
}

bool sameBits(double a, double b) {
  if (a != a && b != b) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string compareSample(mv_rt_sample_fn a, void* actx, mv_rt_sample_fn b, void* bctx, size_t numPredictions,
                          uint64_t seed, uint64_t index) {
  std::vector<double> pa(numPredictions + 1), pb(numPredictions + 1);
  double wa = 0, wb = 0, fa = 0, fb = 0;
  mv_rt_error ea{}, eb{};
  int32_t ra = a(actx, seed, index, &wa, &fa, pa.data(), &ea);
  int32_t rb = b(bctx, seed, index, &wb, &fb, pb.data(), &eb);
  std::ostringstream os;
  os.precision(17);
  os << "sample " << index << ": ";
  if ((ra != 0) != (rb != 0)) {
    os << "return " << ra << " vs " << rb << " (error kind " << ea.kind << "/" << eb.kind << ", node " << ea.node
       << "/" << eb.node << ")";
    return os.str();
  }
  if (ra != 0) {
    if (ea.kind != eb.kind || ea.node != eb.node || ea.param != eb.param || !sameBits(ea.value, eb.value)) {
      os << "errors differ: kind " << ea.kind << "/" << eb.kind << " node " << ea.node << "/" << eb.node
         << " param " << ea.param << "/" << eb.param << " value " << ea.value << "/" << eb.value;
      return os.str();
    }
    return "";
  }
  if (!sameBits(wa, wb)) return os.str() + "log weight " + std::to_string(wa) + " vs " + std::to_string(wb);
  if (!sameBits(fa, fb)) return os.str() + "full log weight " + std::to_string(fa) + " vs " + std::to_string(fb);
  for (size_t k = 0; k < numPredictions; ++k)
    if (!sameBits(pa[k], pb[k])) {
      os << "prediction " << k << ": " << pa[k] << " vs " << pb[k];
      return os.str();
    }
  return "";
}

}  // namespace mv::fuzz
