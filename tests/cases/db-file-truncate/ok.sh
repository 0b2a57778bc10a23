#!/bin/bash
truncate -s 0 app.log
: > app.log
> out.txt
echo done >> app.db
sqlite3 old.db .dump > dump.db
gunzip -c backup.gz > prod.db
truncate -s 10M disk.db
: > /var/lib/mysql/mysql.err
run_tests 2> errors.db
