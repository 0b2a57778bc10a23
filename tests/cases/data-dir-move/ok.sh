#!/bin/bash
mv build /tmp/
mv /var/lib/mysql /var/lib/mysql.bak
mv app.log /tmp/
mv ~/.cache/pip /tmp/pip-cache
mv /tmp/restore /var/lib/mysql
