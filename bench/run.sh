#!/usr/bin/env bash
# bench/run.sh — reproduces every number in docs/performance.md. Usage: bench/run.sh [BUILD_DIR]
# Not a test: timings depend on the machine and its load. Run on an idle machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
mvc="$build/tools/mvc"
bench="$build/bench/mv_bench"
ex="$here/examples"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"

echo "# (a) benchmark network 0: JIT, hand-written C++ -O3, JIT calling the runtime, interpreter"
for t in 1 2; do
  "$bench" "$ex/networks/network_0.mv" --query q --engines jit,hand,jit-calls,interp --samples 4000000 --threads "$t" --repeat 5
done

echo "# (a) all benchmark networks, JIT, 1 and 2 threads (samples/s; compile seconds)"
for t in 1 2; do
  for f in "$ex"/networks/network_*.mv; do
    "$bench" "$f" --engines jit --samples 1000000 --threads "$t" --repeat 3
  done | python3 -c '
import json, sys, statistics as st
rows = [json.loads(l) for l in sys.stdin]
r = [x["best_per_second"] for x in rows]; c = [x["compile_seconds"] for x in rows]
print(json.dumps({"networks": len(rows), "threads": rows[0]["threads"], "median_per_second": st.median(r),
  "min_per_second": min(r), "median_compile_seconds": st.median(c), "max_compile_seconds": max(c)}))'
done

echo "# (b) diagnosis, query cure_d1"
for t in 1 2; do
  "$bench" "$ex/diagnosis.mv" --query cure_d1 --engines jit,jit-calls,interp --samples 4000000 --threads "$t" --repeat 5
done

echo "# (c) linear-Gaussian counterfactual"
for t in 1 2; do
  "$bench" "$ex/linear_gaussian.mv" --query cf --engines jit,hand,jit-calls,interp --samples 4000000 --threads "$t" --repeat 5
done

echo "# compile latency, network_0 (first compile in the process is cold; O2 and O3)"
"$bench" "$ex/networks/network_0.mv" --engines jit,jit,jit,jit,jit --samples 1 --repeat 1 --opt 2 | grep -o '"compile_seconds[^m]*'
"$bench" "$ex/networks/network_0.mv" --engines jit,jit,jit --samples 1 --repeat 1 --opt 3 | grep -o '"compile_seconds[^m]*'
echo "# whole mvc run, network_0, 1 sample (process start + parse + passes + JIT):"
/usr/bin/time -f "%e s" "$mvc" run "$ex/networks/network_0.mv" --samples 1 --threads 1 >/dev/null

echo "# peak memory (max RSS, kB): mvc run (jit) and a native sampler, network_0, 2 threads"
"$mvc" build "$ex/networks/network_0.mv" --query q -o "$tmp/network_0"
for n in 10000 10000000; do
  echo "mvc run --samples $n: $(/usr/bin/time -f %M "$mvc" run "$ex/networks/network_0.mv" --samples $n --threads 2 2>&1 >/dev/null | tail -1)"
  echo "native --samples $n: $(/usr/bin/time -f %M "$tmp/network_0" --samples $n --threads 2 2>&1 >/dev/null | tail -1)"
done

echo "# native executable: size (bytes), stripped size, start-up (20 runs of --samples 1)"
stat -c %s "$tmp/network_0"
strip -o "$tmp/network_0.stripped" "$tmp/network_0" && stat -c %s "$tmp/network_0.stripped"
python3 - "$tmp/network_0" <<'PY'
import subprocess, sys, time
t = []
for _ in range(20):
    s = time.perf_counter(); subprocess.run([sys.argv[1], "--samples", "1", "--threads", "1"], stdout=subprocess.DEVNULL, check=True); t.append(time.perf_counter() - s)
t.sort(); print(f"start-up median {t[10]*1000:.2f} ms, min {t[0]*1000:.2f} ms")
PY
echo "# mvc build latency"
/usr/bin/time -f "%e s" "$mvc" build "$ex/networks/network_0.mv" --query q -o "$tmp/again"

echo "# mvc's JIT next to the hand-tuned cf_sampler (lut, 8 lanes; sum, 1 lane), 100 networks, 1 thread"
python3 "$here/bench/vs_baseline.py" "$build"
