#!/usr/bin/env bash
# bench/mpi.sh — samples/s with K = 1, 2 MPI ranks next to 1, 2 threads in one process, and the cost of
# rank 0's final combination (docs/performance.md). Usage: bench/mpi.sh [BUILD_DIR]. Not a test.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
mvc="$build/tools/mvc"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --bind-to none)
samples="${MV_BENCH_SAMPLES:-8000000}"

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$mvc" build "$here/examples/networks/network_0.mv" -o "$tmp/net0" 2>/dev/null
"$mvc" build "$here/examples/diagnosis.mv" --query cure_d1 -o "$tmp/diag" 2>/dev/null
best() {  # best samples/s of 3 runs of "$@" (a native sampler's JSON on stdout); MV_MPI_STATS on stderr
  for _ in 1 2 3; do MV_MPI_STATS=1 "$@" --samples "$samples" --format json 2>>"$tmp/stats"; done |
    python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print("%.4g" % max(x["samples"]/x["seconds"] for x in r))'
}
for exe in net0 diag; do
  echo "# $exe, $samples samples (native executable; samples/s, best of 3)"
  echo "1 process, 1 thread:   $(best "$tmp/$exe" --threads 1)"
  echo "1 process, 2 threads:  $(best "$tmp/$exe" --threads 2)"
  : >"$tmp/stats"
  echo "1 rank (mpirun -np 1): $(best "${mpirun[@]}" -np 1 "$tmp/$exe" --threads 1)"
  echo "2 ranks, 1 thread each: $(best "${mpirun[@]}" -np 2 "$tmp/$exe" --threads 1)"
  echo "# rank 0's combination (unpack + join + broadcast the total), per run:"
  grep '^mpi:' "$tmp/stats" | sort | uniq -c | head -3 || true
  : >"$tmp/stats"
done
echo "# start-up of a plain run (no launcher): CPU seconds of 40 small runs"
/usr/bin/time -f "user %U s, sys %S s" bash -c "for i in \$(seq 40); do '$mvc' run '$here/examples/diagnosis.mv' --query posterior_d1 --samples 1000 --threads 1 >/dev/null 2>&1; done"
