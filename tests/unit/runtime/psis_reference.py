#!/usr/bin/env python3
"""psis_reference.py — k-hat of fixed data sets by ArviZ's psislw/_gpdfit algorithm, in plain
Python (no numpy here), line for line: the expected values of tests/unit/runtime/PsisTest.cpp.

ArviZ (arviz/stats/stats.py): cutoff_ind = -ceil(min(0.2 n, 3 sqrt n)) - 1, cutoffmin =
log(finfo.tiny); x -= max; cutoff = max(sorted(x)[cutoff_ind], cutoffmin); tail = x > cutoff;
k = inf if len(tail) <= 4 else _gpdfit(sorted(exp(tail) - exp(cutoff))).
"""
import math
import sys

TINY = sys.float_info.min
EPS = sys.float_info.epsilon


def gpdfit(ary):
    prior_bs, prior_k = 3, 10
    n = len(ary)
    m_est = 30 + int(n ** 0.5)
    b_ary = [1 - math.sqrt(m_est / (j - 0.5)) for j in range(1, m_est + 1)]
    b_ary = [b / (prior_bs * ary[int(n / 4 + 0.5) - 1]) + 1 / ary[-1] for b in b_ary]
    k_ary = [sum(math.log1p(-b * x) for x in ary) / n for b in b_ary]
    len_scale = [n * (math.log(-(b / k)) - k - 1) for b, k in zip(b_ary, k_ary)]
    weights = [1 / sum(math.exp(lj - li) for lj in len_scale) for li in len_scale]
    keep = [i for i, w in enumerate(weights) if w >= 10 * EPS]
    weights = [weights[i] for i in keep]
    b_ary = [b_ary[i] for i in keep]
    total = sum(weights)
    weights = [w / total for w in weights]
    b_post = sum(b * w for b, w in zip(b_ary, weights))
    k_post = sum(math.log1p(-b_post * x) for x in ary) / n
    sigma = -k_post / b_post
    k_post = (n * k_post + prior_k * 0.5) / (n + prior_k)
    return k_post, sigma


def khat(lw):
    n = len(lw)
    tail = math.ceil(min(0.2 * n, 3 * math.sqrt(n)))
    mx = max(lw)
    x = sorted(v - mx for v in lw)
    cutoff = max(x[-tail - 1], math.log(TINY))
    t = sorted(math.exp(v) - math.exp(cutoff) for v in x if v > cutoff)
    if len(t) <= 4:
        return math.inf
    return gpdfit(t)[0]


def data(n, c, kind):
    """The C++ test's data: u_i = frac((i + 1) * golden ratio), Pareto (u^-c) or log-normal."""
    out = []
    for i in range(n):
        u = math.fmod((i + 1) * 0.6180339887498949, 1.0)
        out.append(-c * math.log(u) if kind == "pareto" else c * math.sin(7.0 * u) * math.cos(3.0 * i))
    return out


if __name__ == "__main__":
    for n, c, kind in [(1000, 0.5, "pareto"), (1000, 1.2, "pareto"), (10000, 0.3, "pareto"),
                       (10000, 2.0, "pareto"), (5000, 3.0, "smooth"), (20, 0.5, "pareto")]:
        print(f"{{{n}, {c}, \"{kind}\", {khat(data(n, c, kind))!r}}},")
