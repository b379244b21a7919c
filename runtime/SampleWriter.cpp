// runtime/SampleWriter.cpp — ordered, streaming CSV output of samples.
#include "runtime/SampleWriter.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <limits>

namespace mv::rt {

namespace {

/// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

SampleWriter::SampleWriter(std::FILE* out, const std::vector<std::string>& labels, const std::vector<std::string>& worlds)
    : out_(out) {
  // Labels are unique within a world only (a twin-world query may predict Y in both).
  bool prefix = std::adjacent_find(worlds.begin(), worlds.end(), std::not_equal_to<>()) != worlds.end();
  std::string header = "index,log_weight";
  for (size_t k = 0; k < labels.size(); ++k)
    header += "," + csvField(prefix && k < worlds.size() ? worlds[k] + "." + labels[k] : labels[k]);
  write(header + "\n");
}

void SampleWriter::formatRow(std::string& rows, uint64_t index, double logWeight, const double* preds, int numPreds) {
  fmt::format_to(std::back_inserter(rows), "{},{}", index, logWeight);
  bool zero = logWeight == -std::numeric_limits<double>::infinity();  // predictions are not computed
  for (int k = 0; k < numPreds; ++k) {
    if (zero) rows += ',';
    else fmt::format_to(std::back_inserter(rows), ",{}", preds[k]);
  }
  rows += '\n';
}

void SampleWriter::write(const std::string& rows) {
  if (!rows.empty() && std::fwrite(rows.data(), 1, rows.size(), out_) != rows.size()) ok_ = false;
}

void SampleWriter::writeRows(const std::string& rows) {
  write(rows);
  rows_ += uint64_t(std::count(rows.begin(), rows.end(), '\n'));
}

void SampleWriter::blockDone(uint64_t block, std::string rows, bool failed) {
  std::unique_lock<std::mutex> lock(mutex_);
  // Every block has at least one sample, and a block that runs writes a row for each sample
  // before any failure: no rows and no failure is a block the stopping run skipped.
  const bool stopped = failed || rows.empty();
  if (stopped && block < stop_) {
    stop_ = block;
    pending_.erase(pending_.upper_bound(stop_), pending_.end());
    advanced_.notify_all();  // blocks waiting beyond the window are dropped now
  }
  advanced_.wait(lock, [&] { return block < next_ + kWindow || block > stop_; });
  if (block > stop_) return;  // after the first block handed over short: its rows depend on timing
  if (block != next_) {
    pending_.emplace(block, std::move(rows));
    return;
  }
  writeRows(rows);
  ++next_;
  for (auto it = pending_.begin(); it != pending_.end() && it->first == next_; it = pending_.erase(it)) {
    writeRows(it->second);
    ++next_;
  }
  advanced_.notify_all();
}

}  // namespace mv::rt
