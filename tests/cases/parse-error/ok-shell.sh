#!/usr/bin/env bash
set -euo pipefail
declare -A map=([a]=1)
for ((i = 0; i < 3; i++)); do echo "$i"; done
if [[ "${1:-}" =~ ^v[0-9]+$ ]]; then echo tag; fi
case "${1:-}" in
  start) echo go ;&
  *) : ;;
esac
while IFS= read -r -d '' f; do echo "$f"; done < <(find . -print0)
cat <<EOF
value: ${map[a]}
EOF
