// ir/SourceManager.h — source files, locations and line lookup for diagnostics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mv {

/// A location in a source file: 1-based line and column, and the length to underline.
struct SourceLoc {
  uint32_t file = 0;  ///< 0: no location; otherwise SourceManager file id
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t length = 1;

  bool valid() const { return file != 0; }
  friend bool operator<(const SourceLoc& a, const SourceLoc& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    return a.col < b.col;
  }
  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
};

/// Owns the text of every file the compiler reads.
class SourceManager {
public:
  /// Adds a buffer and returns its file id (>= 1).
  uint32_t add(std::string name, std::string text);
  const std::string& name(uint32_t file) const { return files_[file - 1].name; }
  const std::string& text(uint32_t file) const { return files_[file - 1].text; }
  /// The text of line `line` (1-based) without its newline.
  std::string_view lineText(uint32_t file, uint32_t line) const;
  /// The location of byte `offset` in `file`.
  SourceLoc locAt(uint32_t file, size_t offset, uint32_t length = 1) const;

private:
  struct File {
    std::string name;
    std::string text;
    std::vector<size_t> lineStarts;
  };
  std::vector<File> files_;
};

}  // namespace mv
