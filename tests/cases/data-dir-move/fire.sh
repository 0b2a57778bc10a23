#!/bin/bash
mv /var/lib/mysql /tmp/  # expect: data-dir-move
sudo mv /var/lib/postgresql/15/main /tmp/old-main  # expect: data-dir-move
mv "$PGDATA" /tmp  # expect: data-dir-move
mv /home/alice /dev/null  # expect: data-dir-move
mv -t /tmp /var/lib/redis  # expect: data-dir-move
