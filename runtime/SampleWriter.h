// runtime/SampleWriter.h — streams every sample (index, log weight, predictions) as CSV, in sample order.
#pragma once

#include <cstdint>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mv::rt {

/// Writes CSV rows that blocks produce in any order, in block order. A block's rows wait in
/// memory only until every earlier block has been written, and a block more than kWindow
/// ahead of the next one to write waits for it, so at most kWindow blocks are buffered.
/// Thread-safe. (No deadlock: the lowest unwritten block is always running on a thread that
/// does not wait, since the driver's workers take blocks left to right within their ranges.)
class SampleWriter {
public:
  /// Writes the header `index,log_weight,<columns...>` to `out` (not owned, not closed):
  /// each prediction's label, as `world.label` for every prediction when `worlds` (each
  /// prediction's world name) holds more than one world, so columns never repeat.
  SampleWriter(std::FILE* out, const std::vector<std::string>& labels, const std::vector<std::string>& worlds);
  /// Appends one sample's row to `rows` (the caller's per-block buffer).
  static void formatRow(std::string& rows, uint64_t index, double logWeight, const double* preds, int numPreds);
  static constexpr uint64_t kWindow = 64;
  /// Hands over block `block`'s rows; every block 0..N-1 must be handed over exactly once,
  /// up to the point where the run stopped. One rule ends the file, for a failure and for a
  /// stop alike: a block that does not hand over all its samples — `failed` (it stopped at a
  /// failing sample; its rows are the samples before it) or with no rows at all (it was
  /// skipped: the run was stopping, on Ctrl-C or after a failure) — is the last one written.
  /// So the file always holds exactly the rows of samples 0..rowsWritten()-1, with no gap,
  /// the same at every thread count for a failure (later blocks may have run meanwhile).
  void blockDone(uint64_t block, std::string rows, bool failed = false);
  /// True when every write so far succeeded.
  bool ok() const { return ok_; }
  /// The sample rows written so far (the header not counted): they are samples 0..n-1.
  uint64_t rowsWritten() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return rows_;
  }

private:
  void write(const std::string& rows);
  void writeRows(const std::string& rows);  ///< a block's rows, counted in rows_
  std::FILE* out_;
  mutable std::mutex mutex_;
  std::condition_variable advanced_;
  uint64_t next_ = 0;
  uint64_t stop_ = UINT64_MAX;  ///< the lowest block handed over short (failed or skipped)
  uint64_t rows_ = 0;           ///< sample rows written
  std::map<uint64_t, std::string> pending_;
  bool ok_ = true;
};

}  // namespace mv::rt
