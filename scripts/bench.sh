#!/usr/bin/env bash
# Benchmark: generates a corpus (in $TMPDIR/preflight-bench-corpus) and measures the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench.py "$@"
