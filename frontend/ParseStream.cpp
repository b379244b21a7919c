// frontend/ParseStream.cpp — SourceCharStream: ANTLR's character stream over the UTF-8 source, in place.
#include "frontend/ParseInternal.h"

#include <algorithm>

namespace mv::frontend::detail {

namespace {

/// The code point starting at byte `b` (the pre-scan guarantees valid UTF-8).
size_t decodeAt(const std::string& text, size_t b) {
  auto byte = [&](size_t k) { return uint32_t(static_cast<unsigned char>(text[b + k])); };
  uint32_t c = byte(0);
  if (c < 0x80) return c;
  if (c < 0xE0) return ((c & 0x1F) << 6) | (byte(1) & 0x3F);
  if (c < 0xF0) return ((c & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  return ((c & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
}

size_t countCodePoints(const std::string& text) {
  return size_t(std::count_if(text.begin(), text.end(),
                              [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

SourceCharStream::SourceCharStream(const SourceMap& map) : map_(map), size_(countCodePoints(map.text())) {}

void SourceCharStream::consume() {
  if (p_ >= size_) throw antlr4::IllegalStateException("cannot consume EOF");
  ++p_;
}

size_t SourceCharStream::LA(ssize_t i) {
  if (i == 0) return 0;  // undefined, as in ANTLRInputStream
  ssize_t at = ssize_t(p_) + (i < 0 ? i : i - 1);
  if (at < 0 || at >= ssize_t(size_)) return antlr4::IntStream::EOF;
  return decodeAt(map_.text(), map_.byteOf(size_t(at)));
}

std::string SourceCharStream::getSourceName() const { return map_.sources().name(map_.file()); }

std::string SourceCharStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || size_t(interval.a) >= size_ || interval.b < interval.a) return "";
  size_t stop = std::min(size_t(interval.b) + 1, size_);
  uint32_t from = map_.byteOf(size_t(interval.a)), to = map_.byteOf(stop);
  return map_.text().substr(from, to - from);
}

}  // namespace mv::frontend::detail
