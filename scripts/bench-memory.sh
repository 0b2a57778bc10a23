#!/usr/bin/env bash
# Peak memory of `preflight check` over a large tree of real SQL, with and without findings,
# per output format. The tree is N copies of a SQL directory (default: the shared corpus),
# built under /tmp, never in the repository.
#
#   scripts/bench-memory.sh [--bin PATH] [--copies N] [--src DIR] [--formats "json sarif …"]
set -euo pipefail
bin=target/release/preflight
copies=7
src=/work/shared/corpus-sql-shell/sql
formats="json sarif gitlab concise human"
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --copies) copies="$2"; shift 2 ;;
    --src) src="$2"; shift 2 ;;
    --formats) formats="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
tree="${TMPDIR:-/tmp}/preflight-bench-memory-$copies"
if [ ! -d "$tree" ]; then
  mkdir -p "$tree"
  for i in $(seq 1 "$copies"); do cp -r "$src" "$tree/copy$i"; done
fi
files=$(find "$tree" -type f -name '*.sql' | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
echo "tree: $tree ($files SQL files, $((bytes / 1000000)) MB), binary: $bin"
measure() { # label, args…
  local label="$1"; shift
  local out; out=$(mktemp)
  /usr/bin/time -v "$bin" "$@" > "$out" 2> "$out.time" || true
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$out.time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out.time")
  printf '%-32s peak RSS %7s MB   wall %s   output %s bytes\n' "$label" "$rss" "$wall" "$(wc -c < "$out")"
  rm -f "$out" "$out.time"
}
echo "findings: $("$bin" check --no-config --format concise --fail-on never "$tree" | tail -n 1)"
for f in $formats; do
  measure "$f" check --no-config --format "$f" --fail-on never "$tree"
done
measure "json, no findings" check --no-config --format json --fail-on never \
  --ignore sql,migrations,shell,meta,live "$tree"
