#!/bin/bash
psql "$DATABASE_URL" -f migrations/does-not-exist.sql  # expect: unchecked-file
source ./lib/not-here.sh  # expect: unchecked-file
