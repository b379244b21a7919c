// backend/CodegenBlock.cpp — the block function: the driver's per-sample loop, its checks and the accumulation in generated code.
//
// `NAME_block(ctx, mv_rt_block*, mv_rt_error*)` (runtime/Runtime.h) runs a block's samples
// through the sample function (inlined into the loop in small graphs) and does what
// runtime/Driver.cpp's runBlockSamples does after each call, in the same order and with the
// same arithmetic: the NaN/+inf weight and non-finite prediction checks, then
// Accumulator::add of the estimate weight, TopWeights::add, Accumulator::add of the full
// weight (separated evidence) and Summary::add. Accumulator::add's plain path is inline,
// on the running sums kept in locals (so in registers); its other paths, the top weights
// past the floor and the summary call the runtime. Results are bit-identical to the loop's.
// With only bool predictions the table's summaries are not added per sample: the loop keeps
// per prediction the weight of the values equal to the shift and whether the other occurred,
// from which Summary::fromBoolSums rebuilds exactly what Summary::add gives (Summary.cpp).
// Where the query's weight sums take each block's own largest log weight as scale
// (runtime/WeightScale.h) the loop is two passes, as the driver's: the samples, checks and
// top weights first, keeping weights and predictions in the driver's buffers, then the scale
// set and the kept samples folded in order.
// With a lane function (CodegenLanes.cpp, W > 1) the loop runs over groups of W samples: the
// lane function computes and checks a whole group, then its samples are folded one by one in
// sample order as above; a block's tail and a group in which a lane failed run through the
// sample function, with the checks.
#include "backend/CodegenAccumulator.h"
#include "backend/CodegenContext.h"
#include "backend/WeightBound.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

namespace mv::backend::cg {

namespace {

/// Fills *err with {kind, -1, param, value, sample} (the driver's own failures).
void storeError(Gen& gen, Value* err, Value* kind, Value* param, Value* value, Value* sample) {
  llvm::IRBuilder<>& b = gen.b;
  b.CreateStore(kind, field(gen, err, offsetof(mv_rt_error, kind)));
  b.CreateStore(b.getInt32(uint32_t(-1)), field(gen, err, offsetof(mv_rt_error, node)));
  b.CreateStore(param, field(gen, err, offsetof(mv_rt_error, param)));
  b.CreateStore(value, field(gen, err, offsetof(mv_rt_error, value)));
  b.CreateStore(sample, field(gen, err, offsetof(mv_rt_error, sample)));
}

/// x is neither NaN nor +inf (the driver's check of a log weight), as an i1.
Value* weightOk(Gen& gen, Value* x) {
  return gen.b.CreateAnd(gen.b.CreateFCmpORD(x, x), gen.b.CreateFCmpONE(x, gen.real(kInf)));
}

}  // namespace

void emitBlockFunction(Gen& gen, llvm::Function* sampleFn, llvm::Function* laneFn, unsigned lanes, bool inlineSample) {
  llvm::IRBuilder<>& b = gen.b;
  const size_t numPreds = gen.g.predictions.size();
  const bool separated = gen.separated;
  // The scales of the sums (runtime/WeightScale.h), as the driver's RunConfig has them: a
  // fixed one is preset in acc->max_log by the driver (one pass); a NaN one is the block's
  // largest log weight, known after a first pass over the block (two passes).
  const WeightScales scales = weightScales(gen.g);
  const bool perBlockEst = std::isnan(scales.estimate);
  const bool perBlockFull = separated && std::isnan(scales.full);
  const bool twoPass = perBlockEst || perBlockFull;
  llvm::Type* ptr = b.getPtrTy();
  auto* type = llvm::FunctionType::get(gen.i32(), {ptr, ptr, ptr}, false);
  gen.fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage, gen.opts.functionName + "_block", gen.mod);
  gen.fn->addFnAttr(llvm::Attribute::NoUnwind);
  gen.vals = nullptr;
  llvm::Function::arg_iterator a = gen.fn->arg_begin();
  Value* ctx = a++;
  Value* blk = a++;
  Value* err = a++;
  ctx->setName("ctx");
  blk->setName("block");
  err->setName("err");
  llvm::cast<llvm::Argument>(err)->addAttr(llvm::Attribute::NoAlias);

  llvm::BasicBlock* entry = gen.block("entry");
  b.SetInsertPoint(entry);
  Value* seed = b.CreateLoad(gen.i64(), field(gen, blk, offsetof(mv_rt_block, seed)), "seed");
  Value* begin = b.CreateLoad(gen.i64(), field(gen, blk, offsetof(mv_rt_block, begin)), "begin");
  Value* end = b.CreateLoad(gen.i64(), field(gen, blk, offsetof(mv_rt_block, end)), "end");
  Value* top = b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, top)), "top");
  Value* floor = b.CreateLoad(gen.f64(), field(gen, blk, offsetof(mv_rt_block, top_floor)), "floor");
  Value* summary = b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, summary)), "summary");
  Value* lwBuf = twoPass ? b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, log_weights)), "lwbuf") : nullptr;
  Value* fullBuf = twoPass ? b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, full_weights)), "fullbuf") : nullptr;
  Value* predBuf = twoPass ? b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, pred_values)), "predbuf") : nullptr;
  Acc acc(gen, b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, acc)), "acc"), numPreds);
  std::optional<Acc> evidence;
  if (separated) evidence.emplace(gen, b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, evidence)), "ev"), 0);
  // A group's outputs: sample g + l's at [l] (one sample without a lane function).
  const unsigned width = laneFn ? lanes : 1;
  llvm::AllocaInst* lwArr = gen.entryAlloca(llvm::ArrayType::get(gen.f64(), width), "lw");
  llvm::AllocaInst* fullArr = gen.entryAlloca(llvm::ArrayType::get(gen.f64(), width), "full");
  llvm::AllocaInst* maxEst = gen.entryAlloca(gen.f64(), "blockmax");
  llvm::AllocaInst* maxFull = gen.entryAlloca(gen.f64(), "blockmax.full");
  b.CreateStore(gen.real(-kInf), maxEst);
  b.CreateStore(gen.real(-kInf), maxFull);
  const size_t predsStride = std::max<size_t>(numPreds, 1);
  llvm::AllocaInst* predsArr = gen.entryAlloca(llvm::ArrayType::get(gen.f64(), width * predsStride), "preds");
  acc.loadArrays(gen);
  acc.load(gen);
  // Only bool predictions: the table's summaries from sums kept here (Summary::fromBoolSums).
  bool boolSums = numPreds > 0;
  for (const ir::Prediction& p : gen.g.predictions) boolSums = boolSums && gen.g.nodes[p.node].type == ir::Scalar::Bool;
  Value* sameOut = nullptr;
  Value* otherOut = nullptr;
  if (boolSums) {
    acc.trackBools(gen);
    sameOut = b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, bool_same)), "same.out");
    otherOut = b.CreateLoad(ptr, field(gen, blk, offsetof(mv_rt_block, bool_other_seen)), "other.out");
    b.CreateStore(b.getInt32(1), field(gen, blk, offsetof(mv_rt_block, summary_by_sums)));
  }
  if (evidence) evidence->load(gen);

  // The folds of one sample (the driver's order: estimate weight, full weight, summary).
  auto fold = [&](Value* lw, Value* full, const std::vector<Value*>& fs, Value* predsPtr) {
    acc.add(gen, lw, fs, predsPtr);
    if (evidence) evidence->add(gen, full, {}, llvm::ConstantPointerNull::get(llvm::PointerType::get(gen.ctx, 0)));
    if (numPreds > 0 && !boolSums) {  // Summary::add when the table's distributions are wanted
      llvm::BasicBlock* sum = gen.block("summary");
      llvm::BasicBlock* after = gen.block("summary.done");
      b.CreateCondBr(b.CreateIsNull(summary), after, sum);
      b.SetInsertPoint(sum);
      llvm::FunctionCallee add = gen.mod.getOrInsertFunction(
          "mv_rt_summary_add", llvm::FunctionType::get(b.getVoidTy(), {ptr, gen.f64(), ptr}, false));
      b.CreateCall(add, {summary, lw, predsPtr});
      b.CreateBr(after);
      b.SetInsertPoint(after);
    }
  };

  llvm::BasicBlock* loop = gen.block("loop");
  llvm::BasicBlock* finish = gen.block("finish");
  llvm::BasicBlock* fail = gen.block("fail");
  // Two passes: both exits of the first go to the second, which then returns 0 or 1.
  llvm::BasicBlock* pass2 = twoPass ? gen.block("pass2") : nullptr;
  llvm::PHINode* count2 = nullptr;
  llvm::PHINode* rc2 = nullptr;
  if (twoPass) {
    llvm::IRBuilder<>::InsertPointGuard keep(b);
    b.SetInsertPoint(pass2);
    count2 = b.CreatePHI(gen.i64(), 3, "n");
    rc2 = b.CreatePHI(gen.i32(), 3, "rc");
  }
  auto toPass2 = [&](Value* n, int rc) {
    count2->addIncoming(n, b.GetInsertBlock());
    rc2->addIncoming(b.getInt32(uint32_t(rc)), b.GetInsertBlock());
    b.CreateBr(pass2);
  };
  llvm::BasicBlock* passEnd = twoPass ? gen.block("pass1.end") : finish;
  // Groups of W samples: the lane function computes a whole group, then each of its samples
  // is folded in sample order, as one at a time. A block's tail (fewer than W samples) and a
  // group in which a lane failed run through the sample function instead.
  llvm::BasicBlock* group = laneFn ? gen.block("group") : nullptr;
  b.CreateCondBr(b.CreateICmpULT(begin, end), laneFn ? group : loop, passEnd);
  llvm::PHINode* g0 = nullptr;
  Value* groupEnd = end;
  Value* computed = nullptr;  // the group's outputs are the lane function's
  llvm::BasicBlock* loopFrom = entry;
  if (laneFn) {
    b.SetInsertPoint(group);
    g0 = b.CreatePHI(gen.i64(), 2, "g");
    g0->addIncoming(begin, entry);
    Value* whole = b.CreateICmpUGE(b.CreateSub(end, g0), b.getInt64(width));
    llvm::BasicBlock* lanesCall = gen.block("lanes");
    llvm::BasicBlock* start = gen.block("group.start");
    b.CreateCondBr(whole, lanesCall, start);
    b.SetInsertPoint(lanesCall);
    llvm::CallInst* rc = b.CreateCall(laneFn, {ctx, seed, g0, lwArr, fullArr, predsArr});
    if (inlineSample) rc->addFnAttr(llvm::Attribute::AlwaysInline);
    Value* ok = b.CreateICmpEQ(rc, b.getInt32(0));
    b.CreateBr(start);
    b.SetInsertPoint(start);
    llvm::PHINode* c = b.CreatePHI(b.getInt1Ty(), 2, "lanes.ok");
    c->addIncoming(b.getFalse(), group);
    c->addIncoming(ok, lanesCall);
    computed = c;
    groupEnd = b.CreateSelect(whole, b.CreateAdd(g0, b.getInt64(width)), end, "group.end");
    loopFrom = start;
    b.CreateBr(loop);
  }

  b.SetInsertPoint(loop);
  llvm::PHINode* i = b.CreatePHI(gen.i64(), 2, "i");
  i->addIncoming(laneFn ? static_cast<Value*>(g0) : begin, loopFrom);
  llvm::BasicBlock* failed = twoPass ? gen.block("pass1.fail") : fail;
  Value* l = laneFn ? b.CreateSub(i, g0, "lane") : b.getInt64(0);
  Value* lwPtr = b.CreateInBoundsGEP(gen.f64(), lwArr, l);
  Value* fullPtr = b.CreateInBoundsGEP(gen.f64(), fullArr, l);
  Value* preds = b.CreateInBoundsGEP(gen.f64(), predsArr, b.CreateMul(l, b.getInt64(predsStride)));
  llvm::BasicBlock* sampled = gen.block("sampled");
  llvm::BasicBlock* sampleFailed = gen.block("sample.failed");
  if (laneFn) {
    llvm::BasicBlock* scalar = gen.block("scalar");
    b.CreateCondBr(computed, sampled, scalar);
    b.SetInsertPoint(scalar);
  }
  llvm::CallInst* call = b.CreateCall(sampleFn, {ctx, seed, i, lwPtr, fullPtr, preds, err});
  // With lanes the sample function runs only a block's tail and groups with a failing lane:
  // called, not inlined (half the code to optimise and compile).
  if (inlineSample && !laneFn) call->addFnAttr(llvm::Attribute::AlwaysInline);
  if (laneFn) call->addFnAttr(llvm::Attribute::NoInline);
  b.CreateCondBr(b.CreateICmpNE(call, b.getInt32(0)), sampleFailed, sampled);
  b.SetInsertPoint(sampleFailed);
  b.CreateStore(i, field(gen, err, offsetof(mv_rt_error, sample)));
  b.CreateBr(failed);

  // The driver's checks: a NaN or +inf weight (the estimate one reported first), then, with
  // non-zero weight, a NaN or infinite prediction.
  b.SetInsertPoint(sampled);
  Value* lw = b.CreateLoad(gen.f64(), lwPtr, "logw");
  Value* full = b.CreateLoad(gen.f64(), fullPtr, "fullw");
  std::vector<Value*> fs;
  for (size_t k = 0; k < numPreds; ++k) fs.push_back(b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), preds, k)));
  // The lane function has checked its group's weights and predictions (it returns 1 where
  // any would fail, and the sample function reruns them here).
  llvm::BasicBlock* checked = laneFn ? gen.block("checked") : nullptr;
  if (laneFn) {
    llvm::BasicBlock* checks = gen.block("checks");
    b.CreateCondBr(computed, checked, checks);
    b.SetInsertPoint(checks);
  }
  Value* lwOk = weightOk(gen, lw);
  llvm::BasicBlock* weightsOk = gen.block("weights.ok");
  llvm::BasicBlock* weightBad = gen.block("weight.bad");
  b.CreateCondBr(b.CreateAnd(lwOk, weightOk(gen, full)), weightsOk, weightBad);
  b.SetInsertPoint(weightBad);
  storeError(gen, err, b.getInt32(MV_RT_NAN_WEIGHT), b.getInt32(uint32_t(-1)), b.CreateSelect(lwOk, full, lw), i);
  b.CreateBr(failed);

  b.SetInsertPoint(weightsOk);
  if (numPreds > 0) {
    llvm::BasicBlock* checkPreds = gen.block("preds.check");
    llvm::BasicBlock* predsOk = gen.block("preds.ok");
    b.CreateCondBr(b.CreateFCmpOEQ(lw, gen.real(-kInf)), predsOk, checkPreds);
    b.SetInsertPoint(checkPreds);
    for (size_t k = 0; k < numPreds; ++k) {
      llvm::BasicBlock* bad = gen.block("pred.bad");
      llvm::BasicBlock* next = k + 1 < numPreds ? gen.block("pred.next") : predsOk;
      Value* finite = b.CreateFCmpONE(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, fs[k]), gen.real(kInf));
      b.CreateCondBr(finite, next, bad);
      b.SetInsertPoint(bad);
      Value* kind = b.CreateSelect(b.CreateFCmpUNO(fs[k], fs[k]), b.getInt32(MV_RT_NAN_PREDICTION),
                                   b.getInt32(MV_RT_INF_PREDICTION));
      storeError(gen, err, kind, b.getInt32(uint32_t(k)), fs[k], i);
      b.CreateBr(failed);
      b.SetInsertPoint(next);
    }
  }

  if (laneFn) {
    b.CreateBr(checked);
    b.SetInsertPoint(checked);
  }
  {  // TopWeights::add: only weights above the floor are kept
    llvm::BasicBlock* keep = gen.block("top.keep");
    llvm::BasicBlock* after = gen.block("top.done");
    b.CreateCondBr(b.CreateFCmpOGT(lw, floor), keep, after);
    b.SetInsertPoint(keep);
    llvm::FunctionCallee add =
        gen.mod.getOrInsertFunction("mv_rt_top_add", llvm::FunctionType::get(b.getVoidTy(), {ptr, gen.f64()}, false));
    b.CreateCall(add, {top, lw});
    b.CreateBr(after);
    b.SetInsertPoint(after);
  }
  if (!twoPass) {
    fold(lw, full, fs, preds);
  } else {  // kept for the second pass; the block's largest log weights (-inf never wins)
    Value* j = b.CreateSub(i, begin);
    b.CreateStore(lw, b.CreateInBoundsGEP(gen.f64(), lwBuf, j));
    b.CreateStore(full, b.CreateInBoundsGEP(gen.f64(), fullBuf, j));
    Value* row = b.CreateMul(j, b.getInt64(std::max<size_t>(numPreds, 1)));
    for (size_t k = 0; k < numPreds; ++k)
      b.CreateStore(fs[k], b.CreateInBoundsGEP(gen.f64(), predBuf, b.CreateAdd(row, b.getInt64(k))));
    for (auto [m, x] : {std::pair{maxEst, lw}, std::pair{maxFull, full}}) {
      Value* old = b.CreateLoad(gen.f64(), m);
      b.CreateStore(b.CreateSelect(b.CreateFCmpOGT(x, old), x, old), m);
    }
  }
  Value* next = b.CreateAdd(i, b.getInt64(1), "i.next");
  i->addIncoming(next, b.GetInsertBlock());
  if (laneFn) {
    llvm::BasicBlock* groupDone = gen.block("group.done");
    b.CreateCondBr(b.CreateICmpULT(next, groupEnd), loop, groupDone);
    b.SetInsertPoint(groupDone);
    g0->addIncoming(next, groupDone);
    b.CreateCondBr(b.CreateICmpULT(next, end), group, passEnd);
  } else {
    b.CreateCondBr(b.CreateICmpULT(next, end), loop, passEnd);
  }

  if (twoPass) {
    b.SetInsertPoint(passEnd);
    toPass2(b.CreateSub(end, begin), 0);
    b.SetInsertPoint(failed);
    toPass2(b.CreateSub(i, begin), 1);

    // The second pass: the scales set (runtime/WeightScale.h), then the kept samples folded.
    b.SetInsertPoint(pass2);
    if (perBlockEst) {
      Value* m = b.CreateLoad(gen.f64(), maxEst);
      b.CreateStore(m, acc.maxLog);
      if (numPreds > 0 && !boolSums) {
        llvm::BasicBlock* set = gen.block("summary.scale");
        llvm::BasicBlock* after = gen.block("summary.scaled");
        b.CreateCondBr(b.CreateIsNull(summary), after, set);
        b.SetInsertPoint(set);
        llvm::FunctionCallee f = gen.mod.getOrInsertFunction(
            "mv_rt_summary_set_scale", llvm::FunctionType::get(b.getVoidTy(), {ptr, gen.f64()}, false));
        b.CreateCall(f, {summary, m});
        b.CreateBr(after);
        b.SetInsertPoint(after);
      }
    }
    if (perBlockFull) b.CreateStore(b.CreateLoad(gen.f64(), maxFull), evidence->maxLog);
    llvm::BasicBlock* loop2 = gen.block("loop2");
    llvm::BasicBlock* done2 = gen.block("pass2.done");
    llvm::BasicBlock* from = b.GetInsertBlock();
    b.CreateCondBr(b.CreateICmpNE(count2, b.getInt64(0)), loop2, done2);
    b.SetInsertPoint(loop2);
    llvm::PHINode* j = b.CreatePHI(gen.i64(), 2, "j");
    j->addIncoming(b.getInt64(0), from);
    Value* lw2 = b.CreateLoad(gen.f64(), b.CreateInBoundsGEP(gen.f64(), lwBuf, j), "logw2");
    Value* full2 = b.CreateLoad(gen.f64(), b.CreateInBoundsGEP(gen.f64(), fullBuf, j), "fullw2");
    Value* row = b.CreateInBoundsGEP(gen.f64(), predBuf, b.CreateMul(j, b.getInt64(std::max<size_t>(numPreds, 1))));
    std::vector<Value*> fs2;
    for (size_t k = 0; k < numPreds; ++k) fs2.push_back(b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), row, k)));
    fold(lw2, full2, fs2, row);
    Value* jn = b.CreateAdd(j, b.getInt64(1), "j.next");
    j->addIncoming(jn, b.GetInsertBlock());
    b.CreateCondBr(b.CreateICmpULT(jn, count2), loop2, done2);
    b.SetInsertPoint(done2);
    b.CreateCondBr(b.CreateICmpEQ(rc2, b.getInt32(0)), finish, fail);
  }

  for (auto [where, rc] : {std::pair{finish, 0}, std::pair{fail, 1}}) {
    b.SetInsertPoint(where);
    acc.store(gen);
    if (evidence) evidence->store(gen);
    if (boolSums) {
      llvm::BasicBlock* out = gen.block("summary.out");
      llvm::BasicBlock* ret = gen.block("ret");
      b.CreateCondBr(b.CreateIsNull(summary), ret, out);
      b.SetInsertPoint(out);
      for (size_t k = 0; k < numPreds; ++k) {
        b.CreateStore(b.CreateLoad(gen.f64(), acc.same[k]), b.CreateConstInBoundsGEP1_64(gen.f64(), sameOut, k));
        b.CreateStore(b.CreateLoad(gen.i32(), acc.otherSeen[k]), b.CreateConstInBoundsGEP1_64(gen.i32(), otherOut, k));
      }
      b.CreateBr(ret);
      b.SetInsertPoint(ret);
    }
    b.CreateRet(b.getInt32(uint32_t(rc)));
  }
}

}  // namespace mv::backend::cg
