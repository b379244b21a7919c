#!/usr/bin/env python3
"""Regenerates examples/networks/network_*.mv into a temporary folder and diffs them with the committed files.

Fails (exit 1) if a committed file differs from the converter's output, if one
is missing, or if a committed network_*.mv has no experiment_*.json behind it.
"""
import difflib
import glob
import os
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
NETWORKS = os.path.join(ROOT, 'examples', 'networks')


def main():
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(NETWORKS, 'convert.py'),
                        '--data', NETWORKS, '--out', tmp], check=True)
        fresh = {os.path.basename(p) for p in glob.glob(os.path.join(tmp, 'network_*.mv'))}
        committed = {os.path.basename(p) for p in glob.glob(os.path.join(NETWORKS, 'network_*.mv'))}
        for name in sorted(fresh | committed):
            if name not in committed:
                print('FAIL %s: not committed (run examples/networks/convert.py)' % name)
                bad += 1
                continue
            if name not in fresh:
                print('FAIL %s: committed but not generated (stale?)' % name)
                bad += 1
                continue
            with open(os.path.join(tmp, name)) as f:
                new = f.readlines()
            with open(os.path.join(NETWORKS, name)) as f:
                old = f.readlines()
            if new != old:
                bad += 1
                print('FAIL %s differs from the converter output:' % name)
                sys.stdout.writelines(difflib.unified_diff(old, new, 'committed/' + name,
                                                           'generated/' + name))
        print('%d files checked, %d differ' % (len(fresh | committed), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
