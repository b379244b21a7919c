// tools/repl/LineReader.h — reads complete REPL inputs: editline on a terminal, plain lines otherwise.
#pragma once

#include <optional>
#include <string>

namespace mv::tools::repl {

/// How many brackets `text` leaves open, ignoring comments; a `/* ...` left open counts as one.
int openBrackets(const std::string& text);

/// Reads one input at a time, continuing over lines while brackets are unbalanced.
class LineReader {
public:
  /// `interactive`: use editline with prompts and the history file `historyFile`.
  LineReader(bool interactive, std::string historyFile);
  /// The next complete input (lines joined with '\n'); nullopt at end of input.
  std::optional<std::string> read();
  /// The history file: $MVC_HISTORY, else ~/.mvc_history.
  static std::string defaultHistoryFile();

private:
  std::optional<std::string> readLine(bool continuation);
  bool interactive_;
  std::string historyFile_;
};

}  // namespace mv::tools::repl
