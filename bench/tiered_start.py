#!/usr/bin/env python3
"""bench/tiered_start.py — whole `mvc run` with the default engine (the tiered start) next to
`--engine interp` and `--engine jit`, and optionally another build's default, per model and
sample count (docs/performance.md, "The tiered start made real").

    bench/tiered_start.py BUILD [--old OLD_BUILD] [--files F,G] [--samples 1e3,1e4,1e5,1e6]
                          [--threads 2] [--repeat 3]

Runs are interleaved and use --no-cache; each cell is the median wall / CPU (user + system)
seconds of the process, and the engine the default run reported. Timing is never a test.
"""
import argparse
import os
import resource
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def one(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    t1 = time.monotonic()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    engine = p.stdout.split('"engine":"')[1].split('"')[0] if '"engine":"' in p.stdout else "?"
    return t1 - t0, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), engine


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--old", help="another build directory whose default engine is measured too")
    ap.add_argument("--files", default=os.path.join(HERE, "..", "examples", "networks", "network_0.mv"))
    ap.add_argument("--samples", default="1e3,1e4,1e5,1e6")
    ap.add_argument("--threads", default="2")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    mvc = os.path.join(a.build, "tools", "mvc")
    columns = ([("old default", os.path.join(a.old, "tools", "mvc"), [])] if a.old else []) + [
        ("default", mvc, []), ("--engine interp", mvc, ["--engine", "interp"]), ("--engine jit", mvc, ["--engine", "jit"])]
    print(f"load average {os.getloadavg()[0]:.1f}, --threads {a.threads}, --no-cache, median of {a.repeat}: wall / CPU s")
    print("| model | samples | " + " | ".join(c[0] for c in columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for f in a.files.split(","):
        for s in (int(float(x)) for x in a.samples.split(",")):
            res = {name: [] for name, _, _ in columns}
            for _ in range(a.repeat):
                for name, exe, extra in columns:
                    res[name].append(one([exe, "run", f, "--samples", str(s), "--threads", a.threads, "--no-cache",
                                          "--format", "json"] + extra))

            def cell(name):
                runs = res[name]
                text = f"{statistics.median(r[0] for r in runs):.3f} / {statistics.median(r[1] for r in runs):.3f}"
                return text + (f" ({runs[-1][2]})" if "default" in name else "")

            print(f"| {os.path.basename(f)} | {s:.0e} | " + " | ".join(cell(c[0]) for c in columns) + " |", flush=True)


if __name__ == "__main__":
    main()
