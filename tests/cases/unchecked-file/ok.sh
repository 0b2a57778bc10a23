#!/bin/bash
. /dev/null
psql -f "$MIGRATION"
bash -c 'echo hi'
source "$HOME/.profile"
