// backend/CodegenSites.cpp — sites: parameter checks, evidence, proposals and redraws (as the interpreter).
#include "backend/CodegenContext.h"

namespace mv::backend::cg {

using llvm::Value;

namespace {

/// The domain check of distribution `d` on `p` (`raw`: the same operands in their own types):
/// fails with MV_RT_DOMAIN, param `offset + bad` and value p[bad] (0 when bad is past the
/// parameters; an int operand's exact i64 in int_value) as the interpreter does.
void checkDomain(Gen& gen, ir::NodeId id, stdlib::Distribution d, llvm::ArrayRef<Value*> p,
                 llvm::ArrayRef<Value*> raw, int32_t offset) {
  llvm::IRBuilder<>& b = gen.b;
  Value* bad = emitCheck(gen, d, p);
  if (auto* c = llvm::dyn_cast_or_null<llvm::ConstantInt>(scalarConstant(bad)); c && c->getSExtValue() < 0) return;
  if (gen.lanes > 1) {  // the failure's fields come from the sample function's rerun
    gen.failIf(b.CreateICmpSGE(bad, gen.int32(0)), MV_RT_DOMAIN, nullptr, nullptr, nullptr);
    return;
  }
  Value* value = b.getInt64(0);  // the union's bits: 0.0
  for (size_t k = 0; k < p.size(); ++k) {
    Value* bits = raw[k]->getType()->isIntegerTy(1)  ? b.CreateZExt(raw[k], gen.i64())
                  : raw[k]->getType()->isIntegerTy() ? raw[k]
                                                     : b.CreateBitCast(p[k], gen.i64());
    value = b.CreateSelect(b.CreateICmpEQ(bad, b.getInt32(uint32_t(k))), bits, value);
  }
  gen.failIf(b.CreateICmpSGE(bad, b.getInt32(0)), MV_RT_DOMAIN, b.getInt32(id), b.CreateAdd(bad, b.getInt32(offset)),
             value);
}

/// A draw (a double from the runtime) as a value of the site's type (ir::Word::fromDouble: a
/// bool is x != 0; the inlined bernoulli's 0/1 folds back to its i1 comparison).
Value* fromDraw(Gen& gen, ir::Scalar t, Value* x) {
  if (t == ir::Scalar::Int) return asInt(gen, x);
  if (t != ir::Scalar::Bool) return x;
  if (Value* c = boolSource(x)) return c;
  return gen.b.CreateFCmpUNE(x, gen.real(0));
}
/// A proposal that never draws a value the distribution can take fails the sample with
/// MV_RT_PROPOSAL_SUPPORT and that value, as the interpreter does.
void checkCoverage(Gen& gen, ir::NodeId id, const ir::SiteInfo& s, llvm::ArrayRef<Value*> dp,
                   llvm::ArrayRef<Value*> qp) {
  if (s.conditionalProposal) return;
  Value* missed = nullptr;
  Value* covers = emitCovers(gen, s.dist, dp, s.proposalDist, qp, &missed);
  gen.failIf(gen.b.CreateNot(covers), MV_RT_PROPOSAL_SUPPORT, gen.b.getInt32(id), gen.b.getInt32(-1), missed);
}

}  // namespace

Value* observedValue(Gen& gen, const ir::Evidence& ev, ir::Scalar t) {
  if (!ev.isData()) return gen.constant(t, ev.value);
  // ir::observedValue: the slot's word (an int's i64, a bool's 0/1, a real's bits) as ir::convertWord takes it.
  llvm::IRBuilder<>& b = gen.b;
  Value* p = b.CreateConstInBoundsGEP1_64(gen.i64(), gen.dataBuffer(), ev.dataSlot);
  Value* word = gen.splatValue(b.CreateLoad(gen.i64(), p));  // the same word in every lane
  switch (ev.dataType) {
    case ir::Scalar::Real: return b.CreateBitCast(word, gen.vf64());
    case ir::Scalar::Int: return t == ir::Scalar::Real ? b.CreateSIToFP(word, gen.vf64()) : word;
    case ir::Scalar::Bool: break;
  }
  Value* on = b.CreateICmpNE(word, gen.int64(0));
  if (t == ir::Scalar::Int) return b.CreateZExt(on, gen.vi64());
  return t == ir::Scalar::Bool ? on : fromBool(gen, on);
}

void emitFactualSite(Gen& gen, ir::NodeId id, const ir::Evidence* observed) {
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  llvm::IRBuilder<>& b = gen.b;
  std::vector<Value*> raw, p;  // the operands, and as the runtime takes them
  for (ir::NodeId op : n.operands) {
    raw.push_back(gen.operand(op, 0));
    p.push_back(gen.toDouble(gen.g.nodes[op].type, raw.back()));
  }
  llvm::ArrayRef<Value*> dp(p.data(), s.numParams);
  checkDomain(gen, id, s.dist, dp, raw, 0);
  Value* x = nullptr;
  Value* exact = nullptr;  // the site's value: observed and point values exactly
  if (observed) {
    exact = observedValue(gen, *observed, n.type);
    x = gen.toDouble(n.type, exact);
    gen.addToWeight(emitLogpdf(gen, s.dist, x, dp), s.separated);
  } else {
    switch (s.proposal) {
      case ir::ProposalKind::Prior: x = emitDraw(gen, s.dist, dp, s.ordinal, 0); break;
      case ir::ProposalKind::Distribution: {
        llvm::ArrayRef<Value*> qp(p.data() + s.numParams, s.numProposalParams);
        checkDomain(gen, id, s.proposalDist, qp, llvm::ArrayRef<Value*>(raw).slice(s.numParams),
                    s.proposalErrorParam(0));
        checkCoverage(gen, id, s, dp, qp);
        x = emitDraw(gen, s.proposalDist, qp, s.ordinal, 0);
        gen.addToWeight(b.CreateFSub(emitLogpdf(gen, s.dist, x, dp), emitLogpdf(gen, s.proposalDist, x, qp)),
                        s.separated);
        break;
      }
      case ir::ProposalKind::Point:
        x = p[s.numParams];
        exact = raw[s.numParams];
        gen.addToWeight(s.weighedElsewhere ? gen.real(s.logJacobian)
                                           : b.CreateFAdd(emitLogpdf(gen, s.dist, x, dp), gen.real(s.logJacobian)),
                        s.separated);
        break;
    }
  }
  gen.store(id, 0, exact ? exact : fromDraw(gen, n.type, x));
}

Value* keepsFactualDraw(Gen& gen, ir::NodeId id, size_t w) {
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  llvm::IRBuilder<>& b = gen.b;
  // Consistency (ir::keepsFactualDraw): the factual value where the factual world reached the
  // site and every parameter has the factual word; a parameter w does not recompute is the
  // factual one.
  Value* keep = gen.bit(true);
  if (n.guard != ir::kNoNode) keep = truth(gen, gen.operand(n.guard, 0));
  for (size_t k = 0; k < s.numParams; ++k) {
    ir::NodeId op = n.operands[k];
    if (gen.slots[w][op] == Gen::kNoSlot) continue;
    Value* mine = gen.operand(op, w);
    Value* factual = gen.operand(op, 0);
    if (!mine->getType()->isIntOrIntVectorTy()) {
      mine = b.CreateBitCast(mine, gen.vi64());
      factual = b.CreateBitCast(factual, gen.vi64());
    }
    keep = b.CreateAnd(keep, b.CreateICmpEQ(mine, factual));
  }
  return keep;
}

Value* differsFrom(Gen& gen, ir::Scalar t, Value* v, const ir::Evidence& ev) {
  Value* c = observedValue(gen, ev, t);  // ir::sameValue, as an Evaluate step's evidence check
  return t != ir::Scalar::Real ? gen.b.CreateICmpNE(v, c) : gen.b.CreateFCmpUNE(v, c);
}

namespace {

/// The lane function: `kept` in the lanes where `keep` holds, then `other` in the rest (of
/// the current mask), each storing and weighing only in its lanes; the scalar diamond's
/// two sides, one of which runs per sample.
void bothSides(Gen& gen, Value* keep, const std::function<void()>& kept, const std::function<void()>& other) {
  Value* outer = gen.mask;
  auto within = [&](Value* m) { return outer ? gen.b.CreateAnd(outer, m) : m; };
  gen.mask = within(keep);
  kept();
  gen.mask = within(gen.b.CreateNot(keep));
  other();
  gen.mask = outer;
}

}  // namespace

void emitObserveIfKept(Gen& gen, ir::NodeId id, size_t from, const ir::Evidence& ev) {
  llvm::IRBuilder<>& b = gen.b;
  if (gen.lanes > 1)
    return bothSides(gen, keepsFactualDraw(gen, id, from), [&] { emitFactualSite(gen, id, &ev); },
                     [&] { emitFactualSite(gen, id, nullptr); });
  llvm::BasicBlock* kept = gen.block("kept");
  llvm::BasicBlock* drawn = gen.block("draw");
  llvm::BasicBlock* done = gen.block("observed");
  b.CreateCondBr(keepsFactualDraw(gen, id, from), kept, drawn);
  b.SetInsertPoint(kept);
  emitFactualSite(gen, id, &ev);
  b.CreateBr(done);
  b.SetInsertPoint(drawn);
  emitFactualSite(gen, id, nullptr);
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void emitWorldObserve(Gen& gen, ir::NodeId id, size_t w, const ir::Evidence& ev) {
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  llvm::IRBuilder<>& b = gen.b;
  auto kept = [&] {
    Value* factual = gen.load(id, 0);
    gen.store(id, w, factual);
    gen.zeroWeightIf(differsFrom(gen, n.type, factual, ev));
  };
  auto redrawn = [&] {
    std::vector<Value*> raw, p;
    for (size_t k = 0; k < s.numParams; ++k) {
      raw.push_back(gen.operand(n.operands[k], w));
      p.push_back(gen.toDouble(gen.g.nodes[n.operands[k]].type, raw.back()));
    }
    checkDomain(gen, id, s.dist, p, raw, 0);
    Value* value = observedValue(gen, ev, n.type);
    gen.addToWeight(emitLogpdf(gen, s.dist, gen.toDouble(n.type, value), p), false);
    gen.store(id, w, value);
  };
  if (gen.lanes > 1) return bothSides(gen, keepsFactualDraw(gen, id, w), kept, redrawn);
  llvm::BasicBlock* keptBlock = gen.block("kept");
  llvm::BasicBlock* redrawnBlock = gen.block("redrawn");
  llvm::BasicBlock* done = gen.block("observed");
  b.CreateCondBr(keepsFactualDraw(gen, id, w), keptBlock, redrawnBlock);
  b.SetInsertPoint(keptBlock);
  kept();
  b.CreateBr(done);
  b.SetInsertPoint(redrawnBlock);
  redrawn();
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void emitCounterfactualSite(Gen& gen, ir::NodeId id, size_t w) {
  llvm::IRBuilder<>& b = gen.b;
  Value* keep = keepsFactualDraw(gen, id, w);
  if (gen.lanes > 1)
    return bothSides(gen, keep, [&] { gen.store(id, w, gen.load(id, 0)); }, [&] { emitStochasticSite(gen, id, w); });
  llvm::BasicBlock* kept = gen.block("kept");
  llvm::BasicBlock* redraw = gen.block("redraw");
  llvm::BasicBlock* done = gen.block("drawn");
  b.CreateCondBr(keep, kept, redraw);
  b.SetInsertPoint(kept);
  gen.store(id, w, gen.load(id, 0));
  b.CreateBr(done);
  b.SetInsertPoint(redraw);
  emitStochasticSite(gen, id, w);  // the same draw: its distribution, the world's stream
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

void emitStochasticSite(Gen& gen, ir::NodeId id, size_t w) {
  // A stochastic do's own distribution, always drawn fresh; also a redraw's draw where its
  // inputs changed (emitCounterfactualSite).
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  std::vector<Value*> raw, p;
  for (size_t k = 0; k < s.numParams; ++k) {
    raw.push_back(gen.operand(n.operands[k], w));
    p.push_back(gen.toDouble(gen.g.nodes[n.operands[k]].type, raw.back()));
  }
  checkDomain(gen, id, s.dist, p, raw, 0);
  gen.store(id, w, fromDraw(gen, n.type, emitDraw(gen, s.dist, p, s.ordinal, uint32_t(w))));
}

}  // namespace mv::backend::cg
