// backend/Codegen.cpp — the sample function's skeleton: factual pass, counterfactual passes, predictions.
#include "backend/Codegen.h"

#include "backend/CodegenContext.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <limits>

namespace mv::backend {

using ir::NodeId;
using ir::NodeKind;
using llvm::Value;

namespace cg {

llvm::AllocaInst* Gen::entryAlloca(llvm::Type* t, const llvm::Twine& name) {
  llvm::IRBuilder<> eb(&fn->getEntryBlock(), fn->getEntryBlock().begin());
  return eb.CreateAlloca(t, nullptr, name);
}

void Gen::failIf(Value* cond, int32_t kind, Value* node, Value* param, Value* value) {
  if (auto* c = llvm::dyn_cast_or_null<llvm::ConstantInt>(scalarConstant(cond)); c && c->isZero()) return;
  if (lanes > 1) {  // any active lane failing: the sample function reruns the group and reports it
    llvm::BasicBlock* ok = block("ok");
    b.CreateCondBr(b.CreateOrReduce(b.CreateAnd(cond, activeMask())), rerun, ok);
    b.SetInsertPoint(ok);
    return;
  }
  const bool fieldsFit = node->getType() == i32() && param->getType() == i32() &&
                         (value->getType() == i64() || value->getType() == f64());
  if (chunked && !chunks.empty() && fn == chunks.back() && fieldsFit) return failInChunk(cond, kind, node, param, value);
  llvm::BasicBlock* bad = block("fail");
  llvm::BasicBlock* ok = block("ok");
  b.CreateCondBr(cond, bad, ok);
  b.SetInsertPoint(bad);
  auto field = [&](uint64_t offset) { return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), errOut, offset); };
  b.CreateStore(b.getInt32(uint32_t(kind)), field(0));
  b.CreateStore(node, field(4));
  b.CreateStore(param, field(8));
  b.CreateStore(value, field(16));
  b.CreateStore(sample, field(24));
  b.CreateRet(b.getInt32(1));
  b.SetInsertPoint(ok);
}

void Gen::failInChunk(Value* cond, int32_t kind, Value* node, Value* param, Value* value) {
  // One failing exit per chunk, its fields through phis: the same stores as failIf's, but a
  // block and five stores fewer per check, which machine code generation pays for per
  // instruction. The value field is 8 bytes of bits: a double is stored as its i64 bits.
  if (!chunkFail) {
    llvm::IRBuilder<>::InsertPointGuard keep(b);
    chunkFail = block("fail");
    b.SetInsertPoint(chunkFail);
    for (int k = 0; k < 4; ++k) chunkFailFields[k] = b.CreatePHI(k == 3 ? i64() : i32(), 8);
    auto field = [&](uint64_t offset) { return b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), errOut, offset); };
    b.CreateStore(chunkFailFields[0], field(0));
    b.CreateStore(chunkFailFields[1], field(4));
    b.CreateStore(chunkFailFields[2], field(8));
    b.CreateStore(chunkFailFields[3], field(16));
    b.CreateStore(sample, field(24));
    b.CreateRet(b.getInt32(1));
  }
  if (value->getType()->isDoubleTy()) value = b.CreateBitCast(value, i64());
  llvm::BasicBlock* from = b.GetInsertBlock();
  Value* fields[4] = {b.getInt32(uint32_t(kind)), node, param, value};
  for (int k = 0; k < 4; ++k) chunkFailFields[k]->addIncoming(fields[k], from);
  llvm::BasicBlock* ok = block("ok");
  b.CreateCondBr(cond, chunkFail, ok);
  b.SetInsertPoint(ok);
}

void Gen::addToWeight(Value* term, bool separatedFactor) {
  for (Value* p : {separated ? logf : nullptr, !separated || !separatedFactor ? logw : nullptr}) {
    if (!p) continue;
    Value* old = b.CreateLoad(vf64(), p);
    Value* sum = b.CreateFAdd(old, term);
    b.CreateStore(mask ? b.CreateSelect(mask, sum, old) : sum, p);
  }
}

void Gen::zeroWeightIf(Value* cond) {
  const double negInf = -std::numeric_limits<double>::infinity();
  if (mask) cond = b.CreateAnd(cond, mask);
  for (Value* p : {logw, separated ? logf : nullptr})
    if (p) b.CreateStore(b.CreateSelect(cond, real(negInf), b.CreateLoad(vf64(), p)), p);
}

void Gen::beginItem(size_t cost) {
  if (chunks.empty() || (chunkUsed > 0 && chunkUsed + cost > opts.chunkCost)) {
    if (!chunks.empty()) b.CreateRet(b.getInt32(0));
    llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
    auto* type = llvm::FunctionType::get(i32(), {ptr, i64(), i64(), ptr}, false);
    fn = llvm::Function::Create(type, llvm::Function::InternalLinkage,
                                opts.functionName + ".chunk" + std::to_string(chunks.size()), mod);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn->addFnAttr(llvm::Attribute::NoInline);  // inlining them back would undo the split
    chunks.push_back(fn);
    llvm::Function::arg_iterator a = fn->arg_begin();
    vals = a++;
    vals->setName("vals");
    seed = a++;
    seed->setName("seed");
    sample = a++;
    sample->setName("sample");
    errOut = a++;
    for (Value* p : {vals, errOut}) llvm::cast<llvm::Argument>(p)->addAttr(llvm::Attribute::NoAlias);
    llvm::BasicBlock* entry = block("entry");
    chunkFail = nullptr;  // created by the chunk's first check (failInChunk)
    zeroExit = block("zero");
    b.SetInsertPoint(zeroExit);
    b.CreateRet(b.getInt32(2));
    b.SetInsertPoint(entry);
    logw = slotPtr(logwSlot);
    if (separated) logf = slotPtr(fullSlot);
    sampleKey = cg::emitSampleKey(*this);
    chunkUsed = 0;
  }
  chunkUsed += cost;
}

}  // namespace cg

namespace {

using cg::Gen;

/// Roughly the number of LLVM instructions node `n` emits (a counterfactual copy: 2).
size_t itemCost(const ir::Node& n) {
  return n.kind == NodeKind::Site ? 40 + 2 * n.operands.size() : 4 + 2 * n.operands.size();
}

size_t totalCost(const ir::QueryGraph& g) {
  size_t cost = 0;
  for (size_t w = 0; w < g.worlds.size(); ++w)
    for (NodeId id : g.worlds[w].schedule) cost += itemCost(g.nodes[id]) + (w > 0 ? 2 : 0);
  return cost;
}

/// Chunked graphs: one item of work, which may start a new chunk.
void beginItem(Gen& gen, size_t cost) {
  if (gen.chunked) gen.beginItem(cost);
}

/// Checks the log weight after a node that changed it, as the interpreter does after every
/// node (checks after nodes that leave it unchanged are redundant: the last one passed).
void checkWeight(Gen& gen, NodeId id) {
  Value* lw = gen.b.CreateLoad(gen.vf64(), gen.fullWeightPtr());
  gen.failIf(gen.b.CreateFCmpUNO(lw, lw), MV_RT_NAN_WEIGHT, gen.b.getInt32(id), gen.b.getInt32(-1), lw);
  if (gen.lanes > 1) {  // the zero exit: the lane stops (its outputs are set at the end)
    Value* zero = gen.b.CreateFCmpOEQ(lw, gen.real(-std::numeric_limits<double>::infinity()));
    if (gen.mask) zero = gen.b.CreateAnd(zero, gen.mask);
    Value* alive = gen.b.CreateLoad(gen.alive->getAllocatedType(), gen.alive);
    gen.b.CreateStore(gen.b.CreateAnd(alive, gen.b.CreateNot(zero)), gen.alive);
    return;
  }
  llvm::BasicBlock* go = gen.block("go");
  gen.b.CreateCondBr(gen.b.CreateFCmpOEQ(lw, gen.real(-std::numeric_limits<double>::infinity())),
                     gen.zeroExit, go);
  gen.b.SetInsertPoint(go);
}

/// Branches around the rest of a step when its guard is off (the node then holds the zero
/// word); returns the block after the step, or null when the step has no guard.
llvm::BasicBlock* guardStep(Gen& gen, const ir::Step& s) {
  llvm::BasicBlock* next = gen.block("next");
  if (s.guard == ir::kNoNode) return next;
  if (gen.lanes > 1) {  // the lanes where the guard is off hold the zero word; the step runs in the others
    Value* on = cg::truth(gen, gen.load(s.guard, s.world));
    gen.mask = gen.b.CreateNot(on);
    gen.store(s.node, s.world, gen.zero(s.node));
    gen.mask = on;
    return next;
  }
  llvm::BasicBlock* skip = gen.block("skip");
  llvm::BasicBlock* run = gen.block("run");
  gen.b.CreateCondBr(cg::truth(gen, gen.load(s.guard, s.world)), run, skip);
  gen.b.SetInsertPoint(skip);
  gen.store(s.node, s.world, gen.zero(s.node));
  gen.b.CreateBr(next);
  gen.b.SetInsertPoint(run);
  return next;
}

/// One plan step (ir/Plan.h), as the interpreter performs it.
void emitStep(Gen& gen, const ir::Step& s) {
  const ir::QueryGraph& g = gen.g;
  const NodeId id = s.node;
  const size_t w = s.world;
  if (s.kind == ir::StepKind::Resume) return;  // a world reads what it does not compute from the factual slots
  if (s.kind == ir::StepKind::EnterWorld) {
    // The world starts as a copy of the factual values (of the nodes it recomputes).
    for (NodeId c : g.worlds[w].schedule) {
      beginItem(gen, 2);
      gen.b.CreateStore(gen.b.CreateLoad(gen.typeOf(c), gen.slotPtr(gen.slots[0][c])), gen.slotPtr(gen.slots[w][c]));
    }
    return;
  }
  const ir::Node& n = g.nodes[id];
  beginItem(gen, itemCost(n));
  llvm::BasicBlock* next = guardStep(gen, s);
  switch (s.kind) {
    case ir::StepKind::EnterWorld:
    case ir::StepKind::Resume: break;  // above
    case ir::StepKind::ObserveIfKept: cg::emitObserveIfKept(gen, id, s.from, g.evidence[s.evidence]); break;
    case ir::StepKind::WorldObserve: cg::emitWorldObserve(gen, id, w, g.evidence[s.evidence]); break;
    case ir::StepKind::Check:
      gen.zeroWeightIf(cg::differsFrom(gen, n.type, gen.load(id, w), g.evidence[s.evidence]));
      break;
    case ir::StepKind::Set: {
      std::optional<ir::Word> v = gen.knownValue(s.value, w);
      gen.store(id, w, gen.operand(s.value, w));
      if (v && s.guard == ir::kNoNode) gen.known[w][id] = *v;
      break;
    }
    case ir::StepKind::Read: gen.store(id, w, gen.load(s.value, s.from)); break;
    case ir::StepKind::Stochastic: cg::emitStochasticSite(gen, id, w); break;
    case ir::StepKind::Evaluate: {
      Value* v = cg::emitNode(gen, id, w);
      if (n.kind == NodeKind::Const && n.guard == ir::kNoNode) gen.known[w][id] = n.constant;
      if (s.evidence != ir::kNoEvidence) {
        const ir::Evidence& ev = g.evidence[s.evidence];
        if (ev.invertedSite != ir::kNoNode) v = cg::observedValue(gen, ev, n.type);
        else gen.zeroWeightIf(cg::differsFrom(gen, n.type, v, ev));  // ir::sameValue
      }
      gen.store(id, w, v);
      if (s.mustHold) gen.zeroWeightIf(gen.b.CreateNot(cg::truth(gen, v)));
      break;
    }
    case ir::StepKind::Observe:
      cg::emitFactualSite(gen, id, &g.evidence[s.evidence]);
      break;
    case ir::StepKind::Draw:
    case ir::StepKind::Propose:
    case ir::StepKind::PointPropose: cg::emitFactualSite(gen, id, nullptr); break;
    case ir::StepKind::Redraw: cg::emitCounterfactualSite(gen, id, w); break;
    case ir::StepKind::Factor: {
      Value* v = cg::emitNode(gen, id, w);
      gen.store(id, w, v);
      // As the interpreter: NaN or +inf fails the sample, -inf zeroes the weight (checked after).
      Value* nan = gen.b.CreateFCmpUNO(v, v);
      Value* bad = gen.b.CreateOr(nan, gen.b.CreateFCmpOEQ(v, gen.real(std::numeric_limits<double>::infinity())));
      gen.failIf(bad, MV_RT_FACTOR, gen.b.getInt32(id), gen.b.CreateSelect(nan, gen.int32(0), gen.int32(1)), v);
      gen.addToWeight(v, false);
      break;
    }
  }
  if (s.checksWeight) checkWeight(gen, id);
  gen.mask = nullptr;
  gen.b.CreateBr(next);
  gen.b.SetInsertPoint(next);
}


/// The log weights into the caller's outputs (the full one is the estimate one unless separated).
void storeWeights(Gen& gen) {
  Value* lw = gen.b.CreateLoad(gen.f64(), gen.logw);
  gen.b.CreateStore(lw, gen.logwOut);
  gen.b.CreateStore(gen.separated ? gen.b.CreateLoad(gen.f64(), gen.logf) : lw, gen.fullOut);
}

/// The predictions (0 when `zero`) into the caller's array.
void storePredictions(Gen& gen, bool zero) {
  for (size_t k = 0; k < gen.g.predictions.size(); ++k) {
    const ir::Prediction& p = gen.g.predictions[k];
    gen.b.CreateStore(zero ? gen.real(0) : gen.toDouble(gen.g.nodes[p.node].type, gen.load(p.node, p.world)),
                      gen.b.CreateConstInBoundsGEP1_64(gen.f64(), gen.predsOut, k));
  }
}

/// The -inf exit of the sample function: both log weights -inf, predictions 0, return 0.
void emitZeroExit(Gen& gen) {
  gen.b.CreateStore(gen.real(-std::numeric_limits<double>::infinity()), gen.logwOut);
  gen.b.CreateStore(gen.real(-std::numeric_limits<double>::infinity()), gen.fullOut);
  storePredictions(gen, true);
  gen.b.CreateRet(gen.b.getInt32(0));
}

/// The whole sample in one function, every slot an alloca.
void emitSingle(Gen& gen, uint32_t numSlots) {
  const ir::QueryGraph& g = gen.g;
  gen.b.SetInsertPoint(gen.block("entry"));
  gen.allocas.resize(numSlots);
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    gen.allocas[gen.slots[0][id]] =
        gen.b.CreateAlloca(gen.typeOf(id), nullptr, g.nodes[id].name.empty() ? "t" : g.nodes[id].name);
    gen.b.CreateStore(gen.zero(id), gen.allocas[gen.slots[0][id]]);  // the interpreter's zeroed scratch
  }
  for (size_t w = 1; w < g.worlds.size(); ++w)
    for (NodeId id : g.worlds[w].schedule)
      gen.allocas[gen.slots[w][id]] = gen.b.CreateAlloca(gen.typeOf(id), nullptr, "cf");
  gen.logw = gen.allocas[gen.logwSlot] = gen.b.CreateAlloca(gen.f64(), nullptr, "logw");
  gen.b.CreateStore(gen.real(0), gen.logw);
  if (gen.separated) {
    gen.logf = gen.allocas[gen.fullSlot] = gen.b.CreateAlloca(gen.f64(), nullptr, "logf");
    gen.b.CreateStore(gen.real(0), gen.logf);
  }

  gen.sampleKey = cg::emitSampleKey(gen);  // the seed's part is loop-invariant in the block function

  llvm::BasicBlock* body = gen.b.GetInsertBlock();
  gen.zeroExit = gen.block("zero");
  gen.b.SetInsertPoint(gen.zeroExit);
  emitZeroExit(gen);
  gen.b.SetInsertPoint(body);

  emitPasses(gen);
  storePredictions(gen, false);
  storeWeights(gen);
  gen.b.CreateRet(gen.b.getInt32(0));
}

/// A large sample: the passes in chunk functions (Gen::beginItem) over a zeroed heap buffer
/// of all slots; the sample function allocates it, calls the chunks in order (each returns 0
/// to go on, 1 on an error, 2 on a -inf weight), reads the outputs and frees it.
void emitChunked(Gen& gen, uint32_t numSlots) {
  llvm::Function* sampleFn = gen.fn;
  llvm::Value* seed = gen.seed;
  llvm::Value* sample = gen.sample;
  llvm::Value* errOut = gen.errOut;
  llvm::Type* ptr = gen.b.getPtrTy();
  emitPasses(gen);
  if (gen.chunks.empty()) gen.beginItem(0);  // a graph of empty schedules
  gen.b.CreateRet(gen.b.getInt32(0));

  gen.fn = sampleFn;
  llvm::IRBuilder<>& b = gen.b;
  b.SetInsertPoint(gen.block("entry"));
  llvm::FunctionCallee calloc = gen.mod.getOrInsertFunction("calloc", ptr, gen.i64(), gen.i64());
  llvm::FunctionCallee free = gen.mod.getOrInsertFunction("free", b.getVoidTy(), ptr);
  gen.vals = b.CreateCall(calloc, {b.getInt64(numSlots), b.getInt64(sizeof(double))}, "vals");
  llvm::BasicBlock* noMemory = gen.block("nomem");
  llvm::BasicBlock* run = gen.block("run");
  b.CreateCondBr(b.CreateIsNull(gen.vals), noMemory, run);
  b.SetInsertPoint(noMemory);
  b.CreateIntrinsic(llvm::Intrinsic::trap, {}, {});
  b.CreateUnreachable();

  // stop: a chunk returned `code` != 0.
  llvm::BasicBlock* stop = gen.block("stop");
  b.SetInsertPoint(stop);
  llvm::PHINode* code = b.CreatePHI(gen.i32(), unsigned(gen.chunks.size()), "code");
  b.CreateCall(free, {gen.vals});
  gen.zeroExit = gen.block("zero");
  llvm::BasicBlock* failed = gen.block("failed");
  b.CreateCondBr(b.CreateICmpEQ(code, b.getInt32(2)), gen.zeroExit, failed);
  b.SetInsertPoint(gen.zeroExit);
  emitZeroExit(gen);
  b.SetInsertPoint(failed);
  b.CreateRet(b.getInt32(1));

  b.SetInsertPoint(run);
  b.CreateStore(gen.dataArg, b.CreateConstInBoundsGEP1_64(gen.f64(), gen.vals, gen.dataSlot));
  for (llvm::Function* chunk : gen.chunks) {
    Value* rc = b.CreateCall(chunk, {gen.vals, seed, sample, errOut});
    llvm::BasicBlock* next = gen.block("next");
    code->addIncoming(rc, b.GetInsertBlock());
    b.CreateCondBr(b.CreateICmpEQ(rc, b.getInt32(0)), next, stop);
    b.SetInsertPoint(next);
  }
  gen.logw = gen.slotPtr(gen.logwSlot);
  if (gen.separated) gen.logf = gen.slotPtr(gen.fullSlot);
  storePredictions(gen, false);
  storeWeights(gen);
  b.CreateCall(free, {gen.vals});
  b.CreateRet(b.getInt32(0));
}

}  // namespace

void cg::emitPasses(Gen& gen) {
  for (const ir::Step& s : gen.plan.steps) emitStep(gen, s);
}

bool isChunked(const ir::QueryGraph& g, const CodegenOptions& options) {
  return totalCost(g) > options.chunkThreshold;
}

std::unique_ptr<llvm::Module> generateModule(llvm::LLVMContext& ctx, const ir::QueryGraph& g,
                                             const CodegenOptions& requested) {
  auto mod = std::make_unique<llvm::Module>("mv." + g.name, ctx);
  // A large graph calls the runtime for every draw, density and check: the inline samplers
  // are ~50 LLVM instructions a site, which machine code generation pays for linearly and
  // the light pipeline cannot share across chunks (docs/performance.md, compile scaling).
  CodegenOptions options = requested;
  if (isChunked(g, requested)) options.inlineRuntime = false;
  Gen gen(ctx, *mod, g, options);
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  auto* type = llvm::FunctionType::get(gen.i32(), {ptr, gen.i64(), gen.i64(), ptr, ptr, ptr, ptr}, false);
  using Entries = CodegenOptions::Entries;
  gen.fn = llvm::Function::Create(
      type, options.entries == Entries::Block ? llvm::Function::InternalLinkage : llvm::Function::ExternalLinkage,
      options.functionName, *mod);
  gen.fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Function::arg_iterator a = gen.fn->arg_begin();
  gen.dataArg = a++;
  gen.dataArg->setName("ctx");
  gen.seed = a++;
  gen.seed->setName("seed");
  gen.sample = a++;
  gen.sample->setName("sample");
  gen.logwOut = a++;
  gen.fullOut = a++;
  gen.predsOut = a++;
  gen.errOut = a++;
  for (Value* p : {gen.logwOut, gen.fullOut, gen.predsOut, gen.errOut})
    llvm::cast<llvm::Argument>(p)->addAttr(llvm::Attribute::NoAlias);

  const size_t n = g.nodes.size();
  gen.slots.assign(g.worlds.size(), std::vector<uint32_t>(n, Gen::kNoSlot));
  gen.known.assign(g.worlds.size(), std::vector<std::optional<ir::Word>>(n));
  uint32_t numSlots = 0;
  for (NodeId id = 0; id < n; ++id) gen.slots[0][id] = numSlots++;
  for (size_t w = 1; w < g.worlds.size(); ++w)
    for (NodeId id : g.worlds[w].schedule) gen.slots[w][id] = numSlots++;
  gen.logwSlot = numSlots++;
  gen.dataSlot = numSlots++;
  gen.separated = g.hasSeparatedWeight();
  if (gen.separated) gen.fullSlot = numSlots++;
  gen.chunked = isChunked(g, options);
  llvm::Function* sampleFn = gen.fn;
  if (gen.chunked)
    emitChunked(gen, numSlots);
  else
    emitSingle(gen, numSlots);
  // A large graph's sample function is called, not inlined: it is already split into chunks.
  if (options.entries != Entries::Sample) {
    const unsigned lanes = blockLanes(g, options);
    llvm::Function* laneFn = lanes > 1 ? cg::emitLaneFunction(gen, lanes) : nullptr;
    cg::emitBlockFunction(gen, sampleFn, laneFn, lanes, !gen.chunked);
  }

  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*mod, &os)) {
    llvm::errs() << "internal error: generated invalid LLVM IR for query '" << g.name << "':\n" << os.str();
    return nullptr;
  }
  return mod;
}

}  // namespace mv::backend
