// backend/Codegen.h — lowers one scheduled query graph to an LLVM module with one sample function.
#pragma once

#include "ir/Graph.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace mv::backend {

/// Choices of the code generator; the defaults are what the JIT and `mvc build` use.
struct CodegenOptions {
  /// Emit the RNG streams and the bernoulli/normal samplers, densities and checks as IR
  /// (same formulas as runtime/) instead of calling the runtime. Measured in
  /// docs/performance.md; it lets the optimiser share the per-sample stream prefix.
  bool inlineRuntime = true;
  /// Large graphs (isChunked): when the schedules' cost, roughly the number of LLVM
  /// instructions they emit, exceeds `chunkThreshold`, the sample function is split into
  /// internal noinline chunk functions of cost at most `chunkCost` each, which keep the node
  /// values in a zeroed heap buffer (one per sample). Much of LLVM is superlinear in the size
  /// of a function or basic block; chunks keep compile time linear in the graph. Results are
  /// the same either way. The benchmark networks (cost <= 3300) stay one function.
  /// Measured in docs/performance.md.
  size_t chunkThreshold = 8000;
  size_t chunkCost = 4000;
  /// The name of the generated mv_rt_sample_fn.
  std::string functionName = "mv_sample";
  /// Which entry points the module defines: the sample function NAME and the block function
  /// NAME_block (both: `mvc build`, `mvc dump --llvm`), or one of them (the JIT compiles the
  /// block function first and the sample function only if asked; with Block alone, NAME is
  /// internal and inlined into the block function).
  enum class Entries { SampleAndBlock, Sample, Block };
  Entries entries = Entries::SampleAndBlock;
  /// W, the samples the block function computes at once in vector lanes (CodegenLanes.cpp),
  /// the same answers bit for bit at any W; 0: laneWidth()'s choice. 1 is the scalar loop.
  unsigned lanes = 0;
};

/// The W generateModule uses for `options` (docs/backend.md, "Lanes"): options.lanes if set,
/// else the environment's MV_LANES (1, 2, 4 or 8) if set, else 4 when the host CPU (the
/// target of the JIT and of `mvc build`) has AVX2 and 1 otherwise.
unsigned laneWidth(const CodegenOptions& options);

/// The W of `g`'s block function under `options`: laneWidth(options), or 1 for a graph the
/// lane function does not compute (a chunked one: isChunked).
unsigned blockLanes(const ir::QueryGraph& g, const CodegenOptions& options);

/// Lowers `g` (after the pass pipeline: worlds scheduled) to a module defining
/// `int32_t NAME(void* ctx, uint64_t seed, uint64_t sample, double* logw, double* preds,
/// mv_rt_error* err)` that computes exactly what backend::Interpreter::sample computes, and
/// `NAME_block`, an mv_rt_block_fn (runtime/Runtime.h) running a block of samples with the
/// driver's checks and accumulation (backend/CodegenBlock.cpp).
/// The module is unoptimised; see backend/Optimize.h.
std::unique_ptr<llvm::Module> generateModule(llvm::LLVMContext& ctx, const ir::QueryGraph& g,
                                             const CodegenOptions& options);

/// Whether generateModule splits `g`'s sample function into chunks (a large graph). Such
/// modules get the light optimisation pipeline and fast machine code (backend/Optimize.h).
bool isChunked(const ir::QueryGraph& g, const CodegenOptions& options);

/// The external symbols a generated module may call (runtime and libm), with their
/// addresses in this process: the JIT's explicit symbol map.
struct ExternalSymbol {
  const char* name;
  void* address;
};
const std::vector<ExternalSymbol>& externalSymbols();

}  // namespace mv::backend
