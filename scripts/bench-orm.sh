#!/usr/bin/env bash
# ORM benchmark: generates Django/Alembic/Rails/Laravel/Knex/TypeORM/Sequelize migrations (in
# $TMPDIR/preflight-bench-orm) or takes directories, and reports MB per CPU-second.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/bench-orm.py "$@"
