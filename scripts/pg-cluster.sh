#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the live-check tests and benchmark.
#
#   scripts/pg-cluster.sh find              # print the server's bin dir, or fail saying why
#   scripts/pg-cluster.sh start [FIXTURE]   # initdb in a temp dir, start on a free localhost
#                                           # port, load FIXTURE (default tests/fixtures/live.sql)
#                                           # into database "fixture"; prints KEY=VALUE lines
#   scripts/pg-cluster.sh stop DIR          # stop the server and delete DIR
#
# initdb and postgres refuse to run as root: as root, they run as the `postgres` user (created
# by Debian's postgresql package), else as a system user created for the purpose.
# PG_BIN overrides where the server binaries are looked up.
set -euo pipefail
cd "$(dirname "$0")/.."

SUPERPASS=preflight-test-superuser

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/pg_ctl" ]; then echo "$PG_BIN"; return 0; fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  echo "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; install them with" \
       "'apt-get install -y postgresql' or set PG_BIN" >&2
  return 1
}

# The unprivileged user the server runs as (only when we are root).
server_user() {
  if id postgres >/dev/null 2>&1; then echo postgres; return 0; fi
  if ! id preflight-pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin preflight-pg >/dev/null 2>&1 \
      || adduser --system --no-create-home preflight-pg >/dev/null 2>&1 \
      || { echo "cannot create an unprivileged user to run postgres as" >&2; return 1; }
  fi
  echo preflight-pg
}

as_server() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  local user; user="$(server_user)"
  if command -v runuser >/dev/null 2>&1; then
    runuser -u "$user" -- "$@"
  else
    su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
  fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no free port found" >&2; return 1
}

cmd="${1:-}"
case "$cmd" in
  find)
    find_bin
    ;;
  start)
    fixture="${2:-tests/fixtures/live.sql}"
    bin="$(find_bin)"
    dir="$(mktemp -d /tmp/preflight-pg.XXXXXX)"
    chmod 755 "$dir"
    printf '%s\n' "$SUPERPASS" > "$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown -R "$(server_user)" "$dir"; fi
    if ! as_server "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
    fi
    started=""
    for _ in 1 2 3 4 5; do
      port="$(free_port)"
      if as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
          -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c log_statement=all -c log_line_prefix=app=%a:" \
          >/dev/null 2>&1; then
        started=1; break
      fi
    done
    if [ -z "$started" ]; then
      echo "postgres did not start:" >&2; cat "$dir/server.log" >&2 || true
      rm -rf "$dir"; exit 1
    fi
    psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres)
    if ! { "${psql[@]}" -d postgres -c "CREATE DATABASE fixture" \
           && "${psql[@]}" -d fixture -f "$fixture"; } >"$dir/fixture.log" 2>&1; then
      cat "$dir/fixture.log" >&2
      as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$dir"; exit 1
    fi
    echo "DIR=$dir"
    echo "PORT=$port"
    echo "BIN=$bin"
    echo "URL=postgres://postgres:$SUPERPASS@127.0.0.1:$port/fixture"
    ;;
  stop)
    dir="${2:?usage: pg-cluster.sh stop DIR}"
    case "$dir" in /tmp/preflight-pg.*) ;; *) echo "refusing to remove $dir" >&2; exit 1;; esac
    bin="$(find_bin)"
    if [ -d "$dir/data" ]; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
        || as_server "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 find | start [FIXTURE] | stop DIR" >&2; exit 2
    ;;
esac
