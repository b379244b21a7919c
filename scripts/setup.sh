#!/usr/bin/env bash
# One entry point for a fresh Debian machine: install dependencies, build, then either run
# the counterfactual diagnosis example (`run`) or the whole test suite (`test`).
set -euo pipefail

mode="${1:-run}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MV_BUILD_DIR:-$root/build}"
jobs="$(nproc 2>/dev/null || echo 2)"

bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
ninja -C "$build" -j "$jobs"

case "$mode" in
  run)
    "$build/tools/mvc" run "$root/examples/diagnosis.mv"
    ;;
  test)
    ctest --test-dir "$build" --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
