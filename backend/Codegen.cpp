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
  if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(cond); c && c->isZero()) return;
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

void Gen::addToWeight(Value* term, bool separatedFactor) {
  if (separated) b.CreateStore(b.CreateFAdd(b.CreateLoad(f64(), logf), term), logf);
  if (!separated || !separatedFactor) b.CreateStore(b.CreateFAdd(b.CreateLoad(f64(), logw), term), logw);
}

void Gen::zeroWeightIf(Value* cond) {
  const double negInf = -std::numeric_limits<double>::infinity();
  for (Value* p : {logw, separated ? logf : nullptr})
    if (p) b.CreateStore(b.CreateSelect(cond, real(negInf), b.CreateLoad(f64(), p)), p);
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
    zeroExit = block("zero");
    b.SetInsertPoint(zeroExit);
    b.CreateRet(b.getInt32(2));
    b.SetInsertPoint(entry);
    logw = slotPtr(logwSlot);
    if (separated) logf = slotPtr(fullSlot);
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
  Value* lw = gen.b.CreateLoad(gen.f64(), gen.fullWeightPtr());
  gen.failIf(gen.b.CreateFCmpUNO(lw, lw), MV_RT_NAN_WEIGHT, gen.b.getInt32(id), gen.b.getInt32(-1), lw);
  llvm::BasicBlock* go = gen.block("go");
  gen.b.CreateCondBr(gen.b.CreateFCmpOEQ(lw, gen.real(-std::numeric_limits<double>::infinity())),
                     gen.zeroExit, go);
  gen.b.SetInsertPoint(go);
}

void emitFactualPass(Gen& gen) {
  const ir::QueryGraph& g = gen.g;
  std::vector<const ir::Evidence*> evidence(g.nodes.size(), nullptr);
  for (const ir::Evidence& e : g.evidence) evidence[e.node] = &e;
  std::vector<char> mustHold(g.nodes.size(), 0);
  for (const ir::Constraint& c : g.constraints) mustHold[c.cond] = 1;
  std::vector<const ir::Intervention*> intervened(g.nodes.size(), nullptr);
  for (const ir::Intervention& iv : g.worlds[0].interventions) intervened[iv.node] = &iv;

  for (NodeId id : g.worlds[0].schedule) {
    const ir::Node& n = g.nodes[id];
    beginItem(gen, itemCost(n));
    llvm::BasicBlock* next = gen.block("next");
    if (n.guard != ir::kNoNode) {
      llvm::BasicBlock* skip = gen.block("skip");
      llvm::BasicBlock* run = gen.block("run");
      gen.b.CreateCondBr(gen.b.CreateFCmpOEQ(gen.load(n.guard, 0), gen.real(0)), skip, run);
      gen.b.SetInsertPoint(skip);
      gen.store(id, 0, gen.zero(id));
      gen.b.CreateBr(next);
      gen.b.SetInsertPoint(run);
    }
    if (const ir::Intervention* iv = intervened[id]) {
      gen.store(id, 0, gen.constant(n.type, iv->value));
      if (n.guard == ir::kNoNode) gen.known[0][id] = iv->value;
    } else {
      const ir::Evidence* ev = evidence[id];
      bool changesWeight = false;
      if (n.kind == NodeKind::Site) {
        cg::emitFactualSite(gen, id, ev != nullptr, ev ? ev->value : ir::Word{});
        changesWeight = ev != nullptr || n.site.proposal != ir::ProposalKind::Prior;
      } else {
        Value* v = cg::emitNode(gen, id, 0);
        if (n.kind == NodeKind::Const && n.guard == ir::kNoNode) gen.known[0][id] = n.constant;
        if (ev && ev->invertedSite != ir::kNoNode) {
          v = gen.constant(n.type, ev->value);
        } else if (ev) {
          Value* c = gen.constant(n.type, ev->value);  // ir::sameValue
          Value* differs = n.type == ir::Scalar::Int ? gen.b.CreateICmpNE(v, c) : gen.b.CreateFCmpUNE(v, c);
          gen.zeroWeightIf(differs);
          changesWeight = true;
        }
        gen.store(id, 0, v);
        if (mustHold[id]) {
          gen.zeroWeightIf(gen.b.CreateFCmpOEQ(v, gen.real(0)));
          changesWeight = true;
        }
      }
      if (changesWeight) checkWeight(gen, id);
    }
    gen.b.CreateBr(next);
    gen.b.SetInsertPoint(next);
  }
}

void emitCounterfactualPass(Gen& gen, size_t w) {
  const ir::QueryGraph& g = gen.g;
  const ir::World& world = g.worlds[w];
  std::vector<const ir::Intervention*> intervened(g.nodes.size(), nullptr);
  for (const ir::Intervention& iv : world.interventions) intervened[iv.node] = &iv;
  // The world starts as a copy of the factual values.
  for (NodeId id : world.schedule) {
    beginItem(gen, 2);
    gen.b.CreateStore(gen.b.CreateLoad(gen.typeOf(id), gen.slotPtr(gen.slots[0][id])), gen.slotPtr(gen.slots[w][id]));
  }
  for (NodeId id : world.schedule) {
    const ir::Node& n = g.nodes[id];
    beginItem(gen, itemCost(n));
    if (const ir::Intervention* iv = intervened[id]) {
      gen.store(id, w, gen.constant(n.type, iv->value));
      gen.known[w][id] = iv->value;
      continue;
    }
    llvm::BasicBlock* next = gen.block("next");
    if (n.guard != ir::kNoNode) {
      llvm::BasicBlock* skip = gen.block("skip");
      llvm::BasicBlock* run = gen.block("run");
      gen.b.CreateCondBr(gen.b.CreateFCmpOEQ(gen.load(n.guard, w), gen.real(0)), skip, run);
      gen.b.SetInsertPoint(skip);
      gen.store(id, w, gen.zero(id));
      gen.b.CreateBr(next);
      gen.b.SetInsertPoint(run);
    }
    if (n.kind == NodeKind::Site) {
      cg::emitCounterfactualSite(gen, id, w);
    } else {
      gen.store(id, w, cg::emitNode(gen, id, w));
      if (n.kind == NodeKind::Const && n.guard == ir::kNoNode) gen.known[w][id] = n.constant;
    }
    gen.b.CreateBr(next);
    gen.b.SetInsertPoint(next);
  }
}

void emitPasses(Gen& gen) {
  emitFactualPass(gen);
  for (size_t w = 1; w < gen.g.worlds.size(); ++w) emitCounterfactualPass(gen, w);
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

bool isChunked(const ir::QueryGraph& g, const CodegenOptions& options) {
  return totalCost(g) > options.chunkThreshold;
}

std::unique_ptr<llvm::Module> generateModule(llvm::LLVMContext& ctx, const ir::QueryGraph& g,
                                             const CodegenOptions& options) {
  auto mod = std::make_unique<llvm::Module>("mv." + g.name, ctx);
  Gen gen(ctx, *mod, g, options);
  llvm::Type* ptr = llvm::PointerType::get(ctx, 0);
  auto* type = llvm::FunctionType::get(gen.i32(), {ptr, gen.i64(), gen.i64(), ptr, ptr, ptr, ptr}, false);
  gen.fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, options.functionName, *mod);
  gen.fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Function::arg_iterator a = gen.fn->arg_begin();
  (a++)->setName("ctx");
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
  gen.separated = g.hasSeparatedWeight();
  if (gen.separated) gen.fullSlot = numSlots++;
  gen.chunked = isChunked(g, options);
  if (gen.chunked)
    emitChunked(gen, numSlots);
  else
    emitSingle(gen, numSlots);

  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*mod, &os)) {
    llvm::errs() << "internal error: generated invalid LLVM IR for query '" << g.name << "':\n" << os.str();
    return nullptr;
  }
  return mod;
}

}  // namespace mv::backend
