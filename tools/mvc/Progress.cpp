// tools/mvc/Progress.cpp — the stderr progress bar: a thread that redraws every 100 ms after the first second.
#include "tools/mvc/Progress.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace mv::tools {

bool ProgressBar::wanted(const std::string& format) { return format != "json" && isatty(2); }

ProgressBar::ProgressBar(uint64_t total, bool enabled) : total_(total), enabled_(enabled && total > 0) {
  if (enabled_) thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ProgressBar::loop() {
  using namespace std::chrono;
  const auto start = steady_clock::now();
  bool drawn = false;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!cv_.wait_for(lock, milliseconds(100), [this] { return stop_; })) {
    double elapsed = duration<double>(steady_clock::now() - start).count();
    if (elapsed < 1.0) continue;
    double frac = double(done_.load(std::memory_order_relaxed)) / double(total_);
    constexpr int kWidth = 30;
    int filled = int(frac * kWidth);
    std::string bar(size_t(filled), '#');
    bar.append(size_t(kWidth - filled), '.');
    std::fprintf(stderr, "\r[%s] %3d%%  %.1f s", bar.c_str(), int(frac * 100), elapsed);
    std::fflush(stderr);
    drawn = true;
  }
  if (drawn) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace mv::tools
