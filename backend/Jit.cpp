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

namespace mv::backend {

struct JitQuery::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
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
  std::unique_ptr<llvm::Module> mod = generateModule(*ctx, g, options.codegen);
  if (!mod) return fail("code generation failed for query '" + g.name + "'");
  const auto generated = std::chrono::steady_clock::now();
  optimizeModule(*mod, *tm, options.optLevel, large);
  const auto optimized = std::chrono::steady_clock::now();

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) return fail(llvm::toString(jtmb.takeError()));
  jtmb->setCodeGenOptLevel(machineCodeLevel(large));
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
  auto address = (*jit)->lookup(options.codegen.functionName);
  if (!address) return fail(llvm::toString(address.takeError()));

  std::unique_ptr<JitQuery> q(new JitQuery());
  q->impl_ = std::make_unique<Impl>();
  q->fn_ = address->toPtr<mv_rt_sample_fn>();
  q->impl_->jit = std::move(*jit);
  using Seconds = std::chrono::duration<double>;
  q->seconds_ = Seconds(std::chrono::steady_clock::now() - start).count();
  q->generate_ = Seconds(generated - start).count();
  q->optimize_ = Seconds(optimized - generated).count();
  return q;
}

}  // namespace mv::backend
