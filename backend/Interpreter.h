// backend/Interpreter.h — the reference engine: executes a scheduled query graph exactly as
// spec §7 says, one sample at a time. It stays as the oracle for the compiled engines.
#pragma once

#include "ir/Graph.h"
#include "ir/Plan.h"
#include "runtime/Runtime.h"

#include <vector>

namespace mv::backend {

/// A query graph prepared for interpretation. Thread-safe: `sample` may run concurrently.
class Interpreter {
public:
  /// `data`: the run's data buffer (ir::DataDecl), one ir::Word per slot; it must outlive
  /// the interpreter and hold g.dataSize words (null only when g has no data).
  explicit Interpreter(const ir::QueryGraph& g, const uint64_t* data = nullptr);

  /// Computes sample `index`: fills logWeight (the estimate weight), fullLogWeight (over all
  /// evidence, separated included) and preds (one per prediction).
  /// Returns 0, or non-zero with *err filled.
  int32_t sample(uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight, double* preds,
                 mv_rt_error* err) const;

  /// Adapter with the runtime's mv_rt_sample_fn signature; ctx is an Interpreter*.
  static int32_t sampleFn(void* ctx, uint64_t seed, uint64_t index, double* logWeight, double* fullLogWeight,
                          double* preds, mv_rt_error* err);

  /// Evaluates deterministic node `id` from `vals` into vals[id] (shared with the exact
  /// engine, so both have one definition of every node kind). Returns 0 or fills *err.
  int32_t evalNode(ir::NodeId id, ir::Word* vals, uint64_t index, mv_rt_error* err) const;

  /// The C ABI's view of a value (ir/Word.h: ints round to the nearest double); the one
  /// conversion point of distribution parameters, site values and predictions.
  double asDouble(const ir::Word* vals, ir::NodeId id) const { return vals[id].toDouble(g_.nodes[id].type); }
  /// Evidence `k`'s observed value (ir::observedValue: a constant, or its data slot's value).
  ir::Word observed(uint32_t k) const {
    return ir::observedValue(g_.evidence[k], g_.nodes[g_.evidence[k].node].type, data_);
  }
  /// Fills *err with a domain error of parameter `param` of site `id`: value p[param], or 0
  /// from `end` on (categorical's sum); an int operand's value is its exact int64
  /// (mv_rt_error::int_value).
  int32_t domainError(mv_rt_error* err, ir::NodeId id, int32_t param, int32_t end, const double* p,
                      const ir::Word* vals, uint64_t index) const;

  /// A factor term that is NaN or +inf fills *err (MV_RT_FACTOR) and returns 1; -inf and
  /// finite terms return 0 (shared with the exact engine).
  static int32_t factorError(ir::NodeId id, double term, uint64_t index, mv_rt_error* err);

  /// The evaluation plan it walks (ir/Plan.h), shared with the exact engine.
  const ir::Plan& plan() const { return plan_; }

private:
  /// A factual site step (Draw, Propose, PointPropose, Observe): its value and weight factor.
  int32_t factualSite(const ir::Step& s, uint64_t seed, uint64_t index, ir::Word* vals, double* logWeight,
                      double* full, mv_rt_error* err) const;
  /// A counterfactual world's draw of a site (a Redraw whose inputs changed, or a stochastic
  /// do's Stochastic step): from its distribution with the world's stream.
  int32_t drawInWorld(const ir::Step& s, uint64_t seed, uint64_t index, ir::Word* vals, mv_rt_error* err) const;
  /// Site `id`'s first `count` operands into p (its parameters, then any proposal's), and the
  /// domain check of its parameters: non-zero with *err filled when one is out of domain.
  int32_t siteParameters(ir::NodeId id, size_t count, const ir::Word* vals, double* p, uint64_t index,
                         mv_rt_error* err) const;
  /// A WorldObserve step: the world's observed site (worlds.md §5), its value and weight factor.
  int32_t observeInWorld(const ir::Step& s, const ir::Word* factual, ir::Word* vals, double* logWeight, double* full,
                         uint64_t index, mv_rt_error* err) const;

  const ir::QueryGraph& g_;
  const uint64_t* data_;
  ir::Plan plan_;
};

}  // namespace mv::backend
