#!/usr/bin/env python3
"""bench/thread_scaling.py — 2 threads against 1, measured per CPU (issue 12 item 7).

    bench/thread_scaling.py BUILD_DIR [--samples N] [--rounds R] [--cases F:Q,...] [--engine jit]

The two vCPUs of the development VM differ by about 20% in speed (docs/performance.md), so one
unpinned thread measures whichever CPU it lands on. For each case (file and query) this runs,
interleaved, R times each: `taskset -c 0 mvc run ... --threads 1`, the same on CPU 1, and
`taskset -c 0,1 ... --threads 2`, and reads samples per second of the sampling phase from the
JSON line (`samples / seconds`). Two threads can at best run at the sum of the two CPUs' single
speeds, so the figure to read is

    scaling = 2 x (2-thread speed) / (CPU 0 speed + CPU 1 speed)

— "2 threads against one thread" with the CPUs' difference taken out (2.0 is perfect; the
target is >= 1.9). Also printed: 2 threads over the faster and the slower CPU alone, and the
CPU time of a 2-thread process over a 1-thread one (user + sys, the same work: above 1 is what
running in parallel costs — merging, scheduling, contention — whatever the load). Run it on
an idle machine: it prints the load average before and after. Never a test.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")
DEFAULT_CASES = "networks/network_0.mv:q,diagnosis.mv:cure_d1,networks/network_42.mv:q"


def rate(mvc, path, query, samples, threads, cpus, engine):
    cmd = ["taskset", "-c", cpus, mvc, "run", path, "--query", query, "--samples", str(samples),
           "--threads", str(threads), "--format", "json", "--engine", engine]
    cpu = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_CHILDREN))
    before = cpu()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr}")
    row = json.loads(p.stdout.splitlines()[0])
    row["cpu_seconds"] = cpu() - before  # the whole process: compile, start-up and sampling
    return row["samples"] / row["seconds"], row


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--samples", type=float, default=2e7)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cases", default=DEFAULT_CASES, help="FILE:QUERY,... (FILE relative to examples/)")
    ap.add_argument("--engine", default="jit")
    a = ap.parse_args()
    mvc = os.path.join(a.build, "tools", "mvc")
    samples = int(a.samples)
    if os.cpu_count() < 2:
        sys.exit("needs 2 CPUs")
    print(f"# {samples} samples per run, {a.rounds} interleaved rounds, engine {a.engine}; "
          f"load average at start {load()} on {os.cpu_count()} CPUs")
    print(f"# {'case':<34} {'CPU0 1t':>9} {'CPU1 1t':>9} {'2t':>9} {'scaling':>8} {'2t/fast':>8} {'2t/slow':>8} {'cpu2/1':>8}")
    scalings = []
    for case in a.cases.split(","):
        f, q = case.split(":")
        path = os.path.join(EXAMPLES, f)
        runs = {"0": [], "1": [], "01": []}
        cpus_used = {"1": [], "2": []}
        answers = set()
        for _ in range(a.rounds):
            for cpus, threads in (("0", 1), ("1", 1), ("0,1", 2)):
                r, row = rate(mvc, path, q, samples, threads, cpus, a.engine)
                runs[cpus.replace(",", "")].append(r)
                cpus_used[str(threads)].append(row["cpu_seconds"])
                answers.add(json.dumps(row["predictions"]))
        c0, c1, two = (statistics.median(runs[k]) for k in ("0", "1", "01"))
        scaling = 2 * two / (c0 + c1)
        scalings.append(scaling)
        same = "" if len(answers) == 1 else "  (ANSWERS DIFFER)"
        cpu_ratio = statistics.median(cpus_used["2"]) / statistics.median(cpus_used["1"])
        print(f"  {f + ' ' + q:<34} {c0:9.3g} {c1:9.3g} {two:9.3g} {scaling:8.3f} {two / max(c0, c1):8.3f} "
              f"{two / min(c0, c1):8.3f} {cpu_ratio:8.3f}{same}")
    print(f"# median scaling {statistics.median(scalings):.3f} (target >= 1.9); load average at end {load()}")


if __name__ == "__main__":
    main()
