#!/usr/bin/env python3
"""tests/fuzz/adversarial.py — the limits audit: small adversarial programs, each run under a CPU and memory guard.

  tests/fuzz/adversarial.py MVC [--cpu S] [--mem MB] [--only SUBSTRING]

Generates families of small inputs that aim at the cost of each limit (nested loops, huge
bounds, deep expressions, long categoricals, wide tables with run-time rows, call chains,
unrolled model size, compiled code size, exact assignments, many queries) and runs each
with `mvc check`, `mvc run --engine interp`, `--engine jit` or `--engine exact` under
RLIMIT_CPU and RLIMIT_AS. Prints one row per run: the exit status, the CPU seconds, the peak
resident memory and the first diagnostic. A run is a FINDING when it is killed by the guard
(a limit that did not hold), exits with a status other than 0, 1 or 3, reports an internal
error, or is refused without a diagnostic. Exits 1 when there is a finding.
docs/testing.md records the audit.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time


def nested_loops(depth, bound):
    head = "".join(f"for i{k} in 0..{bound} {{ " for k in range(depth))
    idx = "".join(f"[i{k}]" for k in range(depth))
    return f"model m {{\n  {head}z{idx} ~ normal(0, 1){' }' * depth}\n}}\nquery q on m {{ predict z{'[0]' * depth} }}\n"


def chain(n, observe=False):
    ev = f"  observe e[{n - 1}] == 3.0\n" if observe else ""
    return (f"model m {{\n  e[0] ~ normal(0, 1)\n  for i in 1..{n} {{ e[i] = e[i - 1] + 1.0 }}\n  x ~ normal(e[{n - 1}], 1)\n}}\n"
            f"query q on m {{\n{ev}  predict x\n}}\n")


def site_chain(n):
    return (f"model m {{\n  x[0] ~ normal(0, 1)\n  for i in 1..{n} {{ x[i] ~ normal(x[i - 1], 1) }}\n}}\n"
            f"query q on m {{ predict x[{n - 1}] }}\n")


def long_sum(n, observe):
    ev = "  observe y > 0.0\n" if observe else ""
    return f"model m {{\n  x ~ normal(0, 1)\n  y = x{' + 1.0' * n}\n}}\nquery q on m {{\n{ev}  predict y\n}}\n"


def prefix(n):
    return f"model m {{\n  x ~ normal(0, 1)\n  y = {'-' * n}x\n}}\nquery q on m {{ predict y }}\n"


def parens(n):
    return f"model m {{\n  x ~ normal(0, 1)\n  y = {'(' * n}x{')' * n}\n}}\nquery q on m {{ predict y }}\n"


def categorical(n):
    p = ", ".join([f"1.0 / {n}.0"] * n)
    return f"const P = [{p}]\nmodel m {{ c ~ categorical(P) }}\nquery q on m {{ predict c }}\n"


def wide_table(rows, cols, uses):
    row = "[" + ", ".join([f"1.0 / {cols}.0"] * cols) + "]"
    table = "[" + ", ".join([row] * rows) + "]"
    return (f"const T = {table}\nmodel m {{\n  k ~ categorical(T[0])\n"
            f"  for i in 0..{uses} {{ c[i] ~ categorical(T[k % {rows}]) }}\n}}\n"
            f"query q on m {{ predict c[{uses - 1}] }}\n")


def doubling(levels, known):
    fns = "fn f0(x: real) -> real = x\n"
    if known:
        fns += "".join(f"fn f{i}(x: real) -> real = f{i - 1}(x * 2.0) + f{i - 1}(x + 1.0)\n" for i in range(1, levels + 1))
        return fns + f"const c = f{levels}(1.5)\nmodel m {{ x ~ normal(c, 1) }}\nquery q on m {{ predict x }}\n"
    fns += "".join(f"fn f{i}(x: real) -> real = f{i - 1}(f{i - 1}(x))\n" for i in range(1, levels + 1))
    return fns + f"model m {{\n  x ~ normal(0, 1)\n  y = f{levels}(x)\n}}\nquery q on m {{ predict y }}\n"


def adding(levels):
    fns = "fn f0(x: real) -> real = x\n"
    fns += "".join(f"fn f{i}(x: real) -> real = f{i - 1}(x) + f{i - 1}(x)\n" for i in range(1, levels + 1))
    return fns + f"model m {{\n  x ~ normal(0, 1)\n  y = f{levels}(x)\n}}\nquery q on m {{ predict y }}\n"


def array_sums(n, m):
    return (f"model m {{\n  for i in 0..{n} {{ x[i] ~ normal(0, 1) }}\n  for j in 0..{m} {{ s[j] = sum(x) }}\n}}\n"
            f"query q on m {{ predict s[{m - 1}] }}\n")


def exact_sites(n):
    return (f"model m {{\n  for i in 0..{n} {{ b[i] ~ bernoulli(0.5) }}\n  s = b[0]{''.join(f' || b[{i}]' for i in range(1, n))}\n}}\n"
            f"query q on m {{ predict s }}\n")


def many_queries(n, sites):
    model = f"model m {{\n  for i in 0..{sites} {{ x[i] ~ normal(0, 1) }}\n}}\n"
    return model + "".join(f"query q{k} on m {{ predict x[{k}] }}\n" for k in range(n))


def many_interventions(n, sites, self_reading=False):
    value = "x[i] + 1.0" if self_reading else "0.5"
    return (f"model m {{\n  for i in 0..{sites} {{ x[i] ~ normal(i, 1) }}\n  y = x[0] + x[1]\n}}\n"
            f"query q on m {{\n  for i in 0..{n} {{ intervene x[i] = {value} }}\n  predict y\n}}\n")


def cases():
    """(name, program text, mvc arguments after the file)."""
    check, interp, jit = ["check"], ["run", "--engine", "interp", "--samples", "200"], ["run", "--samples", "200"]
    exact = ["run", "--engine", "exact"]
    for depth, bound in [(2, 1000), (3, 1000), (6, 10), (20, 1000), (20, 2), (40, 2), (2, 10**9), (1, 10**18)]:
        yield f"loops {depth}x{bound}", nested_loops(depth, bound), check
    yield "loops 17x2 run", nested_loops(17, 2), interp
    for n in [60000, 400000]:
        yield f"chain {n} observed", chain(n, True), interp
    for n in [999999, 600000, 499999]:
        yield f"sites {n}", site_chain(n), check
    yield "sites 60000 jit", site_chain(60000), jit
    yield "sites 40000 jit", site_chain(40000), jit
    for n, obs in [(40000, True), (200000, False)]:
        yield f"sum {n}{' observed' if obs else ''}", long_sum(n, obs), interp
    yield "prefix 20000", prefix(20000), check
    yield "parens 300", parens(300), check
    for n in [65535, 65536, 200000]:
        yield f"categorical {n}", categorical(n), check
    yield "table 100x1000, 1000 uses", wide_table(100, 1000, 1000), check
    yield "table 10x100, 20000 uses", wide_table(10, 100, 20000), interp
    for levels in [24, 40]:
        yield f"calls f(f(x)) {levels}", doubling(levels, False), check
        yield f"calls known {levels}", doubling(levels, True), check
        yield f"calls f(x)+f(x) {levels}", adding(levels), check
    yield "sum(x) 1000x1000", array_sums(1000, 1000), check
    yield "sum(x) 100000x100", array_sums(100000, 100), check
    for n in [20, 200]:
        yield f"exact {n} bernoulli", exact_sites(n), exact
    yield "40 queries on 400000 sites", many_queries(40, 400000), check
    yield "40 queries on 400000 sites run", many_queries(40, 400000), interp
    yield "100 queries on 200000 sites", many_queries(100, 200000), check
    yield "100 queries on 200000 sites run", many_queries(100, 200000), interp
    yield "2000 intervene on 100000 constants", many_interventions(2000, 100000), check
    yield "1000 self-reading intervene on 100000", many_interventions(1000, 100000, True), check
    # 10^6 sites sharing the constants of normal(0, 1): 10^6 + 2 nodes, refused at the loop.
    yield "shared constants 1000x1000", nested_loops(2, 1000), check


def run(mvc, path, args, cpu, mem):
    def limit():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (mem << 20, mem << 20))

    start = time.time()
    proc = subprocess.Popen([mvc] + args[:1] + [path] + args[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=limit)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, time.time() - start, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mvc")
    ap.add_argument("--cpu", type=int, default=30, help="CPU seconds per run before the guard kills it")
    ap.add_argument("--mem", type=int, default=4096, help="address space per run, MB")
    ap.add_argument("--only", default="", help="run only the cases whose name contains this")
    a = ap.parse_args()
    findings = 0
    print(f"{'case':<34} {'command':<12} {'exit':>4} {'cpu s':>7} {'MB':>6}  first diagnostic")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, args in cases():
            if a.only not in name:
                continue
            path = os.path.join(tmp, "case.mv")
            with open(path, "w") as f:
                f.write(text)
            code, cpu, mb, wall, err = run(a.mvc, path, args, a.cpu, a.mem)
            first = next((line for line in err.splitlines() if "error:" in line), "")
            first = first.split("error: ", 1)[-1][:70] if first else ""
            bad = code < 0 or code not in (0, 1, 3) or "internal error" in err or (code != 0 and not first)
            findings += bad
            label = " ".join(args[:3]) if args[0] == "run" else args[0]
            print(f"{name:<34} {label:<12} {code:>4} {cpu:>7.2f} {mb:>6}  {'FINDING ' if bad else ''}{first}"
                  f" ({len(text)} bytes, {wall:.1f} s wall)", flush=True)
    print(f"{findings} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
