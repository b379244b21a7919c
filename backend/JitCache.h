// backend/JitCache.h — the on-disk cache of JIT-compiled queries: object files keyed by their module, safe under concurrent runs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mv::backend {

/// A cache key: the SHA-256 of what the object was compiled from (backend/Jit.cpp).
using JitCacheKey = std::array<uint8_t, 32>;

/// The default bound on a cache directory's entries, in bytes: past it the least recently
/// used entries are removed, down to three quarters of it.
inline constexpr uint64_t kJitCacheMaxBytes = uint64_t(256) << 20;

/// The directory mvc caches compiled queries in: $MV_CACHE_DIR when set and not empty, else
/// $XDG_CACHE_HOME/multiverse, else $HOME/.cache/multiverse; empty when none can be named.
std::string defaultJitCacheDir();

/// What identifies the compiler that makes the objects: the GNU build IDs of the binary holding
/// this code and of the LLVM library it runs on (a rebuild or an LLVM update never reads an
/// older build's entries), in hex; empty when this binary has no build ID (then nothing is cached).
const std::string& compilerIdentity();

/// A directory of compiled objects, one file `KEY.mvo` per key, each a header (magic, format,
/// key, payload length, SHA-256 of the payload) and the object. Every failure (an unwritable
/// directory, a full disk, a damaged entry) only makes the cache miss: the query is compiled.
class JitCache {
public:
  /// Uses `dir`, created (mode 0700) when missing. usable() is false when it cannot be created,
  /// or is not a directory owned by this user that others cannot write to (its entries are
  /// executed, so nobody else may put files there).
  explicit JitCache(std::string dir, uint64_t maxBytes = kJitCacheMaxBytes);

  bool usable() const { return usable_; }
  const std::string& dir() const { return dir_; }
  /// The file of `key`'s entry.
  std::string entryPath(const JitCacheKey& key) const;

  /// The object stored under `key`, if its entry is intact: magic, format, key, length and the
  /// payload's SHA-256 are checked, so a truncated or corrupted file is a miss, never run.
  /// A hit marks the entry as recently used.
  std::optional<std::string> load(const JitCacheKey& key) const;
  /// Stores `object` under `key`: written to a temporary file in the directory and renamed
  /// over the entry (atomic: a reader sees the old file, the new one or none, never a partial
  /// one), then trims the directory to its bound. Objects larger than a quarter of it are not kept.
  void store(const JitCacheKey& key, std::string_view object) const;

private:
  /// Removes the least recently used entries (not `keep`) while the directory is over its bound.
  void trim(const std::string& keep) const;
  std::string dir_;
  uint64_t maxBytes_;
  bool usable_ = false;
};

}  // namespace mv::backend
