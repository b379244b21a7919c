// backend/CodegenAccumulator.h — the block function's inline Accumulator::add on sums kept in locals (CodegenBlock.cpp).
#pragma once

#include "backend/CodegenContext.h"

#include <cstddef>
#include <limits>
#include <vector>

namespace mv::backend::cg {

using llvm::Value;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPlainLimit = 0x1p399;  // runtime/Accumulator.cpp: no scaling within it

/// A field of a C struct at byte `offset` of `base`.
inline Value* field(Gen& gen, Value* base, size_t offset) {
  return gen.b.CreateConstInBoundsGEP1_64(gen.b.getInt8Ty(), base, offset);
}

/// An mv_rt_acc whose scalar and per-prediction sums live in locals while the loop runs.
struct Acc {
  Value* raw = nullptr;  // the mv_rt_acc*
  size_t numPreds = 0;
  llvm::AllocaInst *count, *nonzero, *maxLog, *peak, *sumW, *sumW2, *fast;
  // A direct-mapped cache of the log weights the inline path exponentiated and their weights
  // (exp is a pure function: reusing one changes no bit), keyed by a hash of lw's bits;
  // emptied (every key NaN: all bytes 0xff) at the start and when the runtime path may have
  // moved the scale.
  static constexpr unsigned kCacheBits = 6;
  llvm::AllocaInst *cacheKeys, *cacheWeights;
  void clearCache(Gen& gen) {
    gen.b.CreateMemSet(cacheKeys, gen.b.getInt8(0xff), gen.b.getInt64(8u << kCacheBits), llvm::MaybeAlign(8));
  }
  std::vector<llvm::AllocaInst*> sumWF, sumW2F, sumW2FF;
  Value *shift = nullptr, *wf = nullptr, *w2f = nullptr, *w2ff = nullptr;  // the arrays (fixed while the block runs)
  // Bool predictions' summaries (mv_rt_block::bool_same): per prediction the weight of the
  // values equal to the shift, rescaled with the sums, and whether the other value occurred.
  std::vector<llvm::AllocaInst*> same, otherSeen;

  void trackBools(Gen& gen) {
    for (size_t j = 0; j < numPreds; ++j) {
      same.push_back(gen.entryAlloca(gen.f64(), "same"));
      otherSeen.push_back(gen.entryAlloca(gen.i32(), "otherseen"));
      gen.b.CreateStore(gen.real(0), same.back());
      gen.b.CreateStore(gen.b.getInt32(0), otherSeen.back());
    }
  }
  /// A weighted sample with weight w (under the current max) into the bool summaries' sums.
  void addBools(Gen& gen, Value* w, const std::vector<Value*>& fs) {
    llvm::IRBuilder<>& b = gen.b;
    for (size_t j = 0; j < same.size(); ++j) {
      Value* eq = b.CreateFCmpOEQ(fs[j], b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), shift, j)));
      b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), same[j]), b.CreateSelect(eq, w, gen.real(0))), same[j]);
      b.CreateStore(b.CreateOr(b.CreateLoad(gen.i32(), otherSeen[j]), b.CreateZExt(b.CreateNot(eq), gen.i32())),
                    otherSeen[j]);
    }
  }

  Acc(Gen& gen, Value* r, size_t k) : raw(r), numPreds(k) {
    count = gen.entryAlloca(gen.i64(), "count");
    nonzero = gen.entryAlloca(gen.i64(), "nonzero");
    maxLog = gen.entryAlloca(gen.f64(), "maxlog");
    peak = gen.entryAlloca(gen.f64(), "peak");
    llvm::Type* cacheType = llvm::ArrayType::get(gen.f64(), 1u << kCacheBits);
    cacheKeys = gen.entryAlloca(cacheType, "wcache.keys");
    cacheWeights = gen.entryAlloca(cacheType, "wcache.weights");
    clearCache(gen);
    sumW = gen.entryAlloca(gen.f64(), "sumw");
    sumW2 = gen.entryAlloca(gen.f64(), "sumw2");
    fast = gen.entryAlloca(gen.i32(), "fast");
    for (size_t j = 0; j < k; ++j) {
      sumWF.push_back(gen.entryAlloca(gen.f64(), "sumwf"));
      sumW2F.push_back(gen.entryAlloca(gen.f64(), "sumw2f"));
      sumW2FF.push_back(gen.entryAlloca(gen.f64(), "sumw2ff"));
    }
  }
  Value* array(Gen& gen, size_t offset) { return gen.b.CreateLoad(gen.b.getPtrTy(), field(gen, raw, offset)); }
  /// The per-prediction arrays (in the entry block: they do not move while the block runs).
  void loadArrays(Gen& gen) {
    if (numPreds == 0) return;
    shift = array(gen, offsetof(mv_rt_acc, shift));
    wf = array(gen, offsetof(mv_rt_acc, sum_wf));
    w2f = array(gen, offsetof(mv_rt_acc, sum_w2f));
    w2ff = array(gen, offsetof(mv_rt_acc, sum_w2ff));
  }
  /// The struct's sums into the locals.
  void load(Gen& gen) {
    llvm::IRBuilder<>& b = gen.b;
    b.CreateStore(b.CreateLoad(gen.i64(), field(gen, raw, offsetof(mv_rt_acc, count))), count);
    b.CreateStore(b.CreateLoad(gen.i64(), field(gen, raw, offsetof(mv_rt_acc, nonzero))), nonzero);
    b.CreateStore(b.CreateLoad(gen.f64(), field(gen, raw, offsetof(mv_rt_acc, max_log))), maxLog);
    b.CreateStore(b.CreateLoad(gen.f64(), field(gen, raw, offsetof(mv_rt_acc, peak))), peak);
    b.CreateStore(b.CreateLoad(gen.f64(), field(gen, raw, offsetof(mv_rt_acc, sum_w))), sumW);
    b.CreateStore(b.CreateLoad(gen.f64(), field(gen, raw, offsetof(mv_rt_acc, sum_w2))), sumW2);
    b.CreateStore(b.CreateLoad(gen.i32(), field(gen, raw, offsetof(mv_rt_acc, fast))), fast);
    for (size_t j = 0; j < numPreds; ++j) {
      b.CreateStore(b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), wf, j)), sumWF[j]);
      b.CreateStore(b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), w2f, j)), sumW2F[j]);
      b.CreateStore(b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), w2ff, j)), sumW2FF[j]);
    }
  }
  /// The locals back into the struct (before the runtime reads it).
  void store(Gen& gen) {
    llvm::IRBuilder<>& b = gen.b;
    b.CreateStore(b.CreateLoad(gen.i64(), count), field(gen, raw, offsetof(mv_rt_acc, count)));
    b.CreateStore(b.CreateLoad(gen.i64(), nonzero), field(gen, raw, offsetof(mv_rt_acc, nonzero)));
    b.CreateStore(b.CreateLoad(gen.f64(), maxLog), field(gen, raw, offsetof(mv_rt_acc, max_log)));
    b.CreateStore(b.CreateLoad(gen.f64(), peak), field(gen, raw, offsetof(mv_rt_acc, peak)));
    b.CreateStore(b.CreateLoad(gen.f64(), sumW), field(gen, raw, offsetof(mv_rt_acc, sum_w)));
    b.CreateStore(b.CreateLoad(gen.f64(), sumW2), field(gen, raw, offsetof(mv_rt_acc, sum_w2)));
    for (size_t j = 0; j < numPreds; ++j) {
      b.CreateStore(b.CreateLoad(gen.f64(), sumWF[j]), b.CreateConstInBoundsGEP1_64(gen.f64(), wf, j));
      b.CreateStore(b.CreateLoad(gen.f64(), sumW2F[j]), b.CreateConstInBoundsGEP1_64(gen.f64(), w2f, j));
      b.CreateStore(b.CreateLoad(gen.f64(), sumW2FF[j]), b.CreateConstInBoundsGEP1_64(gen.f64(), w2ff, j));
    }
  }

  /// Accumulator::add(lw, preds) with preds[j] = fs[j] (also in memory at `predsPtr` for the
  /// runtime's path). Continues in a new block.
  void add(Gen& gen, Value* lw, const std::vector<Value*>& fs, Value* predsPtr) {
    llvm::IRBuilder<>& b = gen.b;
    llvm::BasicBlock* zero = gen.block("acc.zero");
    llvm::BasicBlock* weighted = gen.block("acc.weighted");
    llvm::BasicBlock* inlinePath = gen.block("acc.inline");
    llvm::BasicBlock* runtimePath = gen.block("acc.runtime");
    llvm::BasicBlock* done = gen.block("acc.done");
    b.CreateCondBr(b.CreateFCmpOEQ(lw, gen.real(-kInf)), zero, weighted);
    b.SetInsertPoint(zero);  // weight 0: counts towards N, nothing else
    b.CreateStore(b.CreateAdd(b.CreateLoad(gen.i64(), count), b.getInt64(1)), count);
    b.CreateBr(done);

    b.SetInsertPoint(weighted);
    // The plain path applies when no rescale is due (lw <= max), no scaling is in use and
    // every value is within 2^399 (Accumulator::add's `plain_ && |f| <= kPlainLimit`).
    Value* ok = b.CreateAnd(b.CreateICmpNE(b.CreateLoad(gen.i32(), fast), b.getInt32(0)),
                            b.CreateFCmpOLE(lw, b.CreateLoad(gen.f64(), maxLog)));
    for (Value* f : fs) {
      Value* mag = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, f);
      ok = b.CreateAnd(ok, b.CreateFCmpOLE(mag, gen.real(kPlainLimit)));
    }
    b.CreateCondBr(ok, inlinePath, runtimePath);

    b.SetInsertPoint(runtimePath);
    Value* oldMax = b.CreateLoad(gen.f64(), maxLog);
    store(gen);
    llvm::FunctionCallee add = gen.mod.getOrInsertFunction(
        "mv_rt_acc_add", llvm::FunctionType::get(b.getVoidTy(), {b.getPtrTy(), gen.f64(), b.getPtrTy()}, false));
    b.CreateCall(add, {raw, lw, predsPtr});
    load(gen);
    clearCache(gen);
    if (!same.empty()) {
      // As the accumulator: a new max rescales by exp(old - new), then w = exp(lw - max).
      Value* newMax = b.CreateLoad(gen.f64(), maxLog);
      Value* rose = b.CreateFCmpOGT(newMax, oldMax);
      Value* s = gen.libm("exp", {b.CreateFSub(oldMax, newMax)});
      for (llvm::AllocaInst* v : same) {
        Value* x = b.CreateLoad(gen.f64(), v);
        b.CreateStore(b.CreateSelect(rose, b.CreateFMul(x, s), x), v);
      }
      addBools(gen, gen.libm("exp", {b.CreateFSub(lw, newMax)}), fs);
    }
    b.CreateBr(done);

    b.SetInsertPoint(inlinePath);
    b.CreateStore(b.CreateAdd(b.CreateLoad(gen.i64(), count), b.getInt64(1)), count);
    b.CreateStore(b.CreateAdd(b.CreateLoad(gen.i64(), nonzero), b.getInt64(1)), nonzero);
    Value* oldPeak = b.CreateLoad(gen.f64(), peak);
    b.CreateStore(b.CreateSelect(b.CreateFCmpOGT(lw, oldPeak), lw, oldPeak), peak);
    // In the order of Accumulator::add, no contraction: w = exp(lw - max), w2 = w * w,
    // sums += w, w2; per prediction d = f - shift, += w d, w2 d, (w2 d) d. exp only for a
    // log weight not in the cache (discrete evidence repeats a few weights).
    llvm::BasicBlock* miss = gen.block("acc.exp");
    llvm::BasicBlock* have = gen.block("acc.w");
    Value* hash = b.CreateLShr(b.CreateMul(b.CreateBitCast(lw, gen.i64()), b.getInt64(0x9e3779b97f4a7c15ull)),
                               b.getInt64(64 - kCacheBits));
    Value* keyPtr = b.CreateInBoundsGEP(gen.f64(), cacheKeys, hash);
    Value* weightPtr = b.CreateInBoundsGEP(gen.f64(), cacheWeights, hash);
    Value* hit = b.CreateFCmpOEQ(lw, b.CreateLoad(gen.f64(), keyPtr));
    llvm::BasicBlock* from = b.GetInsertBlock();
    Value* memo = b.CreateLoad(gen.f64(), weightPtr);
    b.CreateCondBr(hit, have, miss);
    b.SetInsertPoint(miss);
    Value* fresh = gen.libm("exp", {b.CreateFSub(lw, b.CreateLoad(gen.f64(), maxLog))});
    b.CreateStore(lw, keyPtr);
    b.CreateStore(fresh, weightPtr);
    b.CreateBr(have);
    b.SetInsertPoint(have);
    llvm::PHINode* w = b.CreatePHI(gen.f64(), 2, "w");
    w->addIncoming(memo, from);
    w->addIncoming(fresh, miss);
    Value* w2 = b.CreateFMul(w, w);
    b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), sumW), w), sumW);
    b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), sumW2), w2), sumW2);
    addBools(gen, w, fs);
    for (size_t j = 0; j < numPreds; ++j) {
      Value* d = b.CreateFSub(fs[j], b.CreateLoad(gen.f64(), b.CreateConstInBoundsGEP1_64(gen.f64(), shift, j)));
      Value* w2d = b.CreateFMul(w2, d);
      b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), sumWF[j]), b.CreateFMul(w, d)), sumWF[j]);
      b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), sumW2F[j]), w2d), sumW2F[j]);
      b.CreateStore(b.CreateFAdd(b.CreateLoad(gen.f64(), sumW2FF[j]), b.CreateFMul(w2d, d)), sumW2FF[j]);
    }
    b.CreateBr(done);
    b.SetInsertPoint(done);
  }
};

}  // namespace mv::backend::cg
