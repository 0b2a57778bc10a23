#!/bin/bash
: > app.sqlite3  # expect: db-file-truncate
> prod.db  # expect: db-file-truncate
cat /dev/null > "$DATA_DIR/users.sqlite"  # expect: db-file-truncate
truncate -s 0 prod.db  # expect: db-file-truncate
truncate --size 0 /var/lib/postgresql/15/main/base/16384/2619  # expect: db-file-truncate
cp /dev/null app.db  # expect: db-file-truncate
