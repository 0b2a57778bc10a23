#!/bin/bash
# SQL run from shell reports under the SQL rule, at the SQL's own position.
psql -d app -c 'DROP TABLE sessions'  # expect: drop-table
psql "$DATABASE_URL" <<'SQL'
BEGIN;
DROP TABLE audit_log; -- expect: drop-table
COMMIT;
SQL
echo 'DROP TABLE tmp_import;' | psql app  # expect: drop-table
mysql -u root -e "DROP TABLE legacy_orders" shop  # expect: drop-table
sqlite3 app.db 'DROP TABLE cache'  # expect: drop-table
