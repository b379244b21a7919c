#!/usr/bin/env python3
"""Exact answers of the several-worlds examples, computed independently of mvc.

Each example's model is written again here as Python structural equations (not parsed
from the .mv text), and every query is answered by enumerating every draw it can make,
with the semantics of shared/spec/worlds.md and language.md section 7 (amended):

- the factual world draws every site from its distribution (an observed site takes its
  value and multiplies the weight by its probability; an observed node must equal its
  value), with the query's `intervene`s in place;
- each counterfactual world, in order, starts from the factual draws: a node is recomputed
  from the world's values; a site keeps its factual value where its parameters (and whether
  it is reached) equal the factual ones, and is otherwise redrawn — an independent draw,
  summed over its support, its own in each world; a `do x = f` sets x to f evaluated in that
  world (f sees x's value in that world without the `do` as `pre`, and the earlier worlds);
  a `do x ~ D` draws x from D afresh in that world (the weight unchanged);
- evidence in a counterfactual world (worlds.md section 5) is an indicator on the world's
  value, whatever the world does with it (kept, redrawn, shared or recomputed): summed over
  the draws, that is the spec's weight p(v) where the world redraws and the factual draw
  set to v where it keeps it; a world's constraint is an indicator and its factor a factor
  exp(term), both on its values once it is evaluated;
- a prediction is E[f w] / E[w], f reading any world.

Usage:
  worlds_oracle.py              print `FILE: // exact: QUERY LABEL = VALUE` lines
  worlds_oracle.py --check F... compare them with the files' own `// exact:` lines (a file's
                                queries the oracle has no model for are left to others)
"""
import argparse
import os
import re
import sys


def support(dist, params):
    if dist == 'bernoulli':
        (p,) = params
        return [(True, p), (False, 1.0 - p)]
    if dist == 'categorical':
        return list(enumerate(params))
    raise ValueError('no support for ' + dist)


def site(name, dist, params):
    return ('site', name, dist, params)


def node(name, fn):
    return ('node', name, fn)


# ------------------------------------------------------------------ the models

SQUAD = [
    site('u', 'bernoulli', lambda v: (0.7,)),
    node('c', lambda v: v['u']),
    node('a', lambda v: v['c']),
    node('b', lambda v: v['c']),
    node('d', lambda v: v['a'] or v['b']),
]

# A noisy-OR: exposure x causes y through a mechanism that works 70% of the time, with a 10% leak.
NOISY_OR = [
    site('x', 'bernoulli', lambda v: (0.4,)),
    site('works', 'bernoulli', lambda v: (0.7,)),
    site('leak', 'bernoulli', lambda v: (0.1,)),
    node('y', lambda v: (v['x'] and v['works']) or v['leak']),
]

# Discrete mediation with sites redrawn from their priors (no explicit noise).
MEDIATION = [
    site('x', 'bernoulli', lambda v: (0.5,)),
    site('m', 'bernoulli', lambda v: (0.8 if v['x'] else 0.3,)),
    site('y', 'bernoulli', lambda v: ((0.9 if v['m'] else 0.6) if v['x'] else (0.5 if v['m'] else 0.1),)),
]

# Confounded treatment: severity z makes treatment x likelier and recovery y less likely.
CLINIC = [
    site('z', 'bernoulli', lambda v: (0.5,)),
    site('x', 'bernoulli', lambda v: (0.8 if v['z'] else 0.2,)),
    site('y', 'bernoulli', lambda v: ((0.5 if v['z'] else 0.9) if v['x'] else (0.2 if v['z'] else 0.7),)),
]

# The consistency example of worlds.md section 8.
TREAT = [
    site('x', 'bernoulli', lambda v: (0.5,)),
    site('y', 'bernoulli', lambda v: (0.9 if v['x'] else 0.2,)),
]


def const(value):
    return ('=', lambda v, w, pre: value)


def read(world, name):
    return ('=', lambda v, w, pre: w[world][name])


# QUERIES[file][query] = (model, intervene {name: form}, observe {name: value},
#   [(world, {name: form}[, {name: value observed there}[, [fn(worlds) -> weight factor]]])],
#   [(label, fn(worlds))]); a form is ('=', fn(vals, worlds, pre)) or ('~', dist, params).
#   Files are examples/ file names.
QUERIES = {
    'worlds_squad.mv': {
        'pns': (SQUAD, {}, {}, [('shoot', {'a': const(True)}), ('noshoot', {'a': const(False)})],
                [('pns', lambda w: w['shoot']['d'] and not w['noshoot']['d'])]),
        'pn': (SQUAD, {}, {'d': True}, [('w', {'a': const(False)})], [('w.d', lambda w: w['w']['d'])]),
    },
    'causation_probabilities.mv': {
        'squad_ps': (SQUAD, {}, {'d': False}, [('w', {'a': const(True)})], [('ps', lambda w: w['w']['d'])]),
        'noisy_pn': (NOISY_OR, {}, {'x': True, 'y': True}, [('unexposed', {'x': const(False)})],
                     [('pn', lambda w: not w['unexposed']['y'])]),
        'noisy_ps': (NOISY_OR, {}, {'x': False, 'y': False}, [('exposed', {'x': const(True)})],
                     [('ps', lambda w: w['exposed']['y'])]),
        'noisy_pns': (NOISY_OR, {}, {}, [('exposed', {'x': const(True)}), ('unexposed', {'x': const(False)})],
                      [('pns', lambda w: w['exposed']['y'] and not w['unexposed']['y'])]),
    },
    'mediation_discrete.mv': {
        'effects': (MEDIATION, {}, {},
                    [('w0', {'x': const(False)}),
                     ('w1', {'x': const(True)}),
                     ('w10', {'x': const(True), 'm': read('w0', 'm')}),
                     ('w01', {'x': const(False), 'm': read('w1', 'm')})],
                    [('ate', lambda w: float(w['w1']['y']) - float(w['w0']['y'])),
                     ('nde', lambda w: float(w['w10']['y']) - float(w['w0']['y'])),
                     ('nie', lambda w: float(w['w01']['y']) - float(w['w0']['y']))]),
    },
    'treatment_effects.mv': {
        'ett': (CLINIC, {}, {'x': True}, [('treated', {'x': const(True)}), ('untreated', {'x': const(False)})],
                [('ett', lambda w: float(w['treated']['y']) - float(w['untreated']['y']))]),
        'ate': (CLINIC, {}, {}, [('treated', {'x': const(True)}), ('untreated', {'x': const(False)})],
                [('ate', lambda w: float(w['treated']['y']) - float(w['untreated']['y']))]),
        'trial': (CLINIC, {}, {}, [('r', {'x': ('~', 'bernoulli', lambda v: (0.5,))})],
                  [('r.y', lambda w: w['r']['y']), ('y', lambda w: w['factual']['y'])]),
    },
    # The consistency example of worlds.md section 8 (not in a file of its own here).
    'consistency': {
        'same_treatment': (TREAT, {}, {'x': True, 'y': False}, [('counterfactual', {'x': const(True)})],
                           [('y', lambda w: w['counterfactual']['y'])]),
        'other_treatment': (TREAT, {}, {'x': True, 'y': False}, [('counterfactual', {'x': const(False)})],
                            [('y', lambda w: w['counterfactual']['y'])]),
    },
}


# Three flips of a coin whose bias is unknown (a family of sites, flip[0..2]).
COINS = [site('bias', 'bernoulli', lambda v: (0.5,))] + [
    site('flip[%d]' % i, 'bernoulli', lambda v: (0.8 if v['bias'] else 0.3,)) for i in range(3)]


def lnhalf(w):
    return 0.5 if w['factual']['z'] else 1.0


WORLD_EVIDENCE = {
    'recovered_untreated': (CLINIC, {}, {}, [('untreated', {'x': const(False)}, {'y': True}),
                                             ('treated', {'x': const(True)})],
                            [('treated.y', lambda w: w['treated']['y']), ('y', lambda w: w['factual']['y'])]),
    'shared_severity': (CLINIC, {}, {}, [('treated', {'x': const(True)}, {'z': True})],
                        [('treated.y', lambda w: w['treated']['y'])]),
    'world_constraint': (CLINIC, {}, {}, [('untreated', {'x': const(False)}, {},
                                           [lambda w: float(w['untreated']['y'] != w['factual']['y']), lnhalf])],
                         [('z', lambda w: w['factual']['z']), ('untreated.y', lambda w: w['untreated']['y'])]),
    'seen_and_imagined': (CLINIC, {}, {'y': False}, [('untreated', {'x': const(False)}, {'y': True})],
                          [('x', lambda w: w['factual']['x']), ('z', lambda w: w['factual']['z'])]),
    'both_worlds': (CLINIC, {}, {}, [('untreated', {'x': const(False)}, {'y': True}),
                                     ('treated', {'x': const(True)}, {'y': True})],
                    [('x', lambda w: w['factual']['x']), ('z', lambda w: w['factual']['z'])]),
    'fair_flips_loop': (COINS, {}, {'flip[0]': True},
                        [('fair', {'bias': const(False)}, {'flip[1]': True, 'flip[2]': False})],
                        [('bias', lambda w: w['factual']['bias']), ('flip[1]', lambda w: w['factual']['flip[1]'])]),
    'fair_flips_array': (COINS, {}, {'flip[0]': True},
                         [('fair', {'bias': const(False)}, {'flip[0]': True, 'flip[1]': True, 'flip[2]': False})],
                         [('bias', lambda w: w['factual']['bias']), ('flip[1]', lambda w: w['factual']['flip[1]'])]),
    'imagined_death': (SQUAD, {}, {}, [('w', {'a': const(False)}, {'d': True})],
                       [('u', lambda w: w['factual']['u']), ('d', lambda w: w['factual']['d'])]),
}
QUERIES['world_evidence.mv'] = WORLD_EVIDENCE


def draws(dist, params, p, v, name, rest):
    for value, q in support(dist, params):
        v[name] = value
        yield from rest(p * q)


def run_world(model, forms, observe, worlds, wname, p, done, wobserve=None):
    """Evaluates `model` in world wname (forms: its interventions), then calls done(p)."""
    factual = worlds.get('factual')
    v = worlds[wname]

    def step(k, p):
        if p == 0.0:
            return
        if k == len(model):
            yield from done(p)
            return
        entry = model[k]
        name = entry[1]
        form = forms.get(name)
        if form is not None and form[0] == '~':
            yield from draws(form[1], form[2](v), p, v, name, lambda p: step(k + 1, p))
            return

        def finish(p):
            if form is not None:
                v[name] = form[1](v, worlds, v[name])
            if wname == 'factual' and name in observe and entry[0] == 'node' and v[name] != observe[name]:
                return
            if wobserve and name in wobserve and v[name] != wobserve[name]:
                return  # the world's evidence, on its value
            yield from step(k + 1, p)

        if entry[0] == 'node':
            v[name] = entry[2](v)
            yield from finish(p)
        elif wname == 'factual':
            params = entry[3](v)
            v['#' + name] = params
            if name in observe and form is None:
                prob = dict(support(entry[2], params)).get(observe[name], 0.0)
                v[name] = observe[name]
                yield from finish(p * prob)
            else:
                yield from draws(entry[2], params, p, v, name, finish)
        else:
            params = entry[3](v)
            if params == factual['#' + name]:
                v[name] = factual[name]  # consistency: same inputs, same value
                yield from finish(p)
            else:
                yield from draws(entry[2], params, p, v, name, finish)

    yield from step(0, p)


def answer(spec):
    model, intervene, observe, worlds_spec, preds = spec
    order = [('factual', intervene)] + worlds_spec
    total, sums = 0.0, [0.0] * len(preds)

    def world(i, worlds, p):
        if i == len(order):
            yield p, worlds
            return
        wname, forms = order[i][:2]
        wobserve = order[i][2] if len(order[i]) > 2 else None
        weights = order[i][3] if len(order[i]) > 3 else []

        def weighed(p):
            for f in weights:
                p *= f(worlds)
            if p != 0.0:
                yield from world(i + 1, worlds, p)

        worlds[wname] = {}
        yield from run_world(model, forms, observe, worlds, wname, p, weighed, wobserve)

    for p, worlds in world(0, {}, 1.0):
        total += p
        for i, (_, fn) in enumerate(preds):
            sums[i] += p * float(fn(worlds))
    answer.total = total  # P(all evidence), the factual's and the worlds' (log evidence)
    return [(label, s / total) for (label, _), s in zip(preds, sums)]


def check_log_evidence(mvc, path, queries, tol):
    """The exact engine's log evidence of each query against log P(all evidence) here."""
    import json
    import math
    import subprocess
    bad = 0
    for q, spec in queries.items():
        answer(spec)
        out = subprocess.run([mvc, 'run', path, '--engine', 'exact', '--query', q, '--format', 'json'],
                             capture_output=True, text=True, check=False).stdout
        got = json.loads(out)['log_evidence']
        want = math.log(answer.total)
        ok = abs(got - want) <= tol
        print('%s %s %s log evidence %r, enumeration gives %r' % ('PASS' if ok else 'FAIL', path, q, got, want))
        bad += not ok
    return bad


EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', nargs='+', metavar='FILE')
    ap.add_argument('--tol', type=float, default=1e-12)
    ap.add_argument('--mvc', help='also check the exact engine\'s log evidence of the checked files\' queries')
    args = ap.parse_args()
    exact = {(f, q, label): value for f, qs in QUERIES.items() for q, spec in qs.items()
             for label, value in answer(spec)}
    if not args.check:
        for (f, q, label), value in exact.items():
            print('%s: // exact: %s %s = %r' % (f, q, label, value))
        return 0
    bad, seen = 0, set()
    for path in args.check:
        f = os.path.basename(path)
        if f not in QUERIES:
            print('FAIL %s: no models for this file' % path)
            bad += 1
            continue
        for line in open(path):
            m = EXACT_RE.search(line)
            if not m or m.group(1) not in QUERIES[f]:
                continue  # a query answered otherwise (analytic, or exact_enumerate.py)
            key, written = (f, m.group(1), m.group(2)), float(m.group(3))
            seen.add(key)
            if key not in exact:
                print('FAIL %s %s %s: no such prediction in the oracle' % (path, key[1], key[2]))
                bad += 1
            elif abs(exact[key] - written) > args.tol:
                print('FAIL %s %s %s: file says %r, enumeration gives %r' % (path, key[1], key[2], written, exact[key]))
                bad += 1
            else:
                print('PASS %s %s %s = %r' % (path, key[1], key[2], exact[key]))
        for key in sorted(k for k in exact if k[0] == f and k not in seen):
            print('FAIL %s %s %s: answer not written in the file' % (path, key[1], key[2]))
            bad += 1
        if args.mvc and f != 'consistency':
            bad += check_log_evidence(args.mvc, path, QUERIES[f], 1e-9)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
