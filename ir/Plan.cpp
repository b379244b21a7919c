// ir/Plan.cpp — building, printing and checking the evaluation plan.
#include "ir/Plan.h"

#include "ir/Inputs.h"

#include <functional>
#include <limits>
#include <ostream>
#include <queue>

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

StepKind factualSiteStep(const Node& n) {
  switch (n.site.proposal) {
    case ProposalKind::Prior: return StepKind::Draw;
    case ProposalKind::Distribution: return StepKind::Propose;
    case ProposalKind::Point: return StepKind::PointPropose;
  }
  return StepKind::Draw;
}

namespace {

/// The step for a factual site that is not set by an intervention.
StepKind factualSite(const Node& n, bool observed) { return observed ? StepKind::Observe : factualSiteStep(n); }

/// Reorders `plan` into the stable dependence order of its steps (a step after every step
/// whose value it reads, else in plan order), inserting a Resume where a world continues
/// after factual steps; false (plan unchanged) when no such order exists.
bool interleave(const QueryGraph& g, const std::vector<std::vector<char>>& member, Plan& plan) {
  const size_t m = plan.steps.size(), nn = g.nodes.size(), nw = g.worlds.size();
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<std::vector<uint32_t>> producer(nw, std::vector<uint32_t>(nn, kNone));
  std::vector<uint32_t> enter(nw, kNone);
  for (uint32_t i = 0; i < m; ++i) {
    const Step& s = plan.steps[i];
    if (s.kind == StepKind::EnterWorld) enter[s.world] = i;
    else if (s.kind != StepKind::Check) producer[s.world][s.node] = i;
  }
  std::vector<WorldView> views;
  for (size_t w = 0; w < nw; ++w) views.emplace_back(g, w);
  auto prod = [&](uint32_t w, NodeId id) { return producer[w][id] != kNone ? producer[w][id] : producer[0][id]; };
  std::vector<std::vector<uint32_t>> users(m);
  std::vector<uint32_t> pending(m, 0);
  for (uint32_t i = 0; i < m; ++i) {
    const Step& s = plan.steps[i];
    if (s.kind == StepKind::EnterWorld) continue;
    std::vector<uint32_t> deps;
    if (s.world > 0) deps.push_back(enter[s.world]);
    const Edges edges = s.world == 0 ? Edges::All : Edges::Counterfactual;
    if (s.kind == StepKind::Check) deps.push_back(prod(s.world, s.node));
    else
      for (NodeId in : views[s.world].inputsOf(s.node, edges)) deps.push_back(prod(s.world, in));
    for (NodeId in : views[s.world].factualInputsOf(s.node)) deps.push_back(producer[0][in]);
    if (s.kind == StepKind::Read) deps.push_back(prod(s.from, s.value));
    if (s.kind == StepKind::ObserveIfKept)
      for (NodeId in : views[s.from].inputsOf(s.node, Edges::Counterfactual)) deps.push_back(prod(s.from, in));
    for (uint32_t d : deps)
      if (d != kNone && d != i) users[d].push_back(i), ++pending[i];
  }
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<uint32_t>> ready;
  for (uint32_t i = 0; i < m; ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<uint32_t> order;
  while (!ready.empty()) {
    uint32_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (uint32_t u : users[i])
      if (--pending[u] == 0) ready.push(u);
  }
  if (order.size() != m) return false;
  Plan out;
  out.shared.assign(nw, {});
  std::vector<char> entered(nw, 0), stale(nw, 0), resumed(nw, 0);
  auto resume = [&](uint32_t w) {
    if (w == 0 || !stale[w]) return;
    out.steps.push_back(Step{StepKind::Resume, w});
    stale[w] = 0;
    resumed[w] = 1;
  };
  for (uint32_t i : order) {
    Step s = plan.steps[i];
    if (s.kind == StepKind::EnterWorld) entered[s.world] = 1, stale[s.world] = 0;
    else resume(s.world);
    if (s.kind == StepKind::ObserveIfKept) resume(s.from);
    // Another world's value of a node it does not compute is the factual one.
    if (s.kind == StepKind::Read && s.from > 0 && !member[s.from][s.value]) s.from = 0;
    out.steps.push_back(s);
    if (s.world == 0)
      for (size_t w = 1; w < nw; ++w) stale[w] = entered[w];
  }
  for (size_t w = 1; w < nw; ++w)
    if (resumed[w])
      for (NodeId id = 0; id < nn; ++id)
        if (!member[w][id]) out.shared[w].push_back(id);
  plan = std::move(out);
  return true;
}

}  // namespace

Plan buildPlan(const QueryGraph& g) {
  Plan plan;
  const size_t nn = g.nodes.size(), nw = g.worlds.size();
  std::vector<std::vector<char>> member(nw, std::vector<char>(nn, 0));
  for (size_t w = 0; w < nw; ++w)
    for (NodeId id : g.worlds[w].schedule) member[w][id] = 1;
  std::vector<uint32_t> evidence(nn, kNoEvidence);  // the factual step's evidence
  std::vector<uint32_t> keptBy(nn, kNoEvidence);    // ObserveIfKept's world evidence
  std::vector<std::vector<uint32_t>> inWorld(nw);   // per world, per node: its evidence there
  std::vector<std::vector<uint32_t>> checks(nw);    // per world: evidence on values it shares
  std::vector<char> used(nw, 0);
  for (uint32_t k = 0; k < g.evidence.size(); ++k)
    if (g.evidence[k].world == 0) evidence[g.evidence[k].node] = k;
  // Evidence on a value its world shares is factual evidence unless something else observes it.
  for (uint32_t k = 0; k < g.evidence.size(); ++k) {
    const Evidence& e = g.evidence[k];
    if (e.world == 0 || member[e.world][e.node]) continue;
    used[e.world] = 1;
    if (evidence[e.node] == kNoEvidence && member[0][e.node]) evidence[e.node] = k;
    else checks[e.world].push_back(k);
  }
  for (uint32_t k = 0; k < g.evidence.size(); ++k) {
    const Evidence& e = g.evidence[k];
    if (e.world == 0 || !member[e.world][e.node]) continue;
    used[e.world] = 1;
    if (inWorld[e.world].empty()) inWorld[e.world].assign(nn, kNoEvidence);
    inWorld[e.world][e.node] = k;
    const Node& n = g.nodes[e.node];
    bool redrawn = n.kind == NodeKind::Site && n.home == 0 && !WorldView(g, e.world).setBy(e.node);
    if (redrawn && evidence[e.node] == kNoEvidence && keptBy[e.node] == kNoEvidence && member[0][e.node])
      keptBy[e.node] = k;
  }
  std::vector<uint32_t> mustHold(nn, 0);  // a constraint's world + 1: checked there only
  for (const Constraint& c : g.constraints) mustHold[c.cond] = c.world + 1, used[c.world] = 1;
  for (const Prediction& p : g.predictions)
    if (p.world < used.size()) used[p.world] = 1;
  for (const Node& n : g.nodes) {
    if (n.kind == NodeKind::Read && n.readWorld < used.size()) used[n.readWorld] = 1;
    if (n.kind == NodeKind::Factor && n.home < used.size()) used[n.home] = 1;
  }
  bool interleaved = false;
  for (uint32_t w : worldOrder(g)) {
    const World& world = g.worlds[w];
    if (w > 0 && !used[w] && world.interventions.empty() && world.schedule.empty()) continue;
    const WorldView view(g, w);
    if (w > 0) plan.steps.push_back(Step{StepKind::EnterWorld, w});
    for (uint32_t k : checks[w]) {
      Step s{StepKind::Check, w, g.evidence[k].node};
      s.evidence = k;
      s.checksWeight = true;
      plan.steps.push_back(s);
    }
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
        s.evidence = inWorld[w].empty() ? kNoEvidence : inWorld[w][id];
        if (n.kind == NodeKind::Site) {
          s.kind = s.evidence == kNoEvidence ? StepKind::Redraw : StepKind::WorldObserve;
          s.checksWeight = s.evidence != kNoEvidence;
        } else if (n.kind == NodeKind::Factor && n.home == w) {
          s.kind = StepKind::Factor;  // the world's own factor (a model's factor weighs the factual world only)
          s.checksWeight = true;
        } else {
          s.mustHold = mustHold[id] == w + 1;
          s.checksWeight = s.evidence != kNoEvidence || s.mustHold;
        }
      } else if (n.kind == NodeKind::Factor) {
        // Like evidence, a factor weighs the factual world only (a world recomputing it adds nothing).
        s.kind = StepKind::Factor;
        s.checksWeight = true;
      } else if (n.kind == NodeKind::Site) {
        s.evidence = evidence[id];
        s.kind = factualSite(n, s.evidence != kNoEvidence);
        if (s.evidence == kNoEvidence && keptBy[id] != kNoEvidence) {
          s.kind = StepKind::ObserveIfKept;
          s.evidence = keptBy[id];
          s.from = g.evidence[keptBy[id]].world;
          interleaved = true;
        }
        s.checksWeight = s.kind != StepKind::Draw;
      } else {
        s.evidence = evidence[id];
        s.mustHold = mustHold[id] == 1;
        s.checksWeight = (s.evidence != kNoEvidence && g.evidence[s.evidence].invertedSite == kNoNode) || s.mustHold;
      }
      plan.steps.push_back(s);
    }
  }
  if (interleaved && !interleave(g, member, plan))
    for (Step& s : plan.steps)
      if (s.kind == StepKind::ObserveIfKept) {
        // Undecidable before the draw: drawn as usual; the world's kept case checks the value.
        s.kind = factualSite(g.nodes[s.node], false);
        s.evidence = kNoEvidence;
        s.from = 0;
        s.checksWeight = s.kind != StepKind::Draw;
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
    if (s.kind == StepKind::ObserveIfKept) os << " kept-in w" << s.from;
    if (s.guard != kNoNode) os << " if %" << s.guard;
    if (s.evidence != kNoEvidence)
      os << (g.evidence[s.evidence].invertedSite != kNoNode ? " inverted-evidence" : " evidence");
    if (s.evidence != kNoEvidence && g.evidence[s.evidence].world != 0)
      os << " of " << g.worldName(g.evidence[s.evidence].world);
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
    if (s.world < g.worlds.size() && s.node < n && s.kind != StepKind::Check) own[s.world][s.node] = 1;
  std::vector<WorldView> views;
  for (size_t w = 0; w < g.worlds.size(); ++w) views.emplace_back(g, w);
  for (const Step& s : plan.steps) {
    std::string where = std::string("plan step ") + stepName(s.kind) + " in world " + std::to_string(s.world);
    if (s.world >= g.worlds.size()) { errors.push_back(where + ": no such world"); continue; }
    if (s.kind == StepKind::EnterWorld || s.kind == StepKind::Resume) continue;
    if (s.node >= n) { errors.push_back(where + ": bad node id"); continue; }
    if (s.kind == StepKind::Check) {
      if (!done[0][s.node] && !done[s.world][s.node])
        errors.push_back(where + ": %" + std::to_string(s.node) + " is checked before it is computed");
      continue;
    }
    if ((s.kind == StepKind::Set) != (views[s.world].setBy(s.node) != nullptr))
      errors.push_back(where + ": %" + std::to_string(s.node) + " is set there exactly when its step is a set");
    for (NodeId in : views[s.world].inputsOf(s.node, s.world == 0 ? Edges::All : Edges::Counterfactual))
      if (!done[s.world][in] && (own[s.world][in] || !done[0][in]))
        errors.push_back(where + ": %" + std::to_string(s.node) + " reads %" + std::to_string(in) + " before it is computed");
    if (s.kind == StepKind::Redraw || s.kind == StepKind::WorldObserve)
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
