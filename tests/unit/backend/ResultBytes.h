// tests/unit/backend/ResultBytes.h — a run's result as bytes, for bit-for-bit comparisons across engines (header-only).
#pragma once

#include "runtime/Driver.h"
#include "runtime/Wire.h"

#include <cstdint>
#include <string>

namespace mv::test {

/// Every field of `r` that a report or another rank can read, as bytes: whether it failed and
/// how (kind, node, parameter, value, sample), then, `withSums`, the accumulators, the
/// evidence, the summaries and the top weights. Two runs agree bit for bit iff these do.
inline std::string resultBytes(const rt::RunResult& r, bool withSums = true) {
  rt::WireWriter w;
  w.put<int32_t>(r.ok ? 1 : 0);
  if (!r.ok) {
    w.put(r.error.kind);
    w.put(r.error.node);
    w.put(r.error.param);
    w.put(r.error.int_value);
    w.put(r.error.sample);
  }
  if (withSums) {
    r.acc.save(w);
    r.evidence.save(w);
    r.summary.save(w);
    w.putVector(r.top.largest(r.top.size()));
  }
  return w.bytes();
}

}  // namespace mv::test
