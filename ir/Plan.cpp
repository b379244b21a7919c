// ir/Plan.cpp — building, printing and checking the evaluation plan.
#include "ir/Plan.h"

#include "ir/Inputs.h"

#include <ostream>

namespace mv::ir {

const char* stepName(StepKind k) {
  switch (k) {
#define MV_STEP(Kind, mn) \
  case StepKind::Kind: return #mn;
#include "ir/PlanSteps.def"
#undef MV_STEP
  }
  return "?";
}

namespace {

/// The step for a factual site that is not set by an intervention.
StepKind factualSite(const Node& n, bool observed) {
  if (observed) return StepKind::Observe;
  switch (n.site.proposal) {
    case ProposalKind::Prior: return StepKind::Draw;
    case ProposalKind::Distribution: return StepKind::Propose;
    case ProposalKind::Point: return StepKind::PointPropose;
  }
  return StepKind::Draw;
}

}  // namespace

Plan buildPlan(const QueryGraph& g) {
  Plan plan;
  std::vector<uint32_t> evidence(g.nodes.size(), kNoEvidence);
  for (uint32_t k = 0; k < g.evidence.size(); ++k) evidence[g.evidence[k].node] = k;
  std::vector<char> mustHold(g.nodes.size(), 0);
  for (const Constraint& c : g.constraints) mustHold[c.cond] = 1;
  std::vector<char> used(g.worlds.size(), 0);
  for (const Prediction& p : g.predictions)
    if (p.world < used.size()) used[p.world] = 1;
  for (const Node& n : g.nodes)
    if (n.kind == NodeKind::Read && n.readWorld < used.size()) used[n.readWorld] = 1;
  for (uint32_t w : worldOrder(g)) {
    const World& world = g.worlds[w];
    if (w > 0 && !used[w] && world.interventions.empty() && world.schedule.empty()) continue;
    const WorldView view(g, w);
    if (w > 0) plan.steps.push_back(Step{StepKind::EnterWorld, w});
    for (NodeId id : world.schedule) {
      const Node& n = g.nodes[id];
      Step s{StepKind::Evaluate, w, id, n.guard};
      if (n.kind == NodeKind::Read || (w == 0 && n.shadowOf != kNoNode)) {
        s.kind = StepKind::Read;
        s.from = n.kind == NodeKind::Read ? n.readWorld : 0;
        s.value = n.kind == NodeKind::Read ? n.readNode : n.shadowOf;
      } else if (n.home != 0 && n.kind == NodeKind::Site && !view.setBy(id)) {
        s.kind = StepKind::Stochastic;
      } else if (const Intervention* iv = view.setBy(id)) {
        // The factual world checks the guard first; a counterfactual `do` wins over it.
        s.kind = StepKind::Set;
        s.value = iv->valueNode;
        if (w > 0) s.guard = kNoNode;
      } else if (w > 0) {
        if (n.kind == NodeKind::Site) s.kind = StepKind::Redraw;
      } else if (n.kind == NodeKind::Factor) {
        // Like evidence, a factor weighs the factual world only (a world recomputing it adds nothing).
        s.kind = StepKind::Factor;
        s.checksWeight = true;
      } else if (n.kind == NodeKind::Site) {
        s.evidence = evidence[id];
        s.kind = factualSite(n, s.evidence != kNoEvidence);
        s.checksWeight = s.kind != StepKind::Draw;
      } else {
        s.evidence = evidence[id];
        s.mustHold = mustHold[id] != 0;
        s.checksWeight = (s.evidence != kNoEvidence && g.evidence[s.evidence].invertedSite == kNoNode) || s.mustHold;
      }
      plan.steps.push_back(s);
    }
  }
  return plan;
}

void print(std::ostream& os, const QueryGraph& g, const Plan& plan) {
  os << "plan:\n";
  for (const Step& s : plan.steps) {
    os << "  w" << s.world << " " << stepName(s.kind);
    if (s.node != kNoNode) os << " %" << s.node;
    if (s.kind == StepKind::Set) os << " = %" << s.value;
    if (s.kind == StepKind::Read) os << " = w" << s.from << " %" << s.value;
    if (s.guard != kNoNode) os << " if %" << s.guard;
    if (s.evidence != kNoEvidence)
      os << (g.evidence[s.evidence].invertedSite != kNoNode ? " inverted-evidence" : " evidence");
    if (s.mustHold) os << " constraint";
    if (s.checksWeight) os << " check-weight";
    os << "\n";
  }
}

std::vector<std::string> verifyPlan(const QueryGraph& g, const Plan& plan) {
  std::vector<std::string> errors;
  size_t n = g.nodes.size();
  std::vector<std::vector<char>> done(g.worlds.size(), std::vector<char>(n, 0)), own = done;
  for (const Step& s : plan.steps)
    if (s.world < g.worlds.size() && s.node < n) own[s.world][s.node] = 1;
  std::vector<WorldView> views;
  for (size_t w = 0; w < g.worlds.size(); ++w) views.emplace_back(g, w);
  for (const Step& s : plan.steps) {
    std::string where = std::string("plan step ") + stepName(s.kind) + " in world " + std::to_string(s.world);
    if (s.world >= g.worlds.size()) { errors.push_back(where + ": no such world"); continue; }
    if (s.kind == StepKind::EnterWorld) continue;
    if (s.node >= n) { errors.push_back(where + ": bad node id"); continue; }
    if ((s.kind == StepKind::Set) != (views[s.world].setBy(s.node) != nullptr))
      errors.push_back(where + ": %" + std::to_string(s.node) + " is set there exactly when its step is a set");
    for (NodeId in : views[s.world].inputsOf(s.node, s.world == 0 ? Edges::All : Edges::Counterfactual))
      if (!done[s.world][in] && (own[s.world][in] || !done[0][in]))
        errors.push_back(where + ": %" + std::to_string(s.node) + " reads %" + std::to_string(in) + " before it is computed");
    if (s.kind == StepKind::Redraw)
      for (NodeId in : views[s.world].factualInputsOf(s.node))
        if (!done[0][in])
          errors.push_back(where + ": %" + std::to_string(s.node) + " compares with the factual %" +
                           std::to_string(in) + ", which the factual world does not compute");
    if (s.kind == StepKind::Read) {
      // Another world's value: that world's own step, else the factual value.
      bool ready = s.from < g.worlds.size() && s.value < n &&
                   (s.from == s.world ? done[s.world][s.value] || (!own[s.world][s.value] && done[0][s.value])
                                      : done[s.from][s.value] || (!own[s.from][s.value] && done[0][s.value]));
      if (!ready)
        errors.push_back(where + ": %" + std::to_string(s.node) + " reads world " + std::to_string(s.from) + "'s %" +
                         std::to_string(s.value) + " before it is computed");
    }
    if (done[s.world][s.node]) errors.push_back(where + ": %" + std::to_string(s.node) + " computed twice");
    done[s.world][s.node] = 1;
  }
  return errors;
}

}  // namespace mv::ir
