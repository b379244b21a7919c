// tools/mvc/Outputs.cpp — checks on output paths, and the SIGINT flag.
#include "tools/mvc/Outputs.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace mv::tools {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> gInterrupted{false};

extern "C" void onInterrupt(int) { gInterrupted.store(true); }

}  // namespace

std::string overwritesProgram(const std::string& out, const std::string& program) {
  std::error_code ec;
  if (fs::equivalent(out, program, ec)) return "it is the program '" + program + "'; refusing to overwrite it";
  return "";
}

std::string cannotCreateBeside(const std::string& out) {
  std::error_code ec;
  if (fs::is_directory(out, ec)) return "it is a directory";
  fs::path dir = fs::path(out).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) return "no directory '" + dir.string() + "'";
  std::string probe = (dir / ".mvc-probe-XXXXXX").string();
  int fd = mkstemp(probe.data());
  if (fd < 0) return std::strerror(errno);
  close(fd);
  unlink(probe.c_str());
  return "";
}

InterruptScope::InterruptScope() {
  gInterrupted.store(false);  // each scope starts uninterrupted (the REPL opens one per :run)
  previous_ = std::signal(SIGINT, onInterrupt);
}

InterruptScope::~InterruptScope() { std::signal(SIGINT, previous_); }

const std::atomic<bool>* InterruptScope::flag() { return &gInterrupted; }

}  // namespace mv::tools
