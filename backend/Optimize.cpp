// backend/Optimize.cpp — host TargetMachine, the new-pass-manager O2/O3 pipeline, the light one for large modules.
#include "backend/Optimize.h"

#include "backend/Jit.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/MC/SubtargetFeature.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include <mutex>

namespace mv::backend {

std::unique_ptr<llvm::TargetMachine> hostTargetMachine(std::string* error) {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  std::string triple = llvm::sys::getProcessTriple();
  std::string message;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target) {
    if (error) *error = message;
    return nullptr;
  }
  llvm::SubtargetFeatures features;
  llvm::StringMap<bool> host;
  if (llvm::sys::getHostCPUFeatures(host))
    for (const auto& f : host) features.AddFeature(f.first(), f.second);
  llvm::TargetOptions options;  // AllowFPOpFusion stays Standard: no fma contraction
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features.getString(), options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOpt::Aggressive));
  if (!tm && error) *error = "cannot create a target machine for " + triple;
  return tm;
}

void optimizeModule(llvm::Module& m, llvm::TargetMachine& tm, int level, bool large) {
  m.setTargetTriple(tm.getTargetTriple().str());
  m.setDataLayout(tm.createDataLayout());
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm;
  if (large) {
    // Chunks keep every value in the buffer: SROA promotes the stream states and parameter
    // arrays, EarlyCSE (with MemorySSA) forwards stored values to later loads and shares the
    // streams' per-sample prefix, SimplifyCFG merges the per-node blocks.
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
    fpm.addPass(llvm::EarlyCSEPass(/*UseMemorySSA=*/true));
    fpm.addPass(llvm::SimplifyCFGPass());
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  } else {
    mpm = pb.buildPerModuleDefaultPipeline(level >= 3 ? llvm::OptimizationLevel::O3 : llvm::OptimizationLevel::O2);
  }
  mpm.run(m, mam);
  if (tm.getTargetTriple().isX86()) selectsOnBits(m);  // after InstCombine, which would undo it
}

llvm::CodeGenOpt::Level machineCodeLevel(bool large) {
  return large ? llvm::CodeGenOpt::None : llvm::CodeGenOpt::Default;
}

std::string optimizedModuleText(const ir::QueryGraph& g, const JitOptions& options) {
  std::string error;
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(&error);
  if (!tm) return "; error: " + error + "\n";
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = generateModule(ctx, g, options.codegen);
  if (!mod) return "; error: code generation failed\n";
  optimizeModule(*mod, *tm, options.optLevel, isChunked(g, options.codegen));
  std::string text;
  llvm::raw_string_ostream os(text);
  mod->print(os, nullptr);
  return os.str();
}

}  // namespace mv::backend
