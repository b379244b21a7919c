// ir/Plan.h — the evaluation plan: the steps every engine walks to compute one sample.
#pragma once

#include "ir/Graph.h"

#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

namespace mv::ir {

enum class StepKind : uint8_t {
#define MV_STEP(Kind, mnemonic) Kind,
#include "ir/PlanSteps.def"
#undef MV_STEP
};

const char* stepName(StepKind k);

/// The step of a factual site no evidence observes and no intervention sets: Draw, Propose
/// or PointPropose, by its proposal.
StepKind factualSiteStep(const Node& n);

inline constexpr uint32_t kNoEvidence = std::numeric_limits<uint32_t>::max();

/// One thing to do in one world. The world-evaluation rules (guard before or after an
/// intervention, evidence, constraints, where the weight is checked) are decided once, by
/// buildPlan; the engines only perform steps.
struct Step {
  StepKind kind;
  uint32_t world = 0;
  NodeId node = kNoNode;            ///< EnterWorld: none
  /// Checked first when set: off, the node takes the zero word and the step is skipped
  /// (its checks too). Not set for a counterfactual `do`, which applies whatever the guard.
  NodeId guard = kNoNode;
  NodeId value = kNoNode;           ///< Set: the intervention's value node; Read: the node read
  uint32_t from = 0;                ///< Read: the world whose value of `value` is read;
                                    ///< ObserveIfKept: the world whose evidence it is
  uint32_t evidence = kNoEvidence;  ///< Observe, Evaluate, ObserveIfKept, WorldObserve, Check:
                                    ///< the index in QueryGraph::evidence
  bool mustHold = false;            ///< Evaluate: a constraint, false zeroes the weight
  /// After the step: a NaN weight is a run-time error, a zero weight (-inf) ends the sample.
  bool checksWeight = false;
};

struct Plan {
  std::vector<Step> steps;
  /// Per world with Resume steps: the nodes it does not compute (a Resume copies their
  /// factual values in); empty for every other world.
  std::vector<std::vector<NodeId>> shared;
};

/// Consistency (language.md §7; worlds.md §2): the one rule of a Redraw step, which every
/// engine performs once the step's guard (the site's, in its world) is on. The site keeps its
/// factual value when the factual world reached it too (its guard on there) and every
/// parameter of its distribution has the same word in both worlds (bit for bit: reals by
/// their bits, so -0.0 differs from 0.0 and a NaN matches itself); otherwise it is redrawn
/// from its prior with the world's parameters, from the world's stream (seed, sample, site
/// ordinal, world). The factual values compared are ir::factualInputsOf's. `factual` and
/// `world` are the two worlds' values, indexed by node.
inline bool keepsFactualDraw(const Node& n, const Word* factual, const Word* world) {
  if (n.guard != kNoNode && !factual[n.guard].asBool()) return false;
  for (size_t k = 0; k < n.site.numParams; ++k)
    if (factual[n.operands[k]].bits != world[n.operands[k]].bits) return false;
  return true;
}

/// The plan of a scheduled, verified graph: the factual schedule, then each counterfactual
/// world in ir::worldOrder (EnterWorld, then its schedule). Per node, from the dependence
/// rule (ir/Inputs.h): a node an intervention sets is a Set step; in the factual world it
/// keeps its guard, in a counterfactual world it has none. A Read node is a Read step (as
/// is a `do`'s copy of its target in the factual world, reading the target there); a site
/// belonging to its world (a stochastic `do`) is a Stochastic step. Every other step keeps
/// its node's guard. A counterfactual world that nothing reads, sets, observes or predicts
/// (the empty `counterfactual` world of a query with only named worlds) has no steps.
///
/// Evidence in a counterfactual world W on node y (worlds.md §5), by what W does with y:
///  - a site W redraws: W's step is WorldObserve. Unless the factual world observes y too,
///    y's factual step is ObserveIfKept: whether W keeps y's draw depends only on W's values
///    of y's inputs, so W's steps those read are moved before it (the plan is then the
///    stable dependence order of all steps, with a Resume where a world continues after
///    factual steps). Where that order does not exist (W's inputs of y read a factual value
///    computed after y), the factual step stays a draw and WorldObserve's kept case is a check.
///  - a value W shares (does not compute): evidence on the factual value (the factual step
///    observes it) when nothing else observes y there, else a Check step in W.
///  - a deterministic node W computes: its Evaluate step checks it (a hard constraint).
/// W's constraints (nodes of W) are checked by their Evaluate step in W; W's factors (Factor
/// nodes of W) are Factor steps in W.
Plan buildPlan(const QueryGraph& g);

/// The stable text form (`mvc dump --ir`): one line per step.
void print(std::ostream& os, const QueryGraph& g, const Plan& plan);

/// Problems with `plan` for `g` (empty when well formed): every step reads (ir::inputsOf in
/// its world) only values computed by an earlier step of its world, or by the factual world
/// when its world does not compute them; a redraw's factual inputs (ir::factualInputsOf) are
/// computed by the factual world; a node is set exactly where an intervention sets it.
std::vector<std::string> verifyPlan(const QueryGraph& g, const Plan& plan);

}  // namespace mv::ir
