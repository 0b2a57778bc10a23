#!/bin/bash
grep 'DROP TABLE' x.log
echo "DROP TABLE users" > notes.txt
psql -c 'SELECT count(*) FROM users'
cat <<'EOF'
DROP TABLE users;
EOF
psql -f migrations/0042_cleanup.sql
psql <<'SQL'
CREATE TEMP TABLE scratch AS SELECT 1;
DROP TABLE scratch;
SQL
