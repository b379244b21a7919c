// passes/DSeparation.h — the twin network of a query and d-separation in it (Bayes-ball).
#pragma once

#include "ir/Graph.h"

#include <cstdint>
#include <vector>

namespace mv::passes {

/// The twin network (Balke & Pearl) of a query: one vertex per factual node, plus one per
/// node a counterfactual world recomputes or sets. Edges are model edges: distribution
/// parameters, data operands and guards (proposal operands are a sampling device, not part
/// of the model). A node set by an intervention has only its guard as parent in the
/// factual world and no parent in a world whose `do` sets it; a redrawn counterfactual site
/// has its counterfactual parameters and guard as parents, and (consistency: it keeps its
/// factual value where they are unchanged) the factual site with its factual parameters and
/// guard (ir::factualInputsOf), plus fresh noise of its own.
class TwinNetwork {
public:
  explicit TwinNetwork(const ir::QueryGraph& g);

  /// The vertex holding node `id`'s value in world `w` (the factual vertex when w shares it).
  uint32_t vertex(size_t w, ir::NodeId id) const;
  size_t size() const { return parents_.size(); }
  const std::vector<uint32_t>& parents(uint32_t v) const { return parents_[v]; }
  const std::vector<uint32_t>& children(uint32_t v) const { return children_[v]; }

private:
  size_t numNodes_;
  std::vector<std::vector<char>> recomputed_;  ///< per world, per node (world 0 unused)
  std::vector<std::vector<uint32_t>> parents_, children_;
};

/// True when vertex `x` is d-separated from every vertex in `ys` given the vertices marked
/// in `given` (x must not be marked). Read-only; linear in the size of the network.
bool dSeparated(const TwinNetwork& net, uint32_t x, const std::vector<uint32_t>& ys, const std::vector<char>& given);

}  // namespace mv::passes
