// tests/unit/passes/BoolTablesTest.cpp — tabulate-bools: every table equals its cone on every input, and no sample changes.
#include "backend/Interpreter.h"
#include "ir/Semantics.h"
#include "tests/unit/passes/PassTestUtil.h"

#include <gtest/gtest.h>

#include <functional>

namespace mv::test {
namespace {

std::vector<std::string> allFiles() {
  std::vector<std::string> files = exampleFiles();
  for (const std::string& f : networkFiles()) files.push_back(f);
  return files;
}

// For each Table node the pass made, the original node (same id in the graph compiled without
// the pass) evaluated by the interpreter's evalNode, node by node from the table's operands,
// equals the table lookup, for all 2^k assignments of the operands.
TEST(BoolTables, EveryTableEqualsItsConeOnEveryInput) {
  size_t tables = 0, wide = 0, checked = 0;
  for (const std::string& file : allFiles()) {
    std::string text = readText(file);
    std::vector<ir::QueryGraph> before = compileWith(file, text, without({"tabulate-bools"}));
    std::vector<ir::QueryGraph> after = compileWith(file, text, without({}));
    ASSERT_EQ(before.size(), after.size()) << file;
    for (size_t q = 0; q < before.size(); ++q) {
      const ir::QueryGraph& a = before[q];
      const ir::QueryGraph& b = after[q];
      ASSERT_EQ(a.nodes.size(), b.nodes.size()) << file;
      backend::Interpreter interp(a, nullptr);
      std::vector<ir::Word> vals(a.nodes.size());
      std::vector<char> fixed(a.nodes.size());
      for (ir::NodeId id = 0; id < b.nodes.size(); ++id) {
        const ir::Node& t = b.nodes[id];
        if (t.kind != ir::NodeKind::Table) {
          EXPECT_EQ(t.kind, a.nodes[id].kind) << file << " %" << id;
          continue;
        }
        ++tables;
        if (t.operands.size() > 6) ++wide;
        ASSERT_NE(a.nodes[id].kind, ir::NodeKind::Table);
        for (uint64_t j = 0; j < (uint64_t(1) << t.operands.size()); ++j) {
          std::fill(fixed.begin(), fixed.end(), 0);
          for (size_t i = 0; i < t.operands.size(); ++i) {
            vals[t.operands[i]] = ir::Word::ofBool((j >> i) & 1);
            fixed[t.operands[i]] = 1;
          }
          std::function<void(ir::NodeId)> eval = [&](ir::NodeId n) {
            if (fixed[n]) return;
            for (ir::NodeId op : a.nodes[n].operands) eval(op);
            mv_rt_error err{};
            ASSERT_EQ(interp.evalNode(n, vals.data(), 0, &err), 0) << file << " %" << n;
            fixed[n] = 1;
          };
          eval(id);
          const ir::Word cone = vals[id];
          vals[id] = ir::Word{};
          EXPECT_EQ(ir::evalTable(t, vals.data()).bits, cone.bits) << file << " %" << id << " input " << j;
          ++checked;
        }
      }
    }
  }
  // The benchmark networks' threshold nodes, several of them over more than 6 inputs.
  EXPECT_GT(tables, 500u);
  EXPECT_GT(wide, 20u);
  EXPECT_GT(checked, 10000u);
}

// The interpreter with the tables computes every sample bit for bit as without them.
TEST(BoolTables, SamplesAreBitIdenticalWithAndWithoutTables) {
  for (const std::string& file : allFiles()) {
    std::string text = readText(file);
    std::vector<ir::QueryGraph> ga = compileWith(file, text, without({"tabulate-bools"}));
    std::vector<ir::QueryGraph> gb = compileWith(file, text, without({}));
    ASSERT_EQ(ga.size(), gb.size()) << file;
    for (size_t q = 0; q < ga.size(); ++q) EXPECT_EQ(compareSampleBySample(ga[q], gb[q], 3000), "") << file;
  }
}

}  // namespace
}  // namespace mv::test
