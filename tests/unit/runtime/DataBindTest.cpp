// tests/unit/runtime/DataBindTest.cpp — runtime/DataBind: JSON and CSV values into the data buffer, and every error.
#include "runtime/DataBind.h"

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

namespace {

const int32_t kDims2[] = {2};
const int32_t kDims23[] = {2, 3};
// real x[2][3] at 0, int n at 6, bool f[2] at 7: 9 words.
const mv_rt_data_meta kDecls[] = {
    {"x", 2, 2, kDims23, 0, "m.mv:1:6: error: \x06\n"},
    {"n", 1, 0, nullptr, 6, "m.mv:2:6: error: \x06\n"},
    {"f", 0, 1, kDims2, 7, "m.mv:3:6: error: \x06\n"},
};

struct Bound {
  bool ok;
  std::vector<uint64_t> buffer;
  std::string errors;
};

Bound bind(const std::string& text, bool csv = false) {
  Bound b;
  b.ok = mv::rt::bindDataText(kDecls, 3, 9, text, "d.json", csv, &b.buffer, &b.errors);
  return b;
}

TEST(DataBind, JsonFillsTheBufferRowMajorAsWords) {
  Bound b = bind(R"({"x": [[1, 2.5, -3], [4e300, 0, -0.0]], "n": -9223372036854775808, "f": [true, false]})");
  ASSERT_TRUE(b.ok) << b.errors;
  ASSERT_EQ(b.buffer.size(), 9u);
  EXPECT_EQ(b.buffer[0], std::bit_cast<uint64_t>(1.0));  // an int where a real is declared
  EXPECT_EQ(b.buffer[1], std::bit_cast<uint64_t>(2.5));
  EXPECT_EQ(b.buffer[2], std::bit_cast<uint64_t>(-3.0));
  EXPECT_EQ(b.buffer[3], std::bit_cast<uint64_t>(4e300));
  EXPECT_EQ(b.buffer[5], std::bit_cast<uint64_t>(-0.0));
  EXPECT_EQ(int64_t(b.buffer[6]), INT64_MIN);  // ints are exact over int64
  EXPECT_EQ(b.buffer[7], 1u);
  EXPECT_EQ(b.buffer[8], 0u);
}

TEST(DataBind, EveryErrorIsReportedAtItsDeclarationInOrder) {
  Bound b = bind(R"({"x": [[1, 2, 3], [4, "5"]], "f": [1, null], "zz": 0})");
  EXPECT_FALSE(b.ok);
  EXPECT_EQ(b.errors,
            "m.mv:1:6: error: 'x[1]' in 'd.json' has 2 elements, but 'real[2][3]' needs 3\n"
            "m.mv:2:6: error: no value for data 'n' in 'd.json'\n"
            "m.mv:3:6: error: 'f[0]' in 'd.json' is 1, not a bool (true or false)\n"
            "m.mv:3:6: error: 'f[1]' in 'd.json' is null, not a bool (true or false)\n"
            "error: data file 'd.json': 'zz' is not a 'data' declaration of the program\n");
  Bound c = bind(R"({"x": [[1, 2, 3], [4, 5, 6]], "n": 18446744073709551615, "f": [true, 2.0]})");
  EXPECT_NE(c.errors.find("'n' in 'd.json' is 18446744073709551615, not an int (it is outside the 64-bit range)"),
            std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("'f[1]' in 'd.json' is 2, not a bool"), std::string::npos) << c.errors;
}

TEST(DataBind, MalformedFilesNameTheFile) {
  EXPECT_EQ(bind("[1, 2]").errors,
            "error: data file 'd.json': a JSON data file must hold one object (data name -> value), not a list of 2\n");
  EXPECT_NE(bind("{\"x\": ").errors.find("error: data file 'd.json': not valid JSON: parse error at line 1"),
            std::string::npos);
  EXPECT_NE(bind("").errors.find("not valid JSON"), std::string::npos);
}

TEST(DataBind, CsvBindsOneDimensionalColumns) {
  const int32_t dims3[] = {3};
  const mv_rt_data_meta decls[] = {{"a", 2, 1, dims3, 0, "a: \x06\n"}, {"b", 1, 1, dims3, 3, "b: \x06\n"}};
  std::vector<uint64_t> buffer;
  std::string errors;
  ASSERT_TRUE(mv::rt::bindDataText(decls, 2, 6, "b , \"a\"\r\n1, 0.5\n-2,1e3\n3 ,-7\n\n", "t.csv", true, &buffer,
                                   &errors)) << errors;
  EXPECT_EQ(buffer[0], std::bit_cast<uint64_t>(0.5));
  EXPECT_EQ(buffer[2], std::bit_cast<uint64_t>(-7.0));
  EXPECT_EQ(int64_t(buffer[4]), -2);
  EXPECT_FALSE(mv::rt::bindDataText(decls, 2, 6, "a,b\n1,2\n3,x\n", "t.csv", true, &buffer, &errors));
  EXPECT_EQ(errors,
            "a: column 'a' of 't.csv' has 2 rows, but 'real[3]' needs 3\n"
            "b: column 'b' of 't.csv' has 2 rows, but 'int[3]' needs 3\n");
  EXPECT_FALSE(mv::rt::bindDataText(decls, 2, 6, "a,b\n1,2\n3,1.5\n4,4\n", "t.csv", true, &buffer, &errors));
  EXPECT_EQ(errors, "b: 'b[1]' in 't.csv' (line 3, field 2) is '1.5', not an int\n");
}

TEST(DataBind, NoFileIsFineOnlyWithoutDeclarations) {
  std::vector<uint64_t> buffer;
  std::string errors;
  EXPECT_TRUE(mv::rt::bindData(nullptr, 0, 0, "", &buffer, &errors));
  EXPECT_FALSE(mv::rt::bindData(kDecls, 3, 9, "", &buffer, &errors));
  EXPECT_NE(errors.find("m.mv:1:6: error: data 'x' has no value"), std::string::npos);
  EXPECT_FALSE(mv::rt::bindData(kDecls, 3, 9, "/nonexistent/d.json", &buffer, &errors));
  EXPECT_EQ(errors, "error: cannot read data file '/nonexistent/d.json': No such file or directory\n");
}

}  // namespace
