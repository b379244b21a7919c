#!/usr/bin/env python3
# bench/compile_scaling.py — compile time and whole `mvc run` time against model size (issue 12 item 6).
"""Generates three model families at sizes 10^2..10^5 sites and measures, per model:

  - the JIT's compile time (mv_bench: whole compile, IR generation, LLVM optimisation; the
    rest is machine code; wall seconds), mv_bench's process CPU seconds (compile plus parse,
    passes and 10 samples: the steadier number on a loaded machine) and that CPU time in
    microseconds per IR node;
  - a whole `mvc run --samples S --threads 1 --format json` (process start, parse, passes,
    compile, sampling) with the default engine and with `--engine interp`: wall and CPU
    (user + system) seconds, and the engine the default run used (the JSON's "engine").

Families:
  chain N    x0 ~ normal(0, 1), x_i ~ normal(x_{i-1}, 1), one name per site (no loop)
  loop N     the same chain as a `for` family x[i]
  network N  bernoulli noise sites and threshold nodes over up to 3 earlier parents (the
             benchmark networks' shape), one observed node, the last node predicted

Timing is never a test: this prints a markdown table (and --csv FILE) for docs/performance.md.
Usage: bench/compile_scaling.py BUILD_DIR [--sizes 100,1000,10000] [--families chain,loop,network]
       [--samples 1000] [--timeout 300] [--repeat 1] [--csv out.csv]
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time


def chain(n):
    lines = ["  x0 ~ normal(0, 1)"] + [f"  x{i} ~ normal(x{i - 1}, 1)" for i in range(1, n)]
    return "model m {\n" + "\n".join(lines) + f"\n}}\nquery q on m {{ predict x{n - 1} }}\n"


def loop(n):
    return (f"model m {{\n  x[0] ~ normal(0, 1)\n  for i in 1..{n} {{ x[i] ~ normal(x[i-1], 1) }}\n}}\n"
            f"query q on m {{ predict x[{n - 1}] }}\n")


def network(n):
    rng = random.Random(n)
    nodes = max(2, n // 2)  # one noise site and one threshold node per network node
    lines = ["  n0 ~ bernoulli(0.4)"]
    for i in range(1, nodes):
        parents = rng.sample(range(max(0, i - 50), i), min(i, rng.randint(1, 3)))
        ws = [rng.uniform(0.1, 0.9) for _ in parents]
        total = sum(ws)
        terms = " + ".join(f"{w / total:.6f} * n{p}" for w, p in zip(ws, parents))
        lines.append(f"  u{i} ~ bernoulli({rng.uniform(0.2, 0.5):.6f})")
        lines.append(f"  n{i} = ({terms} > 0.5) != u{i}")
    obs = nodes // 2
    return ("model m {\n" + "\n".join(lines) + "\n}\n"
            f"query q on m {{\n  observe n{obs} == true\n  predict n{nodes - 1}\n}}\n")


FAMILIES = {"chain": chain, "loop": loop, "network": network}


def timed(cmd, timeout):
    """(wall, cpu, stdout) of `cmd`, or None on a timeout or failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode != 0:
        sys.stderr.write(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}\n")
        return None
    return wall, cpu, p.stdout


def ir_nodes(mvc, path, timeout):
    r = timed([mvc, "dump", "--ir", path], timeout)
    if r is None:
        return None
    return sum(1 for line in r[2].splitlines() if line.startswith("  %"))


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if xs else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--sizes", default="100,1000,10000,100000")
    ap.add_argument("--families", default="chain,loop,network")
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement (the median is reported)")
    ap.add_argument("--csv")
    ap.add_argument("--no-compile", action="store_true", help="skip mv_bench (whole runs only)")
    args = ap.parse_args()
    mvc = os.path.join(args.build, "tools", "mvc")
    bench = os.path.join(args.build, "bench", "mv_bench")
    rows = []
    tmp = tempfile.mkdtemp(prefix="mv_scaling_")
    print(f"load average at start: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    for fam in args.families.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            path = os.path.join(tmp, f"{fam}{n}.mv")
            with open(path, "w") as f:
                f.write(FAMILIES[fam](n))
            row = {"model": f"{fam} {n}", "sites": n, "ir_nodes": ir_nodes(mvc, path, args.timeout),
                   "load": round(os.getloadavg()[0], 1)}
            if not args.no_compile:
                cs = []
                for _ in range(args.repeat):
                    r = timed([bench, path, "--engines", "jit", "--samples", "10", "--threads", "1", "--repeat", "1"],
                              args.timeout)
                    if r is None:
                        break
                    cs.append(json.loads(r[2].splitlines()[0]))
                    cs[-1]["cpu"] = r[1]
                if cs:
                    c = sorted(cs, key=lambda d: d["compile_seconds"])[len(cs) // 2]
                    row.update(compile=c["compile_seconds"], compile_cpu=c["cpu"], generate=c["generate_seconds"],
                               optimize=c["optimize_seconds"],
                               machine=c["compile_seconds"] - c["generate_seconds"] - c["optimize_seconds"])
                    if row["ir_nodes"]:
                        row["us_per_node"] = 1e6 * row["compile_cpu"] / row["ir_nodes"]
            for label, extra in (("run", []), ("interp", ["--engine", "interp"])):
                walls, cpus, engine = [], [], None
                for _ in range(args.repeat):
                    r = timed([mvc, "run", path, "--samples", str(args.samples), "--threads", "1", "--format", "json"]
                              + extra, args.timeout)
                    if r is None:
                        break
                    walls.append(r[0])
                    cpus.append(r[1])
                    engine = json.loads(r[2].splitlines()[0]).get("engine")
                if walls:
                    row[label + "_wall"], row[label + "_cpu"] = median(walls), median(cpus)
                    if label == "run":
                        row["engine"] = engine
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    cols = ["model", "sites", "ir_nodes", "compile", "compile_cpu", "generate", "optimize", "machine", "us_per_node", "run_wall",
            "run_cpu", "engine", "interp_wall", "interp_cpu", "load"]

    def fmt(v):
        if v is None:
            return "timeout"
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(fmt(row.get(c)) for c in cols) + " |")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write(",".join(cols) + "\n")
            for row in rows:
                f.write(",".join("" if row.get(c) is None else str(row.get(c)) for c in cols) + "\n")


if __name__ == "__main__":
    main()
