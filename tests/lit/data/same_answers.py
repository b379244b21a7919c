#!/usr/bin/env python3
"""same_answers.py A B — two files of mvc JSON lines hold bit-identical estimates.

Timing, the thread count and the engine name may differ; everything else (means, standard
errors, ESS, log evidence, distributions) must be equal."""
import json
import sys


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for r in rows:
        for key in ("seconds", "threads", "compile_seconds", "engine"):
            r.pop(key, None)
    return rows


a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    sys.stderr.write(f"estimates differ:\n{a}\n{b}\n")
    sys.exit(1)
print(f"same: {len(a)} queries")
