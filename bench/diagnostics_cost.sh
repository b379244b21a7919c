#!/usr/bin/env bash
# bench/diagnostics_cost.sh OLD_BENCH NEW_BENCH [THREADS] — what the per-query diagnostics (top
# weights for k-hat, the round schedule, the k-hat fit and warnings) cost in samples/second:
# both mv_bench binaries on every benchmark network, interleaved network by network (order
# alternating), best of 5 runs of 10^6 samples each. Prints the per-network ratio new/old and
# its median. OLD_BENCH: a build without the diagnostics, e.g. /work/main/build/bench/mv_bench.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
old="$1" new="$2" threads="${3:-1}"
i=0
for f in "$here"/examples/networks/network_*.mv; do
  if (( i++ % 2 )); then
    n=$("$new" "$f" --engines jit --samples 1000000 --threads "$threads" --repeat 5)
    o=$("$old" "$f" --engines jit --samples 1000000 --threads "$threads" --repeat 5)
  else
    o=$("$old" "$f" --engines jit --samples 1000000 --threads "$threads" --repeat 5)
    n=$("$new" "$f" --engines jit --samples 1000000 --threads "$threads" --repeat 5)
  fi
  echo "$o"$'\t'"$n"
done | python3 -c '
import json, sys, statistics as st
ratios = []
for line in sys.stdin:
    o, n = (json.loads(x) for x in line.rstrip("\n").split("\t"))
    ratios.append(n["best_per_second"] / o["best_per_second"])
    name = o["file"].rsplit("/", 1)[-1]
    print("%-16s old %.3e  new %.3e  new/old %.3f" % (name, o["best_per_second"], n["best_per_second"], ratios[-1]))
print(json.dumps({"networks": len(ratios), "threads": '"$threads"', "median_new_over_old": round(st.median(ratios), 4),
                  "min": round(min(ratios), 4), "max": round(max(ratios), 4)}))'
