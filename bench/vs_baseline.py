#!/usr/bin/env python3
# bench/vs_baseline.py — mvc's JIT next to the hand-tuned cf_sampler on the benchmark networks, one thread.
"""Sampling-loop ns/sample of `mv_bench --engines jit` beside cf_sampler `--eval lut --lanes 8` and
`--eval sum --lanes 1`, network by network in the same run (interleaved, so machine load hits all
three alike), plus the whole-process time of `mvc run --samples 1e7` beside cf_sampler's whole
process. Not a test: timings depend on the machine. Rates are per second of CPU time (the
machine is shared; wall time under load mostly measures the other processes); wall rates are
printed too.

cf_sampler is not part of the project: it is built from ../shared/baselines/cf_sampler (or
--cf-src) into BUILD/bench/cf_sampler on first use.

    bench/vs_baseline.py BUILD [--ids 0-99] [--samples 2e6] [--repeat 3] [--whole-samples 1e7]
        [--engines jit,...] [--mvc-old OTHER_BUILD/tools/mvc] [--bench-old OTHER_BUILD/bench/mv_bench]

--engines lists mv_bench engines measured side by side (the first is the one the ratios
`speed_vs_*` are of; each engine E also gets E_ns and lut8_over_E); --mvc-old adds a second
mvc to the whole-process runs (e.g. the unmodified main's), interleaved with the first; --bench-old
runs a second mv_bench's first engine beside the loop runs (new_over_old: its ns / ours).
"""
import argparse, json, os, resource, statistics as st, subprocess, sys, time

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ids_of(text):
    """'0-99', '0-99/5' (every fifth), '3,7,10-12'."""
    out = []
    for part in text.split(","):
        part, _, step = part.partition("/")
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1, int(step or 1)))
    return out


def build_cf(build, src):
    exe = os.path.join(build, "bench", "cf_sampler")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(["g++", "-O3", "-march=native", "-std=c++17", "-pthread", src, "-o", exe], check=True)
    return exe


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd):
    """Runs cmd; returns (stdout, wall seconds, CPU seconds of the child)."""
    c0, t0 = child_cpu(), time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=True)
    return p.stdout, time.perf_counter() - t0, child_cpu() - c0


def cf_loop(cf, nets, gts, i, samples, repeat, ev, lanes):
    out, _, _ = timed([cf, "--inputs", nets, "--gts", gts, "--ids", str(i), "--samples", str(samples), "--mode", "erp",
                       "--threads", "1", "--eval", ev, "--lanes", str(lanes), "--reps", str(repeat)])
    rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return min(1e9 * r["cpu_s"] / r["num_samples"] for r in rows), min(1e9 * r["wall_s"] / r["num_samples"] for r in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--networks", default=os.path.join(here, "examples", "networks"))
    ap.add_argument("--cf-src", default=os.path.join(here, "..", "..", "shared", "baselines", "cf_sampler", "cf_sampler.cpp"))
    ap.add_argument("--gts", default=None)
    ap.add_argument("--ids", default="0-99")
    ap.add_argument("--samples", type=float, default=2e6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--whole-samples", type=float, default=1e7, help="0 skips the whole-process runs")
    ap.add_argument("--mvc-args", default="", help="extra arguments for mvc run (e.g. '--format json')")
    ap.add_argument("--engines", default="jit")
    ap.add_argument("--mvc-old", default=None)
    ap.add_argument("--bench-old", default=None, help="another mv_bench (e.g. main's) run beside, first engine only")
    a = ap.parse_args()
    if not os.path.exists(a.cf_src):
        a.cf_src = "/work/shared/baselines/cf_sampler/cf_sampler.cpp"
    gts = a.gts or os.path.join(os.path.dirname(a.cf_src), "gts")
    build = os.path.abspath(a.build)
    cf = build_cf(build, a.cf_src)
    bench, mvc = os.path.join(build, "bench", "mv_bench"), os.path.join(build, "tools", "mvc")
    n, wn = int(a.samples), int(a.whole_samples)
    rows = []
    for i in ids_of(a.ids):
        f = os.path.join(a.networks, f"network_{i}.mv")
        engines = a.engines.split(",")
        out, _, _ = timed([bench, f, "--engines", a.engines, "--samples", str(n), "--threads", "1", "--repeat", str(a.repeat)])
        js = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
        r = {"id": i}
        for e, j in zip(engines, js):
            r[e + "_ns"] = 1e9 / j["best_per_cpu_second"]
            r[e + "_wall_ns"] = 1e9 / j["best_per_second"]
            r[e + "_compile_s"] = j["compile_seconds"]
        r["jit_ns"] = r[engines[0] + "_ns"]
        if a.bench_old:
            out, _, _ = timed([a.bench_old, f, "--engines", engines[0], "--samples", str(n), "--threads", "1",
                               "--repeat", str(a.repeat)])
            j = [json.loads(l) for l in out.splitlines() if l.startswith("{")][0]
            r["old_ns"] = 1e9 / j["best_per_cpu_second"]
            r["new_over_old"] = r["old_ns"] / r["jit_ns"]
        r["lut8_ns"], r["lut8_wall_ns"] = cf_loop(cf, a.networks, gts, i, n, a.repeat, "lut", 8)
        r["sum1_ns"], r["sum1_wall_ns"] = cf_loop(cf, a.networks, gts, i, n, a.repeat, "sum", 1)
        if wn:
            _, r["mvc_run_wall_s"], r["mvc_run_cpu_s"] = timed(
                [mvc, "run", f, "--samples", str(wn), "--threads", "1"] + a.mvc_args.split())
            if a.mvc_old:
                _, r["old_mvc_run_wall_s"], r["old_mvc_run_cpu_s"] = timed(
                    [a.mvc_old, "run", f, "--samples", str(wn), "--threads", "1"] + a.mvc_args.split())
            _, r["cf_run_wall_s"], r["cf_run_cpu_s"] = timed(
                [cf, "--inputs", a.networks, "--gts", gts, "--ids", str(i), "--samples", str(wn), "--mode", "erp",
                 "--threads", "1", "--eval", "lut", "--lanes", "8"])
        r["speed_vs_lut8"] = r["lut8_ns"] / r["jit_ns"]
        r["speed_vs_sum1"] = r["sum1_ns"] / r["jit_ns"]
        for e in engines[1:]:
            r["lut8_over_" + e] = r["lut8_ns"] / r[e + "_ns"]
        if wn:
            r["whole_vs_lut8"] = r["cf_run_cpu_s"] / r["mvc_run_cpu_s"]
            if a.mvc_old:
                r["old_whole_vs_lut8"] = r["cf_run_cpu_s"] / r["old_mvc_run_cpu_s"]
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}), flush=True)
        rows.append(r)
    med = lambda k: st.median(x[k] for x in rows)
    summary = {"networks": len(rows), "samples": n, "median_jit_ns": med("jit_ns"), "median_lut8_ns": med("lut8_ns"),
               "median_sum1_ns": med("sum1_ns"), "median_speed_vs_lut8": med("speed_vs_lut8"),
               "min_speed_vs_lut8": min(x["speed_vs_lut8"] for x in rows), "max_speed_vs_lut8": max(x["speed_vs_lut8"] for x in rows),
               "median_speed_vs_sum1": med("speed_vs_sum1")}
    if a.bench_old:
        summary.update({"median_old_ns": med("old_ns"), "median_new_over_old": med("new_over_old"),
                        "min_new_over_old": min(x["new_over_old"] for x in rows),
                        "max_new_over_old": max(x["new_over_old"] for x in rows)})
    for e in a.engines.split(",")[1:]:
        summary["median_" + e + "_ns"] = med(e + "_ns")
        summary["median_lut8_over_" + e] = med("lut8_over_" + e)
        summary["min_lut8_over_" + e] = min(x["lut8_over_" + e] for x in rows)
    if wn:
        summary.update({"whole_samples": wn, "median_mvc_run_cpu_s": med("mvc_run_cpu_s"),
                        "median_cf_run_cpu_s": med("cf_run_cpu_s"), "median_whole_vs_lut8": med("whole_vs_lut8")})
        if a.mvc_old:
            summary.update({"median_old_mvc_run_cpu_s": med("old_mvc_run_cpu_s"),
                            "median_old_whole_vs_lut8": med("old_whole_vs_lut8")})
    print("SUMMARY " + json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in summary.items()}))


if __name__ == "__main__":
    sys.exit(main())
