// tests/unit/runtime/DrawHelpers.h — draws many values of one distribution as the generated code would.
#pragma once

#include "runtime/Runtime.h"

#include <vector>

namespace mv::rt::test {

using DrawFn = double (*)(mv_rt_stream*, const double*, int32_t);
using LogPdfFn = double (*)(double, const double*, int32_t);

/// Draws n values, value i from the stream of sample i (site 0, world 0) at a fixed seed,
/// as the driver does: one stream per draw.
inline std::vector<double> drawMany(DrawFn draw, std::vector<double> params, int n, uint64_t seed = 2024) {
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) {
    mv_rt_stream s = mv_rt_stream_for(seed, uint64_t(i), 0, 0);
    out[i] = draw(&s, params.data(), int32_t(params.size()));
  }
  return out;
}

}  // namespace mv::rt::test
