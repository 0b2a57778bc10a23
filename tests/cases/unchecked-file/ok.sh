#!/bin/bash
. /dev/null
psql -f "$MIGRATION"
bash -c 'echo hi'
source "$HOME/.profile"
# `check` does not know where a script runs: missing shell files and absolute paths that
# exist only in a container image are not noted (the hook blocks on them)
source ./lib/not-here.sh
. /opt/bitnami/scripts/liblog.sh
psql -f /docker-entrypoint-initdb.d/001.sql
