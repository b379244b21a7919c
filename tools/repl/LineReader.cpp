// tools/repl/LineReader.cpp — bracket-balanced multi-line input with editline history.
#include "tools/repl/LineReader.h"

#include <cstdio>
#include <cstdlib>
#include <editline/readline.h>
#include <iostream>

namespace mv::tools::repl {

int openBrackets(const std::string& text) {
  int depth = 0;
  bool block = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i], next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (block) {
      if (c == '*' && next == '/') block = false, ++i;
      continue;
    }
    if (c == '/' && next == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && next == '*') {
      block = true;
      ++i;
      continue;
    }
    if (c == '{' || c == '(' || c == '[') ++depth;
    if (c == '}' || c == ')' || c == ']') --depth;
  }
  return depth + (block ? 1 : 0);
}

std::string LineReader::defaultHistoryFile() {
  if (const char* h = std::getenv("MVC_HISTORY"); h && *h) return h;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.mvc_history";
  return "";
}

LineReader::LineReader(bool interactive, std::string historyFile)
    : interactive_(interactive), historyFile_(std::move(historyFile)) {
  if (!interactive_) return;
  using_history();
  stifle_history(1000);
  if (!historyFile_.empty()) read_history(historyFile_.c_str());
}

std::optional<std::string> LineReader::readLine(bool continuation) {
  if (!interactive_) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    return line;
  }
  char* raw = readline(continuation ? "... " : "mv> ");
  if (!raw) return std::nullopt;
  std::string line(raw);
  std::free(raw);
  if (line.find_first_not_of(" \t") != std::string::npos) {
    add_history(line.c_str());
    if (!historyFile_.empty()) write_history(historyFile_.c_str());
  }
  return line;
}

std::optional<std::string> LineReader::read() {
  std::string text;
  bool continuation = false;
  while (true) {
    std::optional<std::string> line = readLine(continuation);
    if (!line) {
      if (continuation) return text;  // end of input inside brackets: let the parser report it
      return std::nullopt;
    }
    if (!continuation && line->find_first_not_of(" \t\r") == std::string::npos) continue;
    text += continuation ? "\n" + *line : *line;
    if (openBrackets(text) <= 0) return text;
    continuation = true;
  }
}

}  // namespace mv::tools::repl
