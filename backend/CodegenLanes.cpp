// backend/CodegenLanes.cpp — the lane sample function: W consecutive samples at once in vector lanes, bit for bit the sample function's.
//
// The same plan steps as the sample function (Codegen.cpp's emitPasses), emitted with
// Gen::lanes = W: every slot holds a <W x T> vector whose lane l is sample i0 + l's value,
// and every operation is the scalar one per lane (integer logic, the same IEEE double
// operations; libm and runtime calls once per lane with the scalar function, so their bits
// are the sample function's). Control flow on a per-sample condition becomes masks
// (Gen::mask): a guard, the kept and redrawn sides of counterfactual and observed sites all
// run, each storing and weighing only in its lanes. The zero exit (a log weight of -inf
// after a node that changed it) becomes a lane going dead (Gen::alive): its later checks are
// off and its outputs are the zero exit's (-inf weights, predictions 0). A run-time check that
// fails in any live lane returns 1 and the block function reruns the group's samples through
// the sample function, which reports the first failing sample exactly.
#include "backend/CodegenContext.h"

#include <llvm/TargetParser/Host.h>

#include <cstdlib>
#include <cstring>
#include <limits>

namespace mv::backend {

using llvm::Value;

unsigned laneWidth(const CodegenOptions& options) {
  if (options.lanes != 0) return options.lanes;
  if (const char* e = std::getenv("MV_LANES"); e != nullptr)
    for (const char* w : {"1", "2", "4", "8"})
      if (std::strcmp(e, w) == 0) return unsigned(std::atoi(w));
  // AVX2: 4 x i64 and 4 x double in one register (the JIT and `mvc build` target the host).
  static const unsigned host = [] {
    llvm::StringMap<bool> features;
    return llvm::sys::getHostCPUFeatures(features) && features.lookup("avx2") ? 4u : 1u;
  }();
  return host;
}

unsigned blockLanes(const ir::QueryGraph& g, const CodegenOptions& options) {
  // A chunked graph keeps its values in a heap buffer of scalar slots and calls the runtime
  // for every site: the scalar loop.
  return isChunked(g, options) ? 1 : laneWidth(options);
}

namespace cg {

llvm::Constant* scalarConstant(Value* v) {
  auto* c = llvm::dyn_cast<llvm::Constant>(v);
  if (c && c->getType()->isVectorTy()) return c->getSplatValue();
  return c;
}

Value* Gen::perLane(llvm::ArrayRef<Value*> args, const std::function<Value*(llvm::ArrayRef<Value*>)>& f,
                    bool masked, llvm::Constant* idle) {
  if (lanes == 1) return f(args);
  const unsigned width = lanes;
  Value* active = masked ? activeMask() : nullptr;
  Value* keys = sampleKey;
  Value* outer = mask;
  lanes = 1;
  mask = nullptr;
  Value* result = nullptr;
  for (unsigned l = 0; l < width; ++l) {
    std::vector<Value*> a;
    for (Value* v : args) a.push_back(v->getType()->isVectorTy() ? b.CreateExtractElement(v, l) : v);
    sampleKey = b.CreateExtractElement(keys, l);
    Value* r = nullptr;
    if (masked) {
      llvm::BasicBlock* from = b.GetInsertBlock();
      llvm::BasicBlock* call = block("lane.call");
      llvm::BasicBlock* join = block("lane.join");
      b.CreateCondBr(b.CreateExtractElement(active, l), call, join);
      b.SetInsertPoint(call);
      Value* x = f(a);
      llvm::BasicBlock* end = b.GetInsertBlock();
      b.CreateBr(join);
      b.SetInsertPoint(join);
      llvm::PHINode* phi = b.CreatePHI(x->getType(), 2);
      phi->addIncoming(idle, from);
      phi->addIncoming(x, end);
      r = phi;
    } else {
      r = f(a);
    }
    if (!result) result = llvm::PoisonValue::get(llvm::FixedVectorType::get(r->getType(), width));
    result = b.CreateInsertElement(result, r, l);
  }
  lanes = width;
  mask = outer;
  sampleKey = keys;
  return result;
}

llvm::Function* emitLaneFunction(Gen& gen, unsigned width) {
  const ir::QueryGraph& g = gen.g;
  llvm::IRBuilder<>& b = gen.b;
  const double negInf = -std::numeric_limits<double>::infinity();
  llvm::Type* ptr = b.getPtrTy();
  auto* type = llvm::FunctionType::get(gen.i32(), {ptr, gen.i64(), gen.i64(), ptr, ptr, ptr}, false);
  llvm::Function* fn =
      llvm::Function::Create(type, llvm::Function::InternalLinkage, gen.opts.functionName + ".lanes", gen.mod);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Function::arg_iterator a = fn->arg_begin();
  gen.fn = fn;
  gen.dataArg = a++;
  gen.dataArg->setName("ctx");
  gen.seed = a++;
  gen.seed->setName("seed");
  Value* first = a++;
  first->setName("i0");
  Value* lwOut = a++;
  Value* fullOut = a++;
  Value* predsOut = a++;
  for (Value* p : {lwOut, fullOut, predsOut}) llvm::cast<llvm::Argument>(p)->addAttr(llvm::Attribute::NoAlias);
  gen.errOut = nullptr;
  gen.vals = nullptr;
  gen.zeroExit = nullptr;  // a lane's zero exit is Gen::alive

  b.SetInsertPoint(gen.block("entry"));
  gen.lanes = width;
  std::vector<llvm::Constant*> offsets;
  for (unsigned l = 0; l < width; ++l) offsets.push_back(b.getInt64(l));
  gen.sample = b.CreateAdd(gen.splatValue(first), llvm::ConstantVector::get(offsets), "samples");
  // The slots, as emitSingle's: every node zero (the interpreter's zeroed scratch).
  for (ir::NodeId id = 0; id < g.nodes.size(); ++id) {
    llvm::AllocaInst* slot = b.CreateAlloca(gen.typeOf(id), nullptr, g.nodes[id].name.empty() ? "t" : g.nodes[id].name);
    gen.allocas[gen.slots[0][id]] = slot;
    b.CreateStore(gen.zero(id), slot);
  }
  for (size_t w = 1; w < g.worlds.size(); ++w)
    for (ir::NodeId id : g.worlds[w].schedule)
      gen.allocas[gen.slots[w][id]] = b.CreateAlloca(gen.typeOf(id), nullptr, "cf");
  gen.logw = gen.allocas[gen.logwSlot] = b.CreateAlloca(gen.vf64(), nullptr, "logw");
  b.CreateStore(gen.real(0), gen.logw);
  if (gen.separated) {
    gen.logf = gen.allocas[gen.fullSlot] = b.CreateAlloca(gen.vf64(), nullptr, "logf");
    b.CreateStore(gen.real(0), gen.logf);
  }
  gen.alive = b.CreateAlloca(gen.lane(b.getInt1Ty()), nullptr, "alive");
  b.CreateStore(gen.bit(true), gen.alive);
  gen.mask = nullptr;
  for (auto& known : gen.known) known.assign(known.size(), std::nullopt);  // found again as the steps are emitted
  gen.sampleKey = emitSampleKey(gen);

  llvm::BasicBlock* body = b.GetInsertBlock();
  gen.rerun = gen.block("rerun");
  b.SetInsertPoint(gen.rerun);
  b.CreateRet(b.getInt32(1));
  b.SetInsertPoint(body);

  emitPasses(gen);

  // The outputs: a dead lane's are the zero exit's; lane l's predictions at preds[l][k].
  // The driver's checks (CodegenBlock.cpp) for all lanes at once: a log weight neither NaN
  // nor +inf; with non-zero weight, finite predictions. Where any lane fails them the group
  // reruns through the sample function, whose checks report the failure.
  Value* alive = b.CreateLoad(gen.alive->getAllocatedType(), gen.alive);
  Value* lw = b.CreateSelect(alive, b.CreateLoad(gen.vf64(), gen.logw), gen.real(negInf));
  Value* full = gen.separated ? b.CreateSelect(alive, b.CreateLoad(gen.vf64(), gen.logf), gen.real(negInf)) : lw;
  auto weightOk = [&](Value* x) {
    return b.CreateAnd(b.CreateFCmpORD(x, x), b.CreateFCmpONE(x, gen.real(-negInf)));
  };
  Value* ok = b.CreateAnd(weightOk(lw), weightOk(full));
  Value* zero = b.CreateFCmpOEQ(lw, gen.real(negInf));
  const size_t numPreds = g.predictions.size();
  std::vector<Value*> preds;
  for (size_t k = 0; k < numPreds; ++k) {
    const ir::Prediction& p = g.predictions[k];
    preds.push_back(b.CreateSelect(alive, gen.toDouble(g.nodes[p.node].type, gen.load(p.node, p.world)), gen.real(0)));
    Value* finite = b.CreateFCmpONE(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, preds.back()), gen.real(-negInf));
    ok = b.CreateAnd(ok, b.CreateOr(zero, finite));
  }
  llvm::BasicBlock* checked = gen.block("checked");
  b.CreateCondBr(b.CreateAndReduce(ok), checked, gen.rerun);
  b.SetInsertPoint(checked);
  b.CreateAlignedStore(lw, lwOut, llvm::Align(8));
  b.CreateAlignedStore(full, fullOut, llvm::Align(8));
  for (size_t k = 0; k < numPreds; ++k)
    for (unsigned l = 0; l < width; ++l)
      b.CreateStore(b.CreateExtractElement(preds[k], l),
                    b.CreateConstInBoundsGEP1_64(gen.f64(), predsOut, l * numPreds + k));
  b.CreateRet(b.getInt32(0));

  gen.lanes = 1;
  gen.alive = nullptr;
  gen.rerun = nullptr;
  gen.mask = nullptr;
  return fn;
}

}  // namespace cg
}  // namespace mv::backend
