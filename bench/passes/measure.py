#!/usr/bin/env python3
"""Measures what the query-structure passes buy on the 100 benchmark networks (docs/performance.md).

For every examples/networks/network_N.mv:
  - nodes evaluated per sample: the length of the factual schedule plus every
    counterfactual recompute list (`mvc dump --ir`), with the pipeline and with --no-optimize
    (an upper bound per sample: the interpreter stops a sample early at zero weight);
  - samples/second on one thread, with and without the pipeline, engine interp (and jit);
  - ESS per 10^5 samples with inversion (the default) and with rejection
    (--disable-pass invert-observations --disable-pass invert-noisy-or);
  - the exact engine's time and number of assignments.
Prints a Markdown summary (median, worst, and the distribution quartiles) and, with --csv,
one row per network.

Usage: bench/passes/measure.py --mvc BUILD/tools/mvc [--engines interp,jit] [--csv out.csv]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mvc(args, cmd):
    out = subprocess.run([args.mvc] + cmd, capture_output=True, text=True, check=True).stdout
    return out


def nodes_per_sample(args, path, extra):
    text = mvc(args, ['dump', '--ir', path] + extra)
    return sum(len(line.split()) - 1 for line in text.splitlines()
               if re.match(r'\s+(compute|recompute)\b', line))


def run_json(args, path, extra):
    return json.loads(mvc(args, ['run', path, '--format', 'json'] + extra).splitlines()[0])


def throughput(args, path, engine, extra):
    n = args.samples_interp if engine == 'interp' else args.samples_jit
    best = 0.0
    for _ in range(args.repeats):
        r = run_json(args, path, ['--engine', engine, '--threads', '1', '--samples', str(n)] + extra)
        best = max(best, n / r['seconds'])
    return best


def quantiles(xs):
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return xs[0], q[0], q[1], q[2], xs[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--mvc', required=True)
    ap.add_argument('--engines', default='interp,jit')
    ap.add_argument('--samples-interp', type=int, default=200000)
    ap.add_argument('--samples-jit', type=int, default=2000000)
    ap.add_argument('--repeats', type=int, default=2, help='throughput: best of this many runs')
    ap.add_argument('--networks', type=int, default=100)
    ap.add_argument('--csv')
    args = ap.parse_args()
    engines = [e for e in args.engines.split(',') if e]
    rows = []
    rejection = ['--disable-pass', 'invert-observations', '--disable-pass', 'invert-noisy-or']
    for i in range(args.networks):
        path = os.path.join(ROOT, 'examples', 'networks', 'network_%d.mv' % i)
        row = {'network': i,
               'nodes_opt': nodes_per_sample(args, path, []),
               'nodes_noopt': nodes_per_sample(args, path, ['--no-optimize'])}
        for e in engines:
            row['sps_%s_opt' % e] = throughput(args, path, e, [])
            row['sps_%s_noopt' % e] = throughput(args, path, e, ['--no-optimize'])
        base = ['--engine', 'interp', '--samples', '100000', '--seed', '1']
        row['ess_inversion'] = run_json(args, path, base)['ess']
        row['ess_rejection'] = run_json(args, path, base + rejection)['ess']
        ex = run_json(args, path, ['--engine', 'exact'])
        row['exact_seconds'] = ex['seconds']
        row['exact_assignments'] = ex['assignments']
        rows.append(row)
        print('network_%d done' % i, file=sys.stderr, flush=True)
    if args.csv:
        with open(args.csv, 'w') as f:
            keys = list(rows[0].keys())
            f.write(','.join(keys) + '\n')
            for r in rows:
                f.write(','.join(str(r[k]) for k in keys) + '\n')

    def line(name, xs, fmt):
        lo, q1, med, q3, hi = quantiles(xs)
        print('| %s | %s | %s | %s | %s | %s |' % (name, fmt % med, fmt % lo, fmt % q1, fmt % q3, fmt % hi))

    print('| per network (%d networks) | median | min | 25%% | 75%% | max |' % len(rows))
    print('|---|---|---|---|---|---|')
    line('nodes evaluated / sample, pipeline', [r['nodes_opt'] for r in rows], '%d')
    line('nodes evaluated / sample, --no-optimize', [r['nodes_noopt'] for r in rows], '%d')
    line('ratio no-optimize / pipeline', [r['nodes_noopt'] / r['nodes_opt'] for r in rows], '%.2f')
    for e in engines:
        line('%s samples/s, pipeline' % e, [r['sps_%s_opt' % e] for r in rows], '%.3g')
        line('%s samples/s, --no-optimize' % e, [r['sps_%s_noopt' % e] for r in rows], '%.3g')
        line('%s speed-up' % e, [r['sps_%s_opt' % e] / r['sps_%s_noopt' % e] for r in rows], '%.2f')
    line('ESS per 1e5, inversion', [r['ess_inversion'] for r in rows], '%.0f')
    line('ESS per 1e5, rejection', [r['ess_rejection'] for r in rows], '%.0f')
    line('ESS gain (inversion / rejection)', [r['ess_inversion'] / max(r['ess_rejection'], 1e-300) for r in rows], '%.1f')
    line('exact engine seconds', [r['exact_seconds'] for r in rows], '%.2g')
    line('exact engine assignments', [r['exact_assignments'] for r in rows], '%d')


if __name__ == '__main__':
    main()
