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
// fails in a running lane records that lane's failure (kind, node, param, value) and the lane
// goes dead, as the sample function returns at its first failure; the lanes past the block's
// end are dead from the start. At the end the driver's checks are done per lane and the
// lowest failing lane's failure is reported: no scalar sample function is needed.
#include "backend/CodegenContext.h"

#include <llvm/TargetParser/Host.h>

#include <cstddef>
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
  auto* type =
      llvm::FunctionType::get(gen.i32(), {ptr, gen.i64(), gen.i64(), gen.i64(), ptr, ptr, ptr, ptr}, false);
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
  Value* count = a++;
  count->setName("count");
  Value* lwOut = a++;
  Value* fullOut = a++;
  Value* predsOut = a++;
  Value* errOut = a++;
  for (Value* p : {lwOut, fullOut, predsOut, errOut}) llvm::cast<llvm::Argument>(p)->addAttr(llvm::Attribute::NoAlias);
  gen.errOut = nullptr;
  gen.vals = nullptr;
  gen.zeroExit = nullptr;  // a lane's zero exit is Gen::alive

  b.SetInsertPoint(gen.block("entry"));
  gen.lanes = width;
  std::vector<llvm::Constant*> offsets;
  for (unsigned l = 0; l < width; ++l) offsets.push_back(b.getInt64(l));
  llvm::Constant* laneIndex = llvm::ConstantVector::get(offsets);
  gen.sample = b.CreateAdd(gen.splatValue(first), laneIndex, "samples");
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
  // The lanes past the block's end are dead from the start: no checks, runtime calls or outputs.
  gen.alive = b.CreateAlloca(gen.lane(b.getInt1Ty()), nullptr, "alive");
  b.CreateStore(b.CreateICmpULT(laneIndex, gen.splatValue(count)), gen.alive);
  gen.failed = b.CreateAlloca(gen.lane(b.getInt1Ty()), nullptr, "failed");
  b.CreateStore(gen.bit(false), gen.failed);
  for (int k = 0; k < 4; ++k) {
    gen.failFields[k] = b.CreateAlloca(k == 3 ? gen.vi64() : gen.vi32(), nullptr, "fail.field");
    b.CreateStore(k == 3 ? gen.int64(0) : gen.int32(0), gen.failFields[k]);
  }
  gen.mask = nullptr;
  for (auto& known : gen.known) known.assign(known.size(), std::nullopt);  // found again as the steps are emitted
  gen.sampleKey = emitSampleKey(gen);

  emitPasses(gen);

  // The outputs: a dead lane's are the zero exit's; lane l's predictions at preds[l][k].
  Value* alive = b.CreateLoad(gen.alive->getAllocatedType(), gen.alive);
  Value* failed = b.CreateLoad(gen.failed->getAllocatedType(), gen.failed);
  Value* lw = b.CreateSelect(alive, b.CreateLoad(gen.vf64(), gen.logw), gen.real(negInf));
  Value* full = gen.separated ? b.CreateSelect(alive, b.CreateLoad(gen.vf64(), gen.logf), gen.real(negInf)) : lw;
  b.CreateAlignedStore(lw, lwOut, llvm::Align(8));
  b.CreateAlignedStore(full, fullOut, llvm::Align(8));
  const size_t numPreds = g.predictions.size();
  std::vector<Value*> preds;
  for (size_t k = 0; k < numPreds; ++k) {
    const ir::Prediction& p = g.predictions[k];
    preds.push_back(b.CreateSelect(alive, gen.toDouble(g.nodes[p.node].type, gen.load(p.node, p.world)), gen.real(0)));
    for (unsigned l = 0; l < width; ++l)
      b.CreateStore(b.CreateExtractElement(preds[k], l),
                    b.CreateConstInBoundsGEP1_64(gen.f64(), predsOut, l * numPreds + k));
  }

  // The driver's checks (runtime/Driver.cpp, as CodegenBlock.cpp's scalar loop) of every lane
  // that did not fail: a log weight NaN or +inf (the estimate one reported first), else, with
  // non-zero weight, the first NaN or infinite prediction.
  auto weightOk = [&](Value* x) {
    return b.CreateAnd(b.CreateFCmpORD(x, x), b.CreateFCmpONE(x, gen.real(-negInf)));
  };
  Value* lwOk = weightOk(lw);
  Value* weightBad = b.CreateNot(b.CreateAnd(lwOk, weightOk(full)));
  Value* checked = weightBad;
  Value* kind = gen.int32(MV_RT_NAN_WEIGHT);
  Value* param = gen.int32(uint32_t(-1));
  Value* value = b.CreateBitCast(b.CreateSelect(lwOk, full, lw), gen.vi64());
  Value* live = b.CreateFCmpONE(lw, gen.real(negInf));
  Value* predKind = gen.int32(0);
  Value* predParam = gen.int32(0);
  Value* predValue = gen.int64(0);
  Value* predBad = gen.bit(false);
  for (size_t k = numPreds; k-- > 0;) {  // the first bad one wins
    Value* bad = b.CreateAnd(live, b.CreateFCmpUEQ(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, preds[k]), gen.real(-negInf)));
    Value* nan = b.CreateFCmpUNO(preds[k], preds[k]);
    predKind = b.CreateSelect(bad, b.CreateSelect(nan, gen.int32(MV_RT_NAN_PREDICTION), gen.int32(MV_RT_INF_PREDICTION)), predKind);
    predParam = b.CreateSelect(bad, gen.int32(uint32_t(k)), predParam);
    predValue = b.CreateSelect(bad, b.CreateBitCast(preds[k], gen.vi64()), predValue);
    predBad = b.CreateOr(predBad, bad);
  }
  if (numPreds > 0) {
    kind = b.CreateSelect(weightBad, kind, predKind);
    param = b.CreateSelect(weightBad, param, predParam);
    value = b.CreateSelect(weightBad, value, predValue);
    checked = b.CreateOr(weightBad, predBad);
  }
  // A lane's failure: the sample function's first, else the driver's.
  auto load = [&](int k) { return b.CreateLoad(gen.failFields[k]->getAllocatedType(), gen.failFields[k]); };
  Value* fields[4] = {b.CreateSelect(failed, load(0), kind), b.CreateSelect(failed, load(1), gen.int32(uint32_t(-1))),
                      b.CreateSelect(failed, load(2), param), b.CreateSelect(failed, load(3), value)};
  Value* bad = b.CreateOr(failed, checked);  // a failed lane is dead: its weight -inf passes the checks
  Value* bits = b.CreateZExt(b.CreateBitCast(bad, b.getIntNTy(width)), gen.i32());
  // The lowest failing lane, W when none (a bit past the lanes).
  Value* firstBad = b.CreateIntrinsic(llvm::Intrinsic::cttz, {gen.i32()},
                                      {b.CreateOr(bits, b.getInt32(1u << width)), b.getTrue()});
  llvm::BasicBlock* report = gen.block("report");
  llvm::BasicBlock* done = gen.block("done");
  b.CreateCondBr(b.CreateICmpULT(firstBad, b.getInt32(width)), report, done);
  b.SetInsertPoint(report);
  const uint64_t offsets4[4] = {offsetof(mv_rt_error, kind), offsetof(mv_rt_error, node),
                                offsetof(mv_rt_error, param), offsetof(mv_rt_error, value)};
  for (int k = 0; k < 4; ++k)
    b.CreateStore(b.CreateExtractElement(fields[k], firstBad),
                  b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), errOut, offsets4[k]));
  b.CreateStore(b.CreateAdd(first, b.CreateZExt(firstBad, gen.i64())),
                b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), errOut, offsetof(mv_rt_error, sample)));
  b.CreateBr(done);
  b.SetInsertPoint(done);
  b.CreateRet(firstBad);

  gen.lanes = 1;
  gen.alive = nullptr;
  gen.failed = nullptr;
  gen.mask = nullptr;
  return fn;
}

}  // namespace cg
}  // namespace mv::backend
