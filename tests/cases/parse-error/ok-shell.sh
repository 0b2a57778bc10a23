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
if [[ "$ver_string" = *" Distrib "* || "$*" = *"/run.sh"* ]]; then echo mariadb; fi
while [[ "${content}" =~ \$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\} ]]; do break; done
opts="${OPTS:-a;b;c}"
sudo chown -R ${USER-\$(whoami)} "${PREFIX:?}"
ec_x="${pubkey:$ec_x_offset:$ec_x_len}"; c="${arr[@]:$i:1}"
((packages+=$(grep -cv deinstall$)))
ldd "$1" \
  `# strip the leading part` \
  | sed -E 's#.* => /#/#'
if ! case "${GIMME_TYPE:-}" in binary) true ;; esac; then echo none; fi
read -r -a parts <<< "$ver_string"
cat > "${csrfile}" <<< "${csr}"
cc -xc -E - <<EOF 2>/dev/null | sed -n 's/OpenSSL \([0-9.]*\).*/\1/p'
#include <openssl/opensslv.h>
EOF
exec 4<> "$LOG_PATH"
de_ver=${de_ver/)*}
theme="${theme/ '[GTK2/3]'}"
for ((b[0]; b[0]<=b[1]; b[0]++)); do :; done
