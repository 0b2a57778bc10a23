#!/usr/bin/env bash
# Cold release build time: builds the release binary from nothing into a fresh target
# directory (the registry's downloaded sources are reused; nothing is compiled ahead), and
# prints wall time, CPU time and the slowest compilation units from cargo's timing report.
# The budget is 5 minutes wall on 2 cores; run it on an otherwise idle machine.
#   scripts/bench-build.sh [--jobs N] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="-j $2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--jobs N] [--keep]" >&2; exit 2 ;;
  esac
done
target="$(mktemp -d "${TMPDIR:-/tmp}/preflight-build.XXXXXX")"
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$target"; else echo "kept $target"; fi; }
trap cleanup EXIT
cargo fetch --locked >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
start=$(date +%s.%N)
# shellcheck disable=SC2086
/usr/bin/time -f "cpu: %U s user + %S s system" \
  cargo build --release --locked --timings $jobs --target-dir "$target" 2>&1 |
  grep -E "^(cpu:|    Finished|error)" || true
end=$(date +%s.%N)
python3 - "$target" "$start" "$end" <<'EOF'
import json, re, sys, pathlib
target, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
print(f"wall: {end - start:.0f} s")
html = pathlib.Path(target, "cargo-timings", "cargo-timing.html").read_text()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
units.sort(key=lambda u: -u["duration"])
print(f"units: {len(units)}, summed unit time {sum(u['duration'] for u in units):.0f} s; slowest:")
for u in units[:8]:
    print(f"  {u['duration']:6.1f} s  {u['name']} {u.get('target', '').strip()}")
EOF
