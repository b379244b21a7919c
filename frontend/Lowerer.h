// frontend/Lowerer.h — the checker/lowerer shared by LowerProgram, LowerExpr, LowerCall,
// LowerModel and LowerQuery (one class, split by feature across those files).
#pragma once

#include "frontend/Ast.h"
#include "frontend/Compile.h"
#include "frontend/Value.h"
#include "ir/Diagnostics.h"
#include "ir/Graph.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace mv::frontend {

/// Names visible at one level of a model body (the top level, or one branch of an if).
struct ModelScope {
  std::unordered_map<std::string, ir::NodeId> names;      ///< "x", "z[2]"
  std::unordered_map<std::string, SourceLoc> defLocs;
  std::unordered_map<std::string, std::map<int64_t, ir::NodeId>> families;  ///< "z" -> {2: id}
  /// For a name defined as an element: its family and index ("z[2]" -> ("z", 2)).
  std::unordered_map<std::string, std::pair<std::string, int64_t>> elementOf;
};

/// A model lowered once; each query is lowered onto its graph and taken off it (QueryScratch).
struct LoweredModel {
  const ast::ModelDecl* decl = nullptr;
  ir::QueryGraph graph;            ///< nodes and numSites only
  ModelScope top;                  ///< names visible to queries
  std::unordered_map<std::string, SourceLoc> branchLocal;  ///< names local to one branch
  std::map<std::pair<int, uint64_t>, ir::NodeId> constCache;
  bool hasErrors = false;
  std::set<std::string> dirichlets;  ///< names defined by `p ~ dirichlet(alpha)` (LowerCompound.cpp)
};

struct QueryWorlds;

/// Lends a model's graph to the lowering of one query (LowerQueryGraph.cpp): the query appends
/// its nodes and fills the graph's query fields; the destructor takes them off again (nodes,
/// numSites, the cache entries of the query's constants, a too-large mark), so each query
/// starts from the model alone and none copies the model's graph to start.
class QueryScratch {
public:
  QueryScratch(LoweredModel& lm, std::set<const ir::QueryGraph*>& tooLarge);
  ~QueryScratch();
  QueryScratch(const QueryScratch&) = delete;
  QueryScratch& operator=(const QueryScratch&) = delete;
  /// The query's graph: the model's nodes and the query's; when the model has more than
  /// `compactAbove` nodes, only the nodes the query reads (every edge, from its worlds'
  /// interventions, evidence, constraints, predictions, factors and proposals), renumbered
  /// in order, so a query's cost does not grow with the model's size.
  ir::QueryGraph take(size_t compactAbove) const;

private:
  LoweredModel& lm_;
  std::set<const ir::QueryGraph*>& tooLarge_;
  size_t modelNodes_;
  size_t modelDataChecks_;  ///< the model's own checks of bound data; the query's follow
  uint32_t numSites_;
  std::string name_, model_;
  SourceLoc loc_;
  ir::QueryKind kind_;
};

/// Where an expression is being lowered.
struct ExprContext {
  ir::QueryGraph* graph = nullptr;            ///< null: compile-time context
  const char* constReason = "expression";     ///< what must be constant (for messages)
  std::vector<ModelScope*> scopes;            ///< model names, innermost last
  const LoweredModel* model = nullptr;        ///< for branch-local names and messages
  std::vector<std::unordered_map<std::string, Value>> locals;  ///< loop vars, fn params
  ir::NodeId guard = ir::kNoNode;             ///< guard of nodes created here
  std::map<std::pair<int, uint64_t>, ir::NodeId>* constCache = nullptr;
  int inlineDepth = 0;
  SourceLoc inlinedFrom;     ///< when inlineDepth > 0: the outermost call being inlined
  int64_t loopTrips = 1;     ///< iterations of the enclosing loops, multiplied
  bool opaqueCalls = false;  ///< user calls on unknown arguments are not inlined (body checks)
  /// In a query's prediction or intervention value: its worlds (qualified names `W.x` are
  /// allowed) and the world the expression is evaluated in. Null: no qualified names.
  QueryWorlds* worlds = nullptr;
  uint32_t home = 0;
  /// In a prediction that reads several worlds, evaluated in `home`: the world its unqualified
  /// model names mean (the query's default world, worlds.md §2), when that is not `home`.
  std::optional<uint32_t> plainWorld;
};

/// A query's worlds while it is lowered (LowerWorlds.cpp).
struct QueryWorlds {
  ir::QueryGraph* graph = nullptr;
  LoweredModel* model = nullptr;
  std::string modelName;
  bool hasTopDo = false;
  std::map<std::string, uint32_t> index;  ///< the names qualified names may use
  std::vector<uint32_t> rank;             ///< per world: its place in the evaluation order
  std::map<std::tuple<uint32_t, uint32_t, ir::NodeId>, ir::NodeId> reads;  ///< (home, world, node)
  std::vector<std::map<ir::NodeId, SourceLoc>> intervened;  ///< per world: targets set
  std::map<const ast::QueryStmt*, uint32_t> blocks;  ///< each declared `world` block's world
  const ast::QueryDecl* decl = nullptr;              ///< the query (its later statements)
  std::set<const ast::QueryStmt*> early;             ///< `intervene`s lowered before their turn
};

/// Lends `owner`'s locals (loop variables, parameters) to a compile-time context while
/// the loan lives, without copying them: a copy per index would cost each node of a nest
/// d loops deep d^2 maps.
class LocalsLoan {
public:
  LocalsLoan(ExprContext& owner, ExprContext& borrower) : owner_(owner), borrower_(borrower) {
    borrower_.locals = std::move(owner_.locals);
  }
  ~LocalsLoan() { owner_.locals = std::move(borrower_.locals); }
  LocalsLoan(const LocalsLoan&) = delete;
  LocalsLoan& operator=(const LocalsLoan&) = delete;

private:
  ExprContext& owner_;
  ExprContext& borrower_;
};

/// The statements of a query or world body with `for` loops opened (each loop's body once,
/// in source order): for what is syntactic, such as which worlds a `do` reads.
std::vector<const ast::QueryStmt*> openLoops(const std::vector<ast::QueryStmt>& body);
/// Whether `name` ("y", "y[1]") is a family of the model's top level: loop-defined elements
/// or a table-valued node, possibly of rows.
bool isFamily(const ModelScope& scope, const std::string& name);
/// "[i][j]" for element `k` (row-major) of an array of type `t`.
std::string elementSuffix(const Type& t, size_t k);
/// A label's text with each loop variable replaced by its value (`x[i] > 0` -> `x[2] > 0`),
/// so each iteration's prediction has a label of its own.
std::string substituteLocals(const std::string& text, const std::vector<std::unordered_map<std::string, Value>>& locals);

class Lowerer {
public:
  Lowerer(const ast::Program& program, const SourceManager& sources, DiagnosticEngine& diags,
          const Limits& limits)
      : program_(program), sources_(sources), diags_(&diags), primaryDiags_(&diags), limits_(limits) {}

  std::vector<ir::QueryGraph> run();
  /// run() up to the queries: declarations, constants, function bodies and models; returns
  /// the queries to lower (a duplicate name reported and left out).
  std::vector<const ast::QueryDecl*> prepare();

  // --- LowerProgram.cpp: declarations, constants, functions
  void collectGlobals();
  void checkFunctionRecursion();
  void checkFunctionBodies();
  /// The value of global constant `name` (evaluated on first use; cycles reported).
  Value constantValue(const std::string& name, SourceLoc use);
  std::optional<Type> resolveType(const ast::TypeExpr& t);
  /// Resolves each `data` declaration's type and lays out the data buffer (dataTable_).
  void collectData();
  /// A use of data `name`: one Data node per element (or NotConstant in a compile-time context).
  Value dataValue(const std::string& name, const ast::Expr& e, ExprContext& ctx);
  /// `D[k]`, `D[k][j]`, ... (index expression `e`) when D names a data array and every index
  /// is a compile-time int in range: only that row's Data nodes, not all of D's (lowering D
  /// whole at every use made a loop over D quadratic: 20 000 rows took a minute to check).
  /// Nothing otherwise (lowerIndex's general path then lowers and checks it).
  std::optional<Value> dataRow(const ast::Expr& e, ExprContext& ctx);
  /// Appends the Data nodes of elements [from, from + count) of `d` to `v` (shared through ctx's cache).
  void appendDataNodes(Value& v, const ir::DataDecl& d, size_t from, size_t count, SourceLoc loc, ExprContext& ctx);
  /// The type of `name` when, in `ctx`, it names data (not a local or model name shadowing it).
  std::optional<Type> dataType(const std::string& name, const ExprContext& ctx) const;
  /// Names for did-you-mean hints.
  std::vector<std::string> visibleNames(const ExprContext& ctx) const;
  void suggest(Diagnostic& d, const std::string& name, const std::vector<std::string>& candidates);

  // --- LowerExpr.cpp: expressions
  Value lowerExpr(const ast::Expr& e, ExprContext& ctx);
  Value lowerName(const ast::Expr& e, ExprContext& ctx);
  Value lowerIndex(const ast::Expr& e, ExprContext& ctx);
  Value lowerUnary(const ast::Expr& e, ExprContext& ctx);
  Value lowerBinary(const ast::Expr& e, ExprContext& ctx);
  Value lowerTernary(const ast::Expr& e, ExprContext& ctx);
  Value lowerArray(const ast::Expr& e, ExprContext& ctx);
  /// Converts a scalar or array value to type `to` (which it must promote to).
  Value convert(const Value& v, Type to, ExprContext& ctx, SourceLoc loc);
  /// The node holding element `i` of `v` (creating a Const node if needed).
  ir::NodeId elementNode(const Value& v, size_t i, ExprContext& ctx, SourceLoc loc);
  ir::NodeId emit(ExprContext& ctx, ir::Node n);
  ir::NodeId constNode(ExprContext& ctx, Scalar s, ir::Word x, SourceLoc loc);
  /// Reports NotConstant when `v` is not known; returns whether it is.
  bool requireConstant(const Value& v, const char* what, SourceLoc loc);
  /// The value of `e` if it is a compile-time int, reporting nothing either way.
  std::optional<int64_t> silentConstInt(const ast::Expr& e, ExprContext& ctx);
  /// "z" or "z[3]" for a name with compile-time indices, reporting nothing.
  std::optional<std::string> staticName(const ast::Expr& e, ExprContext& ctx);
  /// If `e` names a model name ("x", "z[2]"), returns its node and full name.
  std::optional<std::pair<ir::NodeId, std::string>> modelNameOf(const ast::Expr& e, ExprContext& ctx,
                                                                bool report);

  // --- LowerCall.cpp: builtins and user functions
  Value lowerCall(const ast::Expr& e, ExprContext& ctx);
  Value lowerBuiltin(const ast::Expr& e, stdlib::Builtin b, ExprContext& ctx);
  Value lowerUserCall(const ast::Expr& e, const ast::FnDecl& fn, ExprContext& ctx);

  // --- LowerModel.cpp: models, sites, loops, branches
  void lowerModel(const ast::ModelDecl& m);
  void lowerStmts(const std::vector<ast::StmtPtr>& body, ExprContext& ctx, LoweredModel& lm);
  void lowerSite(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  void lowerNodeStmt(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  void lowerFor(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  /// A loop's iterations `from..to` and the whole nest's trip count (at least 1).
  struct LoopRange {
    int64_t from = 0, to = 0, trips = 1;
  };
  /// The rule every `for` (model or query) follows: compile-time int bounds, the loop and
  /// the nest within the iteration limit (`*tooLong` set when not), a loop variable that
  /// names no model name. Nothing after an error (reported).
  std::optional<LoopRange> loopRange(const ast::Expr& from, const ast::Expr& to, const std::string& var,
                                     SourceLoc varLoc, SourceLoc loc, ExprContext& ctx, bool* tooLong);
  void lowerIf(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  /// `factor expr`: a Factor node (guarded by the branch it is in) adding expr to the weight.
  void lowerFactorStmt(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  /// The real-valued Factor node of `factor expr` (kNoNode after an error, reported).
  ir::NodeId lowerFactor(const ast::Expr& e, SourceLoc loc, ExprContext& ctx);
  std::optional<std::string> targetName(const ast::Target& t, ExprContext& ctx, std::string* family,
                                        int64_t* index);
  void define(ExprContext& ctx, LoweredModel& lm, const std::string& name, const std::string& family,
              int64_t index, ir::NodeId id, SourceLoc loc);

  // --- LowerDistribution.cpp: distribution calls and proposals
  struct DistArgs {
    stdlib::Distribution dist;
    std::vector<ir::NodeId> params;
    std::vector<Value> values;  ///< per declared parameter
    bool ok = false;
  };
  DistArgs lowerDistCall(const ast::DistCall& call, ExprContext& ctx);
  /// lowerDistCall on a call's parts: distribution `name`, or table entry `id` when given (named
  /// `name` in messages: `truncated(D(...), lo, hi)` lowers D's truncated entry here).
  DistArgs lowerDistArgs(const std::string& name, SourceLoc loc, const std::vector<const ast::Expr*>& args,
                         ExprContext& ctx, std::optional<stdlib::Distribution> id = std::nullopt);
  /// `truncated(D(...), lo, hi)`: D's truncated table entry with D's parameters, lo and hi.
  DistArgs lowerTruncated(const ast::DistCall& call, ExprContext& ctx);
  /// `p ~ dirichlet(alpha)`: sites p[i].gamma ~ gamma(alpha[i], 1) and the nodes p[i], each
  /// draw's share of their sum (the exact construction), defined as the family p.
  void lowerDirichletSite(const ast::Stmt& s, ExprContext& ctx, LoweredModel& lm);
  /// `observe p == v` for a dirichlet site p (its shape checked): a constant v must be a simplex
  /// (each element in (0, 1), summing to 1 within 1e-9), checked here and reported at `loc`;
  /// data is checked so when bound (ir::DataCheck). Returns whether v may be observed.
  /// One observed element: a constant, or data slot `slot` of type `type`.
  struct ObservedElement {
    bool isData = false;
    double value = 0;
    uint32_t slot = 0;
    Scalar type = Scalar::Real;
  };
  bool checkDirichletObserved(const std::string& name, const std::vector<ObservedElement>& v, SourceLoc loc,
                              ir::QueryGraph& g);
  /// Whether world `w` recomputes any of `nodes` (they depend on its `do`s, language.md §7).
  static bool recomputedInWorld(const ir::QueryGraph& g, uint32_t w, const std::vector<ir::NodeId>& nodes);
  /// Checks every row of a constant table that argument `arg` (a simplex) of distribution
  /// `id` (called `dist` in messages) can be; reports the first bad one by name ("P[1][0]") at
  /// `loc` and returns false.
  bool checkTableRows(const Value& v, const std::string& dist, stdlib::Distribution id, size_t arg, SourceLoc loc);
  /// The data rows (a data array, or every row of a data table indexed at run time) that can
  /// reach simplex parameter `arg` of `id`: checked when bound (ir::DataCheck::Simplex).
  void checkDataRows(const Value& v, const std::string& dist, stdlib::Distribution id, size_t arg, SourceLoc loc,
                     ExprContext& ctx);
  void checkProposalSupport(const ast::DistCall& site, const DistArgs& s, const ast::DistCall& prop,
                            const DistArgs& p);
  /// Adds to `keys` the constant-cache keys (Lowerer::constNode) of the parameters of
  /// `call` when every argument is a literal lowerDistArgs will surely emit as a constant:
  /// the nodes a loop of such sites shares, counted before it is unrolled.
  void literalParams(const ast::DistCall& call, std::set<std::pair<int, uint64_t>>& keys);

  // --- LowerQuery.cpp: queries
  std::optional<ir::QueryGraph> lowerQuery(const ast::QueryDecl& q);
  /// The value side of `observe y == v`: a value known here (each element's value in
  /// `constants`), or data elements (each a Data node in `nodes`: the evidence reads its
  /// slot). Nothing after an error (reported), including a value computed from data.
  std::optional<Value> observedArray(const ast::Expr& e, ExprContext& ctx);

  // --- LowerWorlds.cpp: named worlds, interventions, qualified names
  /// Creates the query's worlds (factual, counterfactual, named) and checks their names and
  /// the cross-world reads of their interventions (cycles); fills `qw`.
  void declareWorlds(const ast::QueryDecl& q, QueryWorlds& qw);
  /// `W.x` in a query expression: x's value in world W, seen from the context's world.
  Value lowerQualified(const ast::Expr& e, ExprContext& ctx);
  /// The model name `e` (unqualified) read in world `w` from the context's world.
  Value lowerInWorld(const ast::Expr& e, uint32_t w, ExprContext& ctx);
  /// The world a qualified name names (nullopt: reported).
  std::optional<uint32_t> worldOf(const ast::Expr& e, ExprContext& ctx);
  /// `intervene` (world 0) or `do` in world `w`, in every form.
  /// `locals`: the query's loop variables around the statement.
  void lowerIntervention(const ast::QueryStmt& s, uint32_t w, QueryWorlds& qw,
                         const std::vector<std::unordered_map<std::string, Value>>& locals = {});
  /// The worlds a prediction reads, in order of first appearance (`dflt` for plain names).
  std::vector<uint32_t> worldsRead(const ast::Expr& e, uint32_t dflt, QueryWorlds& qw);
  /// Interventions of one world whose values read each other's targets, or a node
  /// downstream of their own target: errors.
  void checkInterventionCycles(const QueryWorlds& qw);

  const ast::Program& program_;
  const SourceManager& sources_;
  DiagnosticEngine* diags_;  ///< swapped for a scratch engine by silentConstInt

  std::unordered_map<std::string, const ast::ConstDecl*> consts_;
  /// `data` declarations: by name, the index into dataTable_ (ir::DataDecl, source order).
  std::unordered_map<std::string, size_t> datas_;
  std::vector<ir::DataDecl> dataTable_;
  uint32_t dataSize_ = 0;
  std::unordered_map<std::string, const ast::FnDecl*> fns_;
  std::unordered_map<std::string, LoweredModel> models_;
  std::unordered_map<std::string, Value> constValues_;
  std::unordered_map<std::string, bool> constInProgress_;
  std::vector<std::string> globalNames_;
  size_t modelNodeBudget_ = 0;
  DiagnosticEngine* primaryDiags_;
  Limits limits_;
  /// Results of user calls on known arguments, by function and argument bits.
  std::map<std::pair<const ast::FnDecl*, std::vector<uint64_t>>, Value> knownCalls_;
  std::set<const ir::QueryGraph*> tooLarge_;  ///< graphs already reported as too large
  /// Function bodies evaluated so far (inlined, or on known arguments and not yet cached),
  /// against 4 x --max-model-nodes: a call chain can take 2^n evaluations that add no nodes.
  uint64_t callEvaluations_ = 0;
  bool callBudgetReported_ = false;
};

}  // namespace mv::frontend
