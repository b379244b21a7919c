// backend/CodegenSymbols.cpp — the explicit map of external symbols generated code may call.
#include "backend/Codegen.h"

#include "runtime/Coverage.h"
#include "runtime/Runtime.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace mv::backend {


const std::vector<ExternalSymbol>& externalSymbols() {
  // Plain libm functions are taken by address through a cast so overloads resolve to the
  // C double versions the interpreter calls.
  using D1 = double (*)(double);
  using D2 = double (*)(double, double);
  static const std::vector<ExternalSymbol> table = {
      {"mv_rt_stream_for", reinterpret_cast<void*>(&mv_rt_stream_for)},
      {"mv_rt_next_u64", reinterpret_cast<void*>(&mv_rt_next_u64)},
      {"mv_rt_next_open01", reinterpret_cast<void*>(&mv_rt_next_open01)},
      {"mv_rt_proposal_covers", reinterpret_cast<void*>(&mv_rt_proposal_covers)},
      // the block function's calls into the driver's partial result
      {"mv_rt_acc_add", reinterpret_cast<void*>(&mv_rt_acc_add)},
      {"mv_rt_top_add", reinterpret_cast<void*>(&mv_rt_top_add)},
      {"mv_rt_summary_add", reinterpret_cast<void*>(&mv_rt_summary_add)},
#define MV_DISTRIBUTION(Enum, name, Support)                          \
  {"mv_rt_draw_" #name, reinterpret_cast<void*>(&mv_rt_draw_##name)},   \
  {"mv_rt_logpdf_" #name, reinterpret_cast<void*>(&mv_rt_logpdf_##name)}, \
  {"mv_rt_check_" #name, reinterpret_cast<void*>(&mv_rt_check_##name)},
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
      {"exp", reinterpret_cast<void*>(D1(::exp))},
      {"log", reinterpret_cast<void*>(D1(::log))},
      {"log1p", reinterpret_cast<void*>(D1(::log1p))},
      {"expm1", reinterpret_cast<void*>(D1(::expm1))},
      {"cos", reinterpret_cast<void*>(D1(::cos))},
      {"sqrt", reinterpret_cast<void*>(D1(::sqrt))},
      {"floor", reinterpret_cast<void*>(D1(::floor))},
      {"ceil", reinterpret_cast<void*>(D1(::ceil))},
      {"round", reinterpret_cast<void*>(D1(::round))},
      {"trunc", reinterpret_cast<void*>(D1(::trunc))},
      {"pow", reinterpret_cast<void*>(D2(::pow))},
      {"fmod", reinterpret_cast<void*>(D2(::fmod))},
      {"lgamma_r", reinterpret_cast<void*>(&::lgamma_r)},  // the builtin lgamma (stdlib::evalScalarBuiltin's)
      {"memset", reinterpret_cast<void*>(&::memset)},
      {"memcpy", reinterpret_cast<void*>(&::memcpy)},
      // the value buffer of chunked (large) sample functions
      {"calloc", reinterpret_cast<void*>(&::calloc)},
      {"free", reinterpret_cast<void*>(&::free)},
  };
  return table;
}

}  // namespace mv::backend
