// tests/unit/backend/TestCompile.cpp — comparing engines sample by sample.
#include "tests/unit/backend/TestCompile.h"

#include <cmath>
#include <cstring>
#include <sstream>

namespace mv::test {

namespace {

bool same(double x, double y) {
  if (std::isnan(x) && std::isnan(y)) return true;
  return std::memcmp(&x, &y, sizeof x) == 0;
}

}  // namespace

std::string compareSamples(mv_rt_sample_fn a, void* actx, mv_rt_sample_fn b, void* bctx, size_t numPredictions,
                           uint64_t seed, uint64_t n) {
  std::vector<double> pa(numPredictions + 1), pb(numPredictions + 1);
  for (uint64_t i = 0; i < n; ++i) {
    double wa = 0, wb = 0, fa = 0, fb = 0;
    mv_rt_error ea{}, eb{};
    int32_t ra = a(actx, seed, i, &wa, &fa, pa.data(), &ea);
    int32_t rb = b(bctx, seed, i, &wb, &fb, pb.data(), &eb);
    std::ostringstream os;
    os.precision(17);
    os << "sample " << i << ": ";
    if ((ra != 0) != (rb != 0)) {
      os << "return " << ra << " vs " << rb << " (error kind " << ea.kind << "/" << eb.kind << ", node " << ea.node
         << "/" << eb.node << ")";
      return os.str();
    }
    if (ra != 0) {
      if (ea.kind != eb.kind || ea.node != eb.node || ea.param != eb.param || !same(ea.value, eb.value) ||
          ea.sample != eb.sample) {
        os << "errors differ: kind " << ea.kind << "/" << eb.kind << " node " << ea.node << "/" << eb.node << " param "
           << ea.param << "/" << eb.param << " value " << ea.value << "/" << eb.value;
        return os.str();
      }
      continue;
    }
    if (!same(wa, wb)) {
      os << "log weight " << wa << " vs " << wb;
      return os.str();
    }
    if (!same(fa, fb)) {
      os << "full log weight " << fa << " vs " << fb;
      return os.str();
    }
    for (size_t k = 0; k < numPredictions; ++k)
      if (!same(pa[k], pb[k])) {
        os << "prediction " << k << ": " << pa[k] << " vs " << pb[k];
        return os.str();
      }
  }
  return "";
}

}  // namespace mv::test
