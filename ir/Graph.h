// ir/Graph.h — a compiled query: one model's nodes evaluated over a factual and N counterfactual worlds.
#pragma once

#include "ir/Diagnostics.h"
#include "ir/SourceManager.h"
#include "ir/Word.h"
#include "stdlib/Stdlib.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace mv::ir {

using stdlib::Scalar;
using NodeId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
/// The most bool operands a Table node has (2^10 entries: 16 words).
inline constexpr size_t kMaxTableInputs = 10;

enum class NodeKind : uint8_t {
#define MV_NODE(Kind, mnemonic, arity) Kind,
#include "ir/NodeKinds.def"
#undef MV_NODE
};

const char* mnemonic(NodeKind k);
/// The fixed operand count of a kind, or -1 when variadic.
int arity(NodeKind k);
const char* scalarName(Scalar s);

/// How a site's value is proposed in the factual world.
enum class ProposalKind : uint8_t {
  Prior,         ///< drawn from the site's own distribution
  Distribution,  ///< drawn from a user `propose` distribution
  Point,         ///< set to one value computed from evidence (observation inversion)
};

struct SiteInfo {
  stdlib::Distribution dist{};
  uint16_t numParams = 0;            ///< operands [0, numParams) are the distribution's
  ProposalKind proposal = ProposalKind::Prior;
  stdlib::Distribution proposalDist{};
  uint16_t numProposalParams = 0;    ///< then the proposal's (Point: one, the value)
  double logJacobian = 0;            ///< Point: added to the log weight with log p(value)
  /// Point: log p(value) is not added (logJacobian still is): a Factor node weighs the
  /// evidence the point makes hold (passes/DirichletInversion.cpp: log Dir(v; alpha) for the
  /// gammas of an observed dirichlet site, not the gammas' own densities).
  bool weighedElsewhere = false;
  /// Distribution: a pass's exact conditional given the evidence (noisy-OR leaks), which
  /// may leave out values the evidence rules out, so runtime/Coverage.h's check (a user
  /// proposal must draw every value the distribution can take) does not apply.
  bool conditionalProposal = false;
  uint32_t ordinal = 0;              ///< stable index among the model's sites: keys its stream
  /// Its weight factor (observed likelihood, p/q or point weight) belongs to separated
  /// evidence (Evidence::separated): it counts in the full weight only, not the estimate one.
  bool separated = false;

  /// The mv_rt_error param of the proposal's parameter k in a domain error. Slots
  /// [0, numParams] are the distribution's (numParams: categorical's probabilities as a set).
  int32_t proposalErrorParam(int32_t k) const { return int32_t(numParams) + 1 + k; }
};

/// One value-producing node. Immutable once built, except by passes that rebuild graphs.
struct Node {
  NodeKind kind;
  Scalar type;
  std::vector<NodeId> operands;
  NodeId guard = kNoNode;   ///< bool node that must be true for this node to be evaluated
  SourceLoc loc;
  std::string name;         ///< model-level name ("z[2]"); empty for temporaries
  Word constant;            ///< Const (of the node's type)
  stdlib::Builtin builtin{};  ///< Call
  SiteInfo site;            ///< Site
  /// Read: the world whose value of `readNode` this node takes. (A Read has no operands:
  /// it reads nothing in its own world, so same-world dependence never passes through it.)
  uint32_t readWorld = 0;
  NodeId readNode = kNoNode;
  /// Nonzero: the node belongs to world `home` only (a Read, or the site of a stochastic
  /// `do`): that world always evaluates it, every other world never does. Nodes reading it
  /// belong there too (ir::homeWorlds).
  uint32_t home = 0;
  /// Set on the copy of a `do` target's mechanism that the `do`'s expression reads (its
  /// value in that world without the `do`): the factual world takes `shadowOf`'s value,
  /// a counterfactual world evaluates the copy like any node.
  NodeId shadowOf = kNoNode;
  /// Data: the slot of the run's data buffer (QueryGraph::data) whose value the node takes.
  uint32_t dataIndex = 0;
  /// Table: the node's value for each assignment of its bool operands, bit j of the words
  /// for the assignment with operand i = bit i of j (ir::evalTable; passes/BoolTables.cpp).
  std::vector<uint64_t> table;
};

enum class WorldKind : uint8_t { Factual, Counterfactual };
enum class QueryKind : uint8_t { Observational, Interventional, Counterfactual };
const char* worldKindName(WorldKind k);
const char* queryKindName(QueryKind k);

/// `intervene x = v` (factual world) or `do x = v` (a counterfactual world): the world sets
/// `node` to the value of node `valueNode` instead of evaluating it (an intervened node
/// ignores its operands: ir/Inputs.h inputsOf is the one statement of that rule).
/// `valueNode` is a node of `node`'s type computed before `node` in the world: a Const, an
/// expression (which may read a copy of `node`'s mechanism, Node::shadowOf), a Read of
/// another world, or a site (`x ~ D`; for a `do`, a site belonging to that world).
struct Intervention {
  NodeId node;
  NodeId valueNode;
  SourceLoc loc;
};

struct World {
  WorldKind kind;
  std::vector<Intervention> interventions;
  /// Factual: every node computed, in order. Counterfactual: the nodes recomputed (or set
  /// by a `do`) in order; every other node shares the factual world's value.
  std::vector<NodeId> schedule;
  /// "factual", "counterfactual" (top-level `do`s) or a `world NAME` block's name. The
  /// index of a world in QueryGraph::worlds keys its redraw streams: factual 0,
  /// counterfactual 1 (present, possibly empty, whenever named worlds are), named worlds
  /// from 2 in declaration order. Worlds are evaluated in ir::worldOrder, not by index.
  std::string name;
};

/// `observe x == v` in the factual world, or in a `world` block (worlds.md §5).
struct Evidence {
  NodeId node;
  Word value;  ///< of the node's type
  SourceLoc loc;
  /// Set by observation inversion: the site whose point proposal makes the evidence hold
  /// by construction; the node then takes `value` without a check.
  NodeId invertedSite = kNoNode;
  /// Set by evidence pruning: d-separated from every prediction given the rest. It is still
  /// evaluated (log evidence and the all-weights-zero failure are over all evidence), but
  /// its finite likelihood factor (SiteInfo::separated) is left out of the estimate weight.
  bool separated = false;
  /// The world whose value of `node` is observed (0: factual). In a counterfactual world the
  /// plan decides per sample which of worlds.md §5's cases holds (ir/Plan.h buildPlan).
  uint32_t world = 0;
  /// Not kNoDataSlot: the observed value is data (spec/data.md §1), slot `dataSlot` of the
  /// run's data buffer, of type `dataType` (promoted to the node's type); `value` is unused.
  /// Every engine reads it through ir::observedValue.
  uint32_t dataSlot = kNoDataSlot;
  Scalar dataType = Scalar::Real;

  static constexpr uint32_t kNoDataSlot = std::numeric_limits<uint32_t>::max();
  bool isData() const { return dataSlot != kNoDataSlot; }
};

/// The value evidence `e` observes on a node of type `t`: its constant, or its data slot read
/// from the run's data buffer `data` (converted as ir::convertWord). The one rule the
/// interpreter, the exact engine and the passes use (the code generator emits the same).
inline Word observedValue(const Evidence& e, Scalar t, const uint64_t* data) {
  return e.isData() ? convertWord(e.dataType, t, Word{data[e.dataSlot]}) : e.value;
}

/// `observe expr` that is not evidence: weight 0 where `cond` is false. In a counterfactual
/// world (`world` > 0) `cond` is a node of that world (Node::home) evaluated with its values.
struct Constraint {
  NodeId cond;
  SourceLoc loc;
  uint32_t world = 0;
};

struct Prediction {
  std::string label;
  uint32_t world;  ///< index into worlds: where `node` is evaluated
  NodeId node;
  SourceLoc loc;
  /// The report's `world`: the world's name, or the names of the worlds the prediction
  /// reads joined with "," in order of first appearance.
  std::string worlds;
};

/// `data NAME: TYPE` (spec/data.md §1): bound when the program runs. Its elements are the
/// slots [offset, offset + count) of the run's data buffer, row-major; a slot holds an
/// ir::Word of `type` (the buffer is the same for every engine and for native executables).
struct DataDecl {
  std::string name;
  Scalar type = Scalar::Real;
  std::vector<int> dims;  ///< outermost first; empty for a scalar
  uint32_t offset = 0;
  SourceLoc loc;

  size_t count() const {
    size_t n = 1;
    for (int d : dims) n *= size_t(d);
    return n;
  }
};

/// A check of bound data made before any sampling (spec/data.md §1: the checks a constant
/// gets at compile time, with the same messages, exit status 3). Support: the value of slot
/// slots[0] (of type `type`) lies in [lo, hi], an end open where loOpen/hiOpen. Simplex (a
/// categorical row that is data): each slot's value is >= 0 and the values sum to 1 within
/// 1e-9. `type` is the data's (values compare as doubles). A message's args hold "\x01" (a real value, or the row's sum) or "\x05" (an int
/// value) where the value goes, and "\x07" where the data file's name goes.
struct DataCheck {
  enum class Kind : uint8_t { Support, Simplex };
  struct Message {
    DiagId id = DiagId::DataBinding;
    SourceLoc loc;
    std::vector<std::string> args;
    DiagId note = DiagId::NoteDeclaredHere;
    SourceLoc noteLoc;
    std::vector<std::string> noteArgs;
  };
  Kind kind = Kind::Support;
  std::vector<uint32_t> slots;
  Scalar type = Scalar::Real;
  double lo = 0, hi = 0;
  bool loOpen = false, hiOpen = false;
  Message element;  ///< a value outside the support (Support) or a negative entry (Simplex)
  Message sum;      ///< Simplex: the row does not sum to 1
};

/// A warning recorded by a pass (passes cannot print); the driver reports it.
struct PassNote {
  DiagId id;
  SourceLoc loc;
  std::vector<std::string> args;
};

struct QueryGraph {
  std::string name;
  std::string model;
  QueryKind kind = QueryKind::Observational;
  SourceLoc loc;
  std::vector<Node> nodes;
  std::vector<World> worlds;  ///< worlds[0] is factual
  std::vector<Evidence> evidence;
  std::vector<Constraint> constraints;
  std::vector<Prediction> predictions;
  uint32_t numSites = 0;      ///< sites in the model (ordinals are below this)
  std::vector<PassNote> notes;  ///< warnings from the passes, in the order they arose
  /// The program's data declarations, in source order (every one, used by the query or not:
  /// a binding must give each a value), and the size of the data buffer they fill.
  std::vector<DataDecl> data;
  uint32_t dataSize = 0;
  /// Checks of the bound data this query needs before sampling (the model's and its own).
  std::vector<DataCheck> dataChecks;

  /// Whether some site's weight factor is separated: the full and estimate weights differ.
  bool hasSeparatedWeight() const {
    for (const Node& n : nodes)
      if (n.kind == NodeKind::Site && n.site.separated) return true;
    return false;
  }

  /// The name of world `w` ("factual", "counterfactual" when unnamed).
  std::string worldName(size_t w) const {
    return worlds[w].name.empty() ? worldKindName(worlds[w].kind) : worlds[w].name;
  }
  /// The report's `world` of prediction `p` (Prediction::worlds, else its world's name).
  std::string predictionWorlds(const Prediction& p) const { return p.worlds.empty() ? worldName(p.world) : p.worlds; }

  NodeId add(Node n) {
    nodes.push_back(std::move(n));
    return NodeId(nodes.size() - 1);
  }
  const Node& node(NodeId id) const { return nodes[id]; }
};

/// The declaration whose elements include data slot `slot`, or null.
const DataDecl* dataDeclOf(const QueryGraph& g, uint32_t slot);
/// Data slot `slot` as the program names it: "Y", "X[3][1]" ("data?" for a bad slot).
std::string dataElementName(const QueryGraph& g, uint32_t slot);
/// Evidence `e`'s observed value as messages and the printer show it: the constant
/// ("1.5", "true"), or the data element ("data Y[3]").
std::string observedText(const QueryGraph& g, const Evidence& e);

}  // namespace mv::ir
