// tools/mvc/Progress.h — a progress bar on stderr for long runs (terminals only).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace mv::tools {

/// Shows `[#####.....] 45%` on stderr once a run has taken more than a second, updated
/// from a counter of finished samples; erases itself when destroyed. Does nothing unless
/// `enabled` (the caller checks that stderr is a terminal and the output is not JSON).
class ProgressBar {
public:
  ProgressBar(uint64_t total, bool enabled);
  /// finish()
  ~ProgressBar();
  /// Stops redrawing and erases the bar; call it before printing results so they do not
  /// start on the bar's line. Idempotent.
  void finish();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  /// The counter the driver adds finished samples to (null when disabled).
  std::atomic<uint64_t>* counter() { return enabled_ ? &done_ : nullptr; }

  /// True when stderr is a terminal and `format` is not "json".
  static bool wanted(const std::string& format);

private:
  void loop();
  uint64_t total_;
  bool enabled_;
  std::atomic<uint64_t> done_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace mv::tools
