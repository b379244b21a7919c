#!/usr/bin/env bash
# tests/fuzz/run.sh — runs one libFuzzer target on its corpus with the project's per-input bounds (see README.md).
#   tests/fuzz/run.sh BUILD_DIR TARGET [libFuzzer flags...]     e.g. run.sh build-fuzz fuzz_parse -max_total_time=600
# The corpus (BUILD_DIR/tests/fuzz/corpus/TARGET, or MV_FUZZ_CORPUS/TARGET when that is set, e.g.
# a directory outside the tree that later campaigns continue) is seeded from examples/ and tests/
# on first use; crashes, timeouts and out-of-memory inputs land in BUILD_DIR/tests/fuzz/artifacts/TARGET/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$(cd "$1" && pwd)"
target="$2"
shift 2
bin="$build/tests/fuzz/$target"
[ -x "$bin" ] || { echo "run.sh: no $bin (configure with -DMV_FUZZ=ON, see tests/fuzz/README.md)" >&2; exit 2; }
corpus="${MV_FUZZ_CORPUS:-$build/tests/fuzz/corpus}/$target"
artifacts="$build/tests/fuzz/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
if [ -z "$(ls -A "$corpus")" ]; then python3 "$here/collect_corpus.py" "$corpus"; fi
# -timeout / -rss_limit_mb: an input slower than 20 s or above 2 GB is a finding (the project's
# limits bound every small input well below both); -max_len: inputs stay small.
exec nice -n 10 "$bin" -dict="$build/tests/fuzz/mv.dict" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$@" "$corpus"
