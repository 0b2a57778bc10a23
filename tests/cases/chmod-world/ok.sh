#!/bin/bash
chmod 777 /tmp/shared
chmod -R 755 /var/www/app
chmod -R g+w /srv/app/uploads
chmod -R 777 /var/cache/myapp
