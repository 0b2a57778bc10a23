#!/bin/bash
find / -name '*.tmp' -delete  # expect: find-delete
find ~ -name '*.bak' -exec rm {} +  # expect: find-delete
sudo find /var -name '*.log' -delete  # expect: find-delete
find $LOG_DIR -mtime +7 -delete  # expect: find-delete
find $TMPDIR/ -type f -exec rm -f {} \;  # expect: find-delete
