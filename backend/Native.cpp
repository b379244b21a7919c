// backend/Native.cpp — emits a query (function + metadata) as a host object file and links a sampler.
#include "backend/Native.h"

#include "backend/Codegen.h"
#include "backend/Optimize.h"
#include "backend/WeightBound.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mv::backend {

namespace {

llvm::Constant* cString(llvm::Module& m, const std::string& s) {
  llvm::Constant* init = llvm::ConstantDataArray::getString(m.getContext(), s, true);
  auto* g = new llvm::GlobalVariable(m, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, ".str");
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return g;
}


llvm::Constant* constArray(llvm::Module& m, llvm::StructType* type, const std::vector<llvm::Constant*>& items,
                           const char* name) {
  llvm::Type* ptr = llvm::PointerType::get(m.getContext(), 0);
  if (items.empty()) return llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptr));
  auto* at = llvm::ArrayType::get(type, items.size());
  return new llvm::GlobalVariable(m, at, true, llvm::GlobalValue::PrivateLinkage, llvm::ConstantArray::get(at, items),
                                  name);
}

/// `const mv_rt_query_meta mv_query_meta` (runtime/QueryMeta.h), laid out as the C structs.
void addQueryMeta(llvm::Module& m, const ir::QueryGraph& g, const NativeMessages& messages, const std::string& engine) {
  llvm::LLVMContext& c = m.getContext();
  llvm::Type* ptr = llvm::PointerType::get(c, 0);
  llvm::Type* i32 = llvm::Type::getInt32Ty(c);
  auto* predType = llvm::StructType::create(c, {ptr, ptr}, "mv_rt_prediction_meta");
  auto* errType = llvm::StructType::create(c, {i32, i32, i32, ptr}, "mv_rt_error_meta");
  auto* dataType = llvm::StructType::create(c, {ptr, i32, i32, ptr, i32, ptr}, "mv_rt_data_meta");
  llvm::Type* f64 = llvm::Type::getDoubleTy(c);
  auto* checkType = llvm::StructType::create(c, {i32, i32, i32, ptr, f64, f64, i32, i32, ptr, ptr}, "mv_rt_data_check");
  auto* queryType = llvm::StructType::create(
      c, {ptr, ptr, ptr, ptr, i32, ptr, i32, ptr, ptr, i32, i32, ptr, i32, ptr, i32, ptr, f64, f64}, "mv_rt_query_meta");
  const WeightScales scales = weightScales(g);
  std::vector<llvm::Constant*> preds, errors;
  for (const ir::Prediction& p : g.predictions)
    preds.push_back(llvm::ConstantStruct::get(
        predType, {cString(m, p.label), cString(m, g.predictionWorlds(p))}));
  for (const NativeMessages::Error& e : messages.errors)
    errors.push_back(llvm::ConstantStruct::get(
        errType, {llvm::ConstantInt::get(i32, uint64_t(uint32_t(e.kind))), llvm::ConstantInt::get(i32, uint64_t(uint32_t(e.node))),
                  llvm::ConstantInt::get(i32, uint64_t(uint32_t(e.param))), cString(m, e.text)}));
  std::vector<llvm::Constant*> data;
  for (size_t k = 0; k < g.data.size(); ++k) {
    const ir::DataDecl& d = g.data[k];
    std::vector<llvm::Constant*> dims;
    for (int n : d.dims) dims.push_back(llvm::ConstantInt::get(i32, uint64_t(n)));
    llvm::Constant* dimsArray = llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptr));
    if (!dims.empty()) {
      auto* at = llvm::ArrayType::get(i32, dims.size());
      dimsArray = new llvm::GlobalVariable(m, at, true, llvm::GlobalValue::PrivateLinkage,
                                           llvm::ConstantArray::get(at, dims), "mv.data.dims");
    }
    const std::string text = k < messages.dataTexts.size() ? messages.dataTexts[k] : "error: \x06\n";
    data.push_back(llvm::ConstantStruct::get(
        dataType, {cString(m, d.name), llvm::ConstantInt::get(i32, uint64_t(d.type)),
                   llvm::ConstantInt::get(i32, dims.size()), dimsArray, llvm::ConstantInt::get(i32, d.offset),
                   cString(m, text)}));
  }
  std::vector<llvm::Constant*> checks;
  for (const NativeMessages::DataCheck& d : messages.dataChecks) {
    std::vector<llvm::Constant*> slots;
    for (int32_t s : d.slots) slots.push_back(llvm::ConstantInt::get(i32, uint64_t(uint32_t(s))));
    auto* at = llvm::ArrayType::get(i32, slots.size());
    auto* slotArray = new llvm::GlobalVariable(m, at, true, llvm::GlobalValue::PrivateLinkage,
                                               llvm::ConstantArray::get(at, slots), "mv.check.slots");
    auto i = [&](int64_t v) { return llvm::ConstantInt::get(i32, uint64_t(v)); };
    checks.push_back(llvm::ConstantStruct::get(
        checkType, {i(d.kind), i(d.type), i(int64_t(d.slots.size())), slotArray, llvm::ConstantFP::get(f64, d.lo),
                    llvm::ConstantFP::get(f64, d.hi), i(d.loOpen), i(d.hiOpen), cString(m, d.element),
                    cString(m, d.sum)}));
  }
  llvm::Constant* query = llvm::ConstantStruct::get(
      queryType, {cString(m, g.name), cString(m, g.model), cString(m, ir::queryKindName(g.kind)), cString(m, engine),
                  llvm::ConstantInt::get(i32, preds.size()), constArray(m, predType, preds, "mv.predictions"),
                  llvm::ConstantInt::get(i32, errors.size()), constArray(m, errType, errors, "mv.errors"),
                  cString(m, messages.allZero), llvm::ConstantInt::get(i32, g.hasSeparatedWeight() ? 1 : 0),
                  llvm::ConstantInt::get(i32, data.size()), constArray(m, dataType, data, "mv.data"),
                  llvm::ConstantInt::get(i32, g.dataSize),
                  m.getFunction(std::string(CodegenOptions{}.functionName) + "_block"),
                  llvm::ConstantInt::get(i32, checks.size()), constArray(m, checkType, checks, "mv.data.checks"),
                  llvm::ConstantFP::get(f64, scales.estimate), llvm::ConstantFP::get(f64, scales.full)});
  new llvm::GlobalVariable(m, queryType, true, llvm::GlobalValue::ExternalLinkage, query, "mv_query_meta");
}

/// `a` as one shell word (for showing a command, never for running one).
std::string shellWord(const std::string& a) {
  if (!a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./,:@%")
                        == std::string::npos)
    return a;
  std::string q = "'";
  for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

int runProcess(const std::vector<std::string>& argv, std::string* error) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (int rc = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ); rc != 0) {
    if (error) *error = "cannot run '" + argv[0] + "': " + std::strerror(rc);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      if (error) *error = std::string("waitpid: ") + std::strerror(errno);
      return -1;
    }
  if (!WIFEXITED(status)) {
    if (error) *error = "'" + argv[0] + "' was killed by a signal";
    return -1;
  }
  return WEXITSTATUS(status);
}

bool buildExecutable(const ir::QueryGraph& g, const NativeMessages& messages, const NativeBuild& build,
                     std::string* error) {
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(error);
  if (!tm) return false;
  llvm::LLVMContext ctx;
  CodegenOptions options;  // function name mv_sample, as runtime/SamplerEntry.cpp expects
  std::unique_ptr<llvm::Module> mod = generateModule(ctx, g, options);
  if (!mod) {
    if (error) *error = "code generation failed";
    return false;
  }
  addQueryMeta(*mod, g, messages, build.engine);
  const bool large = isChunked(g, options);
  optimizeModule(*mod, *tm, build.optLevel, large);
  if (large) tm->setOptLevel(machineCodeLevel(large));

  std::string pattern = (std::filesystem::temp_directory_path() / "mvc-build-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    if (error) *error = std::string("cannot create a temporary directory: ") + std::strerror(errno);
    return false;
  }
  const std::filesystem::path dir = pattern;
  const std::string object = (dir / "query.o").string();
  bool ok = false;
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(object, ec, llvm::sys::fs::OF_None);
    llvm::legacy::PassManager pm;
    if (ec) {
      if (error) *error = "cannot write '" + object + "': " + ec.message();
    } else if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CGFT_ObjectFile)) {
      if (error) *error = "the target cannot emit object files";
    } else {
      pm.run(*mod);
      os.flush();
      ok = !os.has_error();
      if (!ok && error) *error = "cannot write '" + object + "'";
    }
  }
  auto cancelled = [&] {
    if (!build.cancel || !build.cancel->load()) return false;
    if (error) *error = "interrupted";
    return true;
  };
  // The executable is linked under a temporary name beside build.output (unique to this
  // process; the linker creates it with the usual mode), then renamed over it.
  const std::filesystem::path out(build.output);
  std::string partial;
  if (ok && !cancelled()) {
    const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
    partial = (out.parent_path() / ("." + out.filename().string() + ".mvc-" + std::to_string(getpid()) + "-" +
                                    std::to_string(uint64_t(tick) % 1000000007u)))
                  .string();
  } else {
    ok = false;
  }
  if (ok) {
    std::vector<std::string> argv{build.linker, object};
    argv.insert(argv.end(), build.libraries.begin(), build.libraries.end());
    argv.insert(argv.end(), build.linkFlags.begin(), build.linkFlags.end());
#ifdef MV_NATIVE_SANITIZE
    // A sanitizer build (cmake/Sanitize.cmake): the runtime is instrumented, so the sampler
    // links that compiler's sanitizer runtime and the build's sanitizer defaults.
    argv[0] = MV_NATIVE_LINKER;
    argv.insert(argv.end(), {MV_NATIVE_SANITIZE, "-Wl,--whole-archive", MV_NATIVE_SANITIZE_LIB, "-Wl,--no-whole-archive"});
#endif
    argv.push_back("-o");
    argv.push_back(partial);
    if (build.verbose) {
      std::string line = "link:";
      for (const std::string& a : argv) line += " " + shellWord(a);
      std::cerr << line << "\n";
    }
    int rc = runProcess(argv, error);
    ok = rc == 0;
    if (rc > 0 && error) *error = "the link step ('" + build.linker + "') failed with status " + std::to_string(rc);
    if (ok && cancelled()) ok = false;
    if (ok && std::rename(partial.c_str(), build.output.c_str()) != 0) {
      ok = false;
      if (error) *error = std::string("cannot rename the linked file to it: ") + std::strerror(errno);
    }
  }
  std::error_code ignored;
  if (!ok && !partial.empty()) std::filesystem::remove(partial, ignored);
  std::filesystem::remove_all(dir, ignored);
  return ok;
}

}  // namespace mv::backend
