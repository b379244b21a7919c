// backend/CodegenSites.cpp — sites: parameter checks, evidence, proposals and redraws (as the interpreter).
#include "backend/CodegenContext.h"

namespace mv::backend::cg {

using llvm::Value;

namespace {

/// The domain check of distribution `d` on `p`: fails with MV_RT_DOMAIN, param
/// `offset + bad` and value p[bad] (0 when bad is past the parameters) as the interpreter does.
void checkDomain(Gen& gen, ir::NodeId id, stdlib::Distribution d, llvm::ArrayRef<Value*> p, int32_t offset) {
  llvm::IRBuilder<>& b = gen.b;
  Value* bad = emitCheck(gen, d, p);
  if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(bad); c && c->getSExtValue() < 0) return;
  Value* value = gen.real(0);
  for (size_t k = 0; k < p.size(); ++k) value = b.CreateSelect(b.CreateICmpEQ(bad, b.getInt32(uint32_t(k))), p[k], value);
  gen.failIf(b.CreateICmpSGE(bad, b.getInt32(0)), MV_RT_DOMAIN, b.getInt32(id), b.CreateAdd(bad, b.getInt32(offset)),
             value);
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

void addToWeight(Gen& gen, Value* term) {
  gen.b.CreateStore(gen.b.CreateFAdd(gen.b.CreateLoad(gen.f64(), gen.logw), term), gen.logw);
}

}  // namespace

void emitFactualSite(Gen& gen, ir::NodeId id, bool observed, double observedValue) {
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  llvm::IRBuilder<>& b = gen.b;
  std::vector<Value*> p;
  for (ir::NodeId op : n.operands) p.push_back(gen.operand(op, 0));
  llvm::ArrayRef<Value*> dp(p.data(), s.numParams);
  checkDomain(gen, id, s.dist, dp, 0);
  Value* x = nullptr;
  if (observed) {
    x = gen.real(observedValue);
    addToWeight(gen, emitLogpdf(gen, s.dist, x, dp));
  } else {
    switch (s.proposal) {
      case ir::ProposalKind::Prior: x = emitDraw(gen, s.dist, dp, s.ordinal, 0); break;
      case ir::ProposalKind::Distribution: {
        llvm::ArrayRef<Value*> qp(p.data() + s.numParams, s.numProposalParams);
        checkDomain(gen, id, s.proposalDist, qp, s.proposalErrorParam(0));
        checkCoverage(gen, id, s, dp, qp);
        x = emitDraw(gen, s.proposalDist, qp, s.ordinal, 0);
        addToWeight(gen, b.CreateFSub(emitLogpdf(gen, s.dist, x, dp), emitLogpdf(gen, s.proposalDist, x, qp)));
        break;
      }
      case ir::ProposalKind::Point:
        x = p[s.numParams];
        addToWeight(gen, b.CreateFAdd(emitLogpdf(gen, s.dist, x, dp), gen.real(s.logJacobian)));
        break;
    }
  }
  gen.store(id, 0, x);
}

void emitCounterfactualSite(Gen& gen, ir::NodeId id, size_t w) {
  const ir::Node& n = gen.g.nodes[id];
  const ir::SiteInfo& s = n.site;
  std::vector<Value*> p;
  for (size_t k = 0; k < s.numParams; ++k) p.push_back(gen.operand(n.operands[k], w));
  checkDomain(gen, id, s.dist, p, 0);
  gen.store(id, w, emitDraw(gen, s.dist, p, s.ordinal, uint32_t(w)));
}

}  // namespace mv::backend::cg
