// tools/repl/LineReader.h — reads complete REPL inputs: editline on a terminal, plain lines otherwise.
#pragma once

#include <optional>
#include <string>

namespace mv::tools::repl {

/// How many brackets `text` leaves open, ignoring comments; a `/* ...` left open counts as one.
int openBrackets(const std::string& text);

/// Reads one input at a time, continuing over lines while brackets are unbalanced. On a
/// terminal, Ctrl-C while typing (at the prompt or inside an unfinished definition) cancels
/// that input and prompts again, as Python, R and ghci do; outside read() it is not caught.
class LineReader {
public:
  /// `interactive`: use editline with prompts and the history file `historyFile`.
  LineReader(bool interactive, std::string historyFile);
  /// The next complete input (lines joined with '\n'); nullopt at end of input.
  std::optional<std::string> read();
  /// The history file: $MVC_HISTORY, else ~/.mvc_history.
  static std::string defaultHistoryFile();

private:
  enum class Got { Line, End, Interrupted };
  Got readLine(bool continuation, std::string* line);
  Got readTerminalLine(const char* prompt, std::string* line);
  bool interactive_;
  std::string historyFile_;
};

}  // namespace mv::tools::repl
