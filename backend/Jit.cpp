// backend/Jit.cpp — the only ORC user: LLJIT with an explicit symbol map of runtime and libm functions.
#include "backend/Jit.h"

#include "backend/JitCache.h"
#include "backend/Optimize.h"

#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <chrono>
#include <mutex>

#include <time.h>

namespace mv::backend {

namespace {

/// A moment in wall-clock time and in the calling thread's CPU time (the JIT compiles on it).
struct Mark {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = threadCpu();
  static double threadCpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
  }
};

/// Adds the time from `a` to `b` to phase `field` of `wall` and `cpu`.
void addPhase(JitQuery::Phases& wall, JitQuery::Phases& cpu, double JitQuery::Phases::*field, const Mark& a,
              const Mark& b) {
  wall.*field += std::chrono::duration<double>(b.wall - a.wall).count();
  cpu.*field += b.cpu - a.cpu;
}

/// The cache key of unoptimised module `m`: what its object is a function of — the compiler
/// (build IDs), both target machines (triple, CPU, features), the optimisation and machine
/// code levels and the module itself (its bitcode, a complete serialisation).
JitCacheKey moduleKey(const llvm::Module& m, const llvm::TargetMachine& optTm, const llvm::TargetMachine& machineTm,
                      int optLevel, bool large) {
  llvm::SHA256 h;
  auto field = [&h](llvm::StringRef s) {
    h.update(s);
    h.update(llvm::StringRef("\0", 1));
  };
  field("multiverse-jit-object 1");
  field(compilerIdentity());
  for (const llvm::TargetMachine* tm : {&optTm, &machineTm}) {
    field(tm->getTargetTriple().str());
    field(tm->getTargetCPU());
    field(tm->getTargetFeatureString());
    field(std::to_string(int(tm->getOptLevel())) + " " + std::to_string(int(tm->getRelocationModel())) + " " +
          std::to_string(int(tm->getCodeModel())));
  }
  field(std::to_string(optLevel) + (large ? " large" : " small"));
  llvm::SmallVector<char, 0> bitcode;
  llvm::raw_svector_ostream os(bitcode);
  llvm::WriteBitcodeToFile(m, os);
  h.update(llvm::StringRef(bitcode.data(), bitcode.size()));
  return h.final();
}

/// Where the time of objectFor goes.
struct ObjectTimes {
  Mark looked, optimized, compiled;
};

/// The machine code of unoptimised module `m`: from `cache` when it holds an intact entry
/// (*hit), else optimised, compiled by `machineTm` (what LLJIT's own compile layer would do)
/// and stored. Either way the JIT links exactly these bytes. An error "cancelled" once `cancel`
/// is set, checked before the lookup and before machine code.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> objectFor(llvm::Module& m, llvm::TargetMachine& optTm,
                                                              llvm::TargetMachine& machineTm, int optLevel, bool large,
                                                              const JitCache* cache, bool* hit, ObjectTimes* times,
                                                              const std::atomic<bool>* cancel) {
  *hit = false;
  auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  if (cancelled()) return llvm::createStringError(llvm::inconvertibleErrorCode(), "cancelled");
  JitCacheKey key{};
  if (cache) {
    key = moduleKey(m, optTm, machineTm, optLevel, large);
    if (std::optional<std::string> object = cache->load(key)) {
      *hit = true;
      times->looked = times->optimized = times->compiled = Mark();
      return llvm::MemoryBuffer::getMemBufferCopy(*object, m.getName());
    }
  }
  times->looked = Mark();
  optimizeModule(m, optTm, optLevel, large);
  times->optimized = Mark();
  if (cancelled()) return llvm::createStringError(llvm::inconvertibleErrorCode(), "cancelled");
  llvm::orc::SimpleCompiler compiler(machineTm);
  auto object = compiler(m);
  times->compiled = Mark();
  if (object && cache) cache->store(key, llvm::StringRef((*object)->getBufferStart(), (*object)->getBufferSize()));
  return object;
}

}  // namespace

struct JitQuery::Impl {
  // The target machines outlive the JIT (its compile layer uses machineTm).
  std::unique_ptr<llvm::TargetMachine> tm;         // optimisation (backend/Optimize.h)
  std::unique_ptr<llvm::TargetMachine> machineTm;  // machine code for this JIT
  std::unique_ptr<llvm::orc::LLJIT> jit;
  // The sample function's module, compiled on the first call of function() (runs through
  // the block function need only that one).
  std::unique_ptr<llvm::LLVMContext> sampleCtx;
  std::unique_ptr<llvm::Module> sampleModule;
  int optLevel = 2;
  std::string functionName;
  std::string cacheDir;
  std::once_flag once;
  mv_rt_sample_fn fn = nullptr;
};

JitQuery::~JitQuery() = default;

std::unique_ptr<JitQuery> JitQuery::compile(const ir::QueryGraph& g, const JitOptions& options, std::string* error) {
  const auto start = std::chrono::steady_clock::now();
  const Mark begun;
  auto fail = [&](std::string message) -> std::unique_ptr<JitQuery> {
    if (error) *error = std::move(message);
    return nullptr;
  };
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(error);
  if (!tm) return nullptr;
  const bool large = isChunked(g, options.codegen);
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
  auto machineTm = jtmb->createTargetMachine();
  if (!machineTm) return fail(llvm::toString(machineTm.takeError()));
  const Mark initialised;

  auto ctx = std::make_unique<llvm::LLVMContext>();
  // Small graphs: the block function (the sample function inlined into it) now, the sample
  // function apart, compiled only when asked for (Lazy) or never (BlockOnly). Large ones (not
  // inlined), and any with options.sampleNow: one module holding both. SampleOnly: the
  // sample function alone.
  using Entries = JitOptions::Entries;
  const Entries entries = options.sampleNow ? Entries::Lazy : options.entries;
  const bool split = !large && !options.sampleNow && entries == Entries::Lazy;
  CodegenOptions blockOptions = options.codegen;
  if (options.sampleNow) blockOptions.entries = CodegenOptions::Entries::SampleAndBlock;
  else if (entries == Entries::SampleOnly) blockOptions.entries = CodegenOptions::Entries::Sample;
  else if (!large) blockOptions.entries = CodegenOptions::Entries::Block;
  else blockOptions.entries = CodegenOptions::Entries::SampleAndBlock;
  const bool hasBlock = blockOptions.entries != CodegenOptions::Entries::Sample;
  const bool hasSample = blockOptions.entries != CodegenOptions::Entries::Block;
  std::unique_ptr<llvm::Module> mod = generateModule(*ctx, g, blockOptions);
  if (!mod) return fail("code generation failed for query '" + g.name + "'");
  std::unique_ptr<JitQuery> q(new JitQuery());
  q->impl_ = std::make_unique<Impl>();
  Impl& impl = *q->impl_;
  impl.optLevel = options.optLevel;
  impl.functionName = options.codegen.functionName;
  impl.cacheDir = options.cacheDir;
  if (split) {
    CodegenOptions sampleOptions = options.codegen;
    sampleOptions.entries = CodegenOptions::Entries::Sample;
    impl.sampleCtx = std::make_unique<llvm::LLVMContext>();
    impl.sampleModule = generateModule(*impl.sampleCtx, g, sampleOptions);
    if (!impl.sampleModule) return fail("code generation failed for query '" + g.name + "'");
  }
  const Mark generatedMark;

  std::optional<JitCache> cache;
  if (!options.cacheDir.empty()) cache.emplace(options.cacheDir);
  ObjectTimes times;
  auto object = objectFor(*mod, *tm, **machineTm, options.optLevel, large, cache && cache->usable() ? &*cache : nullptr,
                          &q->cacheHit_, &times, options.cancel);
  if (!object) return fail(llvm::toString(object.takeError()));
  const Mark cached;

  // No platform (the generated code has no static initialisers) and no process symbols: the
  // runtime and libm functions by explicit address, never through the process's symbol table.
  llvm::TargetMachine* machine = machineTm->get();
  auto jit = llvm::orc::LLJITBuilder()
                 .setJITTargetMachineBuilder(std::move(*jtmb))
                 .setPlatformSetUp(llvm::orc::setUpInactivePlatform)
                 .setCompileFunctionCreator([machine](llvm::orc::JITTargetMachineBuilder)
                                                -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                   return std::make_unique<llvm::orc::SimpleCompiler>(*machine);
                 })
                 .create();
  if (!jit) return fail(llvm::toString(jit.takeError()));
  llvm::orc::SymbolMap symbols;
  for (const ExternalSymbol& s : externalSymbols())
    symbols[(*jit)->mangleAndIntern(s.name)] = llvm::JITEvaluatedSymbol(
        llvm::pointerToJITTargetAddress(s.address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  if (llvm::Error e = (*jit)->getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols))))
    return fail(llvm::toString(std::move(e)));
  const Mark jitReady;
  if (llvm::Error e = (*jit)->addObjectFile(std::move(*object))) return fail(llvm::toString(std::move(e)));
  if (hasBlock) {
    auto blockAddress = (*jit)->lookup(options.codegen.functionName + "_block");
    if (!blockAddress) return fail(llvm::toString(blockAddress.takeError()));
    q->block_ = blockAddress->toPtr<mv_rt_block_fn>();
  }
  if (hasSample) {
    auto address = (*jit)->lookup(options.codegen.functionName);
    if (!address) return fail(llvm::toString(address.takeError()));
    impl.fn = address->toPtr<mv_rt_sample_fn>();
  }
  impl.tm = std::move(tm);
  impl.machineTm = std::move(*machineTm);
  impl.jit = std::move(*jit);
  const Mark done;
  q->seconds_ = std::chrono::duration<double>(done.wall - start).count();
  addPhase(q->wall_, q->cpu_, &Phases::init, begun, initialised);
  addPhase(q->wall_, q->cpu_, &Phases::generate, initialised, generatedMark);
  addPhase(q->wall_, q->cpu_, &Phases::cache, generatedMark, times.looked);
  addPhase(q->wall_, q->cpu_, &Phases::optimize, times.looked, times.optimized);
  addPhase(q->wall_, q->cpu_, &Phases::machine, times.optimized, times.compiled);
  addPhase(q->wall_, q->cpu_, &Phases::cache, times.compiled, cached);
  addPhase(q->wall_, q->cpu_, &Phases::init, cached, jitReady);
  addPhase(q->wall_, q->cpu_, &Phases::machine, jitReady, done);
  q->generate_ = q->wall_.init + q->wall_.generate;
  q->optimize_ = q->wall_.optimize;
  return q;
}

mv_rt_sample_fn JitQuery::function() const {
  Impl& impl = *impl_;
  std::call_once(impl.once, [&impl] {
    if (!impl.sampleModule) return;  // compiled with the block function, alone, or not at all
    std::optional<JitCache> cache;
    if (!impl.cacheDir.empty()) cache.emplace(impl.cacheDir);
    bool hit = false;
    ObjectTimes times;
    auto object = objectFor(*impl.sampleModule, *impl.tm, *impl.machineTm, impl.optLevel, false,
                            cache && cache->usable() ? &*cache : nullptr, &hit, &times, nullptr);
    impl.sampleModule.reset();
    impl.sampleCtx.reset();
    if (!object) {
      llvm::consumeError(object.takeError());
      return;
    }
    if (llvm::Error e = impl.jit->addObjectFile(std::move(*object))) {
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
