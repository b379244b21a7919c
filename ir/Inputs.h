// ir/Inputs.h — the one dependence rule: what a node reads in a world (an intervened node ignores its operands).
#pragma once

#include "ir/Graph.h"

#include <vector>

namespace mv::ir {

/// Which edges count as dependence.
enum class Edges {
  All,            ///< operands (including proposal operands) and guards: the factual world
  Counterfactual, ///< operands except proposal operands, and guards: what a redraw reads
};

/// How world `w` treats each node: set by an intervention (which one) or evaluated. A
/// counterfactual world keeps the factual `intervene`s it does not override with a `do`.
class WorldView {
public:
  WorldView(const QueryGraph& g, size_t world);
  /// The intervention that sets `id` in this world, or null.
  const Intervention* setBy(NodeId id) const { return setBy_[id]; }
  /// The nodes `id` reads in this world under `edges` (see inputsOf).
  std::vector<NodeId> inputsOf(NodeId id, Edges edges) const;
  /// What `id`, computed in this world, reads from the factual world (see factualInputsOf).
  std::vector<NodeId> factualInputsOf(NodeId id) const;
  size_t world() const { return world_; }

private:
  const QueryGraph& g_;
  size_t world_;
  std::vector<const Intervention*> setBy_;
};

/// The one dependence rule, used by every pass, the verifier and the engines' plan: the
/// nodes node `id` reads in world `w` under `edges`.
///  - evaluated (not intervened in `w`): its operands under `edges`, then its guard;
///  - set by a factual `intervene` in the factual world: its guard (checked first; an
///    unguarded value is not read when the guard is off), then the intervention's value node;
///  - set in a counterfactual world (its own `do`, or a factual `intervene` it keeps): the
///    value node only (a `do` applies whatever the guard; a kept `intervene` keeps its
///    factual value).
/// An intervened node never reads its operands.
std::vector<NodeId> inputsOf(const QueryGraph& g, size_t w, NodeId id, Edges edges);

/// Consistency (language.md §7): what node `id`, computed in counterfactual world `w`, reads
/// from the factual world whatever `w` recomputes. For a site `w` redraws (evaluated there,
/// not set): the factual site itself, then the factual values its redraw compares with its
/// own — its distribution's parameters and its guard (ir/Plan.h keepsFactualDraw). Empty
/// for every other node and in the factual world. Passes that follow dataflow across worlds
/// (factual slicing, the twin network) and the plan verifier add these edges.
std::vector<NodeId> factualInputsOf(const QueryGraph& g, size_t w, NodeId id);

/// The operands of `n` under `edges`, then its guard: what `n` reads where it is evaluated,
/// whatever intervenes on it. Only the one order valid in every world (passes/Dependence.h
/// topologicalOrder, the schedule) uses it directly; everything else asks inputsOf.
std::vector<NodeId> operandInputs(const Node& n, Edges edges);

}  // namespace mv::ir
