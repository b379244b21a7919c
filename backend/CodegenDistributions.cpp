// backend/CodegenDistributions.cpp — random streams, draws, densities and checks: runtime calls,
// or the runtime's own formulas emitted as IR for bernoulli and normal (CodegenOptions::inlineRuntime).
#include "backend/CodegenContext.h"

#include "backend/RuntimeTable.h"
#include "runtime/Stream.h"
#include "runtime/Uniform.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

namespace mv::backend::cg {

using llvm::Value;
using stdlib::Distribution;

namespace {

// libm functions the generated code calls, for compile-time evaluation of constant calls
// (the same functions the interpreter and the JIT'ed code call, so the results agree).
struct LibmFn {
  const char* name;
  double (*unary)(double);
  double (*binary)(double, double);
};
const LibmFn kLibm[] = {
    {"exp", ::exp, nullptr},   {"log", ::log, nullptr}, {"log1p", ::log1p, nullptr},
    {"expm1", ::expm1, nullptr}, {"cos", ::cos, nullptr}, {"pow", nullptr, ::pow},
};

const LibmFn* findLibm(const char* name) {
  for (const LibmFn& f : kLibm)
    if (std::strcmp(f.name, name) == 0) return &f;
  return nullptr;
}

std::optional<std::vector<double>> constants(llvm::ArrayRef<Value*> vs) {
  std::vector<double> out;
  for (Value* v : vs) {
    auto* c = llvm::dyn_cast_or_null<llvm::ConstantFP>(scalarConstant(v));
    if (!c) return std::nullopt;
    out.push_back(c->getValueAPF().convertToDouble());
  }
  return out;
}

llvm::FunctionCallee runtimeFn(Gen& gen, std::string_view name, llvm::Type* result, llvm::ArrayRef<llvm::Type*> args) {
  llvm::FunctionCallee f = gen.mod.getOrInsertFunction(llvm::StringRef(name.data(), name.size()),
                                                       llvm::FunctionType::get(result, args, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(f.getCallee())) fn->addFnAttr(llvm::Attribute::NoUnwind);
  return f;
}

/// The parameters in a stack array, for the runtime's (const double* p, int32_t n) calls.
Value* paramArray(Gen& gen, llvm::ArrayRef<Value*> p) {
  llvm::AllocaInst* arr = gen.entryAlloca(llvm::ArrayType::get(gen.f64(), std::max<size_t>(p.size(), 1)), "params");
  for (size_t k = 0; k < p.size(); ++k)
    gen.b.CreateStore(p[k], gen.b.CreateConstInBoundsGEP2_64(arr->getAllocatedType(), arr, 0, k));
  return arr;
}

// ---- the RNG of runtime/Stream.h, as IR ------------------------------------------------

/// mv_rt_stream_for: the initial state of the stream of (ordinal, world) as an i64, from the
/// function's sample key (Gen::sampleKey) and the site's constant key — one add, so it is
/// emitted inline even where the draws call the runtime (CodegenOptions::inlineRuntime off).
Value* streamState(Gen& gen, uint32_t ordinal, uint32_t world) {
  return gen.b.CreateAdd(gen.sampleKey, gen.int64(mv_rt_site_key(ordinal, world)));  // mv_rt_stream_state
}

/// mv_rt_next_u64 on a stream held in `state` (an i64 alloca), then mv_rt_uniform_k
/// (runtime/Uniform.h): the uniform's 52-bit integer k.
Value* uniformK(Gen& gen, llvm::AllocaInst* state) {
  llvm::IRBuilder<>& b = gen.b;
  Value* s = b.CreateAdd(b.CreateLoad(gen.vi64(), state), gen.int64(MV_RT_GOLDEN));
  b.CreateStore(s, state);
  return b.CreateLShr(mix64(gen, s), MV_RT_UNIFORM_SHIFT);
}

/// mv_rt_next_open01: mv_rt_uniform_of_bits, (k + 0.5) * 2^-52.
Value* open01(Gen& gen, llvm::AllocaInst* state) {
  llvm::IRBuilder<>& b = gen.b;
  return b.CreateFMul(b.CreateFAdd(b.CreateUIToFP(uniformK(gen, state), gen.vf64()), gen.real(0.5)),
                      gen.real(0x1p-52));
}

/// mv_rt_bernoulli_threshold(p) (runtime/Uniform.h, which proves k < it iff u < p): a
/// constant for a constant p, else its clamped formula, ceil(min(max(p, 0), 1) * 2^53) >> 1
/// (llvm.maxnum gives 0 for NaN, as fmax; the product is in [0, 2^53], so fptoui is exact).
Value* bernoulliThreshold(Gen& gen, Value* p) {
  llvm::IRBuilder<>& b = gen.b;
  if (auto* c = llvm::dyn_cast_or_null<llvm::ConstantFP>(scalarConstant(p)))
    return gen.int64(mv_rt_bernoulli_threshold(c->getValueAPF().convertToDouble()));
  Value* q = b.CreateBinaryIntrinsic(llvm::Intrinsic::minnum,
                                     b.CreateBinaryIntrinsic(llvm::Intrinsic::maxnum, p, gen.real(0)), gen.real(1));
  Value* t = b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, b.CreateFMul(q, gen.real(0x1p53)));
  return b.CreateLShr(b.CreateFPToUI(t, gen.vi64()), 1);
}

Value* isFinite(Gen& gen, Value* x) {
  return gen.b.CreateFCmpOLT(gen.b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x),
                             gen.real(std::numeric_limits<double>::infinity()));
}

bool inlined(Gen& gen, Distribution d) {
  return gen.opts.inlineRuntime && (d == Distribution::Bernoulli || d == Distribution::Normal);
}

}  // namespace

Value* mix64(Gen& gen, Value* z) {
  llvm::IRBuilder<>& b = gen.b;
  llvm::Type* t = z->getType();
  z = b.CreateMul(b.CreateXor(z, b.CreateLShr(z, 30)), llvm::ConstantInt::get(t, MV_RT_MIX_M1));
  z = b.CreateMul(b.CreateXor(z, b.CreateLShr(z, 27)), llvm::ConstantInt::get(t, MV_RT_MIX_M2));
  return b.CreateXor(z, b.CreateLShr(z, 31));
}

Value* emitSampleKey(Gen& gen) {
  llvm::IRBuilder<>& b = gen.b;
  // The seed's key is one scalar (the lane function: splat); the sample is per lane.
  Value* seedKey = mix64(gen, b.CreateXor(gen.seed, b.getInt64(MV_RT_SEED_SALT)));
  return mix64(gen, b.CreateXor(gen.splatValue(seedKey), gen.sample));
}

Value* Gen::libm(const char* name, llvm::ArrayRef<Value*> args) {
  if (std::optional<std::vector<double>> c = constants(args)) {
    const LibmFn* f = findLibm(name);
    if (f && f->unary && c->size() == 1) return real(f->unary((*c)[0]));
    if (f && f->binary && c->size() == 2) return real(f->binary((*c)[0], (*c)[1]));
  }
  if (lanes > 1)  // the scalar function per lane: its bits, as the sample function's
    return perLane(args, [&](llvm::ArrayRef<Value*> a) { return libm(name, a); }, false, nullptr);
  std::vector<llvm::Type*> types(args.size(), f64());
  llvm::FunctionCallee f = mod.getOrInsertFunction(name, llvm::FunctionType::get(f64(), types, false));
  llvm::CallInst* call = b.CreateCall(f, args);
  // No libcall rewriting (pow(x, 0.5) -> sqrt ...): the result must be libm's. errno is
  // never read, so the call may be treated as pure.
  call->addFnAttr(llvm::Attribute::NoBuiltin);
  call->setDoesNotAccessMemory();
  call->setDoesNotThrow();
  call->addFnAttr(llvm::Attribute::WillReturn);
  return call;
}

Value* Gen::lgamma(Value* x) {
  if (auto* c = llvm::dyn_cast_or_null<llvm::ConstantFP>(scalarConstant(x))) {
    int sign = 0;
    return real(::lgamma_r(c->getValueAPF().convertToDouble(), &sign));
  }
  if (lanes > 1) return perLane({x}, [&](llvm::ArrayRef<Value*> a) { return lgamma(a[0]); }, false, nullptr);
  llvm::FunctionCallee f =
      mod.getOrInsertFunction("lgamma_r", llvm::FunctionType::get(f64(), {f64(), b.getPtrTy()}, false));
  llvm::CallInst* call = b.CreateCall(f, {x, entryAlloca(b.getInt32Ty(), "sign")});
  call->addFnAttr(llvm::Attribute::NoBuiltin);
  call->setDoesNotThrow();
  call->addFnAttr(llvm::Attribute::WillReturn);
  return call;
}

Value* emitCheck(Gen& gen, Distribution d, llvm::ArrayRef<Value*> p) {
  llvm::IRBuilder<>& b = gen.b;
  if (std::optional<std::vector<double>> c = constants(p))
    return gen.int32(uint32_t(distributionEntry(d).check(c->data(), int32_t(c->size()))));
  if (inlined(gen, d) && d == Distribution::Bernoulli) {
    Value* ok = b.CreateAnd(b.CreateFCmpOGE(p[0], gen.real(0)), b.CreateFCmpOLE(p[0], gen.real(1)));
    return b.CreateSelect(ok, gen.int32(-1), gen.int32(0));
  }
  if (inlined(gen, d) && d == Distribution::Normal) {
    Value* sdOk = b.CreateAnd(b.CreateFCmpOGT(p[1], gen.real(0)), isFinite(gen, p[1]));
    return b.CreateSelect(isFinite(gen, p[0]), b.CreateSelect(sdOk, gen.int32(-1), gen.int32(1)), gen.int32(0));
  }
  if (gen.lanes > 1)  // idle lanes pass
    return gen.perLane(p, [&](llvm::ArrayRef<Value*> q) { return emitCheck(gen, d, q); }, true, gen.b.getInt32(-1));
  const stdlib::DistributionInfo& info = stdlib::distribution(d);
  llvm::Type* ptr = b.getPtrTy();
  llvm::FunctionCallee f = runtimeFn(gen, info.checkSymbol, gen.i32(), {ptr, gen.i32()});
  return b.CreateCall(f, {paramArray(gen, p), b.getInt32(uint32_t(p.size()))});
}

Value* emitCovers(Gen& gen, Distribution d, llvm::ArrayRef<Value*> p, Distribution q, llvm::ArrayRef<Value*> qp,
                 Value** missed) {
  llvm::IRBuilder<>& b = gen.b;
  const int32_t df = distributionEntry(d).family, qf = distributionEntry(q).family;
  std::optional<std::vector<double>> cp = constants(p), cq = constants(qp);
  if (cp && cq) {
    double m = 0;
    int32_t covers = mv_rt_covers(df, cp->data(), int32_t(cp->size()), qf, cq->data(), int32_t(cq->size()), &m);
    *missed = gen.real(m);
    return gen.bit(covers != 0);
  }
  if (mv_rt_support_is_fixed(df) && mv_rt_support_is_fixed(qf)) {  // the parameters do not matter
    double m = 0;
    int32_t covers = mv_rt_covers(df, nullptr, 0, qf, nullptr, 0, &m);
    *missed = gen.real(m);
    return gen.bit(covers != 0);
  }
  if (inlined(gen, d) && d == Distribution::Bernoulli && q == Distribution::Bernoulli) {
    // mv_rt_covers on two bernoullis: q = 1 misses false unless p = 1, q = 0 misses true unless p = 0.
    Value* missesFalse = b.CreateAnd(b.CreateFCmpOEQ(qp[0], gen.real(1)), b.CreateFCmpONE(p[0], gen.real(1)));
    Value* missesTrue = b.CreateAnd(b.CreateFCmpOEQ(qp[0], gen.real(0)), b.CreateFCmpONE(p[0], gen.real(0)));
    *missed = b.CreateSelect(missesFalse, gen.real(0), gen.real(1));
    return b.CreateNot(b.CreateOr(missesFalse, missesTrue));
  }
  if (gen.lanes > 1) {  // idle lanes are covered; the missed value comes from the sample function's rerun
    std::vector<Value*> all(p.begin(), p.end());
    all.insert(all.end(), qp.begin(), qp.end());
    *missed = gen.real(0);
    return gen.perLane(
        all,
        [&](llvm::ArrayRef<Value*> a) {
          Value* unused = nullptr;
          return emitCovers(gen, d, a.take_front(p.size()), q, a.drop_front(p.size()), &unused);
        },
        true, gen.b.getTrue());
  }
  llvm::Type* ptr = b.getPtrTy();
  llvm::FunctionCallee f = runtimeFn(gen, "mv_rt_proposal_covers", gen.i32(),
                                     {gen.i32(), ptr, gen.i32(), gen.i32(), ptr, gen.i32(), ptr});
  llvm::AllocaInst* out = gen.entryAlloca(gen.f64(), "missed");
  Value* covers = b.CreateCall(f, {b.getInt32(uint32_t(df)), paramArray(gen, p), b.getInt32(uint32_t(p.size())),
                                   b.getInt32(uint32_t(qf)), paramArray(gen, qp), b.getInt32(uint32_t(qp.size())),
                                   out});
  *missed = b.CreateLoad(gen.f64(), out);
  return b.CreateICmpNE(covers, b.getInt32(0));
}

Value* emitDraw(Gen& gen, Distribution d, llvm::ArrayRef<Value*> p, uint32_t ordinal, uint32_t world) {
  llvm::IRBuilder<>& b = gen.b;
  if (gen.lanes > 1 && !inlined(gen, d))  // the runtime's sampler per active lane, from that lane's stream
    return gen.perLane(p, [&](llvm::ArrayRef<Value*> q) { return emitDraw(gen, d, q, ordinal, world); }, true,
                       llvm::ConstantFP::get(gen.f64(), 0.0));
  llvm::AllocaInst* state = gen.entryAlloca(gen.vi64(), "stream");
  b.CreateStore(streamState(gen, ordinal, world), state);
  if (inlined(gen, d) && d == Distribution::Bernoulli)  // u < p as an integer test of the bits
    return fromBool(gen, b.CreateICmpULT(uniformK(gen, state), bernoulliThreshold(gen, p[0])));
  if (inlined(gen, d) && d == Distribution::Normal) {
    Value* u1 = open01(gen, state);
    Value* u2 = open01(gen, state);
    Value* r = b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, b.CreateFMul(gen.real(-2.0), gen.libm("log", {u1})));
    Value* z = b.CreateFMul(r, gen.libm("cos", {b.CreateFMul(gen.real(2.0 * std::numbers::pi), u2)}));
    return b.CreateFAdd(p[0], b.CreateFMul(p[1], z));
  }
  const stdlib::DistributionInfo& info = stdlib::distribution(d);
  llvm::Type* ptr = b.getPtrTy();
  llvm::FunctionCallee f = runtimeFn(gen, info.drawSymbol, gen.f64(), {ptr, ptr, gen.i32()});
  return b.CreateCall(f, {state, paramArray(gen, p), b.getInt32(uint32_t(p.size()))});
}

Value* emitLogpdf(Gen& gen, Distribution d, Value* x, llvm::ArrayRef<Value*> p) {
  llvm::IRBuilder<>& b = gen.b;
  const double negInf = -std::numeric_limits<double>::infinity();
  std::vector<Value*> all{x};
  all.insert(all.end(), p.begin(), p.end());
  if (std::optional<std::vector<double>> c = constants(all))
    return gen.real(distributionEntry(d).logpdf((*c)[0], c->data() + 1, int32_t(p.size())));
  if (inlined(gen, d) && d == Distribution::Bernoulli) {
    auto* cx = llvm::dyn_cast_or_null<llvm::ConstantFP>(scalarConstant(x));
    if (cx && cx->isExactlyValue(1.0)) return gen.libm("log", {p[0]});
    if (cx && cx->isExactlyValue(0.0)) return gen.libm("log1p", {b.CreateFNeg(p[0])});
    if (cx) return gen.real(negInf);
    if (Value* c = boolSource(x)) return b.CreateSelect(c, gen.libm("log", {p[0]}), gen.libm("log1p", {b.CreateFNeg(p[0])}));
    return b.CreateSelect(b.CreateFCmpOEQ(x, gen.real(1)), gen.libm("log", {p[0]}),
                          b.CreateSelect(b.CreateFCmpOEQ(x, gen.real(0)), gen.libm("log1p", {b.CreateFNeg(p[0])}),
                                         gen.real(negInf)));
  }
  if (inlined(gen, d) && d == Distribution::Normal) {
    Value* z = b.CreateFDiv(b.CreateFSub(x, p[0]), p[1]);
    Value* v = b.CreateFSub(b.CreateFSub(b.CreateFMul(b.CreateFMul(gen.real(-0.5), z), z), gen.libm("log", {p[1]})),
                            gen.real(0.91893853320467274178));
    return b.CreateSelect(b.CreateFCmpUNO(z, z), gen.real(negInf), v);
  }
  if (gen.lanes > 1)
    return gen.perLane(all, [&](llvm::ArrayRef<Value*> a) { return emitLogpdf(gen, d, a[0], a.drop_front()); }, true,
                       llvm::ConstantFP::get(gen.f64(), 0.0));
  const stdlib::DistributionInfo& info = stdlib::distribution(d);
  llvm::Type* ptr = b.getPtrTy();
  llvm::FunctionCallee f = runtimeFn(gen, info.logpdfSymbol, gen.f64(), {gen.f64(), ptr, gen.i32()});
  return b.CreateCall(f, {x, paramArray(gen, p), b.getInt32(uint32_t(p.size()))});
}

}  // namespace mv::backend::cg
