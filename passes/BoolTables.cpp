// passes/BoolTables.cpp — small deterministic boolean cones become table lookups indexed by their input bits.
//
// What: a bool node X (a comparison, `&&`, `||`, `!`, `==`, a select...) whose value depends,
// through deterministic nodes that are not bool (sums, products, conversions, constants) or
// are bool and read only by it (the inner nodes of an and/or tree), on at most
// ir::kMaxTableInputs other bool nodes (its leaves) becomes a Table node: its operands are
// the leaves and its payload is X's value for each of the 2^k assignments of them. The
// benchmark networks' threshold nodes, `w0 * a + w1 * b + ... > 0.5`, are the case it is
// for: one shift of a 64-bit constant instead of a conversion, a multiply and an add per
// parent and a compare, all in doubles.
// Why valid: the table is computed at compile time with ir::evalPure, the code the
// interpreter (and through it the exact engine) evaluates every node with, so for every
// assignment of the leaves it holds exactly the value the cone would compute, bit for bit;
// an interior node is pure (no run-time error, no state), unguarded, carries no evidence
// (inverted evidence replaces a node's value) and is set by no intervention (in a world with
// a `do` on it, X would have to read the set value; a constant a `do` sets is a leaf), so in
// every world and sample its value is a function of the leaves' values there. The interior nodes stay in the graph for their other
// users; slicing drops the ones no longer read. X keeps its guard, evidence and interventions.
// Needs: after the inversion passes (they recognise sums and `!=` chains, and read X as it
// was written); before twin-world and schedule, which must see X's new operands.
#include "ir/Semantics.h"
#include "passes/Passes.h"

#include <algorithm>
#include <vector>

namespace mv::passes {

using ir::NodeId;
using ir::NodeKind;

namespace {

/// The most nodes a cone may have, constants included.
constexpr size_t kMaxConeNodes = 256;

struct Cone {
  std::vector<NodeId> leaves;  ///< the bool inputs, in id order: operand i is bit i of the index
  std::vector<NodeId> order;   ///< interior nodes then the root, operands before users
  size_t interior = 0;         ///< interior nodes that are not constants
};

class Tabulator {
 public:
  explicit Tabulator(ir::QueryGraph& g)
      : g_(g), blocked_(g.nodes.size(), 0), uses_(g.nodes.size(), 0), vals_(g.nodes.size()) {
    for (const ir::World& w : g.worlds)
      for (const ir::Intervention& i : w.interventions) {
        blocked_[i.node] = 1;
        ++uses_[i.valueNode];
      }
    for (const ir::Evidence& e : g.evidence) blocked_[e.node] = 1;
    for (const ir::Node& n : g.nodes) {
      for (NodeId op : n.operands) ++uses_[op];
      if (n.guard != ir::kNoNode) ++uses_[n.guard];
    }
    for (const ir::Prediction& p : g.predictions) ++uses_[p.node];
    for (const ir::Constraint& c : g.constraints) ++uses_[c.cond];
  }

  void run() {
    for (NodeId id = 0; id < g_.nodes.size(); ++id) {
      const ir::Node& n = g_.nodes[id];
      if (n.type != ir::Scalar::Bool || n.kind == NodeKind::Const || n.kind == NodeKind::Table) continue;
      if (!ir::isPure(g_, id) || n.shadowOf != ir::kNoNode || n.home != 0) continue;
      Cone c;
      seen_.clear();
      if (!collect(id, id, c) || c.interior == 0 || c.leaves.empty()) continue;  // constants: left alone
      std::sort(c.leaves.begin(), c.leaves.end());
      tabulate(id, c);
    }
  }

 private:
  /// Whether `id` may be evaluated inside another node's cone.
  bool interiorOk(NodeId id) const {
    const ir::Node& n = g_.nodes[id];
    return ir::isPure(g_, id) && n.guard == ir::kNoNode && !blocked_[id] && n.shadowOf == ir::kNoNode && n.home == 0;
  }

  /// Adds `id` (the root, or an operand inside the cone) and what it reads; false when an
  /// input is not a bool, or there are too many.
  bool collect(NodeId id, NodeId root, Cone& c) {
    if (std::find(seen_.begin(), seen_.end(), id) != seen_.end()) return true;
    if (seen_.size() >= kMaxConeNodes) return false;  // bounds the walk (and its depth) in large models
    seen_.push_back(id);
    const ir::Node& n = g_.nodes[id];
    if (id != root) {
      // A constant is folded into the table unless a world sets it (`do trained = false`
      // on `trained = true`): then it is an input like any other.
      const bool constant = n.kind == NodeKind::Const && n.guard == ir::kNoNode && !blocked_[id];
      // A bool read by other nodes too is a leaf: it is computed anyway.
      const bool inner = !constant && n.type == ir::Scalar::Bool && uses_[id] == 1 && interiorOk(id);
      if (!constant && !inner && n.type == ir::Scalar::Bool) {  // a leaf
        c.leaves.push_back(id);
        return c.leaves.size() <= ir::kMaxTableInputs;
      }
      if (!constant && !interiorOk(id)) return false;
      if (!constant) ++c.interior;
    }
    for (NodeId op : n.operands)
      if (!collect(op, root, c)) return false;
    c.order.push_back(id);  // after its operands
    return true;
  }

  void tabulate(NodeId root, const Cone& c) {
    const size_t k = c.leaves.size();
    std::vector<uint64_t> table(((size_t(1) << k) + 63) / 64, 0);
    for (uint64_t j = 0; j < (uint64_t(1) << k); ++j) {
      for (size_t i = 0; i < k; ++i) vals_[c.leaves[i]] = ir::Word::ofBool((j >> i) & 1);
      for (NodeId id : c.order) vals_[id] = ir::evalPure(g_, id, vals_.data());
      if (vals_[root].asBool()) table[j >> 6] |= uint64_t(1) << (j & 63);
    }
    ir::Node& n = g_.nodes[root];
    n.kind = NodeKind::Table;
    n.operands = c.leaves;
    n.table = std::move(table);
    n.constant = ir::Word{};
  }

  ir::QueryGraph& g_;
  std::vector<char> blocked_;  ///< intervened or observed: never inside a cone
  std::vector<uint32_t> uses_;  ///< how many operands, guards, predictions... read each node
  std::vector<ir::Word> vals_;
  std::vector<NodeId> seen_;
};

}  // namespace

void tabulateBoolCones(ir::QueryGraph& g) { Tabulator(g).run(); }

}  // namespace mv::passes
