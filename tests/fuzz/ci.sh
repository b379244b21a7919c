#!/usr/bin/env bash
# tests/fuzz/ci.sh — CI's bounded sanitizer and fuzz stage (.ci/run runs it after the README's test command).
# A clang-14 ASan + UBSan build (-DMV_FUZZ=ON) of only what the stage runs: the five fuzz
# targets (which link every library) and the front end's, the IR's and the passes' unit
# tests. Then those unit tests under the sanitizers (the passes' whole-network sweeps left
# out: the gcc suite runs them) and each fuzz target for MV_FUZZ_SECONDS (default 20) on its
# seed corpus, which it first runs whole, with libFuzzer's seed fixed (MV_FUZZ_SEED,
# default 1). Any report, crash, timeout or blow-up fails the run. MV_SANITIZE_FULL=1 builds
# everything instead and runs the whole ctest suite (minus the install and Python tests)
# under the sanitizers: about 25 more minutes on 2 cores.
# Measured and budgeted in docs/testing.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${MV_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${MV_FUZZ_SECONDS:-20}"
# libFuzzer's seed (its own default is the clock): fixed, so a CI run's fuzzing is the same
# sequence of inputs from the same seed corpus; `run.sh BUILD TARGET -seed=1 -runs=N` on a
# fresh corpus replays its first N executions.
seed="${MV_FUZZ_SEED:-1}"
jobs="$(nproc 2>/dev/null || echo 2)"
stamp() { echo "ci.sh: $1 at $(date +%T) (+$((SECONDS - start)) s)"; }
start=$SECONDS

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DMV_FUZZ=ON > /dev/null
fuzzers=(fuzz_parse fuzz_compile fuzz_interp fuzz_jit fuzz_exact)
units=(tests/unit/frontend/mv_frontend_tests tests/unit/ir/mv_ir_tests tests/unit/passes/mv_passes_tests)
if [ "${MV_SANITIZE_FULL:-0}" = 1 ]; then
  ninja -C "$build" -j "$jobs"
else
  ninja -C "$build" -j "$jobs" "${fuzzers[@]}" mv_fuzz_dict mv_frontend_tests mv_ir_tests mv_passes_tests
fi
stamp "instrumented build done"

if [ "${MV_SANITIZE_FULL:-0}" = 1 ]; then
  slow='^(capi\.install|install\.|python\.|ExamplesDiff\.|NoOptimizeDiff\.|LargeModel\.|NativeBuild\.(Examples|RandomPrograms|LargeModel)|SliceIdentity\.|Exact\.EqualsTheBenchmarkAnswersOnAllNetworks|ExactCount\.BoundsHoldOnEveryNetworkAndExample)'
  ctest --test-dir "$build" --output-on-failure -j "$jobs" -E "${MV_SANITIZE_EXCLUDE:-$slow}"
else
  # The unit subset, each binary directly (ctest would need every binary of the tree built).
  # Left out: the passes' sweeps over every example and network, minutes under the sanitizers.
  skip='SliceIdentity.*:Exact.EqualsTheBenchmarkAnswersOnAllNetworks:ExactCount.BoundsHoldOnEveryNetworkAndExample'
  for unit in "${units[@]}"; do
    "$build/$unit" --gtest_brief=1 --gtest_filter="-$skip" > "$build/ci_$(basename "$unit").log" 2>&1 || {
      tail -n 80 "$build/ci_$(basename "$unit").log"
      echo "ci: $unit failed under the sanitizers" >&2
      exit 1
    }
    echo "$(basename "$unit"): $(grep -a -E '^\[  PASSED  \]' "$build/ci_$(basename "$unit").log")"
  done
fi
stamp "sanitizer tests done"

for target in "${fuzzers[@]}"; do
  log="$build/tests/fuzz/ci_$target.log"
  if ! "$root/tests/fuzz/run.sh" "$build" "$target" -seed="$seed" -max_total_time="$seconds" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "ci: $target found a crash, timeout or blow-up (input in $build/tests/fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  echo "$target (-seed=$seed): $(grep -a -E '^#[0-9]+' "$log" | tail -n 1)"
done
stamp "fuzzing done"
