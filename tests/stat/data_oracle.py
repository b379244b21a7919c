#!/usr/bin/env python3
"""Exact answers of the examples with data (examples/data/), computed without mvc.

Each model is written again here in Python and its posterior computed from the data file:
  logistic_regression.mv  posterior means of a, b and P(b > 1) by 2-D trapezoid quadrature
  (and _factor.mv)        on a grid of 5% of a posterior sd, +-10 sd around the mode
  beta_binomial.mv        Beta(2 + k, 2 + n - k): mean and P(p > 0.5) in closed form
  (and _factor.mv)
  two_coins.mv            exact enumeration of the coin c (and n, and the world's flips)

  data_oracle.py                 print every answer as an `// exact:` line
  data_oracle.py --check FILE... every `// exact:` line of each FILE matches (1e-6 relative)
The data file of an example is named by its `// data: FILE` comment (beside the example),
or by --data FILE.
"""
import argparse
import csv
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, '..', '..', 'examples', 'data')
EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')
DATA_RE = re.compile(r'//\s*data:\s*(\S+)\s*$')


def log_normal(x, sd):
    return -0.5 * (x / sd) ** 2


def logistic_regression(data_path):
    d = json.load(open(data_path))
    xs, ys = d['x'], d['y']

    def log_post(a, b):
        s = log_normal(a, 2.0) + log_normal(b, 2.0)
        for x, y in zip(xs, ys):
            z = a + b * x
            # log sigmoid(z) = -log1p(exp(-z)), computed stably for either sign
            s += -(math.log1p(math.exp(-z)) if z > 0 else -z + math.log1p(math.exp(z))) if y else \
                 -(math.log1p(math.exp(z)) if z < 0 else z + math.log1p(math.exp(-z)))
        return s

    # The mode by Newton's method on the log posterior, then its curvature for the grid.
    a = b = 0.0
    for _ in range(50):
        ga, gb, haa, hab, hbb = -a / 4, -b / 4, -0.25, 0.0, -0.25
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-(a + b * x)))
            r = (1.0 if y else 0.0) - p
            w = p * (1 - p)
            ga, gb = ga + r, gb + r * x
            haa, hab, hbb = haa - w, hab - w * x, hbb - w * x * x
        det = haa * hbb - hab * hab
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a - da, b - db
    det = haa * hbb - hab * hab
    sda, sdb = math.sqrt(-hbb / det), math.sqrt(-haa / det)  # marginal sds of the Laplace approximation
    n = 200
    ha, hb = 10 * sda / n, 10 * sdb / n
    # The b grid has a node at 1, so the indicator of b > 1 (half at the node) keeps the
    # trapezoid rule's O(h^2) error.
    j0, j1 = math.floor((b - 10 * sdb - 1) / hb), math.ceil((b + 10 * sdb - 1) / hb)
    peak = log_post(a, b)
    z = ma = mb = pb = 0.0
    for i in range(-n, n + 1):
        ai = a + i * ha
        for j in range(j0, j1 + 1):
            bj = 1 + j * hb
            w = math.exp(log_post(ai, bj) - peak)
            z += w
            ma += w * ai
            mb += w * bj
            pb += w if j > 0 else (0.5 * w if j == 0 else 0.0)
    return {('fit', 'a'): ma / z, ('fit', 'b'): mb / z, ('fit', 'b > 1'): pb / z}


def beta_binomial(data_path):
    rows = list(csv.DictReader(open(data_path)))
    n = len(rows)
    k = sum(1 for r in rows if r['heads'].strip() == 'true')
    a, b = 2 + k, 2 + n - k
    # For integer a, b: P(p <= 1/2) = P(Binomial(a + b - 1, 1/2) >= a).
    m = a + b - 1
    below = sum(math.comb(m, j) for j in range(a, m + 1)) / 2 ** m
    return {('bias', 'p'): a / (a + b), ('bias', 'p > 0.5'): 1 - below}


def two_coins(data_path):
    d = json.load(open(data_path))
    H, K, S, J = d['H'], d['K'], d['S'], d['J']

    def flip(p, x):
        return p if x else 1 - p

    def likelihood(c):  # P(h == H, k == K, s == S, j == J | c), j = n + shift
        ph, q = (0.8, 0.6) if c else (0.3, 0.2)
        w = math.prod(flip(ph, x) for x in H) * math.comb(3, K) * q ** K * (1 - q) ** (3 - K)
        w *= flip(1 - 0.9 * (0.3 if c else 1.0), S)  # s = leak || (c && l1)
        n = J - (1 if c else 0)
        return w * ([0.2, 0.3, 0.5][n] if 0 <= n < 3 else 0.0), n

    out = {}
    ws = {c: 0.5 * likelihood(c)[0] for c in (0, 1)}
    z = sum(ws.values())
    out[('all', 'c')] = ws[1] / z
    out[('all', 'n')] = sum(ws[c] * likelihood(c)[1] for c in (0, 1)) / z
    fw = {c: 0.5 * math.prod(flip(0.8 if c else 0.3, x) for x in H) for c in (0, 1)}
    out[('flips', 'c')] = fw[1] / sum(fw.values())
    # World w sets c = true: each flip keeps its factual draw where c was already true and
    # is redrawn from bernoulli(0.8) where it was not, so in w every flip is bernoulli(0.8)
    # whatever c is, independent of k: w.h[1] is 0.8, and c's posterior is k's times h[0]'s.
    bw = {c: 0.5 * math.comb(3, K) * (0.6 if c else 0.2) ** K * (0.4 if c else 0.8) ** (3 - K) * flip(0.8, H[0])
          for c in (0, 1)}
    out[('biased', 'w.h[1]')] = 0.8
    out[('biased', 'c')] = bw[1] / sum(bw.values())
    return out


# Each likelihood in two forms: evidence whose values are data, and a `factor` per point.
MODELS = {'logistic_regression.mv': logistic_regression, 'logistic_regression_factor.mv': logistic_regression,
          'beta_binomial.mv': beta_binomial, 'beta_binomial_factor.mv': beta_binomial, 'two_coins.mv': two_coins}


def data_file(path):
    for line in open(path):
        m = DATA_RE.search(line)
        if m:
            return os.path.join(os.path.dirname(os.path.abspath(path)), m.group(1))
    raise ValueError(f'{path}: no `// data: FILE` comment')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--check', action='store_true')
    ap.add_argument('--data', help='the data file (default: the example\'s `// data:` comment)')
    ap.add_argument('files', nargs='*')
    args = ap.parse_args()
    files = args.files or [os.path.join(EXAMPLES, f) for f in sorted(MODELS)]
    failed = 0
    for path in files:
        answers = MODELS[os.path.basename(path)](args.data or data_file(path))
        if not args.check:
            for (q, label), v in answers.items():
                print(f'// exact: {q} {label} = {v:.10g}')
            continue
        written = [EXACT_RE.search(line) for line in open(path)]
        written = [(m.group(1), m.group(2), float(m.group(3))) for m in written if m]
        if len(written) != len(answers):
            print(f'FAIL {path}: {len(written)} exact lines, the oracle has {len(answers)}')
            failed += 1
        for q, label, v in written:
            want = answers.get((q, label))
            ok = want is not None and abs(v - want) <= 1e-6 * max(1.0, abs(want))
            print(f'{"ok  " if ok else "FAIL"} {os.path.basename(path)} {q} {label} = {v} (oracle {want})')
            failed += not ok
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
