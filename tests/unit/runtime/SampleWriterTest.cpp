// tests/unit/runtime/SampleWriterTest.cpp — --samples-out's writer: rows in block order, and a file that always ends at a prefix of the samples.
#include "runtime/SampleWriter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

using mv::rt::SampleWriter;

/// Block `block`'s rows for samples [block * size, block * size + n), predictions 0.
std::string blockRows(uint64_t block, uint64_t size, uint64_t n) {
  std::string rows;
  const double pred = 0.0;
  for (uint64_t i = block * size; i < block * size + n; ++i) SampleWriter::formatRow(rows, i, 0.0, &pred, 1);
  return rows;
}

/// What the writer wrote to `f` so far.
std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  return out;
}

struct WriterTest : ::testing::Test {
  std::FILE* f = std::tmpfile();
  void TearDown() override { std::fclose(f); }
};

TEST_F(WriterTest, BlocksHandedOverOutOfOrderAreWrittenInOrder) {
  SampleWriter w(f, {"y"}, {"factual"});
  w.blockDone(2, blockRows(2, 3, 3));
  w.blockDone(0, blockRows(0, 3, 3));
  EXPECT_EQ(w.rowsWritten(), 3u);
  w.blockDone(1, blockRows(1, 3, 3));
  EXPECT_EQ(w.rowsWritten(), 9u);
  EXPECT_EQ(contents(f), "index,log_weight,y\n" + blockRows(0, 3, 9));
}

// A block the stopping run skipped (Ctrl-C: no rows) ends the file, as a failed block does:
// block 2 ran before block 1 was skipped, and its rows must not follow block 0's with a gap
// (before, a skipped block counted as written and block 2's rows were appended).
TEST_F(WriterTest, ASkippedBlockEndsTheFile) {
  SampleWriter w(f, {"y"}, {"factual"});
  w.blockDone(2, blockRows(2, 3, 3));
  w.blockDone(0, blockRows(0, 3, 3));
  w.blockDone(1, "");
  w.blockDone(3, blockRows(3, 3, 3));
  EXPECT_EQ(contents(f), "index,log_weight,y\n" + blockRows(0, 3, 3));
  EXPECT_EQ(w.rowsWritten(), 3u);
}

TEST_F(WriterTest, AFailedBlockEndsTheFileAfterItsRows) {
  SampleWriter w(f, {"y"}, {"factual"});
  w.blockDone(1, blockRows(1, 3, 2), true);  // failed at its third sample
  w.blockDone(2, blockRows(2, 3, 3));
  w.blockDone(0, blockRows(0, 3, 3));
  EXPECT_EQ(contents(f), "index,log_weight,y\n" + blockRows(0, 3, 5));
  EXPECT_EQ(w.rowsWritten(), 5u);
}

// The lowest short block wins, whichever is handed over first.
TEST_F(WriterTest, TheLowestShortBlockEndsTheFile) {
  SampleWriter w(f, {"y"}, {"factual"});
  w.blockDone(3, "");
  w.blockDone(2, blockRows(2, 3, 1), true);
  w.blockDone(1, blockRows(1, 3, 3));
  w.blockDone(0, blockRows(0, 3, 3));
  EXPECT_EQ(contents(f), "index,log_weight,y\n" + blockRows(0, 3, 7));
  EXPECT_EQ(w.rowsWritten(), 7u);
}

}  // namespace
