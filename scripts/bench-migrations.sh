#!/usr/bin/env bash
# Benchmark migration replay on generated numbered sets (default 500, 1000, 2000 files).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench-migrations.py "$@"
