// backend/JitCache.cpp — cache directory, entry format (header + SHA-256), atomic stores, LRU trimming, build IDs.
#include "backend/JitCache.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mv::backend {

namespace {

constexpr char kMagic[8] = {'M', 'V', 'J', 'I', 'T', 'O', 'B', 'J'};
constexpr uint32_t kFormat = 1;
constexpr const char* kSuffix = ".mvo";

/// The fixed-size header in front of every entry's object.
struct Header {
  char magic[8];
  uint32_t format;
  uint32_t reserved;
  uint8_t key[32];
  uint64_t length;
  uint8_t digest[32];  ///< SHA-256 of the `length` bytes that follow
};
static_assert(sizeof(Header) == 88);

JitCacheKey sha256(std::string_view bytes) {
  llvm::SHA256 h;
  h.update(llvm::StringRef(bytes.data(), bytes.size()));
  return h.final();
}

std::string hex(const uint8_t* p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) (s += digits[p[i] >> 4]) += digits[p[i] & 15];
  return s;
}

/// The NT_GNU_BUILD_ID note of one loaded object, in hex; empty when it has none.
std::string buildIdOf(const dl_phdr_info* info) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const char* name = p + sizeof(ElfW(Nhdr));
      const char* desc = name + ((n->n_namesz + 3) & ~3u);
      if (desc + n->n_descsz > end) break;
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
        return hex(reinterpret_cast<const uint8_t*>(desc), n->n_descsz);
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return "";
}

bool contains(const dl_phdr_info* info, uintptr_t address) {
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && address >= lo && address < lo + ph.p_memsz) return true;
  }
  return false;
}

struct Identity {
  uintptr_t self;
  std::string own, llvm;
};

int visit(dl_phdr_info* info, size_t, void* p) {
  Identity& id = *static_cast<Identity*>(p);
  if (contains(info, id.self)) id.own = buildIdOf(info);
  else if (info->dlpi_name && std::strstr(info->dlpi_name, "libLLVM")) id.llvm = buildIdOf(info);
  return 0;
}

bool readAll(const std::string& path, std::string* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    out->resize(size_t(st.st_size));
    size_t done = 0;
    while (ok && done < out->size()) {
      ssize_t n = ::read(fd, out->data() + done, out->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ok = false;
      else done += size_t(n);
    }
  }
  ::close(fd);
  return ok;
}

bool writeAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= size_t(k);
  }
  return true;
}

}  // namespace

std::string defaultJitCacheDir() {
  if (const char* d = std::getenv("MV_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return std::string(x) + "/multiverse";
  if (const char* h = std::getenv("HOME"); h && *h == '/') return std::string(h) + "/.cache/multiverse";
  return "";
}

const std::string& compilerIdentity() {
  static const std::string identity = [] {
    Identity id{reinterpret_cast<uintptr_t>(&visit), "", ""};
    dl_iterate_phdr(visit, &id);
    return id.own.empty() ? std::string() : "mv " + id.own + " llvm " + id.llvm;
  }();
  return identity;
}

JitCache::JitCache(std::string dir, uint64_t maxBytes) : dir_(std::move(dir)), maxBytes_(maxBytes) {
  if (dir_.empty() || compilerIdentity().empty()) return;
  struct stat st {};
  if (::stat(dir_.c_str(), &st) != 0) {  // a new directory is private; an existing one is only checked
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    ::chmod(dir_.c_str(), 0700);
  }
  usable_ = ::stat(dir_.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
            (st.st_mode & 022) == 0 && ::access(dir_.c_str(), W_OK | X_OK) == 0;
}

std::string JitCache::entryPath(const JitCacheKey& key) const { return dir_ + "/" + hex(key.data(), 32) + kSuffix; }

std::optional<std::string> JitCache::load(const JitCacheKey& key) const {
  if (!usable_) return std::nullopt;
  const std::string path = entryPath(key);
  std::string bytes;
  if (!readAll(path, &bytes) || bytes.size() < sizeof(Header)) return std::nullopt;
  Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.format != kFormat ||
      std::memcmp(h.key, key.data(), 32) != 0 || h.length != bytes.size() - sizeof(Header))
    return std::nullopt;
  std::string object = bytes.substr(sizeof(Header));
  if (std::memcmp(sha256(object).data(), h.digest, 32) != 0) return std::nullopt;
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // recently used: trimmed last
  return object;
}

void JitCache::store(const JitCacheKey& key, std::string_view object) const {
  if (!usable_ || object.size() > maxBytes_ / 4) return;
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format = kFormat;
  std::memcpy(h.key, key.data(), 32);
  h.length = object.size();
  const JitCacheKey digest = sha256(object);
  std::memcpy(h.digest, digest.data(), 32);
  std::string tmp = dir_ + "/.tmp-" + std::to_string(::getpid()) + "-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return;
  bool ok = writeAll(fd, reinterpret_cast<const char*>(&h), sizeof h) && writeAll(fd, object.data(), object.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), entryPath(key).c_str()) != 0) {
    ::unlink(tmp.c_str());
    return;
  }
  trim(entryPath(key));
}

void JitCache::trim(const std::string& keep) const {
  struct Entry {
    std::string path;
    uint64_t size;
    int64_t mtime;  // ns
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  const int64_t now = int64_t(::time(nullptr));
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (name.rfind(".tmp-", 0) == 0) {
      if (now - int64_t(st.st_mtime) > 3600) ::unlink(e.path().c_str());  // left by a killed run
      continue;
    }
    if (name.size() < 4 || name.compare(name.size() - 4, 4, kSuffix) != 0) continue;
    if (e.path().string() == keep) continue;  // the entry just stored stays
    entries.push_back({e.path().string(), uint64_t(st.st_size), int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec});
    total += uint64_t(st.st_size);
  }
  struct stat kept {};
  if (::stat(keep.c_str(), &kept) == 0) total += uint64_t(kept.st_size);
  if (total <= maxBytes_) return;
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.mtime < b.mtime; });
  for (const Entry& e : entries) {
    if (total <= maxBytes_ / 4 * 3) break;
    if (::unlink(e.path.c_str()) == 0) total -= e.size;
  }
}

}  // namespace mv::backend
