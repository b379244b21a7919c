// backend/CodegenContext.h — state shared by the code generator's files (private to backend/).
#pragma once

#include "ir/Graph.h"
#include "ir/Plan.h"
#include "backend/Codegen.h"
#include "runtime/Runtime.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace mv::backend::cg {

/// The sample function being generated. Every node value is in a slot: an int node's as an
/// i64 (exact over int64, as ir::Word), a real's as a double, a bool's as an i1 (so boolean
/// logic, comparisons and conditions stay integer; a bool becomes a double 0/1 only where the
/// runtime's C ABI takes one: distribution parameters and predictions). A small graph is one function whose slots are
/// stack allocas (mem2reg/SROA turn them into SSA). A large one is split into chunks
/// (CodegenOptions::chunkCost): internal noinline functions that keep their slots in a
/// zeroed heap buffer `vals` shared with the sample function, which calls them in order.
struct Gen {
  Gen(llvm::LLVMContext& c, llvm::Module& m, const ir::QueryGraph& graph, const CodegenOptions& o)
      : ctx(c), mod(m), g(graph), opts(o), b(c), plan(ir::buildPlan(graph)) {}

  static constexpr uint32_t kNoSlot = UINT32_MAX;

  llvm::LLVMContext& ctx;
  llvm::Module& mod;
  const ir::QueryGraph& g;
  const CodegenOptions& opts;
  llvm::IRBuilder<> b;
  const ir::Plan plan;  ///< the steps emitted, in order (ir/Plan.h), as the interpreter walks them
  // The function being emitted (the sample function, or the current chunk) and its arguments.
  llvm::Function* fn = nullptr;
  llvm::Value* seed = nullptr;
  llvm::Value* sample = nullptr;
  llvm::Value* errOut = nullptr;
  /// The sample's stream key (runtime/Stream.h, mv_rt_sample_key), computed once at the
  /// entry of the current function (emitSampleKey): every site's stream starts from it.
  llvm::Value* sampleKey = nullptr;
  /// The sample function's `ctx` argument: the run's data buffer (ir::DataDecl), one ir::Word
  /// per slot. Chunk functions read it from buffer slot dataSlot (see dataBuffer()).
  llvm::Value* dataArg = nullptr;
  uint32_t dataSlot = UINT32_MAX;
  llvm::Value* logw = nullptr;            ///< pointer to the running (estimate) log weight
  /// The query has separated evidence: a second running log weight over every factor.
  bool separated = false;
  llvm::Value* logf = nullptr;            ///< separated: pointer to the running full log weight
  llvm::BasicBlock* zeroExit = nullptr;   ///< log weight -inf: predictions 0, return 0 (a chunk returns 2)
  // The sample function's outputs.
  llvm::Value* logwOut = nullptr;
  llvm::Value* fullOut = nullptr;
  llvm::Value* predsOut = nullptr;
  /// slots[w][id]: the slot of world w's value of node id; kNoSlot where the world reads the
  /// factual one.
  std::vector<std::vector<uint32_t>> slots;
  std::vector<llvm::AllocaInst*> allocas;  ///< one function: the alloca of each slot
  llvm::Value* vals = nullptr;             ///< chunked: the current function's value buffer
  /// Values known at compile time, per world (Const nodes without guard, interventions).
  std::vector<std::vector<std::optional<ir::Word>>> known;

  // Chunking (Codegen.cpp): the chunk functions so far and the cost emitted into the last.
  bool chunked = false;
  std::vector<llvm::Function*> chunks;
  size_t chunkUsed = 0;
  uint32_t logwSlot = kNoSlot;  ///< chunked: the buffer slot of the log weight
  uint32_t fullSlot = kNoSlot;  ///< chunked and separated: the buffer slot of the full log weight
  /// Before emitting an item of `cost` (see itemCost): when chunking, starts a new chunk
  /// function if the current one would exceed CodegenOptions::chunkCost.
  void beginItem(size_t cost);

  // Lanes (backend/CodegenLanes.cpp): the lane sample function computes `lanes` consecutive
  // samples at once, every per-sample value a <lanes x T> vector, lane l being what the
  // sample function computes for sample i0 + l. Control flow on per-sample conditions becomes
  // masks; outside that function lanes is 1 and everything below is scalar.
  unsigned lanes = 1;
  /// The lane function: the lanes the current code runs for (guards, kept/redraw sides), a
  /// <lanes x i1>; null when all of them. Stores and weight terms take effect only there.
  llvm::Value* mask = nullptr;
  /// The lane function: the lanes that have not left at the zero exit (<lanes x i1>).
  llvm::AllocaInst* alive = nullptr;
  /// The lane function: its exit returning 1, "rerun these samples with the sample function".
  llvm::BasicBlock* rerun = nullptr;
  /// The lanes that are running: alive and in the mask (the lane function only).
  llvm::Value* activeMask() {
    llvm::Value* a = b.CreateLoad(alive->getAllocatedType(), alive);
    return mask ? b.CreateAnd(a, mask) : a;
  }
  /// `t` as a per-sample value's type: <lanes x t> in the lane function.
  llvm::Type* lane(llvm::Type* t) { return lanes > 1 ? llvm::FixedVectorType::get(t, lanes) : t; }
  llvm::Constant* splat(llvm::Constant* c) {
    return lanes > 1 ? llvm::ConstantVector::getSplat(llvm::ElementCount::getFixed(lanes), c) : c;
  }
  llvm::Value* splatValue(llvm::Value* v) { return lanes > 1 ? b.CreateVectorSplat(lanes, v) : v; }

  llvm::Type* f64() { return b.getDoubleTy(); }
  llvm::Type* i32() { return b.getInt32Ty(); }
  llvm::Type* i64() { return b.getInt64Ty(); }
  llvm::Type* vf64() { return lane(f64()); }
  llvm::Type* vi64() { return lane(i64()); }
  llvm::Type* vi32() { return lane(i32()); }
  /// Per-sample constants (splat in the lane function).
  llvm::Constant* real(double v) { return splat(llvm::ConstantFP::get(f64(), v)); }
  llvm::Constant* int64(uint64_t v) { return splat(b.getInt64(v)); }
  llvm::Constant* int32(uint32_t v) { return splat(b.getInt32(v)); }
  llvm::Constant* bit(bool v) { return splat(b.getInt1(v)); }
  /// The LLVM type of a value of type `t`'s slot.
  llvm::Type* typeOf(ir::Scalar t) {
    return lane(t == ir::Scalar::Int ? i64() : t == ir::Scalar::Bool ? b.getInt1Ty() : f64());
  }
  llvm::Type* typeOf(ir::NodeId id) { return typeOf(g.nodes[id].type); }
  /// A value of type `t` as a constant.
  llvm::Constant* constant(ir::Scalar t, ir::Word v) {
    if (t == ir::Scalar::Int) return int64(v.bits);
    if (t == ir::Scalar::Bool) return bit(v.asBool());
    return real(v.asReal());
  }
  /// The zero of node `id`'s type (an unevaluated node, as the interpreter's zeroed scratch).
  llvm::Constant* zero(ir::NodeId id) { return constant(g.nodes[id].type, ir::Word{}); }
  /// A value of type `t` as the runtime's C ABI sees it (ir::Word::toDouble: an int rounds
  /// to nearest, as LLVM's sitofp; a bool is 0.0/1.0).
  llvm::Value* toDouble(ir::Scalar t, llvm::Value* v) {
    if (t == ir::Scalar::Int) return b.CreateSIToFP(v, vf64());
    return t == ir::Scalar::Bool ? b.CreateUIToFP(v, vf64()) : v;
  }

  /// A pointer to slot `s` in the current function.
  llvm::Value* slotPtr(uint32_t s) { return vals ? b.CreateConstInBoundsGEP1_64(f64(), vals, s) : allocas[s]; }
  /// The slot world `w` reads node `id` from.
  llvm::Value* slot(ir::NodeId id, size_t w) { return slotPtr(slots[w][id] != kNoSlot ? slots[w][id] : slots[0][id]); }
  llvm::Value* load(ir::NodeId id, size_t w) { return b.CreateLoad(typeOf(id), slot(id, w)); }
  /// Stores `v` as world `w`'s node `id` (in the lane function: in the mask's lanes).
  void store(ir::NodeId id, size_t w, llvm::Value* v) {
    llvm::Value* p = slotPtr(slots[w][id]);
    if (mask) v = b.CreateSelect(mask, v, b.CreateLoad(typeOf(id), p));
    b.CreateStore(v, p);
  }
  std::optional<ir::Word> knownValue(ir::NodeId id, size_t w) {
    return slots[w][id] != kNoSlot ? known[w][id] : known[0][id];
  }
  /// Node `id` as world `w` sees it: a constant when known at compile time.
  llvm::Value* operand(ir::NodeId id, size_t w) {
    if (std::optional<ir::Word> v = knownValue(id, w)) return constant(g.nodes[id].type, *v);
    return load(id, w);
  }
  /// The data buffer's pointer in the current function.
  llvm::Value* dataBuffer() { return vals ? b.CreateLoad(b.getPtrTy(), slotPtr(dataSlot)) : dataArg; }
  /// An alloca in the entry block.
  llvm::AllocaInst* entryAlloca(llvm::Type* t, const llvm::Twine& name = "");
  /// A new block in the function.
  llvm::BasicBlock* block(const llvm::Twine& name) { return llvm::BasicBlock::Create(ctx, name, fn); }
  /// When `cond` holds: fills *err with {kind, node, param, value, sample} and returns 1.
  /// Continues in a new block.
  void failIf(llvm::Value* cond, int32_t kind, llvm::Value* node, llvm::Value* param, llvm::Value* value);
  /// failIf inside a chunk: a branch to the chunk's one failing exit (chunkFail).
  void failInChunk(llvm::Value* cond, int32_t kind, llvm::Value* node, llvm::Value* param, llvm::Value* value);
  llvm::BasicBlock* chunkFail = nullptr;           ///< the current chunk's failing exit, once needed
  llvm::PHINode* chunkFailFields[4] = {};          ///< its kind, node, param (i32) and value (i64 bits)
  /// A call to an external function `double name(double...)` that the optimiser must not
  /// rewrite (so results equal the interpreter's libm calls) but may move or merge.
  llvm::Value* libm(const char* name, llvm::ArrayRef<llvm::Value*> args);
  /// The lane function: `f` called once per lane on that lane's elements of `args` (the
  /// vectors among them; scalars passed as they are), with lanes = 1 and the lane's sample
  /// key while it emits, its results gathered into a vector. With `masked`, lanes not active
  /// skip the call and give `idle` (runtime calls, which may not terminate on the values of
  /// a lane the sample function would not reach). Outside the lane function: f(args).
  llvm::Value* perLane(llvm::ArrayRef<llvm::Value*> args,
                       const std::function<llvm::Value*(llvm::ArrayRef<llvm::Value*>)>& f, bool masked,
                       llvm::Constant* idle);
  /// lgamma_r(x) (its sign dropped), as stdlib::evalScalarBuiltin: std::lgamma writes a global.
  llvm::Value* lgamma(llvm::Value* x);
  /// Adds `term` to the full log weight and, unless `separatedFactor`, to the estimate one.
  void addToWeight(llvm::Value* term, bool separatedFactor);
  /// Both log weights become -inf when `cond` (an i1) holds.
  void zeroWeightIf(llvm::Value* cond);
  /// The running log weight that holds every factor (what the NaN and -inf checks read).
  llvm::Value* fullWeightPtr() { return separated ? logf : logw; }
};

// ---- CodegenNodes.cpp --------------------------------------------------------------------

/// A double to an i64 as ir::intOfReal (x86's cvttsd2si: INT64_MIN for NaN and out of range).
llvm::Value* asInt(Gen& gen, llvm::Value* v);
/// Double 1.0/0.0 from an i1.
llvm::Value* fromBool(Gen& gen, llvm::Value* c);
/// The i1 (or <W x i1>) that `x` is fromBool of, else null: x == 1.0 and x != 0.0 are it,
/// x == 0.0 its negation (InstCombine folds these on scalars, not on vectors).
llvm::Value* boolSource(llvm::Value* x);
/// A bool's value (an i1) as an i1; any other value's v != 0.
llvm::Value* truth(Gen& gen, llvm::Value* v);
/// Evaluates deterministic node `id` of world `w` (Interpreter::evalNode) and returns its value.
llvm::Value* emitNode(Gen& gen, ir::NodeId id, size_t w);

// ---- CodegenDistributions.cpp ------------------------------------------------------------

/// mv_rt_mix64 (runtime/Stream.h) on an i64.
llvm::Value* mix64(Gen& gen, llvm::Value* z);
/// mv_rt_sample_key(mv_rt_seed_key(seed), sample) from the current function's arguments.
llvm::Value* emitSampleKey(Gen& gen);
/// mv_rt_check_NAME: an i32, -1 when the parameters are in their domain.
llvm::Value* emitCheck(Gen& gen, stdlib::Distribution d, llvm::ArrayRef<llvm::Value*> p);
/// mv_rt_draw_NAME from the stream of (site ordinal, world).
llvm::Value* emitDraw(Gen& gen, stdlib::Distribution d, llvm::ArrayRef<llvm::Value*> p, uint32_t ordinal,
                      uint32_t world);
/// mv_rt_proposal_covers (runtime/Coverage.h): an i1, true when proposal `q` with parameters
/// `qp` covers `d` with `p`; *missed receives a value (f64) the proposal never draws otherwise.
llvm::Value* emitCovers(Gen& gen, stdlib::Distribution d, llvm::ArrayRef<llvm::Value*> p, stdlib::Distribution q,
                        llvm::ArrayRef<llvm::Value*> qp, llvm::Value** missed);
/// mv_rt_logpdf_NAME(x, p).
llvm::Value* emitLogpdf(Gen& gen, stdlib::Distribution d, llvm::Value* x, llvm::ArrayRef<llvm::Value*> p);

// ---- CodegenSites.cpp --------------------------------------------------------------------

/// Evidence `ev`'s observed value as a value of type `t` (ir::observedValue): a constant, or
/// its data slot loaded from the data buffer and converted.
llvm::Value* observedValue(Gen& gen, const ir::Evidence& ev, ir::Scalar t);
/// A site of the factual world: parameter checks, evidence (`observed`, or null), proposals;
/// updates the log weight.
void emitFactualSite(Gen& gen, ir::NodeId id, const ir::Evidence* observed);
/// A site recomputed in counterfactual world `w`: its factual value where its inputs are the
/// factual ones (ir::keepsFactualDraw), else redrawn from its prior.
void emitCounterfactualSite(Gen& gen, ir::NodeId id, size_t w);
/// Whether world `w` keeps site `id`'s factual draw (ir::keepsFactualDraw), as an i1.
llvm::Value* keepsFactualDraw(Gen& gen, ir::NodeId id, size_t w);
/// Whether `v` (of type `t`) is not evidence `ev`'s value (ir::sameValue negated).
llvm::Value* differsFrom(Gen& gen, ir::Scalar t, llvm::Value* v, const ir::Evidence& ev);
/// An ObserveIfKept step: observed where world `from` keeps the draw, else the site's own draw.
void emitObserveIfKept(Gen& gen, ir::NodeId id, size_t from, const ir::Evidence& ev);
/// A WorldObserve step of world `w` (as the interpreter's observeInWorld).
void emitWorldObserve(Gen& gen, ir::NodeId id, size_t w, const ir::Evidence& ev);
/// A stochastic `do`'s site in world `w`: drawn from its distribution with the world's stream.
void emitStochasticSite(Gen& gen, ir::NodeId id, size_t w);

// ---- CodegenBlock.cpp --------------------------------------------------------------------

/// After the sample function `sampleFn`: `NAME_block`, an mv_rt_block_fn (runtime/Runtime.h)
/// running the driver's per-sample loop over a block; `inlineSample` inlines `sampleFn` into it. With
/// `laneFn` (emitLaneFunction of `lanes` lanes) it runs groups of `lanes` samples through it.
void emitBlockFunction(Gen& gen, llvm::Function* sampleFn, llvm::Function* laneFn, unsigned lanes, bool inlineSample);

// ---- Codegen.cpp ---------------------------------------------------------------------------

/// Every step of the plan (ir/Plan.h), in order, into the current function.
void emitPasses(Gen& gen);

// ---- CodegenLanes.cpp ----------------------------------------------------------------------

/// The constant `v` is, looking through a splat; null when it is not a constant.
llvm::Constant* scalarConstant(llvm::Value* v);
/// After the sample function: `NAME.lanes(ctx, seed, i0, double lw[W], double full[W],
/// double preds[W][numPreds])`, W = CodegenOptions::lanes, returning 0 with lane l's outputs
/// being exactly the sample function's for sample i0 + l and passing the driver's checks, or 1
/// when some lane failed or would fail them (the caller reruns the W samples through the
/// sample function, whose failure and checks report it).
llvm::Function* emitLaneFunction(Gen& gen, unsigned lanes);

}  // namespace mv::backend::cg
