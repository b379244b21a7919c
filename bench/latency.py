#!/usr/bin/env python3
"""bench/latency.py — first-answer latency: the cold first compile and a whole `mvc run --samples 1`.

    bench/latency.py BUILD_DIR [--file F] [--query Q] [--runs N]

Prints, as medians over N fresh processes (interleaved):
  * the phases of one short run in one process (build/bench/mv_latency, which does what
    `mvc run FILE --samples 1 --threads 1` does, with a clock around each phase): process
    start (spawn to main), LLVM/JIT set-up, parse + passes, code generation, LLVM
    optimisation, machine code + linking, sampling, the table, process exit; wall clock and
    CPU time (on a loaded machine the CPU time is the steadier number);
  * the whole `mvc run F --samples 1 --threads 1 --engine jit` from spawn to exit (wall, and
    user + sys CPU of the child), with the on-disk cache of compiled queries off (--no-cache),
    missing (an empty cache directory) and hit (the entry written by the previous run), when
    this mvc has the cache; the same without --engine (mvc's default: where it has a tiered
    start, the interpreter for so few samples); and `mvc --version` (start-up and exit alone).
Timing is never a test: run it on an idle machine for numbers to quote; it prints the load.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def spawn(cmd, env=None):
    """Runs cmd; returns (wall ms from spawn to exit, stdout, monotonic ns at exit)."""
    t0 = time.monotonic_ns()
    env = dict(os.environ if env is None else env)
    env["MV_LATENCY_T0"] = str(t0)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = p.communicate()
    t1 = time.monotonic_ns()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {err.decode()}")
    return (t1 - t0) / 1e6, out.decode(), t1


def child_cpu_ms(fn):
    """Runs fn() and returns (its value, CPU ms of the children it waited for)."""
    cpu = lambda r: r.ru_utime + r.ru_stime
    before = cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    v = fn()
    return v, 1e3 * (cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - before)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--file", default=os.path.join(HERE, "..", "examples", "networks", "network_0.mv"))
    ap.add_argument("--query", default="")
    ap.add_argument("--runs", type=int, default=10)
    a = ap.parse_args()
    mvc = os.path.join(a.build, "tools", "mvc")
    lat = os.path.join(a.build, "bench", "mv_latency")
    qargs = ["--query", a.query] if a.query else []
    help_text = subprocess.run([mvc, "run", "--help"], capture_output=True, text=True).stdout
    has_cache = "--no-cache" in help_text
    cache = tempfile.mkdtemp(prefix="mv-latency-cache-")
    env = dict(os.environ, MV_CACHE_DIR=cache)
    run = [mvc, "run", a.file, "--samples", "1", "--threads", "1", "--engine", "jit"] + qargs
    tiered = [mvc, "run", a.file, "--samples", "1", "--threads", "1"] + qargs  # mvc's default start

    phases, hits, whole = [], [], {}
    # Entries are per binary (its build ID is in the key): mv_latency has a cache of its own.
    lat_cache = tempfile.mkdtemp(prefix="mv-latency-cache-")
    lat_hit = [lat, a.file, "--samples", "1", "--cache-dir", lat_cache] + qargs
    if has_cache:
        spawn(lat_hit, env)
    try:
        for _ in range(a.runs):
            (wall, out, t_exit), cpu = child_cpu_ms(lambda: spawn([lat, a.file, "--samples", "1"] + qargs, env))
            row = json.loads(out)
            row["exit_ms"] = (t_exit - row["end_monotonic_ns"]) / 1e6
            row["process_ms"], row["process_cpu_ms"] = wall, cpu
            phases.append(row)
            cases = [("mvc --version", [mvc, "--version"], False), ("mvc run (default engine)", tiered, True)]
            if has_cache:
                cases += [("mvc run --engine jit, --no-cache", run + ["--no-cache"], True),
                          ("mvc run --engine jit, cache miss", run, True),  # an empty cache first
                          ("mvc run --engine jit, cache hit", run, False)]
            else:
                cases += [("mvc run --engine jit", run, False)]
            for name, cmd, wipe in cases:
                if wipe:
                    shutil.rmtree(cache, ignore_errors=True)
                    os.makedirs(cache)
                (wall, _, _), cpu = child_cpu_ms(lambda: spawn(cmd, env))
                whole.setdefault(name, []).append((wall, cpu))
            if has_cache:  # the phases again, the query's object in mv_latency's own cache (a hit)
                (wall, out, t_exit), cpu = child_cpu_ms(lambda: spawn(lat_hit, env))
                row = json.loads(out)
                row["exit_ms"] = (t_exit - row["end_monotonic_ns"]) / 1e6
                row["process_ms"], row["process_cpu_ms"] = wall, cpu
                hits.append(row)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(lat_cache, ignore_errors=True)

    med = lambda xs: statistics.median(xs)
    print(f"# {os.path.relpath(a.file)} {a.query or '(first query)'}; {a.runs} runs; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    cols = [("no cache", phases)] + ([("cache hit", hits)] if hits else [])
    print("# one process (mv_latency), median ms:  " + "".join(f"{n + ' wall':>16}{'cpu':>8}" for n, _ in cols))
    rows = [("process start (spawn to main)", "start_ms", "start_cpu_ms"),
            ("parse + passes", "parse_passes_ms", "parse_passes_cpu_ms"),
            ("LLVM/JIT set-up", "jit_init_ms", "jit_init_cpu_ms"), ("code generation", "codegen_ms", "codegen_cpu_ms"),
            ("cache key, lookup, store", "cache_ms", "cache_cpu_ms"),
            ("LLVM optimisation", "optimize_ms", "optimize_cpu_ms"),
            ("machine code + linking", "machine_link_ms", "machine_link_cpu_ms"),
            ("sampling (1 sample)", "sampling_ms", "sampling_cpu_ms"), ("report (table)", "report_ms", "report_cpu_ms"),
            ("process exit", "exit_ms", None),
            ("cold first compile (set-up..linking)", "compile_ms", "compile_cpu_ms"),
            ("whole process", "process_ms", "process_cpu_ms")]
    for label, wk, ck in rows:
        cells = ""
        for _, rs in cols:
            cells += f"{med([r[wk] for r in rs]):16.2f}" + (f"{med([r[ck] for r in rs]):8.2f}" if ck else " " * 8)
        print(f"  {label:<38}{cells}")
    print("# whole processes, median ms:               wall     cpu")
    for name, xs in whole.items():
        print(f"  {name:<38} {med([w for w, _ in xs]):8.2f} {med([c for _, c in xs]):8.2f}")
    print("# targets (issue 12 item 6): cold first compile < 30 ms; whole mvc run --samples 1 < 50 ms")


if __name__ == "__main__":
    main()
