/* runtime/Coverage.h — the one rule for whether a proposal covers its site's distribution (C, header-only). */
#ifndef MV_RUNTIME_COVERAGE_H
#define MV_RUNTIME_COVERAGE_H

/* Importance sampling with proposal q for a distribution p is unbiased only if q puts mass
 * (or density) wherever p does: values q never draws are missing from the estimate, and no
 * weight can make up for them. This header is the rule, given both parameter sets. The front
 * end applies it to constant parameters (a compile-time error); the interpreter and generated
 * code call mv_rt_proposal_covers on each sample's parameters (a run-time failure). Header-
 * only and dependency-free so the front end can share it without linking the runtime. */

#include <math.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The distribution families, one per entry of stdlib/Distributions.def, in its order. */
enum mv_rt_family {
#define MV_DISTRIBUTION(Enum, name, Support) MV_RT_FAMILY_##name,
#include "stdlib/Distributions.def"
#undef MV_DISTRIBUTION
  MV_RT_NUM_FAMILIES
};

/** The support of one distribution given its parameters: every integer (discrete) or every
 *  point (continuous) of [lo, hi] has positive mass or density, except that a categorical's
 *  zero probabilities (probs, n) are holes. Up to null sets (a uniform's b, an exponential's 0). */
typedef struct mv_rt_support {
  int32_t discrete;
  double lo, hi;
  const double* probs; /* categorical only, else null */
  int32_t n;
} mv_rt_support;

static inline mv_rt_support mv_rt_support_of(int32_t family, const double* p, int32_t n);

/** A truncated distribution's support: its base's (parameters p[0..n-2)) within [p[n-2], p[n-1]]. */
static inline mv_rt_support mv_rt_truncated_support(int32_t base, const double* p, int32_t n) {
  mv_rt_support s = mv_rt_support_of(base, p, n - 2);
  if (p[n - 2] > s.lo) s.lo = p[n - 2];
  if (p[n - 1] < s.hi) s.hi = p[n - 1];
  if (s.probs) { /* a categorical's: its hull's ends are categories that can occur */
    while (s.lo <= s.hi && !(s.probs[(int32_t)s.lo] > 0)) s.lo += 1;
    while (s.hi >= s.lo && !(s.probs[(int32_t)s.hi] > 0)) s.hi -= 1;
  }
  return s;
}

/** 1 when the support of `family` is the same for all parameters in their domain (p unread). */
static inline int32_t mv_rt_support_is_fixed(int32_t family) {
  return family != MV_RT_FAMILY_bernoulli && family != MV_RT_FAMILY_categorical && family != MV_RT_FAMILY_binomial &&
         family != MV_RT_FAMILY_uniform && family != MV_RT_FAMILY_geometric &&
         family != MV_RT_FAMILY_negative_binomial && family != MV_RT_FAMILY_categorical_logits &&
         !(family >= MV_RT_FAMILY_truncated_uniform && family <= MV_RT_FAMILY_truncated_negative_binomial);
}

/** The support of `family` with parameters p[0..n), which must be in their domain. */
static inline mv_rt_support mv_rt_support_of(int32_t family, const double* p, int32_t n) {
  mv_rt_support s = {1, 0.0, INFINITY, 0, 0};
  switch (family) {
    case MV_RT_FAMILY_bernoulli:
      s.lo = p[0] == 1.0 ? 1.0 : 0.0;
      s.hi = p[0] == 0.0 ? 0.0 : 1.0;
      return s;
    case MV_RT_FAMILY_categorical: {
      int32_t first = -1, last = -1;
      for (int32_t i = 0; i < n; ++i)
        if (p[i] > 0) {
          if (first < 0) first = i;
          last = i;
        }
      s.lo = first;
      s.hi = last;
      s.probs = p;
      s.n = n;
      return s;
    }
    case MV_RT_FAMILY_binomial:
      s.lo = p[1] == 1.0 ? p[0] : 0.0;
      s.hi = p[1] == 0.0 ? 0.0 : p[0];
      return s;
    case MV_RT_FAMILY_poisson: return s; /* rate > 0: every count */
    case MV_RT_FAMILY_geometric: s.hi = p[0] == 1.0 ? 0.0 : INFINITY; return s; /* p = 1: only 0 */
    case MV_RT_FAMILY_negative_binomial: s.hi = p[1] == 1.0 ? 0.0 : INFINITY; return s;
    case MV_RT_FAMILY_categorical_logits: s.hi = n - 1; return s; /* every category: exp(l) > 0 */
    case MV_RT_FAMILY_uniform: s.discrete = 0; s.lo = p[0]; s.hi = p[1]; return s;
    case MV_RT_FAMILY_normal:
    case MV_RT_FAMILY_laplace:
    case MV_RT_FAMILY_student_t:
    case MV_RT_FAMILY_cauchy:
    case MV_RT_FAMILY_logistic: s.discrete = 0; s.lo = -INFINITY; return s;
    case MV_RT_FAMILY_lognormal:
    case MV_RT_FAMILY_exponential:
    case MV_RT_FAMILY_gamma:
    case MV_RT_FAMILY_half_normal:
    case MV_RT_FAMILY_half_cauchy:
    case MV_RT_FAMILY_weibull: s.discrete = 0; return s;
    case MV_RT_FAMILY_beta: s.discrete = 0; s.hi = 1.0; return s;
    case MV_RT_FAMILY_truncated_uniform: return mv_rt_truncated_support(MV_RT_FAMILY_uniform, p, n);
    case MV_RT_FAMILY_truncated_normal: return mv_rt_truncated_support(MV_RT_FAMILY_normal, p, n);
    case MV_RT_FAMILY_truncated_lognormal: return mv_rt_truncated_support(MV_RT_FAMILY_lognormal, p, n);
    case MV_RT_FAMILY_truncated_exponential: return mv_rt_truncated_support(MV_RT_FAMILY_exponential, p, n);
    case MV_RT_FAMILY_truncated_laplace: return mv_rt_truncated_support(MV_RT_FAMILY_laplace, p, n);
    case MV_RT_FAMILY_truncated_half_normal: return mv_rt_truncated_support(MV_RT_FAMILY_half_normal, p, n);
    case MV_RT_FAMILY_truncated_cauchy: return mv_rt_truncated_support(MV_RT_FAMILY_cauchy, p, n);
    case MV_RT_FAMILY_truncated_half_cauchy: return mv_rt_truncated_support(MV_RT_FAMILY_half_cauchy, p, n);
    case MV_RT_FAMILY_truncated_logistic: return mv_rt_truncated_support(MV_RT_FAMILY_logistic, p, n);
    case MV_RT_FAMILY_truncated_weibull: return mv_rt_truncated_support(MV_RT_FAMILY_weibull, p, n);
    case MV_RT_FAMILY_truncated_gamma: return mv_rt_truncated_support(MV_RT_FAMILY_gamma, p, n);
    case MV_RT_FAMILY_truncated_beta: return mv_rt_truncated_support(MV_RT_FAMILY_beta, p, n);
    case MV_RT_FAMILY_truncated_student_t: return mv_rt_truncated_support(MV_RT_FAMILY_student_t, p, n);
    case MV_RT_FAMILY_truncated_categorical: return mv_rt_truncated_support(MV_RT_FAMILY_categorical, p, n);
    case MV_RT_FAMILY_truncated_categorical_logits:
      return mv_rt_truncated_support(MV_RT_FAMILY_categorical_logits, p, n);
    case MV_RT_FAMILY_truncated_binomial: return mv_rt_truncated_support(MV_RT_FAMILY_binomial, p, n);
    case MV_RT_FAMILY_truncated_poisson: return mv_rt_truncated_support(MV_RT_FAMILY_poisson, p, n);
    case MV_RT_FAMILY_truncated_geometric: return mv_rt_truncated_support(MV_RT_FAMILY_geometric, p, n);
    case MV_RT_FAMILY_truncated_negative_binomial:
      return mv_rt_truncated_support(MV_RT_FAMILY_negative_binomial, p, n);
    case MV_RT_NUM_FAMILIES: break;
  }
  return s;
}

/** Whether the integer x is in discrete support s. */
static inline int32_t mv_rt_support_has(const mv_rt_support* s, double x) {
  if (!(x >= s->lo && x <= s->hi)) return 0;
  return !s->probs || (x < s->n && s->probs[(int32_t)x] > 0);
}

/** 1 if proposal `proposal` with parameters q[0..m) puts mass (density) wherever `family` with
 *  parameters p[0..n) does; else 0, with *missed set to a value the distribution can take and
 *  the proposal never draws. Both parameter sets must be in their domains. */
static inline int32_t mv_rt_covers(int32_t family, const double* p, int32_t n, int32_t proposal, const double* q,
                                   int32_t m, double* missed) {
  mv_rt_support s = mv_rt_support_of(family, p, n), t = mv_rt_support_of(proposal, q, m);
  if (s.discrete != t.discrete || t.lo > s.lo) {
    *missed = s.lo;
    return 0;
  }
  if (t.hi < s.hi) { /* a discrete support holds its hull's ends, and every count past a finite one */
    *missed = !s.discrete ? t.hi : isinf(s.hi) ? t.hi + 1 : s.hi;
    return 0;
  }
  if (!s.discrete) return 1;
  if (s.probs) { /* categorical: each category that can occur */
    for (int32_t i = 0; i < s.n; ++i)
      if (s.probs[i] > 0 && !mv_rt_support_has(&t, i)) {
        *missed = i;
        return 0;
      }
    return 1;
  }
  if (t.probs) /* a categorical proposal (finite, so s.hi is too) must not have holes in s */
    for (double x = s.lo; x <= s.hi; x += 1)
      if (!mv_rt_support_has(&t, x)) {
        *missed = x;
        return 0;
      }
  return 1;
}

/** mv_rt_covers as a linked symbol, for generated code. */
int32_t mv_rt_proposal_covers(int32_t family, const double* p, int32_t n, int32_t proposal, const double* q,
                              int32_t m, double* missed);

#ifdef __cplusplus
}
#endif

#endif /* MV_RUNTIME_COVERAGE_H */
