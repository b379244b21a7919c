#!/usr/bin/env python3
# bench/table_cost.py — what the table output costs over --format json: whole mvc run, CPU seconds, two mvc binaries interleaved.
"""Usage: bench/table_cost.py NEW_MVC [OLD_MVC] [--ids 0-99/10] [--samples 1e7]
Not a test: timings depend on the machine (CPU time of the child, steadier than wall time
on a shared machine)."""
import argparse, json, os, resource, statistics as st, subprocess

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mvc")
    ap.add_argument("old", nargs="?")
    ap.add_argument("--ids", default="0-99/10")
    ap.add_argument("--samples", type=float, default=1e7)
    a = ap.parse_args()
    span, _, step = a.ids.partition("/")
    lo, _, hi = span.partition("-")
    rows = []
    for i in range(int(lo), int(hi or lo) + 1, int(step or 1)):
        f = os.path.join(here, "examples", "networks", f"network_{i}.mv")
        r = {"id": i}
        for name, mvc in [("new", a.mvc)] + ([("old", a.old)] if a.old else []):
            for fmt in ["json", "table"]:
                c0 = cpu()
                subprocess.run([mvc, "run", f, "--samples", str(int(a.samples)), "--threads", "1", "--format", fmt],
                               stdout=subprocess.DEVNULL, check=True)
                r[name + "_" + fmt] = cpu() - c0
            r[name + "_table_over_json"] = r[name + "_table"] / r[name + "_json"]
        if a.old:
            r["old_over_new_json"] = r["old_json"] / r["new_json"]
            r["old_over_new_table"] = r["old_table"] / r["new_table"]
        print(json.dumps({k: round(v, 4) for k, v in r.items()}), flush=True)
        rows.append(r)
    print("MEDIAN", json.dumps({k: round(st.median(x[k] for x in rows), 4) for k in rows[0]}))


if __name__ == "__main__":
    main()
