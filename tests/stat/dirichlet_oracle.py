#!/usr/bin/env python3
"""Exact answers of examples/dirichlet_observed.mv (a dirichlet site observed whole), without mvc.

The models are written again here as their definition: p = g / sum(g) with independent
g[i] ~ Gamma(alpha[i], 1). Given p = v, write g = s v: by the change of variables g -> (s, p)
(Jacobian s^(k-1)) the density of (s, p) at (s, v) is
    q(s) = prod_i Gamma(s v_i; alpha_i, 1) * s^(k-1),
so the density of p at v is the integral of q over s, and s | p = v has density q / that
integral. Both are computed by Simpson quadrature over s (nothing here assumes the closed
forms the compiler uses; log Dir(v; alpha) is only compared with the quadrature). A world
that changes alpha[i] redraws g[i] from its prior (a second quadrature) and keeps the others.

  dirichlet_oracle.py                         print every answer as an `// exact:` line
  dirichlet_oracle.py --check FILE            every `// exact:` line of FILE matches (1e-9 relative)
  dirichlet_oracle.py --check FILE --mvc MVC  and mvc's log evidence of each query is the
                                              oracle's to 1e-12 relative (JIT and interpreter)
"""
import argparse
import json
import math
import re
import subprocess
import sys

EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')
V = [0.2, 0.3, 0.5]


def log_gamma_pdf(x, a):
    return (a - 1) * math.log(x) - x - math.lgamma(a) if x > 0 else -math.inf


def simpson(f, lo, hi, n):
    h = (hi - lo) / n
    s = f(lo) + f(hi)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * f(lo + i * h)
    return s * h / 3


def q(s, v, alpha):
    """The density of (s, p) at (s, v)."""
    if s <= 0:
        return 0.0
    return math.exp(sum(log_gamma_pdf(s * vi, ai) for vi, ai in zip(v, alpha)) + (len(v) - 1) * math.log(s))


def density(v, alpha):
    """The density of p at v: the integral of q over s."""
    return simpson(lambda s: q(s, v, alpha), 0.0, 120.0, 4000)


def expect_s(f, v, alpha, n=4000):
    """E[f(s) | p = v]."""
    return simpson(lambda s: q(s, v, alpha) * f(s), 0.0, 120.0, n) / density(v, alpha)


def expect_gamma(f, a):
    """E[f(G)], G ~ Gamma(a, 1)."""
    return simpson(lambda x: math.exp(log_gamma_pdf(x, a)) * f(x) if x > 0 else 0.0, 0.0, 80.0, 800)


def log_dir(v, alpha):
    return (math.lgamma(sum(alpha)) - sum(math.lgamma(a) for a in alpha) +
            sum((a - 1) * math.log(x) for a, x in zip(alpha, v)))


def answers():
    out = {}
    evidence = {}
    # observed: p ~ dirichlet([2, 3, 5]); x ~ categorical(p); p == v. Then x == i has probability v[i].
    alpha = [2.0, 3.0, 5.0]
    out[('observed', 'x == 0')] = V[0]
    out[('observed', 'x == 2')] = V[2]
    out[('observed', 'p[1]')] = V[1]
    evidence['observed'] = math.log(density(V, alpha))
    # which: a ~ bernoulli(0.3); alpha = a ? [1, 1, 1] : [4, 4, 4]; p == v.
    dt, df = density(V, [1.0] * 3), density(V, [4.0] * 3)
    out[('which', 'a')] = 0.3 * dt / (0.3 * dt + 0.7 * df)
    evidence['which'] = math.log(0.3 * dt + 0.7 * df)
    # shift: a ~ bernoulli(0.3); alpha = [2, a ? 6 : 3, 5]; p == v; do a = true. Where a was
    # true nothing changes (p stays v); where false, g[1] is redrawn from Gamma(6), g[0] = s v0
    # and g[2] = s v2 are kept.
    at, af = [2.0, 6.0, 5.0], [2.0, 3.0, 5.0]
    dt, df = density(V, at), density(V, af)
    pt = 0.3 * dt / (0.3 * dt + 0.7 * df)
    evidence['shift'] = math.log(0.3 * dt + 0.7 * df)
    for i in range(3):
        def share(s, i=i):
            def f(g1):
                g = [s * V[0], g1, s * V[2]]
                return g[i] / sum(g)
            return expect_gamma(f, 6.0)
        out[('shift', 'p[%d]' % i)] = pt * V[i] + (1 - pt) * expect_s(share, V, af, 1200)
    out[('shift', 'factual_a')] = pt
    # the closed form the compiler's factor uses, against the quadrature
    for name, a in (('observed', alpha),):
        assert abs(evidence[name] - log_dir(V, a)) < 1e-9, (evidence[name], log_dir(V, a))
    return out, evidence


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', metavar='FILE')
    ap.add_argument('--mvc')
    args = ap.parse_args()
    out, evidence = answers()
    if not args.check:
        for (query, label), value in out.items():
            print('// exact: %s %s = %r' % (query, label, value))
        for query, value in evidence.items():
            print('// log evidence: %s = %r' % (query, value))
        return 0
    bad = 0
    seen = set()
    for line in open(args.check):
        m = EXACT_RE.search(line)
        if not m:
            continue
        key = (m.group(1), m.group(2))
        seen.add(key)
        want = out.get(key)
        got = float(m.group(3))
        ok = want is not None and abs(got - want) <= 1e-9 * max(abs(want), 1)
        print('%s %s %s: file %r, oracle %r' % ('ok' if ok else 'BAD', key[0], key[1], got, want))
        bad += not ok
    for key in out:
        if key not in seen:
            print('BAD %s %s: no exact line in the file' % key)
            bad += 1
    if args.mvc:
        for engine in ('jit', 'interp'):
            r = subprocess.run([args.mvc, 'run', args.check, '--format', 'json', '--samples', '2000', '--seed', '3',
                                '--engine', engine], capture_output=True, text=True)
            if r.returncode != 0:
                print('BAD mvc failed (%s): %s' % (engine, r.stderr))
                bad += 1
                continue
            for query in (json.loads(line) for line in r.stdout.splitlines() if line.strip()):
                if query['query'] != 'observed':
                    continue  # the others' weights depend on a draw of a: their log evidence is an estimate
                want = evidence.get(query['query'])
                got = query['log_evidence']
                # every sample's log weight is log Dir(v; alpha): the log evidence is exact
                ok = want is not None and abs(got - want) <= 1e-12 * max(abs(want), 1)
                print('%s log evidence %s (%s): mvc %r, oracle %r' % ('ok' if ok else 'BAD', query['query'], engine,
                                                                       got, want))
                bad += not ok
    print('%d bad' % bad)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
