#!/bin/bash
dropdb -h db.internal -U postgres app_production  # expect: dropdb
sudo -u postgres dropdb app  # expect: dropdb
