#!/usr/bin/env python3
"""target_same_as_plain.py MVC ARGS... — `mvc run ARGS --format json` (ARGS with a --target-*)
stops after n samples; a plain run of exactly --samples n (the targets removed) must print the
same numbers, bit for bit. Prints the samples used of each query."""
import json
import subprocess
import sys

mvc, args = sys.argv[1], sys.argv[2:]


def run(argv):
    out = subprocess.run([mvc, "run", *argv, "--format", "json"], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def strip(row):
    return {k: v for k, v in row.items() if k not in ("seconds", "threads", "target", "warnings")}


plain_args = []
skip = False
for i, a in enumerate(args):
    if skip:
        skip = False
        continue
    if a in ("--target-stderr", "--target-ess", "--samples"):
        skip = True
        continue
    plain_args.append(a)
for row in run(args):
    n = row["samples"]
    assert row["target"]["met"], row
    assert n < row["target"]["max_samples"], row
    plain = run(plain_args + ["--query", row["query"], "--samples", str(n)])
    if strip(plain[0]) != strip(row):
        sys.exit(f"differ:\n{row}\n{plain[0]}")
    print(f"{row['query']}: {n} samples, same as a plain run")
