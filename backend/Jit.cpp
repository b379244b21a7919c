// backend/Jit.cpp — the only ORC user: LLJIT with an explicit symbol map of runtime and libm functions.
#include "backend/Jit.h"

#include "backend/Optimize.h"

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include <chrono>
#include <mutex>

namespace mv::backend {

struct JitQuery::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  // The sample function's module, compiled on the first call of function() (runs through
  // the block function need only that one).
  std::unique_ptr<llvm::TargetMachine> tm;
  std::unique_ptr<llvm::LLVMContext> sampleCtx;
  std::unique_ptr<llvm::Module> sampleModule;
  int optLevel = 2;
  std::string functionName;
  std::once_flag once;
  mv_rt_sample_fn fn = nullptr;
};

JitQuery::~JitQuery() = default;

std::unique_ptr<JitQuery> JitQuery::compile(const ir::QueryGraph& g, const JitOptions& options, std::string* error) {
  const auto start = std::chrono::steady_clock::now();
  auto fail = [&](std::string message) -> std::unique_ptr<JitQuery> {
    if (error) *error = std::move(message);
    return nullptr;
  };
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(error);
  if (!tm) return nullptr;
  auto ctx = std::make_unique<llvm::LLVMContext>();
  const bool large = isChunked(g, options.codegen);
  // Small graphs: the block function (the sample function inlined into it) now, the sample
  // function apart, compiled only when asked for. Large ones (not inlined): one module.
  CodegenOptions blockOptions = options.codegen;
  if (!large) blockOptions.entries = CodegenOptions::Entries::Block;
  std::unique_ptr<llvm::Module> mod = generateModule(*ctx, g, blockOptions);
  if (!mod) return fail("code generation failed for query '" + g.name + "'");
  std::unique_ptr<JitQuery> q(new JitQuery());
  q->impl_ = std::make_unique<Impl>();
  q->impl_->optLevel = options.optLevel;
  q->impl_->functionName = options.codegen.functionName;
  if (!large) {
    CodegenOptions sampleOptions = options.codegen;
    sampleOptions.entries = CodegenOptions::Entries::Sample;
    q->impl_->sampleCtx = std::make_unique<llvm::LLVMContext>();
    q->impl_->sampleModule = generateModule(*q->impl_->sampleCtx, g, sampleOptions);
    if (!q->impl_->sampleModule) return fail("code generation failed for query '" + g.name + "'");
  }
  const auto generated = std::chrono::steady_clock::now();
  optimizeModule(*mod, *tm, options.optLevel, large);
  const auto optimized = std::chrono::steady_clock::now();

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return fail(llvm::toString(jtmb.takeError()));
  jtmb->setCodeGenOptLevel(machineCodeLevel(large));
  if (large) {
    // The small PIC code model: under the JIT's default (large) model FastISel selects no
    // call, so every block with a runtime call went through SelectionDAG; far runtime
    // symbols are reached through RuntimeDyld's stubs (docs/backend.md, "Large graphs").
    jtmb->setCodeModel(llvm::CodeModel::Small);
    jtmb->setRelocationModel(llvm::Reloc::PIC_);
  }
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) return fail(llvm::toString(jit.takeError()));

  // Runtime and libm functions by explicit address, never through the process's symbol table.
  llvm::orc::SymbolMap symbols;
  for (const ExternalSymbol& s : externalSymbols())
    symbols[(*jit)->mangleAndIntern(s.name)] = llvm::JITEvaluatedSymbol(
        llvm::pointerToJITTargetAddress(s.address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  if (llvm::Error e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return fail(llvm::toString(std::move(e)));
  if (llvm::Error e = (*jit)->addIRModule(llvm::orc::ThreadSafeModule(std::move(mod), std::move(ctx))))
    return fail(llvm::toString(std::move(e)));
  auto blockAddress = (*jit)->lookup(options.codegen.functionName + "_block");
  if (!blockAddress) return fail(llvm::toString(blockAddress.takeError()));

  if (large) {
    auto address = (*jit)->lookup(options.codegen.functionName);
    if (!address) return fail(llvm::toString(address.takeError()));
    q->impl_->fn = address->toPtr<mv_rt_sample_fn>();
  }
  q->impl_->tm = std::move(tm);
  q->block_ = blockAddress->toPtr<mv_rt_block_fn>();
  q->impl_->jit = std::move(*jit);
  using Seconds = std::chrono::duration<double>;
  q->seconds_ = Seconds(std::chrono::steady_clock::now() - start).count();
  q->generate_ = Seconds(generated - start).count();
  q->optimize_ = Seconds(optimized - generated).count();
  return q;
}

mv_rt_sample_fn JitQuery::function() const {
  Impl& impl = *impl_;
  std::call_once(impl.once, [&impl] {
    if (!impl.sampleModule) return;  // a large graph's: compiled with the block function
    optimizeModule(*impl.sampleModule, *impl.tm, impl.optLevel, false);
    llvm::orc::ThreadSafeModule tsm(std::move(impl.sampleModule), std::move(impl.sampleCtx));
    if (llvm::Error e = impl.jit->addIRModule(std::move(tsm))) {
      llvm::consumeError(std::move(e));
      return;
    }
    auto address = impl.jit->lookup(impl.functionName);
    if (!address) {
      llvm::consumeError(address.takeError());
      return;
    }
    impl.fn = address->toPtr<mv_rt_sample_fn>();
  });
  return impl.fn;
}

}  // namespace mv::backend
