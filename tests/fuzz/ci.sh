#!/usr/bin/env bash
# tests/fuzz/ci.sh — CI's bounded sanitizer and fuzz run (.ci/run calls it after the README's test command).
# Builds the clang fuzz build (ASan + UBSan on every library, libFuzzer targets), runs the
# sanitizer subset of ctest in it (every unit and lit test but the slowest whole-corpus
# comparisons, which the gcc suite runs; and each fuzz target once over every seed), then
# each fuzz target for MV_FUZZ_SECONDS (default 20) from its seeds. Any report fails the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${MV_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${MV_FUZZ_SECONDS:-20}"
jobs="$(nproc 2>/dev/null || echo 2)"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DMV_FUZZ=ON > /dev/null
ninja -C "$build" -j "$jobs"

# Left out under the sanitizers: the install and Python tests (an instrumented library cannot be linked by
# a plain toolchain nor loaded by a plain python3) and the minutes-long sweeps over every example and network.
slow='^(capi\.install|install\.|python\.|ExamplesDiff\.|NoOptimizeDiff\.|LargeModel\.|NativeBuild\.(Examples|RandomPrograms|LargeModel)|SliceIdentity\.|Exact\.EqualsTheBenchmarkAnswersOnAllNetworks|ExactCount\.BoundsHoldOnEveryNetworkAndExample)'
ctest --test-dir "$build" --output-on-failure -j "$jobs" -E "${MV_SANITIZE_EXCLUDE:-$slow}"

for target in parse compile interp jit exact; do
  log="$build/tests/fuzz/ci_$target.log"
  if ! "$root/tests/fuzz/run.sh" "$build" "fuzz_$target" -max_total_time="$seconds" > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "ci: fuzz_$target found a crash, timeout or blow-up (input in $build/tests/fuzz/artifacts/fuzz_$target/)" >&2
    exit 1
  fi
  echo "fuzz_$target: $(grep -a -E '^#[0-9]+' "$log" | tail -n 1)"
done
