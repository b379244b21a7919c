#!/usr/bin/env python3
"""same_estimates.py A B — two files of mvc JSON lines hold bit-identical estimates.

Only timing and the thread count may differ."""
import json
import sys


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for r in rows:
        r.pop("seconds", None)
        r.pop("threads", None)
        r.pop("compile_seconds", None)
    return rows


a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    sys.stderr.write(f"estimates differ:\n{a}\n{b}\n")
    sys.exit(1)
print(f"same: {len(a)} queries")
