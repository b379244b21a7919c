#!/usr/bin/env python3
"""Statistical check of mvc's estimates against the exact answers written in .mv files.

For every FILE, runs
    mvc run FILE --format json --seed S --samples N [--engine E] [--threads T]
            [--no-optimize] [--disable-pass NAME ...]
(with `--data DATA` when the file has a `// data: DATA` comment, DATA beside it)
reads every `// exact: QUERY LABEL = VALUE` comment of the file, and checks
that the estimate of that prediction lies within K reported standard errors
of the exact value: |mean - exact| <= K * stderr + 1e-9. The 1e-9 is float
tolerance only, so that an exact 0 or 1 estimated with stderr 0 passes; it is
not a widened statistical tolerance.

Prints one line per check and, last, exactly `N passed, M failed`. Exits 1 if
any check fails, if a listed query/label is missing from mvc's output, or if
mvc fails on a file; 2 on bad usage.
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import subprocess
import sys

EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')
FLOAT_SLACK = 1e-9


def exact_lines(path):
    """[(query, label, value)] from the file's `// exact:` comments."""
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = EXACT_RE.search(line)
            if m:
                try:
                    value = float(m.group(3))
                except ValueError:
                    raise ValueError('%s:%d: bad exact value %r' % (path, n, m.group(3)))
                out.append((m.group(1), m.group(2), value))
    return out


DATA_RE = re.compile(r'//\s*data:\s*(\S+)\s*$')


def data_file(path):
    """The file a `// data: FILE` comment names (beside the example), or None."""
    with open(path) as f:
        for line in f:
            m = DATA_RE.search(line)
            if m:
                return os.path.join(os.path.dirname(os.path.abspath(path)), m.group(1))
    return None


def run_mvc(args, path):
    cmd = [args.mvc, 'run', path, '--format', 'json',
           '--seed', str(args.seed), '--samples', str(args.samples)]
    if data_file(path):
        cmd += ['--data', data_file(path)]
    if args.engine:
        cmd += ['--engine', args.engine]
    if args.threads:
        cmd += ['--threads', str(args.threads)]
    if args.no_optimize:
        cmd += ['--no-optimize']
    for name in args.disable_pass or []:
        cmd += ['--disable-pass', name]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return cmd, None, 'timed out after %g s' % args.timeout
    except OSError as e:
        return cmd, None, 'cannot run mvc: %s' % e
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-5:]
        return cmd, None, 'exit status %d: %s' % (proc.returncode, ' | '.join(tail))
    results = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            return cmd, None, 'output line %d is not JSON (%s): %r' % (n, e, line[:120])
        if not isinstance(obj, dict):
            return cmd, None, 'output line %d is not a JSON object' % n
        results.append(obj)
    return cmd, results, None


def check_file(args, path):
    """Returns (lines to print, passed, failed) for one file."""
    lines, passed, failed = [], 0, 0
    try:
        expected = exact_lines(path)
    except (OSError, ValueError) as e:
        return ['FAIL %s: %s' % (path, e)], 0, 1
    if not expected:
        return ['FAIL %s: no `// exact:` lines' % path], 0, 1
    cmd, results, error = run_mvc(args, path)
    if error:
        lines.append('FAIL %s: mvc failed (%s): %s' % (path, ' '.join(cmd), error))
        for q, label, value in expected:
            lines.append('FAIL %s %s %s: not run (exact %r)' % (path, q, label, value))
        return lines, 0, len(expected)
    found = {}
    for obj in results:
        q = obj.get('query')
        if obj.get('samples') not in (None, args.samples) or obj.get('seed') not in (None, args.seed):
            lines.append('NOTE %s %s: ran with samples %s seed %s, asked for %s and %s'
                         % (path, q, obj.get('samples'), obj.get('seed'), args.samples, args.seed))
        for p in obj.get('predictions') or []:
            found.setdefault((q, p.get('label')), []).append(p)
    for q, label, value in expected:
        preds = found.get((q, label))
        if not preds:
            failed += 1
            lines.append('FAIL %s %s %s: MISSING from mvc output (exact %r)' % (path, q, label, value))
            continue
        if len(preds) > 1:
            failed += 1
            lines.append('FAIL %s %s %s: AMBIGUOUS, %d predictions have this label'
                         % (path, q, label, len(preds)))
            continue
        mean, stderr = preds[0].get('mean'), preds[0].get('stderr')
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                   for v in (mean, stderr)) or stderr < 0:
            failed += 1
            lines.append('FAIL %s %s %s: bad estimate mean %r stderr %r (exact %r)'
                         % (path, q, label, mean, stderr, value))
            continue
        diff = mean - value
        ok = abs(diff) <= args.sigmas * stderr + FLOAT_SLACK
        if stderr > 0:
            z = diff / stderr
        else:
            z = 0.0 if abs(diff) <= FLOAT_SLACK else math.copysign(math.inf, diff)
        passed += ok
        failed += not ok
        lines.append('%s %s %s %s estimate %.10g stderr %.3g exact %.10g z %+.2f'
                     % ('PASS' if ok else 'FAIL', path, q, label, mean, stderr, value, z))
    reported = {(obj.get('query'), p.get('label')) for obj in results
                for p in obj.get('predictions') or []}
    unlisted = sorted(k for k in reported if k not in {(q, l) for q, l, _ in expected})
    for q, label in unlisted:
        lines.append('NOTE %s %s %s: no exact answer listed' % (path, q, label))
    return lines, passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--mvc', required=True, help='path to the mvc executable')
    ap.add_argument('--samples', type=int, default=100000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--engine', help='passed to mvc as --engine')
    ap.add_argument('--threads', type=int, help='passed to mvc as --threads')
    ap.add_argument('--no-optimize', action='store_true',
                    help='passed to mvc: run without the optional passes')
    ap.add_argument('--disable-pass', action='append', metavar='NAME',
                    help='passed to mvc as --disable-pass NAME (repeatable)')
    ap.add_argument('--sigmas', type=float, default=4.0, help='tolerance in standard errors (K)')
    ap.add_argument('--timeout', type=float, default=600.0, help='seconds per mvc run')
    ap.add_argument('--jobs', type=int, default=1, help='files checked at once')
    ap.add_argument('files', nargs='+', metavar='FILE')
    args = ap.parse_args()
    if args.samples <= 0 or args.sigmas <= 0 or args.jobs <= 0:
        ap.error('--samples, --sigmas and --jobs must be positive')
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for lines, p, f in pool.map(lambda path: check_file(args, path), args.files):
            for line in lines:
                print(line, flush=True)
            passed += p
            failed += f
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
