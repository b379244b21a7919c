// tests/unit/runtime/CountArgsTest.cpp — whole numbers on command lines: the language's number syntax, exactly.
#include "runtime/CountArgs.h"

#include <gtest/gtest.h>

namespace mv::rt {
namespace {

std::string failure(std::string_view text, uint64_t lo = 1, uint64_t hi = kMaxSamples) {
  std::string why;
  std::optional<uint64_t> v = parseCount(text, lo, hi, &why);
  EXPECT_FALSE(v.has_value()) << text << " parsed as " << (v ? *v : 0);
  return why;
}

uint64_t value(std::string_view text, uint64_t lo = 1, uint64_t hi = kMaxSamples) {
  std::string why;
  std::optional<uint64_t> v = parseCount(text, lo, hi, &why);
  EXPECT_TRUE(v.has_value()) << text << ": " << why;
  return v.value_or(0);
}

TEST(CountArgs, IntAndRealLiterals) {
  EXPECT_EQ(value("100000"), 100000u);
  EXPECT_EQ(value("1_000"), 1000u);
  EXPECT_EQ(value("1_000_000"), 1000000u);
  EXPECT_EQ(value("1e6"), 1000000u);
  EXPECT_EQ(value("1E6"), 1000000u);
  EXPECT_EQ(value("2.5e3"), 2500u);
  EXPECT_EQ(value("1e+3"), 1000u);
  EXPECT_EQ(value("1000e-3"), 1u);
  EXPECT_EQ(value("1500e-2"), 15u);
  EXPECT_EQ(value("7.0"), 7u);
  EXPECT_EQ(value("+12"), 12u);
  EXPECT_EQ(value("0", 0), 0u);
  EXPECT_EQ(value("0.0e99999999", 0), 0u);
}

TEST(CountArgs, SeedsUseAllSixtyFourBitsExactly) {
  EXPECT_EQ(value("18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(value("18_446_744_073_709_551_615", 0, UINT64_MAX), UINT64_MAX);
  // Not through a double: 2^53 + 1 stays odd.
  EXPECT_EQ(value("9007199254740993", 0, UINT64_MAX), 9007199254740993u);
  EXPECT_EQ(value("9.007199254740993e15", 0, UINT64_MAX), 9007199254740993u);
  EXPECT_EQ(failure("18446744073709551616", 0, UINT64_MAX), "'18446744073709551616' is above 18446744073709551615");
  EXPECT_EQ(failure("1e20", 0, UINT64_MAX), "'1e20' is above 18446744073709551615");
  EXPECT_EQ(failure("-1", 0, UINT64_MAX), "'-1' is below 0");
}

TEST(CountArgs, BadTextSaysWhy) {
  EXPECT_EQ(failure("abc"), "'abc' is not a number");
  EXPECT_EQ(failure("5abc"), "'5abc' is not a number");
  EXPECT_EQ(failure(""), "'' is not a number");
  EXPECT_EQ(failure("1__000"), "'1__000' is not a number");
  EXPECT_EQ(failure("_1"), "'_1' is not a number");
  EXPECT_EQ(failure("1_"), "'1_' is not a number");
  EXPECT_EQ(failure("1e"), "'1e' is not a number");
  EXPECT_EQ(failure("e5"), "'e5' is not a number");
  EXPECT_EQ(failure("."), "'.' is not a number");
  EXPECT_EQ(failure("0x10"), "'0x10' is not a number");
  EXPECT_EQ(failure("1.5"), "'1.5' is not a whole number");
  EXPECT_EQ(failure("1e-3"), "'1e-3' is not a whole number");
  EXPECT_EQ(failure("-1"), "'-1' is below 1");
  EXPECT_EQ(failure("0"), "'0' is below 1");
  EXPECT_EQ(failure("1e30"), "'1e30' is above 1125899906842624");
  EXPECT_EQ(failure("1e999999999"), "'1e999999999' is above 1125899906842624");
  EXPECT_EQ(failure("1125899906842625"), "'1125899906842625' is above 1125899906842624");
}

}  // namespace
}  // namespace mv::rt
