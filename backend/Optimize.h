// backend/Optimize.h — the LLVM optimisation pipeline and the host target (private to backend/).
#pragma once

#include <llvm/Support/CodeGen.h>

#include <cstddef>
#include <memory>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace mv::backend {

/// A TargetMachine for the host CPU (PIC, so objects link into PIE executables); null and an
/// error message on failure. Initialises LLVM's native target once.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(std::string* error);

/// Sets `m`'s triple and data layout from `tm` and optimises it (no fast-math anywhere:
/// results stay bit-identical). Normally the new pass manager's default per-module pipeline
/// at O2 or O3; for a `large` module (a chunked sample function, see isChunked in
/// backend/Codegen.h) a light per-function pipeline whose cost is linear in the module.
void optimizeModule(llvm::Module& m, llvm::TargetMachine& tm, int level, bool large);

/// On an x86 target, rewrites every `select i1 c, double a, double b` whose condition is not
/// an fcmp (and whose arms are not both constants) into a select of the bits, so instruction
/// selection emits a cmov instead of a branch (backend/SelectBits.cpp). Returns how many.
/// optimizeModule calls it last.
size_t selectsOnBits(llvm::Module& m);
/// The machine-code optimisation level: Default, or None for a `large` module (fast
/// instruction selection and register allocation, no machine scheduler: their cost at
/// higher levels grows faster than the code, and the light pipeline's code gains little).
llvm::CodeGenOpt::Level machineCodeLevel(bool large);

}  // namespace mv::backend
