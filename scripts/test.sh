#!/usr/bin/env bash
# The project's test command (README quick start, and what .ci/run calls).
# It installs what the tests need, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo test --all-targets "$@"
