// backend/SelectBits.cpp — after optimisation: FP selects on integer conditions become selects of the bits (no branch on x86).
//
// x86 has no select between SSE registers on a condition held in a general register: without
// AVX-512 masked moves, instruction selection expands `select i1 %c, double %a, double %b`
// into a branch (a CMOV_FR64 pseudo), which a random boolean (a bernoulli draw, a table
// lookup) mispredicts half the time. With a floating-point compare as the condition it uses a
// compare mask and a blend instead. The same select on the values' bits, an i64 select, is a
// `cmov`. This rewrite runs after the pipeline, because InstCombine folds
// bitcast(select(c, bitcast a, bitcast b)) back into the FP select. Selects between two
// constants are left alone (a load from a two-entry constant pool), as are selects whose
// condition is an fcmp (a blend). The value selected is the same bit pattern either way.
#include "backend/Optimize.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include <vector>

namespace mv::backend {

size_t selectsOnBits(llvm::Module& m) {
  std::vector<llvm::SelectInst*> found;
  for (llvm::Function& f : m)
    for (llvm::BasicBlock& bb : f)
      for (llvm::Instruction& i : bb) {
        auto* s = llvm::dyn_cast<llvm::SelectInst>(&i);
        if (!s || !s->getType()->isDoubleTy() || !s->getCondition()->getType()->isIntegerTy(1)) continue;
        if (llvm::isa<llvm::FCmpInst>(s->getCondition())) continue;
        if (llvm::isa<llvm::Constant>(s->getTrueValue()) && llvm::isa<llvm::Constant>(s->getFalseValue())) continue;
        found.push_back(s);
      }
  for (llvm::SelectInst* s : found) {
    llvm::IRBuilder<> b(s);
    llvm::Type* i64 = b.getInt64Ty();
    llvm::Value* bits = b.CreateSelect(s->getCondition(), b.CreateBitCast(s->getTrueValue(), i64),
                                       b.CreateBitCast(s->getFalseValue(), i64), s->getName() + ".bits");
    s->replaceAllUsesWith(b.CreateBitCast(bits, s->getType()));
    s->eraseFromParent();
  }
  return found.size();
}

}  // namespace mv::backend
