#!/usr/bin/env python3
"""Exact counterfactual answers for the benchmark networks, straight from their JSON.

An oracle independent of the .mv converter: it reads experiment_N.json and
enumerates every assignment of the exogenous nodes and of each endogenous
node's flip noise. The factual world is weighted by the evidence; the
counterfactual world keeps every exogenous value and every noise value, sets
the intervened node, and recomputes the nodes downstream of it. The answer is
E[target in the counterfactual world | evidence in the factual world].

Usage: network_oracle.py [--data DIR] [--tol T] [N ...]
Checks the enumeration against exact_answers.json; exit 1 on any mismatch.
"""
import argparse
import itertools
import json
import os
import sys

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            '..', '..', 'examples', 'networks')


def topological_order(model):
    """Kahn's algorithm; among ready nodes the one listed first in the JSON wins."""
    names = list(model)
    done, order = set(), []
    while len(order) < len(names):
        for n in names:
            if n not in done and all(p in done for p in model[n]['parents']):
                done.add(n)
                order.append(n)
                break
        else:
            raise ValueError('cycle in network')
    return order


def endogenous_value(spec, values, noise):
    total = 0.0
    for w, p in zip(spec['parameters'], spec['parents']):
        total += w * values[p]          # parents' listed order, left to right
    return (total > 0.5) != noise


def enumerate_network(exp):
    model = exp['model']
    order = topological_order(model)
    evidence = {k: bool(v) for k, v in exp['evidence'].items()}
    intervention = {k: bool(v) for k, v in exp['intervention'].items()}
    target = exp['variable_to_predict']
    # Static descendants of the intervened nodes.
    downstream = set()
    for n in order:
        if any(p in intervention or p in downstream for p in model[n]['parents']):
            downstream.add(n)
    # One Bernoulli variable per exogenous node and per endogenous noise.
    latent = [(n, model[n]['prior'] if model[n]['type'] == 'exogenous'
               else model[n]['flip_noise']) for n in order]
    num = den = 0.0
    for bits in itertools.product((False, True), repeat=len(latent)):
        prior = 1.0
        for (n, p), b in zip(latent, bits):
            prior *= p if b else 1.0 - p
        draw = dict(zip((n for n, _ in latent), bits))
        fact = {}
        for n in order:
            spec = model[n]
            if spec['type'] == 'exogenous':
                fact[n] = draw[n]
            else:
                fact[n] = endogenous_value(spec, fact, draw[n])
        if any(fact[n] != v for n, v in evidence.items()):
            continue
        cf = dict(fact)
        for n in order:
            if n in intervention:
                cf[n] = intervention[n]
            elif n in downstream:
                cf[n] = endogenous_value(model[n], cf, draw[n])
        den += prior
        num += prior * cf[target]
    return num / den


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--tol', type=float, default=1e-9)
    ap.add_argument('experiments', nargs='*', type=int)
    args = ap.parse_args()
    with open(os.path.join(args.data, 'exact_answers.json')) as f:
        exact = json.load(f)
    ids = args.experiments or sorted(int(k) for k in exact)
    bad = 0
    for i in ids:
        with open(os.path.join(args.data, 'experiment_%d.json' % i)) as f:
            exp = json.load(f)
        got = enumerate_network(exp)
        ok = abs(got - exact[str(i)]) <= args.tol
        bad += not ok
        print('%s experiment_%d enumerated %r exact %r diff %.3g'
              % ('PASS' if ok else 'FAIL', i, got, exact[str(i)], got - exact[str(i)]))
    print('%d passed, %d failed' % (len(ids) - bad, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
