// tools/repl/LineReader.cpp — bracket-balanced multi-line input with editline history.
#include "tools/repl/LineReader.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <editline/readline.h>
#include <iostream>
#include <algorithm>
#include <fcntl.h>
#include <sys/select.h>
#include <unistd.h>

namespace mv::tools::repl {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;  // SIGINT arrived while reading
bool gCancelled = false;                      // the line editline returns was cut short by it
int gWake[2] = {-1, -1};                      // self-pipe: the handler wakes the wait from any thread

void onSigint(int) {
  gInterrupted = 1;
  const int saved = errno;
  if (gWake[1] >= 0) (void)!::write(gWake[1], "", 1);
  errno = saved;
}

/// While it lives, SIGINT sets gInterrupted and wakes waitForInput through a pipe (the
/// signal may run on any thread, e.g. a oneTBB worker, so no signal mask is relied on);
/// the old action after.
class CatchSigint {
public:
  CatchSigint() {
    if (gWake[0] < 0 && pipe2(gWake, O_NONBLOCK | O_CLOEXEC) != 0) gWake[0] = gWake[1] = -1;
    struct sigaction sa {};
    sa.sa_handler = onSigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_);
  }
  ~CatchSigint() { sigaction(SIGINT, &old_, nullptr); }
  /// Waits until stdin is readable or SIGINT came (then gInterrupted is set): > 0, or < 0 on
  /// an error.
  int waitForInput() const {
    while (true) {
      fd_set in;
      FD_ZERO(&in);
      FD_SET(0, &in);
      if (gWake[0] >= 0) FD_SET(gWake[0], &in);
      int ready = select(std::max(0, gWake[0]) + 1, &in, nullptr, nullptr, nullptr);
      if (ready < 0 && errno == EINTR) continue;
      if (ready > 0 && gWake[0] >= 0 && FD_ISSET(gWake[0], &in)) {
        char drain[16];
        while (::read(gWake[0], drain, sizeof drain) > 0) {
        }
      }
      return ready;
    }
  }

private:
  struct sigaction old_ {};
};

const CatchSigint* gCatching = nullptr;

/// editline's key source: one byte from stdin, or on Ctrl-C a newline that ends the line
/// (which read() then drops); -1 at end of input.
int interruptibleGetc(FILE*) {
  while (true) {
    if (gInterrupted) {
      gInterrupted = 0;
      gCancelled = true;
      std::fputs("^C", stdout);
      std::fflush(stdout);
      return '\n';
    }
    const int ready = gCatching->waitForInput();
    if (gInterrupted) continue;
    if (ready < 0) return -1;
    fd_set probe;  // woken by the pipe only (a stale byte): wait again
    FD_ZERO(&probe);
    FD_SET(0, &probe);
    timeval now{0, 0};
    if (select(1, &probe, nullptr, nullptr, &now) <= 0) continue;
    unsigned char c = 0;
    ssize_t n = ::read(0, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return -1;
  }
}

}  // namespace

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
  // Before editline initialises: readTerminalLine handles Ctrl-C itself.
  rl_catch_signals = 0;
  rl_getc_function = interruptibleGetc;
  using_history();
  stifle_history(1000);
  if (!historyFile_.empty()) read_history(historyFile_.c_str());
}

LineReader::Got LineReader::readTerminalLine(const char* prompt, std::string* line) {
  // editline reads its keys through interruptibleGetc, so Ctrl-C ends the line instead of
  // reaching editline's own handler (which would end the session).
  CatchSigint catching;
  gCatching = &catching;
  gInterrupted = 0;
  gCancelled = false;
  char* raw = readline(prompt);
  gCatching = nullptr;
  if (gCancelled) {
    std::free(raw);
    return Got::Interrupted;
  }
  if (!raw) return Got::End;
  *line = raw;
  std::free(raw);
  return Got::Line;
}

LineReader::Got LineReader::readLine(bool continuation, std::string* line) {
  if (!interactive_) return std::getline(std::cin, *line) ? Got::Line : Got::End;
  Got got = readTerminalLine(continuation ? "... " : "mv> ", line);
  if (got == Got::Line && line->find_first_not_of(" \t") != std::string::npos) {
    add_history(line->c_str());
    if (!historyFile_.empty()) write_history(historyFile_.c_str());
  }
  return got;
}

std::optional<std::string> LineReader::read() {
  std::string text;
  bool continuation = false;
  while (true) {
    std::string line;
    switch (readLine(continuation, &line)) {
      case Got::End:
        if (continuation) return text;  // end of input inside brackets: let the parser report it
        return std::nullopt;
      case Got::Interrupted:  // Ctrl-C: forget this input, keep the session
        text.clear();
        continuation = false;
        continue;
      case Got::Line: break;
    }
    if (!continuation && line.find_first_not_of(" \t\r") == std::string::npos) continue;
    text += continuation ? "\n" + line : line;
    if (openBrackets(text) <= 0) return text;
    continuation = true;
  }
}

}  // namespace mv::tools::repl
