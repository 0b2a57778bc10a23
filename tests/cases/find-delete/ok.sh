#!/bin/bash
find /var/log/app -name '*.gz' -mtime +30 -delete
find / -name '*.tmp' -print
find "${LOG_DIR:?}" -mtime +7 -delete
tmp=$(mktemp -d); find "$tmp" -delete
find . -name '*.pyc' -delete
echo "find / -delete"
find "$LOG_DIR" -mtime +7 -delete  # find "" fails: it does not search the current directory
