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
///  - a `do`'s copy of its target's mechanism (Node::shadowOf) in the factual world: the
///    target, then its guard (it is the factual value); elsewhere it is evaluated.
/// An intervened node never reads its operands. A Read reads nothing in its own world: what
/// it reads in another world is (readWorld, readNode), see worldOrder.
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

/// Per node: the world it belongs to (Node::home, and every node reading one through
/// operands or guards), or 0 for the ordinary nodes every world may evaluate.
std::vector<uint32_t> homeWorlds(const QueryGraph& g);

/// The order worlds are evaluated in: factual first, then every world after the worlds its
/// Reads read (ties by index). On a cycle (which the front end rejects) the rest follow by
/// index.
std::vector<uint32_t> worldOrder(const QueryGraph& g);

}  // namespace mv::ir
