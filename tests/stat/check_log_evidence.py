#!/usr/bin/env python3
"""check_log_evidence.py --mvc MVC FILE... — the exact engine's log evidence is log P(all evidence).

For every query of every discrete FILE that exact_enumerate.py supports, runs
`mvc run FILE --engine exact --format json`, with and without --no-optimize, and
requires its log_evidence to equal the oracle's log P(every observe of the query)
to 1e-12 relative to max(|log P|, 1) (evidence pruning must not change it). Files the oracle cannot
enumerate are skipped and say so.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exact_enumerate  # noqa: E402


def oracle(path):
    with open(path) as f:
        models, queries = exact_enumerate.Parser(f.read()).program()
    evidence = {}
    for q in queries:
        exact_enumerate.answer(models, q, evidence)
    return evidence


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--mvc', required=True)
    ap.add_argument('--rel', type=float, default=1e-12)
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    bad = checked = 0
    for path in args.files:
        try:
            want = oracle(path)
        except exact_enumerate.Unsupported as e:
            print('SKIP %s: %s' % (path, e))
            continue
        for flags in ([], ['--no-optimize']):
            out = subprocess.run([args.mvc, 'run', path, '--engine', 'exact', '--format', 'json'] + flags,
                                 capture_output=True, text=True)
            got = {}
            for line in out.stdout.splitlines():
                j = json.loads(line)
                got[j['query']] = j['log_evidence']
            for q, v in want.items():
                checked += 1
                g = got.get(q)
                # Relative to max(|v|, 1): an absolute error in log Z is a relative error of Z.
                ok = g is not None and abs(g - v) <= args.rel * max(abs(v), 1.0)
                bad += not ok
                print('%s %s %s %s oracle %r exact engine %r' % ('PASS' if ok else 'FAIL', path, q,
                                                               ' '.join(flags) or '(optimised)', v, g))
    print('%d passed, %d failed' % (checked - bad, bad))
    return 1 if bad or checked == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
