// runtime/Wire.h — a byte buffer writer and reader for shipping partial results between processes (MPI).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace mv::rt {

/// Appends the raw bytes of trivially copyable values: the same machine type on both ends
/// (every rank runs the same build), so doubles travel bit for bit.
class WireWriter {
public:
  template <class T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  template <class T>
  void putVector(const std::vector<T>& v) {
    put<uint64_t>(v.size());
    if (!v.empty()) bytes_.append(reinterpret_cast<const char*>(v.data()), sizeof(T) * v.size());
  }
  void putString(const std::string& s) {
    put<uint64_t>(s.size());
    bytes_ += s;
  }
  std::string& bytes() { return bytes_; }

private:
  std::string bytes_;
};

/// Reads what WireWriter wrote, in the same order; ok() turns false on a short buffer.
class WireReader {
public:
  WireReader(const char* data, size_t size) : p_(data), end_(data + size) {}
  explicit WireReader(const std::string& s) : WireReader(s.data(), s.size()) {}
  template <class T>
  T get() {
    T v{};
    if (size_t(end_ - p_) < sizeof(T)) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  template <class T>
  std::vector<T> getVector() {
    const uint64_t n = get<uint64_t>();
    std::vector<T> v;
    if (!ok_ || n > uint64_t(end_ - p_) / sizeof(T)) {
      ok_ = false;
      return v;
    }
    v.resize(n);
    if (n) std::memcpy(v.data(), p_, sizeof(T) * n);
    p_ += sizeof(T) * n;
    return v;
  }
  std::string getString() {
    const uint64_t n = get<uint64_t>();
    if (!ok_ || n > uint64_t(end_ - p_)) {
      ok_ = false;
      return {};
    }
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  bool ok() const { return ok_; }

private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace mv::rt
