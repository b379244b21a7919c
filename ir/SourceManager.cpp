// ir/SourceManager.cpp — line tables for source files.
#include "ir/SourceManager.h"

#include <algorithm>

namespace mv {

uint32_t SourceManager::add(std::string name, std::string text) {
  File f{std::move(name), std::move(text), {0}};
  // A line ends at \n, \r\n or a lone \r (old Mac files): each counts once.
  for (size_t i = 0; i < f.text.size(); ++i) {
    const char c = f.text[i];
    if (c == '\n' || (c == '\r' && (i + 1 == f.text.size() || f.text[i + 1] != '\n'))) f.lineStarts.push_back(i + 1);
  }
  files_.push_back(std::move(f));
  return uint32_t(files_.size());
}

std::string_view SourceManager::lineText(uint32_t file, uint32_t line) const {
  const File& f = files_[file - 1];
  if (line == 0 || line > f.lineStarts.size()) return {};
  size_t begin = f.lineStarts[line - 1];
  size_t end = line < f.lineStarts.size() ? f.lineStarts[line] - 1 : f.text.size();
  std::string_view s(f.text.data() + begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

SourceLoc SourceManager::locAt(uint32_t file, size_t offset, uint32_t length) const {
  const File& f = files_[file - 1];
  auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), offset);
  uint32_t line = uint32_t(it - f.lineStarts.begin());
  uint32_t col = uint32_t(offset - f.lineStarts[line - 1]) + 1;
  return SourceLoc{file, line, col, length};
}

}  // namespace mv
