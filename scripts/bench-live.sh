#!/usr/bin/env bash
# Benchmark of the live database check (`check --database-url`) on the fixture database:
#   - time per measured statement added on top of the static check (target: < 50 ms);
#   - proof that nothing is written: table checksums before and after.
#
#   scripts/bench-live.sh [RUNS]      (default 20 runs of each variant)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"

cargo build --release --quiet
bin=target/release/preflight

eval "$(scripts/pg-cluster.sh start)"
trap 'scripts/pg-cluster.sh stop "$DIR"' EXIT
psql=("$BIN/psql" -X -q -At -h "$DIR" -p "$PORT" -U postgres -d fixture)

checksums() {
  local t
  for t in users orders sessions empty_things '"Audit Log"'; do
    "${psql[@]}" -c "SELECT '$t', count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM $t x"
  done
}

work="$(mktemp -d)"
trap 'scripts/pg-cluster.sh stop "$DIR"; rm -rf "$work"' EXIT
# 20 statements, every one measured (counts, NULL counts, sizes and dependents)
cat > "$work/migration.sql" <<'SQL'
DELETE FROM users WHERE last_login IS NULL;
DELETE FROM users u WHERE u.id <= 6000;
DELETE FROM users WHERE email IS NULL AND id < 100;
UPDATE users SET plan = 'pro' WHERE email IS NULL;
UPDATE users SET plan = 'x' FROM orders o WHERE o.user_id = users.id;
DELETE FROM sessions WHERE id > 1000;
DELETE FROM orders WHERE total > 100;
UPDATE orders SET total = 0 WHERE user_id IN (SELECT id FROM users WHERE last_login IS NULL);
DELETE FROM "Audit Log" WHERE "Note" IS NULL;
DELETE FROM sessions;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ALTER COLUMN plan SET NOT NULL;
ALTER TABLE users ADD COLUMN tier text NOT NULL;
ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
DROP TABLE sessions;
TRUNCATE orders;
ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users RENAME TO people;
ALTER TABLE users RENAME COLUMN last_login TO seen_at;
DROP TABLE empty_things;
SQL
statements=20
url="$URL"

before="$(checksums)"

mean_ms() { # command… → mean wall time in ms over $runs runs (after one warm-up)
  "$@" >/dev/null 2>&1 || true
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000 ))  # microseconds
}

static_us=$(mean_ms "$bin" check --format json "$work/migration.sql")
live_us=$(mean_ms "$bin" check --format json --database-url "$url" "$work/migration.sql")
"$bin" check --format json --database-url "$url" "$work/migration.sql" > "$work/out.json" || true

after="$(checksums)"

per_stmt_us=$(( (live_us - static_us) / statements ))
printf 'runs per variant:            %d\n' "$runs"
printf 'static check:                %d.%03d ms\n' $((static_us / 1000)) $((static_us % 1000))
printf 'static + live check:         %d.%03d ms (%d measured statements)\n' \
  $((live_us / 1000)) $((live_us % 1000)) "$statements"
printf 'added per measured statement: %d.%03d ms (target < 50 ms)\n' \
  $((per_stmt_us / 1000)) $((per_stmt_us % 1000))
printf 'live findings:                %s\n' \
  "$(grep -o '"rule": "live-[a-z-]*"' "$work/out.json" | sort | uniq -c | tr -s ' ' | paste -sd, -)"
echo "table checksums before:"; echo "$before" | sed 's/^/  /'
if [ "$before" = "$after" ]; then
  echo "table checksums after: identical (nothing was written)"
else
  echo "table checksums after: DIFFERENT"; echo "$after" | sed 's/^/  /'; exit 1
fi
if [ "$per_stmt_us" -ge 50000 ]; then echo "FAIL: above 50 ms per statement"; exit 1; fi
