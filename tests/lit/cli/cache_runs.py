#!/usr/bin/env python3
"""cache_runs.py MVC FILE WORKDIR — mvc run's on-disk cache of compiled queries (docs/cli.md).

Runs FILE (every query, --format json) with --no-cache, then with MV_CACHE_DIR: a miss, a hit,
entries damaged (bytes flipped, truncated), four runs at once on an empty directory; every run
must print the estimates of the --no-cache run, bit for bit, and the directory must hold one
intact entry per query (the block function: mvc run compiles nothing else), no temporary files."""
import json
import os
import shutil
import subprocess
import sys

mvc, program, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
args = [mvc, "run", program, "--engine", "jit", "--samples", "20000", "--seed", "4", "--threads", "2", "--format", "json"]


def estimates(text):
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    for r in rows:
        r.pop("seconds", None)
    return rows


def run(cache, extra=(), wait=True):
    env = dict(os.environ, MV_CACHE_DIR=cache)
    p = subprocess.Popen(args + list(extra), env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p if not wait else finish(p)


def finish(p):
    out, _ = p.communicate()
    if p.returncode != 0:
        sys.exit(f"mvc exited with {p.returncode}")
    return estimates(out)


def fail(message):
    sys.exit("FAIL: " + message)


def entries(cache):
    names = sorted(os.listdir(cache))
    if any(not n.endswith(".mvo") for n in names):
        fail(f"unexpected files in the cache: {names}")
    return {n: open(os.path.join(cache, n), "rb").read() for n in names}


none = os.path.join(work, "none")
expected = run(none, ["--no-cache"])
if os.path.exists(none):
    fail("--no-cache created the cache directory")
queries = len(expected)

cache = os.path.join(work, "cache")
if run(cache) != expected:
    fail("a cache miss changed the estimates")
first = entries(cache)
if len(first) != queries:
    fail(f"{len(first)} entries for {queries} queries")
if run(cache) != expected:
    fail("a cache hit changed the estimates")
if entries(cache) != first:
    fail("a cache hit rewrote the entries")

for damage in ("flip", "truncate"):
    for name, data in first.items():
        with open(os.path.join(cache, name), "wb") as f:
            if damage == "flip":
                mid = len(data) // 2
                f.write(data[:mid] + bytes(b ^ 0xFF for b in data[mid:mid + 32]) + data[mid + 32:])
            else:
                f.write(data[: len(data) // 2])
    if run(cache) != expected:
        fail(f"damaged ({damage}) entries changed the estimates")
    if entries(cache) != first:
        fail(f"damaged ({damage}) entries were not replaced by the recompiled objects")

together = os.path.join(work, "together")
ps = [run(together, wait=False) for _ in range(4)]
if any(finish(p) != expected for p in ps):
    fail("concurrent runs changed the estimates")
if entries(together) != first:
    fail("concurrent runs left other entries than one run")
print(f"cache ok: {queries} queries, {len(first)} entries")
