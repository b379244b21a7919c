// runtime/CountArgs.h — whole numbers on command lines (--samples, --seed, :set, :run), in the
// language's own number syntax, for mvc, the REPL and native sampler executables alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mv::rt {

/// The limits of the run flags, shared by mvc, the REPL and native executables.
inline constexpr uint64_t kMaxSamples = uint64_t(1) << 50;
inline constexpr uint64_t kMaxThreads = 4096;

/// Parses `text` as a whole number in [lo, hi]: digits with `_` between them (`1_000`) or a
/// real literal whose value is a whole number (`1e6`, `2.5e3`), computed exactly (never
/// through a double). On failure returns nothing and sets `*why` to the reason, naming the
/// text: "'5abc' is not a number", "'1.5' is not a whole number", "'-1' is below 1",
/// "'1e30' is above 1125899906842624".
std::optional<uint64_t> parseCount(std::string_view text, uint64_t lo, uint64_t hi, std::string* why);

}  // namespace mv::rt
