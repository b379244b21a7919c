#!/usr/bin/env python3
"""state_space_exact.py — exact posterior means of state_space.mv (jointly Gaussian): x[t] is a
random walk with Var x[0] = 1, so Cov(x[s], x[t]) = 1 + min(s, t); readings add variance 1."""
import re
import sys

text = open(sys.argv[1] if len(sys.argv) > 1 else __file__.replace("_exact.py", ".mv")).read()
obs = {int(t): float(v) for t, v in re.findall(r"observe y(\d+) == (-?[0-9.]+)", text)}
idx = sorted(obs)
n = len(idx)
cov = lambda s, t: 1.0 + min(s, t)
a = [[cov(s, t) + (1.0 if s == t else 0.0) for t in idx] + [obs[s]] for s in idx]
for i in range(n):  # Gaussian elimination (the matrix is positive definite)
    for j in range(i + 1, n):
        f = a[j][i] / a[i][i]
        a[j] = [x - f * y for x, y in zip(a[j], a[i])]
alpha = [0.0] * n
for i in reversed(range(n)):
    alpha[i] = (a[i][n] - sum(a[i][k] * alpha[k] for k in range(i + 1, n))) / a[i][i]
for q in (149, 299):
    print(f"E[x[{q}] | y] = {sum(cov(q, t) * al for t, al in zip(idx, alpha)):.6f}")
