// tests/fuzz/FuzzCommon.h — what every libFuzzer target shares: one input compiled under small limits, and findings that abort.
#pragma once

#include "driver/Session.h"
#include "runtime/Runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mv::fuzz {

/// The per-input limits of every target (mvc's --max-model-nodes and exact --max-assignments,
/// set low so no input costs more than a fraction of a second before it is refused or runs).
inline constexpr int64_t kLoopIterations = 10'000;
inline constexpr size_t kModelNodes = 20'000;
inline constexpr uint64_t kExactAssignments = uint64_t(1) << 14;
/// Queries of one input that the engine targets run (a file may hold many).
inline constexpr size_t kMaxQueries = 4;

/// Prints `what` (and the input, when printable) and aborts: libFuzzer records the input as a crash.
[[noreturn]] void finding(const std::string& what);

/// Parses, checks, lowers and runs the pass pipeline on the input as file "fuzz.mv" under
/// the limits above, on a large-stack thread as mvc does (verifying after every pass when
/// `verifyEach`). A verifier complaint is a finding (it aborts); returns whether it compiled.
bool compileInput(const uint8_t* data, size_t size, driver::Session& s, bool verifyEach = false);

/// A zero data buffer for `g` (g.dataSize words): a program with `data` declarations runs on
/// zeros, as tests/unit/pipeline/PipelineFuzzTest does; it must not crash.
inline std::vector<uint64_t> zeroData(const ir::QueryGraph& g) { return std::vector<uint64_t>(g.dataSize); }

/// Bit-for-bit equality, any NaN equal to any NaN.
bool sameBits(double a, double b);

/// Describes how the results of two sample functions differ on sample `index`: return
/// code, error (kind, node, parameter, value), log weights, predictions; "" when identical.
std::string compareSample(mv_rt_sample_fn a, void* actx, mv_rt_sample_fn b, void* bctx, size_t numPredictions,
                          uint64_t seed, uint64_t index);

}  // namespace mv::fuzz
