// tests/unit/ir/SourceManagerTest.cpp — line tables and locations.
#include "ir/SourceManager.h"

#include <gtest/gtest.h>

namespace mv {
namespace {

TEST(SourceManager, LocatesOffsetsOnLines) {
  SourceManager sm;
  uint32_t f = sm.add("a.mv", "ab\ncde\n\nf");
  EXPECT_EQ(f, 1u);
  EXPECT_EQ(sm.locAt(f, 0), (SourceLoc{f, 1, 1, 1}));
  EXPECT_EQ(sm.locAt(f, 4), (SourceLoc{f, 2, 2, 1}));
  EXPECT_EQ(sm.locAt(f, 7), (SourceLoc{f, 3, 1, 1}));
  EXPECT_EQ(sm.locAt(f, 8, 1).line, 4u);
}

TEST(SourceManager, LineTextDropsNewlineAndCarriageReturn) {
  SourceManager sm;
  uint32_t f = sm.add("a.mv", "one\r\ntwo\nthree");
  EXPECT_EQ(sm.lineText(f, 1), "one");
  EXPECT_EQ(sm.lineText(f, 2), "two");
  EXPECT_EQ(sm.lineText(f, 3), "three");
  EXPECT_EQ(sm.lineText(f, 4), "");
  EXPECT_EQ(sm.lineText(f, 0), "");
}

TEST(SourceManager, LoneCarriageReturnEndsALine) {
  SourceManager sm;
  uint32_t f = sm.add("a.mv", "one\rtwo\r\nthree\r\rfive\r");
  EXPECT_EQ(sm.lineText(f, 1), "one");
  EXPECT_EQ(sm.lineText(f, 2), "two");
  EXPECT_EQ(sm.lineText(f, 3), "three");
  EXPECT_EQ(sm.lineText(f, 4), "");
  EXPECT_EQ(sm.lineText(f, 5), "five");
  EXPECT_EQ(sm.locAt(f, 4), (SourceLoc{f, 2, 1, 1}));   // 't' of two
  EXPECT_EQ(sm.locAt(f, 9), (SourceLoc{f, 3, 1, 1}));   // after \r\n: one line break
  EXPECT_EQ(sm.locAt(f, 16), (SourceLoc{f, 5, 1, 1}));  // 'f' of five
}

TEST(SourceLoc, OrdersByFileLineColumn) {
  EXPECT_LT((SourceLoc{1, 2, 9, 1}), (SourceLoc{1, 3, 1, 1}));
  EXPECT_LT((SourceLoc{1, 3, 1, 1}), (SourceLoc{1, 3, 2, 1}));
  EXPECT_LT((SourceLoc{1, 9, 9, 1}), (SourceLoc{2, 1, 1, 1}));
  EXPECT_FALSE(SourceLoc{}.valid());
}

}  // namespace
}  // namespace mv
